//! `merge` takes only the shards of one sweep, each once, all of them.

use super::run_in;
use std::path::Path;

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (code, _, err) = run_in(dir, &args);
    (code, err)
}

#[test]
fn merge_refuses_what_is_not_one_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t = r#"{"name":"t","duration_days":0.05,"topology":{"child_sites":1,"clients_per_cap":5}}"#;
    std::fs::write(d.join("t.json"), t).unwrap();
    std::fs::write(d.join("u.json"), t.replace("\"t\"", "\"u\"")).unwrap();
    let sweep = |file: &str, shard: &str, out: &str| {
        let (code, err) = run(
            d,
            &[
                "sweep",
                file,
                "--vary",
                "seed=1,2,3",
                "-q",
                "--shard",
                shard,
                "-o",
                out,
            ],
        );
        assert_eq!(code, Some(0), "{err}");
    };
    sweep("t.json", "0/3", "s0");
    sweep("t.json", "1/3", "s1");
    sweep("t.json", "2/3", "s2");
    sweep("u.json", "1/3", "u1");
    let (code, err) = run(
        d,
        &[
            "sweep",
            "t.json",
            "--vary",
            "seed=1,2,3",
            "-q",
            "-o",
            "whole",
        ],
    );
    assert_eq!(code, Some(0), "{err}");

    let cases: [(&[&str], &str); 7] = [
        (
            &["s0", "missing"],
            "missing: not a results folder of smssim (no such folder)",
        ),
        (
            &["s0", "/etc"],
            "/etc: not a results folder of smssim (no manifest.json)",
        ),
        (
            &["s0", "t.json"],
            "t.json: not a results folder of smssim (not a folder)",
        ),
        (
            &["s0", "u1", "s2"],
            "its manifest's scenario (u) differs from s0's (t)",
        ),
        (&["s0", "s2"], "shards 1 of 3 are missing"),
        (&["s0", "s1", "s1", "s2"], "shard 1/3 is given twice"),
        (&["s0", "s1", "whole"], "holds a whole run, not a shard"),
    ];
    for (inputs, says) in cases {
        let mut args = vec!["merge"];
        args.extend(inputs);
        args.extend(["-o", "merged"]);
        let (code, err) = run(d, &args);
        assert_eq!(code, Some(2), "merge {inputs:?}: {err}");
        assert!(
            err.contains(says),
            "merge {inputs:?}: expected {says:?} in {err}"
        );
        assert!(
            !d.join("merged").exists(),
            "merge {inputs:?} wrote a folder"
        );
    }
    let (code, err) = run(d, &["merge", "s0", "s1", "s2", "-o", "s1"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("which this command reads"), "{err}");
    let (code, err) = run(d, &["merge", "s2", "s0", "s1", "-o", "merged"]);
    assert_eq!(code, Some(0), "{err}");
    for f in ["metrics.csv", "timeseries.csv", "sweep.csv"] {
        assert_eq!(
            std::fs::read(d.join("merged").join(f)).unwrap(),
            std::fs::read(d.join("whole").join(f)).unwrap(),
            "{f}"
        );
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("merged/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["runs"], 6, "{manifest}");
    assert_eq!(
        manifest["shards"].as_array().unwrap().len(),
        3,
        "{manifest}"
    );
    assert!(manifest.get("shard").is_none(), "{manifest}");
}
