//! Each subsystem's cost on its own: `million-clients.json` scaled to
//! 10,000 clients (two sites) for a week, first with every subsystem idle
//! (the world alone: power, logons, samples), then with one subsystem's
//! default workload switched back on at a time, then all of them.
//! Throughput is in events, so the report reads as events per second; a
//! subsystem's own cost is its case minus `world`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use smssim_benches::run_once;
use smssim_model::Hierarchy;
use smssim_scenario::{Override, Policy, Scenario};
use std::path::PathBuf;
use std::time::Duration;

/// What turns each subsystem's workload off.
const STATUS_OFF: &[(&str, &str)] = &[
    ("status.logon_discovery", "false"),
    ("status.heartbeat_interval", "0"),
    ("status.inventory_interval", "0"),
];
const CCR_OFF: &[(&str, &str)] = &[
    ("ccr.remote_install", "false"),
    ("ccr.new_machines.share", "0"),
];
const DISTRIBUTION_OFF: &[(&str, &str)] = &[("distribution.routine", "null")];

fn scenario(off: &[&[(&str, &str)]]) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios/million-clients.json");
    let mut overrides = vec![
        Override::new("topology.child_sites", "1"),
        Override::new("topology.clients_per_cap", "1000"),
    ];
    overrides.extend(
        off.iter()
            .flat_map(|o| o.iter())
            .map(|(k, v)| Override::new(k, v)),
    );
    smssim_scenario::load(&path, &overrides).expect("the bench scenario is valid")
}

fn subsystems(c: &mut Criterion) {
    let cases: [(&str, Scenario); 5] = [
        ("world", scenario(&[STATUS_OFF, CCR_OFF, DISTRIBUTION_OFF])),
        ("status", scenario(&[CCR_OFF, DISTRIBUTION_OFF])),
        ("ccr", scenario(&[STATUS_OFF, DISTRIBUTION_OFF])),
        ("distribution", scenario(&[STATUS_OFF, CCR_OFF])),
        ("all", scenario(&[])),
    ];
    let mut group = c.benchmark_group("subsystem");
    for (name, s) in &cases {
        let h = Hierarchy::build(s);
        for (pname, policy) in [("legacy", Policy::legacy()), ("hotfix", Policy::hotfix())] {
            group.throughput(Throughput::Elements(run_once(s, &h, &policy)));
            group.bench_function(BenchmarkId::new(*name, pname), |b| {
                b.iter(|| run_once(s, &h, &policy))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = subsystems
}
criterion_main!(benches);
