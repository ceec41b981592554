//! A results folder is one unit: a reader sees the old folder or the new
//! one, never a mix, whatever happens to the command writing it.

use crate::support::{describe, read, scenario, smssim};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every file under `dir` (relative path → bytes), `runs.csv` and
/// `manifest.json` left out (they hold wall times and the command line).
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name == "runs.csv" || name == "manifest.json" {
            out.push((name, Vec::new()));
        } else {
            out.push((name, read(&p)));
        }
    }
    out.sort();
    out
}

fn hidden_leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

fn args<'a>(s: &'a str, seed: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "run",
        s,
        "--quiet",
        "--seed",
        seed,
        "--set",
        "duration_days=0.5",
        "--set",
        "sample_interval=1m",
        "--set",
        "topology.clients_per_cap=300",
        "--out",
        out,
    ]
}

fn spawn(args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_smssim"))
        .args(args)
        .current_dir(crate::support::root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("smssim starts")
}

#[test]
fn compare_then_run_leaves_only_the_runs_files() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("r");
    let out_s = out.to_str().unwrap();
    let s = scenario("status-storm.json");
    let s = s.to_str().unwrap();
    let set = [
        "--set",
        "duration_days=0.25",
        "--set",
        "topology.clients_per_cap=100",
        "--quiet",
    ];
    let mut a = vec!["compare", s, "--ablation", "-r", "1", "--out", out_s];
    a.extend(set);
    assert_eq!(smssim(&a).status.code(), Some(0));
    assert!(out.join("compare.csv").exists() && out.join("ablation.csv").exists());
    let mut b = vec!["run", s, "--seed", "9", "--out", out_s];
    b.extend(set);
    let o = smssim(&b);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let names: Vec<String> = snapshot(&out).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["manifest.json", "metrics.csv", "runs.csv", "timeseries.csv"]
    );
    assert!(hidden_leftovers(root.path()).is_empty());
}

/// Kills a run into an existing folder at points spread over its life:
/// each time the folder is exactly the old one or exactly the new one, and
/// the next successful run leaves nothing hidden behind.
#[test]
fn sigkill_at_any_moment_leaves_the_old_folder_or_the_new() {
    let root = tempfile::tempdir().unwrap();
    let s = scenario("status-storm.json");
    let s = s.to_str().unwrap();
    // The new folder's contents, made once elsewhere.
    let reference: PathBuf = root.path().join("reference");
    let o = smssim(&args(s, "2", reference.to_str().unwrap()));
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let new = snapshot(&reference);

    let work = root.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let out = work.join("r");
    let out_s = out.to_str().unwrap().to_string();
    let o = smssim(&args(s, "1", &out_s));
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let old = snapshot(&out);
    assert_ne!(old, new);

    // How long a whole run takes here.
    let started = Instant::now();
    let mut child = spawn(&args(s, "2", &out_s));
    assert!(child.wait().unwrap().success());
    let whole = started.elapsed();
    assert_eq!(snapshot(&out), new);
    // Back to the old folder.
    assert_eq!(smssim(&args(s, "1", &out_s)).status.code(), Some(0));

    let mut saw_old = 0;
    for k in 0..12u32 {
        let mut child = spawn(&args(s, "2", &out_s));
        std::thread::sleep(whole * k / 10);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let now = snapshot(&out);
        assert!(
            now == old || now == new,
            "killed at {k}/10 of a run: the folder is neither the old nor the new one: {:?}",
            now.iter().map(|(n, _)| n).collect::<Vec<_>>()
        );
        if now == old {
            saw_old += 1;
        } else {
            // Back to the old folder for the next kill.
            assert_eq!(smssim(&args(s, "1", &out_s)).status.code(), Some(0));
        }
    }
    assert!(saw_old > 0, "no kill landed before the swap");
    // The next successful run removes what the killed ones left.
    assert_eq!(smssim(&args(s, "2", &out_s)).status.code(), Some(0));
    assert_eq!(snapshot(&out), new);
    assert!(
        hidden_leftovers(&work).is_empty(),
        "{:?}",
        hidden_leftovers(&work)
    );
}

/// Two runs into one folder at once: the second is refused (exit 2) while
/// the first holds the folder, and the folder is always one run's.
#[test]
fn concurrent_runs_never_mix_a_folder() {
    let root = tempfile::tempdir().unwrap();
    let s = scenario("status-storm.json");
    let s = s.to_str().unwrap();
    let refs: Vec<Vec<(String, Vec<u8>)>> = ["1", "2"]
        .iter()
        .map(|seed| {
            let d = root.path().join(format!("ref{seed}"));
            let o = smssim(&args(s, seed, d.to_str().unwrap()));
            assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
            snapshot(&d)
        })
        .collect();
    let out = root.path().join("shared");
    let out_s = out.to_str().unwrap();
    let mut refused = 0;
    for _ in 0..3 {
        let mut a = spawn(&args(s, "1", out_s));
        std::thread::sleep(Duration::from_millis(20));
        let b = spawn(&args(s, "2", out_s)).wait_with_output().unwrap();
        let a_status = a.wait().unwrap();
        assert!(a_status.success());
        match b.status.code() {
            Some(0) => {}
            Some(2) => {
                refused += 1;
                let err = String::from_utf8_lossy(&b.stderr);
                assert!(err.contains("another smssim command"), "{err}");
            }
            c => panic!("second writer exited {c:?}"),
        }
        let now = snapshot(&out);
        assert!(now == refs[0] || now == refs[1], "a mixed folder");
    }
    assert!(refused > 0, "the second writer was never refused");
}
