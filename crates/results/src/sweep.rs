//! `sweep.csv`: the mean and 95 % interval of each metric per grid point and
//! policy. Written from a sweep's runs, or rebuilt by `merge` from the
//! shards' `runs.csv` and `metrics.csv`, with the same bytes either way.

use crate::record::RunRecord;
use crate::stats::summarize;
use crate::write::{csv_file, num, WriteError};
use std::path::Path;

/// One run as `sweep.csv` needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRun {
    /// The varied values, in the grid's key order.
    pub params: Vec<String>,
    /// The policy.
    pub policy: String,
    /// `(metric, unit, value)` in the run's order.
    pub metrics: Vec<(String, String, f64)>,
}

impl From<&RunRecord> for SweepRun {
    fn from(r: &RunRecord) -> Self {
        SweepRun {
            params: r.params.iter().map(|(_, v)| v.clone()).collect(),
            policy: r.policy.clone(),
            metrics: r
                .metrics
                .rows
                .iter()
                .map(|m| (m.name.to_string(), m.unit.to_string(), m.value))
                .collect(),
        }
    }
}

/// Writes `sweep.csv` into `dir`: one row per grid point, policy and metric,
/// groups in the order of their first run, metrics in the order of the
/// group's first run. `runs` must be in run-id order.
pub fn write_sweep(dir: &Path, params: &[String], runs: &[SweepRun]) -> Result<(), WriteError> {
    csv_file(dir, "sweep.csv", |w| {
        let mut head: Vec<&str> = params.iter().map(String::as_str).collect();
        head.extend(["policy", "metric", "unit", "mean", "ci95", "n"]);
        w.write_record(&head)?;
        let mut groups: Vec<(&[String], &str)> = Vec::new();
        for r in runs {
            let key = (r.params.as_slice(), r.policy.as_str());
            if !groups.contains(&key) {
                groups.push(key);
            }
        }
        for (values, policy) in groups {
            let members: Vec<&SweepRun> = runs
                .iter()
                .filter(|r| r.policy == policy && r.params == values)
                .collect();
            for (name, unit, _) in &members[0].metrics {
                let xs: Vec<f64> = members
                    .iter()
                    .filter_map(|r| r.metrics.iter().find(|m| m.0 == *name).map(|m| m.2))
                    .collect();
                let s = summarize(&xs);
                let mut row: Vec<String> = values.to_vec();
                row.extend([
                    policy.to_string(),
                    name.clone(),
                    unit.clone(),
                    num(s.mean),
                    s.ci95.map_or_else(String::new, num),
                    s.n.to_string(),
                ]);
                w.write_record(&row)?;
            }
        }
        Ok(())
    })
}
