//! Whole runs of random small hierarchies under random policy mixes: every
//! subsystem's conservation law holds (a broken one fails the run), and the
//! same inputs give the same metrics and series.

use crate::{run, Hierarchy, RunConfig, Trace};
use proptest::prelude::*;
use smssim_engine::NoProgress;
use smssim_scenario::policy::Knob;
use smssim_scenario::Policy;

#[derive(Debug, Clone)]
struct Case {
    child_sites: u32,
    grandchild_sites: u32,
    caps: u32,
    clients_per_cap: u32,
    overlap: f64,
    days: f64,
    ad_hour: u32,
    same_minute: f64,
    dp_down_h: Option<u32>,
    packages: u32,
    new_share: f64,
    deny_share: f64,
    rollout: bool,
    knobs: Vec<bool>,
    seed: u64,
}

fn case() -> impl Strategy<Value = Case> {
    (
        (0u32..4, 0u32..3, 1u32..3, 1u32..40, 0.0..0.5f64, 1u32..4),
        (
            0u32..60,
            0.0..=1.0f64,
            proptest::option::of(1u32..30),
            0u32..4,
        ),
        (
            0.0..0.5f64,
            0.0..0.3f64,
            any::<bool>(),
            knobs(),
            any::<u64>(),
        ),
    )
        .prop_map(|(a, b, c)| Case {
            child_sites: a.0,
            grandchild_sites: a.1.min(a.0),
            caps: a.2,
            clients_per_cap: a.3,
            overlap: a.4,
            days: f64::from(a.5),
            ad_hour: b.0 % (24 * a.5),
            same_minute: b.1,
            dp_down_h: b.2,
            packages: b.3,
            new_share: c.0,
            deny_share: c.1,
            rollout: c.2,
            knobs: c.3,
            seed: c.4 >> 1,
        })
}

fn scenario_text(c: &Case) -> String {
    let packages: Vec<String> = (0..c.packages)
        .map(|i| {
            format!(
                r#"{{"package": "P{i}", "at": "{}h", "size_mb": {}}}"#,
                1 + 3 * i,
                1 + i
            )
        })
        .collect();
    let outage = c
        .dp_down_h
        .map(|h| {
            format!(
                r#""dp_outages": [{{"site": "CEN", "dp": 0, "from": "30m", "duration": "{h}h"}}]"#
            )
        })
        .unwrap_or_default();
    let rollout = if c.rollout {
        r#", "version": "sp1", "rollout": {"start": "6h", "every": "5h", "to": "sp2"}"#
    } else {
        ""
    };
    format!(
        r#"{{
  "name": "random", "seed": {seed}, "duration_days": {days}, "sample_interval": "2h",
  "topology": {{"child_sites": {cs}, "grandchild_sites": {gs}, "caps_per_site": {caps},
    "clients_per_cap": {cpc}, "clients_per_subnet": 5, "overlap_share": {ov}{rollout}}},
  "ccr": {{"new_machines": {{"share": {ns}, "arrive_over": "1d"}},
    "faults": {{"access_denied": [{{"share": {ds}, "from": "2h", "until": "20h"}}]}}}},
  "distribution": {{{outage}}},
  "workload": {{
    "advertisements": [{{"id": "CEN20001", "at": "{ah}h", "same_minute_share": {sm}}}],
    "packages": [{pk}]
  }}
}}"#,
        seed = c.seed,
        days = c.days,
        cs = c.child_sites,
        gs = c.grandchild_sites,
        caps = c.caps,
        cpc = c.clients_per_cap,
        ov = c.overlap,
        ns = c.new_share,
        ds = c.deny_share,
        ah = c.ad_hour,
        sm = c.same_minute,
        pk = packages.join(", "),
    )
}

/// One bool per knob, in [`Knob::ALL`] order: whether it takes the hotfix's
/// value.
fn knobs() -> impl Strategy<Value = Vec<bool>> {
    proptest::collection::vec(any::<bool>(), Knob::ALL.len())
}

/// Legacy with the hotfix's value of each knob whose entry is true (entry
/// `i` for `Knob::ALL[i]`), named after them (`mix010011`).
fn policy(knobs: &[bool]) -> Policy {
    let mut p = Knob::ALL
        .into_iter()
        .zip(knobs)
        .filter(|&(_, &on)| on)
        .fold(Policy::legacy(), |p, (k, _)| p.with_hotfix(k));
    p.name = knobs
        .iter()
        .fold("mix".to_string(), |n, &on| n + if on { "1" } else { "0" });
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_hierarchies_conserve_and_repeat(c in case()) {
        let text = scenario_text(&c);
        let scenario = smssim_scenario::load_str(&text, "random.json", &[])
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let hierarchy = Hierarchy::build(&scenario);
        let policy = policy(&c.knobs);
        // Once with the status lane called inline, once on its own thread:
        // the same run (sim.rs, "two lanes").
        let go = |threads| {
            run(
                RunConfig {
                    scenario: &scenario,
                    hierarchy: &hierarchy,
                    policy: &policy,
                    replication: 1,
                    trace: Trace::off(),
                    fingerprint: false,
                    threads,
                },
                &mut NoProgress,
            )
        };
        let a = go(1).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let b = go(2).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(format!("{:?}", a.metrics), format!("{:?}", b.metrics));
        prop_assert_eq!(format!("{:?}", a.series), format!("{:?}", b.series));
        prop_assert_eq!(a.events, b.events);
    }
}

const BUDGET: &str = "event budget spent";

/// Stops a run (by unwinding) once it has handled 300,000 events.
struct Budget;

impl smssim_engine::Progress for Budget {
    fn every_events(&self) -> u64 {
        1 << 14
    }
    fn report(&mut self, _now: u64, _horizon: u64, events: u64) {
        if events > 300_000 {
            std::panic::panic_any(BUDGET);
        }
    }
}

const VALUES: [&str; 12] = [
    "0", "1", "2", "0.5", "0.99", "-1", "\"1s\"", "\"0s\"", "\"30d\"", "\"sp2\"", "true", "[]",
];

/// The shipped scenario files' text, read once for every case.
fn shipped() -> &'static [String] {
    static FILES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("scenarios/ exists")
            .map(|e| e.expect("readable entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("readable scenario"))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever value `--set` puts at whatever path of a shipped scenario
    /// (shrunk to a few hundred clients), the result is a
    /// validation error or a run that completes with its conservation laws
    /// holding — never a panic.
    #[test]
    fn any_valid_override_runs(file in 0usize..64, path in any::<usize>(), value in 0usize..VALUES.len(), knobs in knobs()) {
        use smssim_scenario::Override;
        let files = shipped();
        let text = &files[file % files.len()];
        let shrink = [
            Override::new("topology.child_sites", "2"),
            Override::new("topology.grandchild_sites", "0"),
            Override::new("topology.clients_per_cap", "20"),
        ];
        let Ok(base) = smssim_scenario::load_str(text, "shipped.json", &shrink) else {
            // Some shipped files name sites or times the shrunk run lacks.
            return Ok(());
        };
        let spec = serde_json::to_value(&base.spec).expect("a spec serialises");
        let paths = smssim_scenario::paths(&spec);
        let key = &paths[path % paths.len()];
        let mut all = shrink.to_vec();
        all.push(Override::new(key, VALUES[value]));
        let Ok(scenario) = smssim_scenario::load_str(text, "shipped.json", &all) else {
            return Ok(());
        };
        prop_assume!(scenario.client_count() <= 2_000);
        let hierarchy = Hierarchy::build(&scenario);
        let policy = policy(&knobs);
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run(
                // Two lanes: the budget's unwinding from the world lane must
                // also end the status lane's thread.
                RunConfig { scenario: &scenario, hierarchy: &hierarchy, policy: &policy, replication: 0, trace: Trace::off(), fingerprint: false, threads: 2 },
                &mut Budget,
            )
        }));
        let out = match out {
            Ok(out) => out,
            // Valid but costly (inventory every 2 seconds, say): not this test's business.
            Err(p) if p.downcast_ref::<&str>() == Some(&BUDGET) => return Ok(()),
            Err(p) => std::panic::resume_unwind(p),
        };
        prop_assert!(out.is_ok(), "--set {}={}: {}", key, VALUES[value], out.err().map(|e| e.to_string()).unwrap_or_default());
    }
}

/// Unwinds from the world lane at its first progress report.
struct Stop;

impl smssim_engine::Progress for Stop {
    fn every_events(&self) -> u64 {
        1
    }
    fn report(&mut self, _now: u64, _horizon: u64, _events: u64) {
        std::panic::panic_any(BUDGET);
    }
}

/// A panic on the world lane (here from the progress callback) ends the
/// status lane's thread too, and reaches the caller: the run neither hangs
/// nor loses the panic.
#[test]
fn a_panic_on_the_world_lane_ends_the_run_on_two_threads() {
    let scenario = smssim_scenario::load_str(
        &shipped()[0],
        "shipped.json",
        &[smssim_scenario::Override::new(
            "topology.clients_per_cap",
            "20",
        )],
    )
    .expect("a shipped scenario loads");
    let policy = Policy::legacy();
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::testbed::run_with(&scenario, &policy, 2, &mut Stop)
    }));
    let panic = out.expect_err("the progress callback panics");
    assert_eq!(panic.downcast_ref::<&str>(), Some(&BUDGET));
}
