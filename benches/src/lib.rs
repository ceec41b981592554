//! Criterion benchmarks for smssim; the code is in `benches/`:
//!
//! - `queue`: the classic hold model over each future-event queue at 1e3,
//!   1e5 and 1e6 pending events (`cargo bench -p smssim-benches --bench queue`).
//! - `run`: whole simulation runs of small shipped scenarios
//!   (`cargo bench -p smssim-benches --bench run`).
//! - `subsystems`: the world alone, then each subsystem's workload on top
//!   of it, in events per second (`--bench subsystems`).
//! - `streams`: opening a random stream and drawing from it, the
//!   generator in use against the one it replaced (`--bench streams`).
//!
//! `docs/performance.md` records the results and the choices made from them.

use smssim_engine::NoProgress;
use smssim_model::{run, Hierarchy, RunConfig, Trace};
use smssim_scenario::{Policy, Scenario};

/// One whole run of replication 0, untraced; its event count.
pub fn run_once(scenario: &Scenario, hierarchy: &Hierarchy, policy: &Policy) -> u64 {
    let cfg = RunConfig {
        scenario,
        hierarchy,
        policy,
        replication: 0,
        trace: Trace::off(),
        fingerprint: false,
        threads: 1,
    };
    run(cfg, &mut NoProgress).expect("run completes").events
}
