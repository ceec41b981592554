//! One finished run, as the results files see it.

use smssim_model::{Metrics, Series};

/// A finished run.
#[derive(Debug, Clone)]
pub struct RunRecord {
    /// Index of the run in its experiment (stable across shards).
    pub run_id: u32,
    /// Scenario name.
    pub scenario: String,
    /// Policy name (`legacy`, `hotfix`, `legacy+cqmgr_name_algorithm`, …).
    pub policy: String,
    /// Replication number.
    pub replication: u32,
    /// Master seed.
    pub seed: u64,
    /// Values of the varied parameters (`--vary`), in the sweep's key order.
    pub params: Vec<(String, String)>,
    /// Events handled.
    pub events: u64,
    /// Wall-clock seconds the run took.
    pub wall_s: f64,
    /// The run's metrics.
    pub metrics: Metrics,
    /// The run's time series.
    pub series: Series,
}
