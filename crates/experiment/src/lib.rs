//! Experiments: which runs an invocation makes, and making them.
//!
//! An experiment is a grid of *points* (one per combination of `--vary`
//! values; one point without `--vary`) × policies × replications. Runs are
//! numbered point-major, then policy, then replication; a run's random
//! streams depend only on the scenario seed and its replication, so legacy
//! and hotfix runs of one replication share every draw a policy does not
//! change, and a shard (`--shard I/N` keeps runs whose id `% N == I`)
//! produces exactly the rows of the unsharded experiment.
//!
//! Planning also refuses a point this machine cannot hold
//! ([`check_memory`]): a scenario file is valid or not whatever the machine,
//! but whether to run it here is the planner's question.
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

/// Why an experiment could not be planned; every cause is the user's input
/// (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A point's scenario is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A point's scenario needs more memory than this machine has.
    #[error(transparent)]
    Memory(#[from] MemoryError),
}

/// Bytes of memory a client costs across the model (measured on the
/// million-client scenario, rounded up); used for the memory check.
pub const BYTES_PER_CLIENT: u64 = 400;

/// A scenario whose clients need more than half of this machine's memory.
#[derive(Debug, thiserror::Error)]
#[error(
    "{path}{}: {clients} clients need about {} MiB, more than half of this machine's {} MiB: \
     lower topology.clients_per_cap or the number of sites (e.g. --set topology.clients_per_cap=N), \
     or run on a machine with more memory",
    at(.params),
    .need >> 20,
    .machine >> 20
)]
pub struct MemoryError {
    /// The scenario file.
    pub path: String,
    /// The grid point's varied keys and values (empty without `--vary`).
    pub params: Vec<(String, String)>,
    /// Clients in the hierarchy.
    pub clients: u64,
    /// Estimated bytes the clients need.
    pub need: u64,
    /// Bytes of memory this machine has.
    pub machine: u64,
}

fn at(params: &[(String, String)]) -> String {
    if params.is_empty() {
        String::new()
    } else {
        let p: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(" at {}", p.join(", "))
    }
}

/// Total memory of this machine, if known (Linux: `/proc/meminfo`).
pub fn machine_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Refuses a scenario whose clients need more than half of `machine` bytes
/// ([`BYTES_PER_CLIENT`] each); an unknown machine size passes.
pub fn check_memory(scenario: &Scenario, machine: Option<u64>) -> Result<(), MemoryError> {
    let Some(machine) = machine else {
        return Ok(());
    };
    let clients = scenario.client_count();
    let need = clients.saturating_mul(BYTES_PER_CLIENT);
    if need > machine / 2 {
        return Err(MemoryError {
            path: scenario.source.path.clone(),
            params: Vec::new(),
            clients,
            need,
            machine,
        });
    }
    Ok(())
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
    /// Loads and validates every point, checks that this machine can hold
    /// it, and lists the runs.
    pub fn plan(&self) -> Result<Plan, PlanError> {
        let machine = machine_memory();
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
            check_memory(&scenario, machine).map_err(|e| MemoryError {
                params: params.clone(),
                ..e
            })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(clients_per_cap: u32) -> Scenario {
        let text = format!(
            r#"{{"name":"m","duration_days":1,"topology":{{"child_sites":1,"clients_per_cap":{clients_per_cap}}}}}"#
        );
        smssim_scenario::load_str(&text, "m.json", &[]).unwrap()
    }

    #[test]
    fn memory_is_checked_against_half_the_machine() {
        let s = scenario(1000); // 2,000 clients: 800,000 bytes
        assert!(check_memory(&s, None).is_ok());
        assert!(check_memory(&s, Some(1_600_000)).is_ok());
        let e = check_memory(&s, Some(1_599_999)).unwrap_err();
        assert_eq!((e.clients, e.need), (2000, 800_000));
        let msg = PlanError::from(MemoryError {
            params: vec![("topology.clients_per_cap".into(), "1000".into())],
            ..e
        })
        .to_string();
        assert!(
            msg.starts_with(
                "m.json at topology.clients_per_cap=1000: 2000 clients need about 0 MiB"
            ),
            "{msg}"
        );
        assert!(msg.contains("lower topology.clients_per_cap"), "{msg}");
    }

    #[test]
    fn a_valid_file_stays_valid_whatever_the_machine() {
        // Validation alone never looks at the machine: a hierarchy far
        // beyond any machine's memory (but within the model's limits) loads.
        let s = scenario(1_000_000_000);
        assert_eq!(s.client_count(), 2_000_000_000);
        assert!(check_memory(&s, Some(1 << 40)).is_err());
    }
}
