//! Experiments: which runs an invocation makes, and making them.
//!
//! An experiment is a grid of *points* (one per combination of `--vary`
//! values; one point without `--vary`) × policies × replications. Runs are
//! numbered point-major, then policy, then replication; a run's random
//! streams depend only on the scenario seed and its replication, so legacy
//! and hotfix runs of one replication share every draw a policy does not
//! change, and a shard (`--shard I/N` keeps runs whose id `% N == I`)
//! produces exactly the rows of the unsharded experiment.
#![deny(missing_docs)]

use rayon::prelude::*;
use smssim_engine::SimTime;
use smssim_model::{Hierarchy, RunConfig, RunError, Trace};
use smssim_results::RunRecord;
use smssim_scenario::{Override, Policy, Scenario, ScenarioError};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to run.
#[derive(Debug, Clone)]
pub struct Experiment {
    /// The scenario file.
    pub scenario: PathBuf,
    /// `--set` overrides (and `--seed`), applied to every point.
    pub overrides: Vec<Override>,
    /// Policies, in output order.
    pub policies: Vec<Policy>,
    /// Replications per point and policy.
    pub replications: u32,
    /// Sweep axes: a key and its values.
    pub vary: Vec<(String, Vec<String>)>,
    /// Keep only runs with `run_id % n == i`.
    pub shard: Option<(u32, u32)>,
}

/// One point of the grid, loaded and validated.
#[derive(Debug)]
pub struct Point {
    /// The varied keys and their values at this point.
    pub params: Vec<(String, String)>,
    /// The scenario at this point.
    pub scenario: Scenario,
}

/// One run to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedRun {
    /// Index in the experiment.
    pub run_id: u32,
    /// Grid point.
    pub point: usize,
    /// Index into the policies.
    pub policy: usize,
    /// Replication.
    pub replication: u32,
}

/// An experiment, loaded: every point validated before anything runs.
#[derive(Debug)]
pub struct Plan {
    /// The grid points.
    pub points: Vec<Point>,
    /// The policies.
    pub policies: Vec<Policy>,
    /// The runs this invocation makes (after sharding).
    pub runs: Vec<PlannedRun>,
    /// Total runs of the unsharded experiment.
    pub total_runs: u32,
}

/// A run failed.
#[derive(Debug, thiserror::Error)]
#[error("run {run_id} ({policy}, replication {replication}) failed: {source}")]
pub struct ExperimentError {
    /// The run.
    pub run_id: u32,
    /// Its policy.
    pub policy: String,
    /// Its replication.
    pub replication: u32,
    /// Why.
    pub source: RunError,
}

/// Receives progress from runs in flight (from several threads).
pub trait ProgressSink: Sync {
    /// Virtual time advanced by `ms` in some run.
    fn advance(&self, ms: u64);
    /// A run finished.
    fn run_done(&self) {}
}

/// A sink that ignores progress.
pub struct Silent;
impl ProgressSink for Silent {
    fn advance(&self, _: u64) {}
}

struct RunProgress<'a> {
    sink: &'a dyn ProgressSink,
    last: SimTime,
}

impl smssim_engine::Progress for RunProgress<'_> {
    fn report(&mut self, now: SimTime, _horizon: SimTime, _events: u64) {
        if now > self.last {
            self.sink.advance(now - self.last);
            self.last = now;
        }
    }
}

impl Experiment {
    /// Loads and validates every point, and lists the runs.
    pub fn plan(&self) -> Result<Plan, ScenarioError> {
        let mut grid: Vec<Vec<(String, String)>> = vec![Vec::new()];
        for (key, values) in &self.vary {
            grid = grid
                .into_iter()
                .flat_map(|p| {
                    values.iter().map(move |v| {
                        let mut q = p.clone();
                        q.push((key.clone(), v.clone()));
                        q
                    })
                })
                .collect();
        }
        let mut points = Vec::with_capacity(grid.len());
        for params in grid {
            let mut ov = self.overrides.clone();
            ov.extend(params.iter().map(|(k, v)| Override::new(k, v)));
            let scenario = smssim_scenario::load(Path::new(&self.scenario), &ov)?;
            points.push(Point { params, scenario });
        }
        let mut runs = Vec::new();
        let mut id = 0u32;
        for point in 0..points.len() {
            for policy in 0..self.policies.len() {
                for replication in 0..self.replications {
                    let keep = self.shard.is_none_or(|(i, n)| id % n == i);
                    if keep {
                        runs.push(PlannedRun {
                            run_id: id,
                            point,
                            policy,
                            replication,
                        });
                    }
                    id += 1;
                }
            }
        }
        Ok(Plan {
            points,
            policies: self.policies.clone(),
            runs,
            total_runs: id,
        })
    }
}

impl Plan {
    /// Virtual milliseconds this invocation will simulate, for progress.
    pub fn total_ms(&self) -> u64 {
        self.runs
            .iter()
            .map(|r| self.points[r.point].scenario.horizon)
            .sum()
    }

    /// Makes the runs, each point's in parallel, and returns their records
    /// in run-id order.
    pub fn execute(&self, sink: &dyn ProgressSink) -> Result<Vec<RunRecord>, ExperimentError> {
        let mut out = Vec::with_capacity(self.runs.len());
        for (p, point) in self.points.iter().enumerate() {
            let runs: Vec<PlannedRun> =
                self.runs.iter().copied().filter(|r| r.point == p).collect();
            if runs.is_empty() {
                continue;
            }
            let hierarchy = Hierarchy::build(&point.scenario);
            let records: Vec<Result<RunRecord, ExperimentError>> = runs
                .par_iter()
                .map(|r| self.run_one(r, point, &hierarchy, sink))
                .collect();
            for r in records {
                out.push(r?);
            }
        }
        Ok(out)
    }

    fn run_one(
        &self,
        r: &PlannedRun,
        point: &Point,
        hierarchy: &Hierarchy,
        sink: &dyn ProgressSink,
    ) -> Result<RunRecord, ExperimentError> {
        let policy = &self.policies[r.policy];
        let started = Instant::now();
        let mut progress = RunProgress { sink, last: 0 };
        let output = smssim_model::run(
            RunConfig {
                scenario: &point.scenario,
                hierarchy,
                policy,
                replication: r.replication,
                trace: Trace::off(),
                fingerprint: false,
            },
            &mut progress,
        )
        .map_err(|source| ExperimentError {
            run_id: r.run_id,
            policy: policy.name.clone(),
            replication: r.replication,
            source,
        })?;
        sink.run_done();
        Ok(RunRecord {
            run_id: r.run_id,
            scenario: point.scenario.spec.name.clone(),
            policy: policy.name.clone(),
            replication: r.replication,
            seed: point.scenario.spec.seed,
            params: point.params.clone(),
            events: output.events,
            wall_s: started.elapsed().as_secs_f64(),
            metrics: output.metrics,
            series: output.series,
        })
    }
}
