//! Whole runs of shipped scenarios, scaled down so that one run takes a
//! fraction of a second: the cost of the full event path (world, every
//! subsystem, metrics) per simulated client-day, under both presets.
//!
//! The full-size runs (100,000 and 1,000,000 clients for a week) are timed
//! in release mode by `smssim run` and recorded in `docs/performance.md`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use smssim_benches::run_once;
use smssim_model::Hierarchy;
use smssim_scenario::{Override, Policy};
use std::path::PathBuf;
use std::time::Duration;

/// (scenario file, overrides that scale it down)
const CASES: &[(&str, &[(&str, &str)])] = &[
    (
        "status-storm.json",
        &[("topology.clients_per_cap", "500"), ("duration_days", "1")],
    ),
    ("ccr-retry.json", &[("topology.clients_per_cap", "250")]),
    ("package-retry.json", &[("duration_days", "3")]),
    (
        "mixed-service-packs.json",
        &[("topology.clients_per_cap", "250")],
    ),
    (
        "hierarchy.json",
        &[
            ("topology.child_sites", "10"),
            ("topology.clients_per_cap", "250"),
        ],
    ),
];

fn scenarios_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

fn runs(c: &mut Criterion) {
    let mut group = c.benchmark_group("run");
    for (file, sets) in CASES {
        let overrides: Vec<Override> = sets.iter().map(|(k, v)| Override::new(k, v)).collect();
        let scenario = smssim_scenario::load(&scenarios_dir().join(file), &overrides)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let hierarchy = Hierarchy::build(&scenario);
        let client_days = hierarchy.clients.len() as f64 * scenario.spec.duration_days;
        group.throughput(Throughput::Elements(client_days as u64));
        for (pname, policy) in [("legacy", Policy::legacy()), ("hotfix", Policy::hotfix())] {
            let id = BenchmarkId::new(file.trim_end_matches(".json"), pname);
            group.bench_function(id, |b| b.iter(|| run_once(&scenario, &hierarchy, &policy)));
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    targets = runs
}
criterion_main!(benches);
