//! `compare --policy A --policy B`: any two policies into `compare.csv`,
//! its columns named after them, and the folder's charts and report.

use crate::support::{describe, files_under, scenario, smssim};
use std::collections::BTreeMap;
use std::path::Path;

/// A small status storm: one CAP, 300 clients, half a day.
const SMALL: [&str; 6] = [
    "--set",
    "topology.clients_per_cap=300",
    "--set",
    "duration_days=0.5",
    "--set",
    "workload.advertisements.0.same_minute_share=1",
];

fn compare(out: &Path, policies: &[&str]) -> std::process::Output {
    let s = scenario("status-storm.json");
    let mut args = vec!["compare", s.to_str().unwrap()];
    args.extend(SMALL);
    args.extend(["--replications", "2", "--quiet", "--out"]);
    args.push(out.to_str().unwrap());
    for p in policies {
        args.extend(["--policy", p]);
    }
    smssim(&args)
}

/// The header and `metric -> fields` of a `compare.csv`.
fn table(dir: &Path) -> (String, BTreeMap<String, Vec<String>>) {
    let text = std::fs::read_to_string(dir.join("compare.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let rows = lines
        .map(|l| {
            let f: Vec<String> = l.split(',').map(String::from).collect();
            (f[1].clone(), f)
        })
        .collect();
    (header, rows)
}

#[test]
fn two_policies_name_the_columns_and_keep_common_random_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("ten.json");
    std::fs::write(
        &file,
        r#"{"name": "ten-retries", "base": "legacy", "cqmgr_max_retries": 10}"#,
    )
    .unwrap();
    let default = tmp.path().join("default");
    let o = compare(&default, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let custom = tmp.path().join("custom");
    let o = compare(&custom, &["hotfix", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));

    let (h, d) = table(&default);
    assert_eq!(
        h,
        "scenario,metric,unit,legacy_mean,legacy_ci95,hotfix_mean,hotfix_ci95,change_pct"
    );
    let (h, c) = table(&custom);
    assert_eq!(
        h,
        "scenario,metric,unit,hotfix_mean,hotfix_ci95,ten-retries_mean,ten-retries_ci95,change_pct"
    );
    // Same seed, same replications: hotfix's columns are the same numbers
    // whichever side of the comparison it is on.
    assert_eq!(d.len(), c.len());
    for (metric, row) in &c {
        if metric == "sim.events" || metric.starts_with("sim.") {
            continue;
        }
        assert_eq!(row[3..5], d[metric][5..7], "{metric}");
    }
    // Ten retries with clock-seeded names lose more than hotfix's none.
    let lost: f64 = c["status.lost"][5].parse().unwrap();
    assert!(lost > 0.0, "{:?}", c["status.lost"]);
    assert_eq!(c["status.lost"][3], "0");

    // Charts and the report read the pair by its names.
    let plots = tmp.path().join("plots");
    let o = smssim(&[
        "plot",
        custom.to_str().unwrap(),
        "--out",
        plots.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let bars = svgs(&plots.join("compare"));
    assert!(!bars.is_empty());
    for svg in &bars {
        assert!(svg.contains("ten-retries"), "{svg}");
        assert!(svg.contains("change from hotfix."), "{svg}");
    }
    // The time series draw both policies too.
    assert!(svgs(&plots)
        .iter()
        .any(|s| s.contains("ten-retries") && !bars.contains(s)));
    let page = tmp.path().join("report.html");
    let o = smssim(&[
        "report",
        custom.to_str().unwrap(),
        "--out",
        page.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("What changes from hotfix to ten-retries"),
        "{html}"
    );
    assert!(html.contains("<th>ten-retries (mean ± 95 % CI)</th>"));
    assert!(html.contains("hotfix against ten-retries"));
    assert!(!html.contains("What the hotfixes change"));
}

/// The text of every SVG under `dir`.
fn svgs(dir: &Path) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .map(|p| std::fs::read_to_string(&p).unwrap())
        .collect()
}

#[test]
fn legacy_then_hotfix_is_the_default_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(compare(&a, &[]).status.code(), Some(0));
    let o = compare(&b, &["legacy", "hotfix"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    crate::support::assert_same_files(&a, &b, &["compare.csv", "metrics.csv", "timeseries.csv"]);
    // The other order swaps the columns.
    let c = tmp.path().join("c");
    assert_eq!(compare(&c, &["hotfix", "legacy"]).status.code(), Some(0));
    let (h, _) = table(&c);
    assert!(h.starts_with("scenario,metric,unit,hotfix_mean,hotfix_ci95,legacy_mean"));
}

#[test]
fn one_three_or_the_same_policy_twice_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for (policies, says) in [
        (&["hotfix"][..], "--policy given 1 time (hotfix)"),
        (
            &["legacy", "hotfix", "legacy"][..],
            "--policy given 3 times (legacy, hotfix, legacy)",
        ),
        (
            &["hotfix", "hotfix"][..],
            "a policy named \"hotfix\" is already given",
        ),
        (&["legacy", "nonesuch"][..], "\"nonesuch\""),
    ] {
        let o = compare(&out, policies);
        assert_eq!(o.status.code(), Some(2), "{policies:?}: {}", describe(&o));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{policies:?}: {err}");
        assert!(!out.exists(), "{policies:?} wrote a folder");
    }
    let s = scenario("status-storm.json");
    let o = smssim(&[
        "compare",
        s.to_str().unwrap(),
        "--ablation",
        "--policy",
        "hotfix",
        "--policy",
        "legacy",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--ablation"), "{err}");
}
