//! The command line as users meet it: exit codes and error messages.

use crate::support::{describe, scenario, smssim};

#[test]
fn every_shipped_scenario_validates() {
    let dir = crate::support::root().join("scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut args = vec!["validate"];
    args.extend(files.iter().map(String::as_str));
    let o = smssim(&args);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
}

#[test]
fn malformed_json_exits_2_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.json");
    std::fs::write(&f, "{\n  \"name\": \"x\",\n  oops\n}\n").unwrap();
    let o = smssim(&["validate", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.json:3:"), "{err}");
}

#[test]
fn unknown_field_exits_2_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.json");
    std::fs::write(
        &f,
        "{\n  \"name\": \"x\",\n  \"topology\": { \"clients_per_capp\": 3 }\n}\n",
    )
    .unwrap();
    let o = smssim(&["validate", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("topology.clients_per_capp"), "{err}");
    assert!(err.contains("bad.json:3:"), "{err}");
}

#[test]
fn unknown_set_key_exits_2_with_suggestions() {
    let s = scenario("status-storm.json");
    let o = smssim(&[
        "run",
        s.to_str().unwrap(),
        "--set",
        "topology.clients_per_capp=5",
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("nearest valid keys: topology.clients_per_cap"),
        "{err}"
    );
}

#[test]
fn bad_flags_exit_2() {
    let s = scenario("status-storm.json");
    let s = s.to_str().unwrap();
    for args in [
        vec!["run", s, "--policy", "nonsense"],
        vec!["run", s, "--replications", "0"],
        vec!["sweep", s, "--vary", "topology.clients_per_cap", "--quiet"],
        vec![
            "sweep", s, "--vary", "seed=1,2", "--shard", "3/2", "--quiet",
        ],
        vec!["trace", s, "--client", "PC999999999", "--out", "/tmp/none"],
        vec!["run", "/no/such/scenario.json"],
    ] {
        let o = smssim(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", describe(&o));
        assert!(!o.stderr.is_empty());
    }
}

#[test]
fn schema_prints_a_json_schema() {
    let o = smssim(&["schema"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["$schema"].as_str().unwrap().contains("json-schema.org"));
    assert!(v["properties"]["topology"].is_object());
}

#[test]
fn schema_policy_prints_the_policy_file_schema() {
    let o = smssim(&["schema", "--policy"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["properties"]["cqmgr_max_retries"]["maximum"], 1000);
    assert_eq!(v["properties"]["max_retries"]["deprecated"], true);
}

#[test]
fn policy_files_are_checked_and_old_names_get_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario("status-storm.json");
    let s = s.to_str().unwrap();
    let run = |name: &str, text: &str| {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        let out = dir.path().join(format!("{name}.out"));
        smssim(&[
            "run",
            s,
            "--policy",
            f.to_str().unwrap(),
            "--set",
            "topology.clients_per_cap=5",
            "--set",
            "duration_days=0.1",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    // The README's file from before the knobs were renamed still works.
    let o = run(
        "old.json",
        r#"{"base": "legacy", "name_algorithm": "unique"}"#,
    );
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("note: ")
            && err.contains("old.json: name_algorithm is the old name of cqmgr_name_algorithm"),
        "{err}"
    );
    let o = run("big.json", "{\n  \"cqmgr_max_retries\": 60001\n}\n");
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("big.json:2:") && err.contains("cqmgr_max_retries: 60001 is out of range"),
        "{err}"
    );
    let o = run("typo.json", r#"{"cqmgr_max_retrys": 3}"#);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean cqmgr_max_retries?"));
}

#[test]
fn a_site_that_is_its_own_parent_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("loop.json");
    std::fs::write(
        &f,
        r#"{"name":"t","topology":{"sites":[{"code":"CEN"},{"code":"CEN","parent":"CEN"}]}}"#,
    )
    .unwrap();
    let o = smssim(&["validate", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("topology.sites.1.code"), "{err}");
}

#[test]
fn a_scenario_too_big_for_the_machine_is_valid_but_not_run() {
    let total = std::fs::read_to_string("/proc/meminfo").ok().and_then(|t| {
        let line = t.lines().find(|l| l.starts_with("MemTotal:"))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok()
    });
    // 2,000,000,000 clients need about 545 GB: refused unless the machine
    // has more than 1.09 TB (then this test has nothing to show).
    let Some(kb) = total.filter(|kb| *kb < 1_000_000_000) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("big.json");
    std::fs::write(
        &f,
        r#"{"name":"big","duration_days":1,"topology":{"child_sites":1,"clients_per_cap":1000000000}}"#,
    )
    .unwrap();
    let o = smssim(&["validate", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let out = dir.path().join("out");
    let o = smssim(&[
        "run",
        f.to_str().unwrap(),
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("2000000000 clients need about")
            && err.contains(&format!("this machine's {} MiB", kb / 1024))
            && err.contains("lower topology.clients_per_cap"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn compare_writes_the_five_files() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario("status-storm.json");
    let o = smssim(&[
        "compare",
        s.to_str().unwrap(),
        "--set",
        "topology.clients_per_cap=20",
        "--set",
        "duration_days=0.5",
        "--replications",
        "1",
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    for f in [
        "runs.csv",
        "metrics.csv",
        "compare.csv",
        "timeseries.csv",
        "manifest.json",
    ] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
    let compare = std::fs::read_to_string(dir.path().join("compare.csv")).unwrap();
    assert!(compare.starts_with(
        "scenario,metric,unit,legacy_mean,legacy_ci95,hotfix_mean,hotfix_ci95,change_pct\n"
    ));
    // No temporary files are left behind.
    for e in std::fs::read_dir(dir.path()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(!name.starts_with('.'), "leftover {name}");
    }
}

#[test]
fn missing_file_exits_2_with_the_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("absent.json");
    for cmd in ["validate", "run"] {
        let o = smssim(&[cmd, f.to_str().unwrap(), "--quiet"][..if cmd == "run" { 3 } else { 2 }]);
        assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("absent.json: cannot read the scenario file"),
            "{err}"
        );
        assert_eq!(err.matches("os error 2").count(), 1, "{err}");
    }
}

#[test]
fn plot_draws_time_series_and_sweep_curves() {
    let out = tempfile::tempdir().unwrap();
    let s = scenario("status-storm.json");
    let o = smssim(&[
        "sweep",
        s.to_str().unwrap(),
        "--vary",
        "topology.clients_per_cap=10,20",
        "--policy",
        "legacy",
        "--policy",
        "hotfix",
        "--set",
        "duration_days=0.2",
        "--quiet",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let charts = out.path().join("charts");
    let o = smssim(&[
        "plot",
        out.path().to_str().unwrap(),
        "--out",
        charts.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let series = std::fs::read_to_string(charts.join("clients.powered_on.svg")).unwrap();
    assert!(series.contains("<polyline") && series.contains(">simulated time (hours)<"));
    let curve = std::fs::read_to_string(charts.join("sweep").join("clients.count.svg")).unwrap();
    assert!(curve.contains(">clients per cap</text>"), "{curve}");
    // One marker per grid point and policy: legacy's circles, hotfix's
    // triangles, and one of each in the legend.
    assert_eq!(curve.matches("<circle").count(), 3, "{curve}");
    assert!(curve.matches("<polygon points=\"").count() >= 3, "{curve}");

    let empty = tempfile::tempdir().unwrap();
    let o = smssim(&["plot", empty.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
}

#[test]
fn compare_summary_leads_with_what_the_hotfixes_change() {
    let out = tempfile::tempdir().unwrap();
    let s = scenario("status-storm.json");
    let o = smssim(&[
        "compare",
        s.to_str().unwrap(),
        "--replications",
        "1",
        "--set",
        "topology.caps_per_site=1",
        "--set",
        "workload.advertisements.0.same_minute_share=1",
        "--set",
        "duration_days=0.5",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    let head = text
        .find("What the hotfixes change")
        .expect("headline block");
    let lost = text
        .find("Q323627 status messages lost")
        .expect("a headline line");
    let table = text.find("metric ").expect("full table");
    assert!(head < lost && lost < table, "{text}");
    assert!(text.contains("-100%"), "{text}");
}

#[test]
fn completions_and_manual_pages_are_printed() {
    let o = smssim(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let script = String::from_utf8_lossy(&o.stdout);
    assert!(script.contains("_smssim()"), "{script}");
    for sub in ["compare", "sweep", "merge", "trace", "metrics"] {
        assert!(script.contains(sub), "bash completion lacks {sub}");
    }
    let o = smssim(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.contains(".TH smssim 1"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    let o = smssim(&["man", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(dir.path().join("smssim-compare.1").exists());
}

#[test]
fn every_help_names_its_defaults_and_an_example() {
    for sub in [
        "run", "compare", "sweep", "merge", "validate", "trace", "plot", "report", "metrics",
    ] {
        let o = smssim(&[sub, "--help"]);
        let help = String::from_utf8_lossy(&o.stdout);
        assert!(
            help.contains("Example"),
            "smssim {sub} --help has no example:\n{help}"
        );
        assert!(!help.contains("(default legacy) [default"), "{help}");
    }
    let o = smssim(&["compare", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("3 for compare"), "{help}");
}
