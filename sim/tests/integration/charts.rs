//! `smssim plot` on the published results and on sweeps of every kind:
//! every folder draws, charts say what they show in words and units,
//! constant series are left out and counted, and the same folder gives the
//! same bytes.

use crate::support::{describe, files_under, relative, root, smssim};
use std::path::{Path, PathBuf};
use std::process::Output;

fn plot(results: &Path, out: &Path) -> Output {
    smssim(&[
        "plot",
        results.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
}

/// Every `.svg` under `dir`, relative to it, sorted.
fn svgs(dir: &Path) -> Vec<String> {
    files_under(dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .map(|p| relative(p, dir))
        .collect()
}

/// Every folder under `results/published` that holds a time series or a
/// sweep.
fn published() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root().join("results/published")];
    while let Some(d) = stack.pop() {
        if d.join("timeseries.csv").is_file() || d.join("sweep.csv").is_file() {
            out.push(d.clone());
        }
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn charts_draw_every_published_folder() {
    let folders = published();
    assert!(folders.len() >= 10, "{folders:?}");
    let tmp = tempfile::tempdir().unwrap();
    for (i, dir) in folders.iter().enumerate() {
        let out = tmp.path().join(format!("p{i}"));
        let o = plot(dir, &out);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            dir.display(),
            describe(&o)
        );
        let charts = svgs(&out);
        assert!(!charts.is_empty(), "{}: no chart", dir.display());
        let manifest = read(&out.join("manifest.json"));
        assert!(manifest.contains(r#""tool": "smssim""#), "{manifest}");
        for c in &charts {
            let svg = read(&out.join(c));
            assert!(svg.starts_with("<svg "), "{c}");
            assert!(svg.trim_end().ends_with("</svg>"), "{c}");
            assert!(!svg.contains("NaN"), "{c}");
        }
    }
}

#[test]
fn charts_say_what_they_show_with_units_round_ticks_and_intervals() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plots");
    let o = plot(&root().join("results/published/hierarchy"), &out);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    // clients.count-like series that never change are left out, and said so.
    assert!(stdout.contains("skipped 1 constant series"), "{stdout}");

    let svg = read(&out.join("ccrretry.files.svg"));
    // The title in words from the catalogue, the unit on the y axis, days
    // on the x axis, whole-day ticks.
    assert!(
        svg.contains(">Files in CcrRetry.box, every site&#39;s together"),
        "{svg}"
    );
    assert!(svg.contains(">ccrretry.files (count)</text>"), "{svg}");
    assert!(svg.contains(">simulated time (days)</text>"), "{svg}");
    for day in 0..=7 {
        assert!(svg.contains(&format!(">{day}</text>")), "day {day}");
    }
    // One band and one line per policy: legacy and hotfix only, not 80
    // runs.
    assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
    assert!(svg.contains("stroke-dasharray"), "hotfix is dashed");
    assert!(svg.contains("95 % confidence interval of the mean over 10 replications"));
    assert!(svg.contains("each of the 7 hotfix knobs alone"));

    // One bar chart per headline metric: legacy, each knob, hotfix.
    let bars = read(&out.join("ablation/status.lost.svg"));
    assert!(
        bars.contains(">Status messages lost to name collisions"),
        "{bars}"
    );
    for label in [
        ">legacy<",
        ">legacy + cqmgr_max_retries<",
        ">hotfix (every knob)<",
    ] {
        assert!(bars.contains(label), "{label}: {bars}");
    }
    assert!(
        bars.contains("whiskers: 95 % confidence interval"),
        "{bars}"
    );
}

#[test]
fn duration_sweeps_draw_against_their_unit() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plots");
    let o = plot(&root().join("results/published/q323627/sweep-spread"), &out);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let svg = read(&out.join("sweep/status.lost.svg"));
    assert!(
        svg.contains(">same minute delay mean (seconds)</text>"),
        "{svg}"
    );
    assert!(svg.contains(">status.lost (count)</text>"), "{svg}");
    // Constant metrics (clients.count …) are not drawn.
    assert!(!out.join("sweep/clients.count.svg").exists());
    assert!(String::from_utf8_lossy(&o.stdout).contains("constant metrics"));
}

/// A results folder holding `files` (name, contents).
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, contents) in files {
        std::fs::write(dir.path().join(name), contents).unwrap();
    }
    dir
}

#[test]
fn two_parameter_sweeps_draw_a_line_per_policy_and_value() {
    let mut csv = String::from(
        "workload.advertisements.0.same_minute_delay_mean,topology.clients_per_cap,policy,metric,unit,mean,ci95,n\n",
    );
    for delay in ["90s", "15m", "2h"] {
        for caps in ["500", "1000"] {
            for (policy, k) in [("legacy", 1.0), ("hotfix", 0.0)] {
                let lost = k * caps.parse::<f64>().unwrap() / delay.len() as f64;
                csv.push_str(&format!(
                    "{delay},{caps},{policy},status.lost,count,{lost},1,3\n{delay},{caps},{policy},clients.count,count,40,0,3\n"
                ));
            }
        }
    }
    let r = folder(&[("sweep.csv", &csv)]);
    let out = r.path().join("plots");
    let o = plot(r.path(), &out);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert_eq!(svgs(&out), ["sweep/status.lost.svg"]);
    let svg = read(&out.join("sweep/status.lost.svg"));
    // 90 s to 2 h: drawn in hours.
    assert!(
        svg.contains(">same minute delay mean (hours)</text>"),
        "{svg}"
    );
    assert_eq!(svg.matches("<polyline").count(), 4, "{svg}");
    assert!(
        svg.contains(">legacy, clients per cap = 1000</text>"),
        "{svg}"
    );
    assert!(
        svg.contains(">hotfix, clients per cap = 500</text>"),
        "{svg}"
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("skipped 1 constant metrics"));

    // Seconds as plain numbers under a `_s` header, over two decades: a
    // log axis in minutes.
    let csv = "delay_s,policy,metric,unit,mean,ci95,n\n60,legacy,m,count,1,,1\n600,legacy,m,count,2,,1\n6000,legacy,m,count,3,,1\n";
    let r = folder(&[("sweep.csv", csv)]);
    let out = r.path().join("plots");
    let o = plot(r.path(), &out);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let svg = read(&out.join("sweep/m.svg"));
    assert!(svg.contains(">delay (minutes)</text>"), "{svg}");
    assert!(
        svg.contains(">10</text>") && svg.contains(">100</text>"),
        "{svg}"
    );
    assert!(svg.contains("one replication each"), "{svg}");

    // Values that are neither: one place each.
    let csv = "topology.version,policy,metric,unit,mean,ci95,n\nsp1,legacy,m,count,1,,1\nsp2,legacy,m,count,2,,1\n";
    let r = folder(&[("sweep.csv", csv)]);
    let o = plot(r.path(), &r.path().join("plots"));
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let svg = read(&r.path().join("plots/sweep/m.svg"));
    assert!(
        svg.contains(">sp1</text>") && svg.contains(">sp2</text>"),
        "{svg}"
    );
}

#[test]
fn the_same_folder_gives_the_same_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = root().join("results/published/q319207/sweep-child-sites");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for out in [&a, &b] {
        let o = plot(&dir, out);
        assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    }
    let charts = svgs(&a);
    assert_eq!(charts, svgs(&b));
    for c in &charts {
        assert_eq!(read(&a.join(c)), read(&b.join(c)), "{c} differs");
    }
    // Plotting again replaces the folder whole; a folder smssim did not
    // write is refused.
    let o = plot(&dir, &a);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let foreign = tmp.path().join("mine");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "keep").unwrap();
    let o = plot(&dir, &foreign);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert_eq!(read(&foreign.join("notes.txt")), "keep");
}
