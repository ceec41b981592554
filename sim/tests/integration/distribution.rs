//! Q319207 through the command line: the package-retry flood, the hourly
//! retry, growth with the number of child sites, traces and bad input.

use crate::support::{describe, scenario, smssim};
use std::path::Path;

/// Mean of a metric over the rows of one policy in `metrics.csv`.
fn metric(dir: &Path, policy: &str, name: &str) -> f64 {
    let text = std::fs::read_to_string(dir.join("metrics.csv")).unwrap();
    let vals: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| c[2] == policy && c[5] == name)
        .map(|c| c[6].parse().unwrap())
        .collect();
    assert!(
        !vals.is_empty(),
        "no {name} for {policy} in {}",
        dir.display()
    );
    vals.iter().sum::<f64>() / vals.len() as f64
}

fn ok(args: &[&str]) {
    let o = smssim(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", describe(&o));
}

/// A scenario with `children` child sites, one DP at the central site down
/// for `hours`, and `updates` package updates (one every 30 min) in the
/// window.
fn small(dir: &Path, children: u32, hours: u32, updates: u32) -> String {
    let packages: Vec<String> = (0..updates)
        .map(|i| {
            format!(
                r#"{{"package":"P{i}","at":"{}m","size_mb":0.5}}"#,
                5 + 30 * i
            )
        })
        .collect();
    let text = format!(
        r#"{{"name":"small","duration_days":1,"sample_interval":"1h",
            "topology":{{"child_sites":{children},"clients_per_cap":2}},
            "distribution":{{"routine":null,"wan_kbit_s":[128,1544],
              "dp_outages":[{{"site":"CEN","dp":0,"from":"0s","duration":"{hours}h"}}]}},
            "workload":{{"packages":[{}]}}}}"#,
        packages.join(",")
    );
    let f = dir.join(format!("small-{children}-{hours}-{updates}.json"));
    std::fs::write(&f, text).unwrap();
    f.to_str().unwrap().to_string()
}

#[test]
fn legacy_floods_schedule_box_and_delays_the_unrelated_package() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario("package-retry.json");
    ok(&[
        "compare",
        s.to_str().unwrap(),
        "--replications",
        "1",
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
    ]);
    let d = dir.path();
    let jobs_l = metric(d, "legacy", "sched.jobs_created");
    let jobs_h = metric(d, "hotfix", "sched.jobs_created");
    assert!(
        jobs_l >= 10.0 * jobs_h,
        "jobs legacy {jobs_l} hotfix {jobs_h}"
    );
    // Hotfix: one set per update, one job per link (50 children + 10
    // grandchildren), 24 updates.
    assert_eq!(jobs_h, 24.0 * 60.0);
    let peak_l = metric(d, "legacy", "sched.backlog_peak");
    let peak_h = metric(d, "hotfix", "sched.backlog_peak");
    assert!(
        peak_l > 10.0 * peak_h,
        "backlog legacy {peak_l} hotfix {peak_h}"
    );
    let lat_l = metric(d, "legacy", "package.site_latency_p95_s");
    let lat_h = metric(d, "hotfix", "package.site_latency_p95_s");
    assert!(lat_l > 1.5 * lat_h, "p95 legacy {lat_l} hotfix {lat_h}");
    for p in ["legacy", "hotfix"] {
        assert_eq!(metric(d, p, "package.unreached"), 0.0);
    }
    let ts = std::fs::read_to_string(d.join("timeseries.csv")).unwrap();
    assert!(ts.contains(",sched.backlog.CEN,"));
    assert!(
        ts.contains(",sched.backlog.A01,"),
        "grandchildren hang under A01"
    );
}

#[test]
fn one_dp_down_for_h_hours_retries_about_hourly() {
    let dir = tempfile::tempdir().unwrap();
    for hours in [3u32, 8] {
        let f = small(dir.path(), 2, hours, 1);
        let out = dir.path().join(format!("h{hours}"));
        ok(&[
            "compare",
            &f,
            "--replications",
            "1",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        let retries = metric(&out, "legacy", "distmgr.retries");
        // First try at 5 min, then every hour until the DP is back: the
        // H-th retry (at about H h 5 min) finds it up.
        assert_eq!(retries, f64::from(hours), "H = {hours}");
        // Each legacy retry re-sends to both children; hotfix sends once.
        assert_eq!(
            metric(&out, "legacy", "sched.jobs_created"),
            2.0 * (1.0 + retries)
        );
        assert_eq!(metric(&out, "hotfix", "sched.jobs_created"), 2.0);
        assert_eq!(metric(&out, "hotfix", "distmgr.retries"), retries);
    }
}

#[test]
fn legacy_jobs_grow_with_child_sites_hotfix_stay_one_set_per_update() {
    let dir = tempfile::tempdir().unwrap();
    let f = small(dir.path(), 10, 12, 6);
    let out = dir.path().join("sweep");
    ok(&[
        "sweep",
        &f,
        "--vary",
        "topology.child_sites=10,40",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    // Run ids: the grid point, then the policy (legacy, hotfix).
    let text = std::fs::read_to_string(out.join("metrics.csv")).unwrap();
    let head: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (metric, value) = (col("metric"), col("value"));
    let get = |run: &str| -> f64 {
        text.lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|c| c[0] == run && c[metric] == "sched.jobs_created")
            .map(|c| c[value].parse().unwrap())
            .unwrap()
    };
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let id = |sites: &str, policy: &str| -> String {
        let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
        let col = header
            .iter()
            .position(|h| *h == "topology.child_sites")
            .unwrap();
        runs.lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|c| c[2] == policy && c[col] == sites)
            .map(|c| c[0].to_string())
            .unwrap()
    };
    let l10 = get(&id("10", "legacy"));
    let l40 = get(&id("40", "legacy"));
    assert!(l40 >= 3.0 * l10, "legacy 10 sites {l10}, 40 sites {l40}");
    assert_eq!(get(&id("10", "hotfix")), 6.0 * 10.0);
    assert_eq!(get(&id("40", "hotfix")), 6.0 * 40.0);
    assert!(l10 > 3.0 * 60.0);
}

#[test]
fn trace_writes_distmgr_and_sched_logs_and_schedule_box_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let f = small(dir.path(), 3, 6, 2);
    let out = dir.path().join("trace");
    ok(&["trace", &f, "--at", "3h", "--out", out.to_str().unwrap()]);
    let log = std::fs::read_to_string(out.join("sites/CEN/Distmgr.log")).unwrap();
    assert!(log.contains("STATMSG: ID=2328"), "{log}");
    assert!(log.contains("STATMSG: ID=2302"));
    assert!(log.contains("STATMSG: ID=2339"));
    assert!(log.contains("Retrying package CEN00001."));
    assert!(log.contains("$$<SMS_DISTRIBUTION_MANAGER><06-03-2002 08:"));
    let sched = std::fs::read_to_string(out.join("sites/CEN/Sched.log")).unwrap();
    assert!(sched.contains("Created job 00000000"), "{sched}");
    // Whatever sits in Schedule.box at 3 h is written as job files.
    let jobs = out.join("sites/CEN/Schedule.box");
    if jobs.is_dir() {
        for e in std::fs::read_dir(&jobs).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                continue;
            }
            assert_eq!(p.extension().unwrap(), "job");
            let t = std::fs::read_to_string(&p).unwrap();
            assert!(t.starts_with("[Job]\nJob ID="), "{t}");
        }
    }
}

#[test]
fn schedule_box_snapshot_lists_the_waiting_jobs() {
    let dir = tempfile::tempdir().unwrap();
    // 3 children at 64 kbit/s and 4 packages of 0.5 MB at once: at 2 min
    // some jobs are sent, others wait or are on the wire.
    let text = r#"{"name":"box","duration_days":0.5,"topology":{"child_sites":3,"clients_per_cap":1},
        "distribution":{"routine":null,"wan_kbit_s":[64]},
        "workload":{"packages":[
          {"package":"A","at":"0s","size_mb":0.5},{"package":"B","at":"0s","size_mb":0.5},
          {"package":"C","at":"0s","size_mb":0.5},{"package":"D","at":"0s","size_mb":0.5}]}}"#;
    let f = dir.path().join("box.json");
    std::fs::write(&f, text).unwrap();
    let out = dir.path().join("trace");
    ok(&[
        "trace",
        f.to_str().unwrap(),
        "--at",
        "150s",
        "--out",
        out.to_str().unwrap(),
    ]);
    let n = std::fs::read_dir(out.join("sites/CEN/Schedule.box"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_file())
        .count();
    let srq = std::fs::read_dir(out.join("sites/CEN/Schedule.box/Outboxes/LAN"))
        .unwrap()
        .count();
    assert_eq!(srq, n, "one send request per job");
    // The snapshot holds exactly the jobs created and not yet sent by then.
    let sched = std::fs::read_to_string(out.join("sites/CEN/Sched.log")).unwrap();
    let before = |l: &&str| {
        l.split("<06-03-2002 ")
            .nth(1)
            .is_some_and(|t| &t[..12] <= "08:02:30.000")
    };
    let created = sched
        .lines()
        .filter(|l| l.starts_with("Created job"))
        .filter(before)
        .count();
    let sent = sched
        .lines()
        .filter(|l| l.contains(" sent to site "))
        .filter(before)
        .count();
    assert!(created > sent && sent > 0, "created {created}, sent {sent}");
    assert_eq!(n, created - sent);
}

#[test]
fn bad_distribution_input_exits_2_with_the_field_path() {
    let s = scenario("package-retry.json");
    for (set, field) in [
        (
            "distribution.dp_outages.0.site=XYZ",
            "distribution.dp_outages.0.site",
        ),
        ("distribution.lan_mbit_s=0", "distribution.lan_mbit_s"),
        (
            "workload.packages.0.size_mb=-1",
            "workload.packages.0.size_mb",
        ),
        ("distribution.max_sendings=0", "distribution.max_sendings"),
    ] {
        let o = smssim(&["validate", s.to_str().unwrap(), "--set", set]);
        assert_eq!(o.status.code(), Some(2), "{set}: {}", describe(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(field), "{set}: {err}");
    }
}

#[test]
fn package_retry_is_byte_identical_for_the_same_seed() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario("package-retry.json");
    let mut outs = Vec::new();
    for k in 0..2 {
        let out = dir.path().join(format!("r{k}"));
        ok(&[
            "run",
            s.to_str().unwrap(),
            "--set",
            "duration_days=2",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        outs.push(out);
    }
    crate::support::assert_same_files(&outs[0], &outs[1], &["metrics.csv", "timeseries.csv"]);
}
