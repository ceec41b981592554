//! Every input bounded before allocation: files, samples, CAPs, DPs,
//! domains, replications, grids and threads are refused (or clamped) before
//! the memory they would take is asked for. Each case runs under a 1 GiB
//! address-space limit (see `mod.rs`), so an allocation beyond it would
//! abort the case instead of passing.

use super::{check, Case};

const T: (&str, &str) = (
    "t.json",
    r#"{"name":"t","duration_days":1,"topology":{"child_sites":1,"clients_per_cap":10}}"#,
);

#[test]
fn inputs_are_bounded_before_allocation() {
    check(&[
        Case {
            name: "a sample every millisecond",
            files: &[T],
            args: &["run", "t.json", "-q", "--set", "sample_interval=1ms"],
            code: 2,
            says: &["sample_interval: 1ms: expected at least 1s"],
        },
        Case {
            name: "a sample every second for the longest run",
            files: &[T],
            args: &[
                "run",
                "t.json",
                "-q",
                "--set",
                "sample_interval=1s",
                "--set",
                "duration_days=795",
            ],
            code: 2,
            says: &["samples", "raise sample_interval"],
        },
        Case {
            name: "four billion CAPs per site",
            files: &[T],
            args: &[
                "run",
                "t.json",
                "-q",
                "--set",
                "topology.caps_per_site=4294967295",
                "--set",
                "topology.clients_per_cap=0",
            ],
            code: 2,
            says: &["topology.caps_per_site", "at most 4294967295"],
        },
        Case {
            name: "two billion CAPs per site, within the ids",
            files: &[T],
            args: &[
                "run",
                "t.json",
                "-q",
                "--set",
                "topology.caps_per_site=2147483647",
                "--set",
                "topology.clients_per_cap=0",
            ],
            code: 2,
            says: &["needs about", "lower topology.caps_per_site"],
        },
        Case {
            name: "four billion DPs per site",
            files: &[T],
            args: &[
                "run",
                "t.json",
                "-q",
                "--set",
                "topology.dps_per_site=4294967295",
            ],
            code: 2,
            says: &["topology.dps_per_site"],
        },
        Case {
            name: "four billion domains",
            files: &[T],
            args: &[
                "run",
                "t.json",
                "-q",
                "--set",
                "topology.domains=4294967295",
            ],
            code: 2,
            says: &["topology.domains", "at most 65535"],
        },
        Case {
            name: "four billion replications",
            files: &[T],
            args: &["run", "t.json", "-q", "--replications", "4294967295"],
            code: 2,
            says: &["lower --replications"],
        },
        Case {
            name: "four billion replications of two policies (run ids would wrap)",
            files: &[T],
            args: &["compare", "t.json", "-q", "--replications", "4294967295"],
            code: 2,
            says: &["runs"],
        },
        Case {
            name: "a billion clients per CAP",
            files: &[T],
            args: &[
                "run",
                "t.json",
                "-q",
                "--set",
                "topology.clients_per_cap=1000000000",
            ],
            code: 2,
            says: &["needs about"],
        },
        Case {
            name: "a trace of a hierarchy too big for the machine",
            files: &[T],
            args: &[
                "trace",
                "t.json",
                "--set",
                "topology.clients_per_cap=1000000000",
                "-o",
                "tr",
            ],
            code: 2,
            says: &["needs about"],
        },
        Case {
            name: "/dev/zero as the scenario",
            files: &[],
            args: &["validate", "/dev/zero"],
            code: 2,
            says: &["larger than 16 MiB"],
        },
        Case {
            name: "/dev/zero as a policy",
            files: &[T],
            args: &["run", "t.json", "-q", "--policy", "/dev/zero"],
            code: 2,
            says: &["larger than 16 MiB"],
        },
        Case {
            name: "ten thousand jobs",
            files: &[T],
            args: &[
                "run",
                "t.json",
                "-q",
                "--jobs",
                "10000",
                "--set",
                "duration_days=0.05",
            ],
            code: 0,
            says: &[],
        },
        Case {
            name: "a routine package every millisecond",
            files: &[T],
            args: &[
                "validate",
                "t.json",
                "--set",
                "distribution.routine.every=1ms",
            ],
            code: 2,
            says: &["routine.every", "at least 1m"],
        },
    ]);
}

/// A grid of a million points is refused before a million scenarios are
/// loaded (within the 1 GiB limit: loading them took 1.4 GB).
#[test]
fn a_million_point_grid_is_refused_before_loading() {
    let values: Vec<String> = (1..=1000).map(|i| i.to_string()).collect();
    let days: Vec<String> = (1..=1000)
        .map(|i| format!("{}", 1.0 + f64::from(i) / 1000.0))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(T.0), T.1).unwrap();
    let args: Vec<String> = [
        "sweep".to_string(),
        "t.json".into(),
        "-q".into(),
        "--vary".into(),
        format!("seed={}", values.join(",")),
        "--vary".into(),
        format!("duration_days={}", days.join(",")),
    ]
    .to_vec();
    let (code, _, err) = super::run_in(dir.path(), &args);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("grid points"), "{err}");
}
