//! Fingerprint tests, after OMNeT++'s: a small variant of every shipped
//! scenario runs under `legacy` and `hotfix`, and two hashes are held
//! against the values stored in `sim/tests/fingerprints.txt`:
//!
//! - `events`: FNV-1a over the sequence of (time, subsystem, event kind,
//!   entity) of every event the world lane handled, in order, followed by
//!   the same hash of the status lane's events (`sim.rs`, "two lanes");
//! - `metrics`: FNV-1a over the bytes of the run's `metrics.csv`.
//!
//! Rearranging code must leave both unchanged. When behaviour changes on
//! purpose, rewrite the file and say in the commit which fingerprints moved
//! and why:
//!
//! ```text
//! SMSSIM_BLESS=1 cargo test -p smssim --test integration fingerprint
//! ```

use crate::support::{root, scenario};
use smssim_engine::{Fingerprint, NoProgress};
use smssim_model::{Hierarchy, RunConfig, Trace};
use smssim_results::RunRecord;
use smssim_scenario::{Knob, Override, Policy};
use std::fmt::Write as _;

/// Each shipped scenario, shrunk to a few hundred clients (the overrides)
/// but with its own span, workload and faults.
const VARIANTS: [(&str, &[(&str, &str)]); 8] = [
    ("ccr-retry.json", &[("topology.clients_per_cap", "60")]),
    (
        "hierarchy.json",
        &[
            ("topology.child_sites", "3"),
            ("topology.clients_per_cap", "40"),
        ],
    ),
    (
        "million-clients.json",
        &[
            ("topology.child_sites", "2"),
            ("topology.clients_per_cap", "40"),
        ],
    ),
    (
        "mixed-service-packs.json",
        &[
            ("topology.child_sites", "2"),
            ("topology.clients_per_cap", "60"),
        ],
    ),
    (
        "package-retry.json",
        &[
            ("topology.child_sites", "6"),
            ("topology.grandchild_sites", "2"),
        ],
    ),
    ("rollout.json", &[("topology.clients_per_cap", "30")]),
    ("status-storm.json", &[("topology.clients_per_cap", "400")]),
    (
        "ten-million-clients.json",
        &[
            ("topology.child_sites", "3"),
            ("topology.clients_per_cap", "30"),
        ],
    ),
];

/// Variants also run under `as-scheduled`, which carries out the
/// scenario's `rollout` (the presets ignore it).
const SCHEDULED: [&str; 1] = ["rollout.json"];

/// Variants that reach what the small variants above do not, each run
/// under `legacy` and legacy with one knob: a label, the scenario, its
/// overrides and the knob. `status-storm-dense` puts every client in the
/// scheduled minute within a second on average, so names run out and, with
/// `cqmgr_on_exhausted = requeue`, Copy Queue Manager's wake-up timer
/// retries the requeued items (4,257 of them). `status-storm-cap-outage`
/// takes CAP 1 of three down over the advertisement (its clients fail over
/// to CAP 2) and then every CAP for an hour (items wait for their next copy
/// cycle): Copy Queue Manager's CAP list.
const DENSE: [Dense; 2] = [
    Dense {
        label: "status-storm-dense",
        file: "status-storm.json",
        set: &[
            ("topology.clients_per_cap", "400"),
            ("workload.advertisements.0.same_minute_share", "1"),
            ("workload.advertisements.0.same_minute_delay_mean", "1s"),
        ],
        knob: Knob::CqmgrOnExhausted,
    },
    Dense {
        label: "status-storm-cap-outage",
        file: "status-storm.json",
        set: &[
            ("topology.clients_per_cap", "300"),
            ("topology.caps_per_site", "3"),
            ("workload.advertisements.0.same_minute_share", "1"),
            (
                "status.cap_outages",
                r#"[{"site":"CEN","cap":1,"from":"1h","for":"3h"},
                    {"site":"CEN","from":"125m","for":"1h"}]"#,
            ),
        ],
        knob: Knob::CqmgrOnExhausted,
    },
];

/// A variant run under `legacy` and legacy with `knob`.
struct Dense {
    label: &'static str,
    file: &'static str,
    set: &'static [(&'static str, &'static str)],
    knob: Knob,
}

fn stored_path() -> std::path::PathBuf {
    root().join("sim/tests/fingerprints.txt")
}

/// One line per scenario and policy: `file policy events=… metrics=… n=…`.
fn compute(threads: usize) -> String {
    let mut out = String::from(
        "# Fingerprints of the shipped scenarios' small variants (sim/tests/integration/fingerprint.rs).\n\
         # Rewrite with: SMSSIM_BLESS=1 cargo test -p smssim --test integration fingerprint\n",
    );
    let runs = VARIANTS
        .iter()
        .flat_map(|&(file, set)| {
            let mut runs = vec![(
                file.to_string(),
                file,
                set,
                vec![Policy::legacy(), Policy::hotfix()],
            )];
            if SCHEDULED.contains(&file) {
                runs.push((file.to_string(), file, set, vec![Policy::as_scheduled()]));
            }
            runs
        })
        .chain(DENSE.iter().map(|d| {
            (
                format!("{}[{}]", d.file, d.label),
                d.file,
                d.set,
                vec![Policy::legacy(), Policy::legacy_with(d.knob)],
            )
        }));
    for (label, file, set, policies) in runs {
        let overrides: Vec<Override> = set.iter().map(|(k, v)| Override::new(k, v)).collect();
        let s = smssim_scenario::load(&scenario(file), &overrides)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let h = Hierarchy::build(&s);
        for policy in policies {
            let run = smssim_model::run(
                RunConfig {
                    scenario: &s,
                    hierarchy: &h,
                    policy: &policy,
                    replication: 0,
                    trace: Trace::off(),
                    fingerprint: true,
                    threads,
                },
                &mut NoProgress,
            )
            .unwrap_or_else(|e| panic!("{file} {}: {e}", policy.name));
            let record = RunRecord {
                run_id: 0,
                scenario: s.spec.name.clone(),
                policy: policy.name.clone(),
                replication: 0,
                seed: s.spec.seed,
                params: Vec::new(),
                events: run.events,
                wall_s: 0.0,
                metrics: run.metrics,
                series: run.series,
            };
            let dir = tempfile::tempdir().unwrap();
            smssim_results::write::write_metrics(dir.path(), &[record], &[]).unwrap();
            let mut metrics = Fingerprint::new();
            metrics.bytes(&std::fs::read(dir.path().join("metrics.csv")).unwrap());
            let events = run.fingerprint.expect("asked for");
            writeln!(
                out,
                "{label} {} events={} metrics={} n={}",
                policy.name,
                events.hex(),
                metrics.hex(),
                run.events
            )
            .unwrap();
        }
    }
    out
}

#[test]
fn fingerprints_of_every_shipped_scenario_are_unchanged() {
    let now = compute(1);
    let path = stored_path();
    if std::env::var_os("SMSSIM_BLESS").is_some() {
        std::fs::write(&path, &now).unwrap();
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    if stored != now {
        let diff: Vec<String> = now
            .lines()
            .filter(|l| !stored.lines().any(|s| s == *l))
            .map(|l| format!("  now: {l}"))
            .collect();
        panic!(
            "the fingerprints differ from {}:\n{}\n\
             If the change of behaviour is intended, rewrite them with\n  \
             SMSSIM_BLESS=1 cargo test -p smssim --test integration fingerprint\n\
             and say in the commit which moved and why.",
            path.display(),
            diff.join("\n")
        );
    }
}

/// A run's status lane on a thread of its own gives the same events, in
/// the same order, and the same bytes (`sim.rs`, "two lanes").
#[test]
fn fingerprints_are_the_same_with_the_status_lane_on_its_own_thread() {
    assert_eq!(compute(2), compute(1));
}

#[test]
fn every_shipped_scenario_has_a_fingerprint() {
    let mut files: Vec<String> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    let covered: Vec<String> = VARIANTS.iter().map(|(f, _)| f.to_string()).collect();
    assert_eq!(files, covered, "add a small variant of each new scenario");
}
