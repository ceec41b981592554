//! `smssim metrics` is the dictionary of the results files: every metric
//! and series a run writes is in it, with the unit the files use.

use crate::support::{describe, read, scenario, smssim};

#[test]
fn metrics_lists_every_metric_and_series_compare_writes() {
    let out = tempfile::tempdir().unwrap();
    let s = scenario("hierarchy.json");
    let o = smssim(&[
        "compare",
        s.to_str().unwrap(),
        "--replications",
        "1",
        "--quiet",
        "--set",
        "topology.child_sites=2",
        "--set",
        "topology.clients_per_cap=30",
        "--set",
        "duration_days=2",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let cat = smssim(&["metrics", "--format", "csv"]);
    assert_eq!(cat.status.code(), Some(0), "{}", describe(&cat));
    let mut r = csv::Reader::from_reader(cat.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let declared = |kind: &str, name: &str| {
        rows.iter().find(|row| {
            row[1] == *kind
                && (row[0] == *name
                    || row[0]
                        .strip_suffix("<CODE>")
                        .is_some_and(|p| name.starts_with(p)))
        })
    };
    for row in rows.iter() {
        assert!(!row[2].is_empty() && !row[6].is_empty(), "{row:?}");
    }
    let metrics = String::from_utf8(read(&out.path().join("metrics.csv"))).unwrap();
    let mut m = csv::Reader::from_reader(metrics.as_bytes());
    let mut n = 0;
    for row in m.records().map(Result::unwrap) {
        let (name, unit) = (&row[5], &row[7]);
        let d =
            declared("metric", name).unwrap_or_else(|| panic!("{name} is not in the catalogue"));
        assert_eq!(&d[2], unit, "{name}");
        n += 1;
    }
    assert!(n > 80, "{n} metric rows");
    let series = String::from_utf8(read(&out.path().join("timeseries.csv"))).unwrap();
    let mut t = csv::Reader::from_reader(series.as_bytes());
    for row in t.records().map(Result::unwrap) {
        assert!(
            declared("series", &row[3]).is_some(),
            "{} is not in the catalogue",
            &row[3]
        );
    }
    for format in ["table", "json"] {
        let o = smssim(&["metrics", "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("status.lost"));
    }
}
