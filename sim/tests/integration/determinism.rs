//! Same scenario and seed → byte-identical outputs; shards merge into the
//! unsharded result.

use crate::support::{assert_same_files, describe, read, scenario, smssim};

const SMALL: [&str; 4] = [
    "--set",
    "topology.clients_per_cap=40",
    "--set",
    "duration_days=1",
];

fn compare_into(dir: &std::path::Path) {
    let s = scenario("status-storm.json");
    let mut args = vec![
        "compare",
        s.to_str().unwrap(),
        "--replications",
        "2",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ];
    args.extend(SMALL);
    let o = smssim(&args);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
}

#[test]
fn same_seed_gives_byte_identical_files() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    compare_into(a.path());
    compare_into(b.path());
    assert_same_files(
        a.path(),
        b.path(),
        &["metrics.csv", "compare.csv", "timeseries.csv"],
    );
}

#[test]
fn another_seed_changes_the_draws() {
    let a = tempfile::tempdir().unwrap();
    compare_into(a.path());
    let b = tempfile::tempdir().unwrap();
    let s = scenario("status-storm.json");
    let mut args = vec![
        "compare",
        s.to_str().unwrap(),
        "--replications",
        "2",
        "--quiet",
        "--seed",
        "99",
        "--out",
        b.path().to_str().unwrap(),
    ];
    args.extend(SMALL);
    assert_eq!(smssim(&args).status.code(), Some(0));
    assert_ne!(
        read(&a.path().join("timeseries.csv")),
        read(&b.path().join("timeseries.csv"))
    );
}

#[test]
fn shards_merge_into_the_unsharded_sweep() {
    let s = scenario("status-storm.json");
    let s = s.to_str().unwrap();
    let whole = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], out: &std::path::Path| {
        let mut args = vec![
            "sweep",
            s,
            "--vary",
            "topology.clients_per_cap=10,30",
            "--replications",
            "2",
            "--quiet",
            "--set",
            "duration_days=0.5",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra);
        let o = smssim(&args);
        assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    };
    run(&[], whole.path());
    let shards: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    for (i, d) in shards.iter().enumerate() {
        run(&["--shard", &format!("{i}/3")], d.path());
    }
    let merged = tempfile::tempdir().unwrap();
    let mut args = vec!["merge"];
    let names: Vec<String> = shards
        .iter()
        .map(|d| d.path().display().to_string())
        .collect();
    args.extend(names.iter().map(String::as_str));
    args.extend(["--out", merged.path().to_str().unwrap()]);
    let o = smssim(&args);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert_same_files(
        whole.path(),
        merged.path(),
        &["metrics.csv", "timeseries.csv", "sweep.csv"],
    );
    // runs.csv too, but for its wall-clock column.
    let without_wall = |d: &std::path::Path| -> Vec<String> {
        String::from_utf8(read(&d.join("runs.csv")))
            .unwrap()
            .lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_string())
            .collect()
    };
    assert_eq!(without_wall(whole.path()), without_wall(merged.path()));
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&merged.path().join("manifest.json"))).unwrap();
    assert_eq!(manifest["runs"], 8, "{manifest}");
    assert_eq!(manifest["shards"].as_array().map(Vec::len), Some(3));
}

/// The combined scenario, scaled down: every subsystem at work at once,
/// byte-identical whatever the number of runs executed at once.
#[test]
fn hierarchy_is_byte_identical_across_thread_counts() {
    let s = scenario("hierarchy.json");
    let run = |jobs: &str, out: &std::path::Path| {
        let o = smssim(&[
            "compare",
            s.to_str().unwrap(),
            "--replications",
            "2",
            "--ablation",
            "--quiet",
            "--jobs",
            jobs,
            "--set",
            "topology.child_sites=3",
            "--set",
            "topology.clients_per_cap=100",
            "--set",
            "duration_days=2",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    run("1", a.path());
    run("3", b.path());
    assert_same_files(
        a.path(),
        b.path(),
        &[
            "metrics.csv",
            "compare.csv",
            "ablation.csv",
            "timeseries.csv",
        ],
    );
    // Every subsystem did something: each part's declared activity metric.
    let metrics = String::from_utf8(read(&a.path().join("metrics.csv"))).unwrap();
    for m in smssim_model::parts().iter().map(|p| p.activity) {
        let busy = metrics
            .lines()
            .filter(|l| l.contains(&format!(",{m},")))
            .any(|l| l.split(',').nth(6).is_some_and(|v| v != "0"));
        assert!(busy, "{m} is zero in every run");
    }
}

/// A lone run with two jobs puts its status lane on a second thread
/// (`threads_per_run`); with one job both lanes share a thread. The files
/// are the same.
#[test]
fn a_lone_run_is_byte_identical_with_its_status_lane_on_a_thread_of_its_own() {
    let s = scenario("rollout.json");
    let go = |jobs: &str, out: &std::path::Path| {
        let o = smssim(&[
            "run",
            s.to_str().unwrap(),
            "--policy",
            "as-scheduled",
            "--quiet",
            "--jobs",
            jobs,
            "--set",
            "topology.clients_per_cap=40",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    go("1", a.path());
    go("2", b.path());
    assert_same_files(a.path(), b.path(), &["metrics.csv", "timeseries.csv"]);
}
