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
//! Planning also refuses an experiment this machine cannot hold: a scenario
//! file is valid or not whatever the machine, but whether to run it here is
//! the planner's question. The planner counts the runs first (run ids are
//! 32-bit: at most [`MAX_RUNS`]), then estimates the memory the whole
//! invocation needs ([`Estimate`]: each grid point's hierarchy, the state
//! of the runs executed at once, the records of every run, the grid points)
//! from the first grid point before loading any other, and again as each
//! point loads; more than half of the machine is refused
//! ([`MemoryError`]).
#![deny(missing_docs)]

mod estimate;

pub use estimate::{human, Counts, Dims, Estimate, Part, PointCost, Tally};

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
    /// Runs executed at once (the size of the thread pool the runs execute
    /// on); the memory estimate holds this many runs' state (0 counts as 1).
    pub jobs: usize,
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
    /// The memory the invocation needs.
    pub estimate: Estimate,
    /// Threads that simulate at once (`--jobs`).
    pub jobs: usize,
}

/// Why an experiment could not be planned; every cause is the user's input
/// (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A point's scenario is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The experiment needs more memory than this machine has.
    #[error(transparent)]
    Memory(#[from] MemoryError),
    /// Two grid points are the same scenario (`--vary k=10,10.0`,
    /// `--vary t=1h,60m`): their runs would be pooled as if independent.
    #[error(
        "{path}: --vary {second} gives the same scenario as {first}: \
         each grid point must differ (use --replications for repeated runs)"
    )]
    SamePoint {
        /// The scenario file.
        path: String,
        /// The first point's values, `k=v, …`.
        first: String,
        /// The repeating point's values.
        second: String,
    },
    /// The experiment has more runs than run ids can number.
    #[error(
        "{path}: {points} grid points × {policies} policies × {replications} replications \
         make {runs} runs, more than the {max} an experiment can number: \
         give fewer --vary values, policies or --replications",
        max = MAX_RUNS
    )]
    TooManyRuns {
        /// The scenario file.
        path: String,
        /// Grid points.
        points: u128,
        /// Policies.
        policies: usize,
        /// Replications per point and policy.
        replications: u32,
        /// Runs of the whole experiment.
        runs: u128,
    },
}

/// Most runs one experiment makes (before sharding): run ids are `u32` in
/// the plan, the records and every results file. An experiment this large
/// could not hold its records anyway (each is tens of kilobytes: 4 × 10⁹ of
/// them are beyond any machine), so it is refused rather than numbered
/// wider.
pub const MAX_RUNS: u64 = u32::MAX as u64;

/// An experiment whose estimated memory is more than half of this machine's.
#[derive(Debug, thiserror::Error)]
pub struct MemoryError {
    /// The scenario file.
    pub path: String,
    /// The grid point's varied keys and values (empty without `--vary`).
    pub params: Vec<(String, String)>,
    /// Grid points not yet loaded, counted as costing what the first does.
    pub assumed: u64,
    /// The estimate.
    pub estimate: Box<Estimate>,
    /// Bytes of memory this machine has.
    pub machine: u64,
}

impl std::fmt::Display for MemoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}{}: needs about {}",
            self.path,
            at(&self.params),
            human(self.estimate.total())
        )?;
        if self.assumed > 0 {
            write!(
                f,
                " (counting the {} grid points not yet loaded as the first)",
                self.assumed
            )?;
        }
        write!(
            f,
            ", more than half of this machine's {} MiB ({}); {}; {}, or run on a machine with more memory",
            self.machine >> 20,
            human(self.machine),
            self.estimate.summary(),
            self.estimate.advice()
        )
    }
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
    Some(kb.saturating_mul(1024))
}

/// Refuses an estimate above half of `machine` bytes (an unknown machine
/// size passes). Half, because the estimate is of the simulator's own data:
/// the system, other programs and the page cache need the rest, and an
/// estimate rounded up from measurements can still be short by a little.
fn check(
    estimate: Estimate,
    machine: Option<u64>,
    path: &str,
    params: &[(String, String)],
    assumed: u64,
) -> Result<Estimate, MemoryError> {
    match machine {
        Some(m) if estimate.total() > m / 2 => Err(MemoryError {
            path: path.to_string(),
            params: params.to_vec(),
            assumed,
            estimate: Box::new(estimate),
            machine: m,
        }),
        _ => Ok(estimate),
    }
}

/// Refuses one run of a scenario (one job, no grid) that needs more than
/// half of `machine` bytes ([`Estimate::single`]); an unknown machine size
/// passes. `smssim trace` uses it.
pub fn check_memory(scenario: &Scenario, machine: Option<u64>) -> Result<(), MemoryError> {
    check(
        Estimate::single(scenario),
        machine,
        &scenario.source.path,
        &[],
        0,
    )
    .map(|_| ())
}

/// A run failed.
#[derive(Debug, thiserror::Error)]
#[error("run {run_id} ({policy}, replication {replication}) failed")]
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

/// How many runs an experiment makes, counted before any point is loaded.
#[derive(Debug, Clone, Copy)]
struct Shape {
    points: u64,
    /// Runs of each point (policies × replications).
    per_point: u64,
    /// Runs of the whole experiment.
    total: u64,
    shard: Option<(u64, u64)>,
}

impl Shape {
    /// Runs with ids in `0..end` this invocation makes.
    fn kept_below(&self, end: u64) -> u64 {
        match self.shard {
            None => end,
            Some((i, n)) if end > i => (end - i - 1) / n + 1,
            Some(_) => 0,
        }
    }

    /// Runs of points `from..to` this invocation makes.
    fn kept(&self, from: u64, to: u64) -> u64 {
        self.kept_below(to.saturating_mul(self.per_point))
            - self.kept_below(from.saturating_mul(self.per_point))
    }

    /// Most runs one point makes in this invocation.
    fn max_kept(&self) -> u64 {
        match self.shard {
            None => self.per_point,
            Some((_, n)) => self.per_point.div_ceil(n).min(self.per_point),
        }
    }
}

impl Experiment {
    /// Loads and validates every point, checks that this machine can hold
    /// the experiment, and lists the runs.
    pub fn plan(&self) -> Result<Plan, PlanError> {
        self.plan_on(machine_memory())
    }

    /// [`plan`](Self::plan) on a machine with `machine` bytes of memory
    /// (`None`: unknown, not checked).
    pub fn plan_on(&self, machine: Option<u64>) -> Result<Plan, PlanError> {
        let path = Path::new(&self.scenario);
        self.plan_with(machine, &mut |ov| smssim_scenario::load(path, ov))
    }

    /// Counts the runs; refuses more than [`MAX_RUNS`].
    fn shape(&self) -> Result<Shape, PlanError> {
        let points = self
            .vary
            .iter()
            .try_fold(1u128, |n, (_, v)| n.checked_mul(v.len() as u128));
        let per_point = (self.policies.len() as u128) * u128::from(self.replications);
        let total = points.and_then(|p| p.checked_mul(per_point));
        match (points, total) {
            (Some(p), Some(t)) if p <= u128::from(MAX_RUNS) && t <= u128::from(MAX_RUNS) => {
                Ok(Shape {
                    points: p as u64,
                    per_point: per_point as u64,
                    total: t as u64,
                    shard: self.shard.map(|(i, n)| (u64::from(i), u64::from(n.max(1)))),
                })
            }
            _ => Err(PlanError::TooManyRuns {
                path: self.scenario.display().to_string(),
                points: points.unwrap_or(u128::MAX),
                policies: self.policies.len(),
                replications: self.replications,
                runs: total.unwrap_or(u128::MAX),
            }),
        }
    }

    /// The varied keys and values of grid point `k`: the last `--vary`
    /// axis varies fastest.
    fn params(&self, mut k: u64) -> Vec<(String, String)> {
        let mut out = Vec::with_capacity(self.vary.len());
        for (key, values) in self.vary.iter().rev() {
            let n = values.len() as u64;
            out.push((key.clone(), values[(k % n) as usize].clone()));
            k /= n;
        }
        out.reverse();
        out
    }

    /// Plans with `load` reading a point's scenario under overrides. The
    /// first point is estimated for the whole grid before any other loads;
    /// each point loaded then replaces its share of that guess with its own
    /// cost, and the estimate is checked again.
    fn plan_with(
        &self,
        machine: Option<u64>,
        load: &mut dyn FnMut(&[Override]) -> Result<Scenario, ScenarioError>,
    ) -> Result<Plan, PlanError> {
        let shape = self.shape()?;
        let path = self.scenario.display().to_string();
        let mut points: Vec<Point> = Vec::new();
        let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut tally = Tally::new(self.jobs);
        let mut first: Option<PointCost> = None;
        for k in 0..shape.points {
            let params = self.params(k);
            let mut ov = self.overrides.clone();
            ov.extend(params.iter().map(|(k, v)| Override::new(k, v)));
            let scenario = load(&ov)?;
            let cost = PointCost::of(&scenario, &params);
            let runs = shape.kept(k, k + 1);
            tally.add(&cost, 1, runs, runs);
            let first = first.get_or_insert(cost);
            let rest = shape.points - k - 1;
            let mut guess = tally.clone();
            guess.add(
                first,
                rest,
                shape.kept(k + 1, shape.points),
                shape.max_kept(),
            );
            check(guess.estimate(), machine, &path, &params, rest)?;
            if points.capacity() == 0 {
                // The first point's estimate covers every point held.
                points.reserve_exact(shape.points as usize);
            }
            let key = serde_json::to_string(&scenario.spec).unwrap_or_default();
            if let Some(&j) = seen.get(&key) {
                let show = |p: &[(String, String)]| {
                    p.iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let first: &Point = &points[j];
                return Err(PlanError::SamePoint {
                    path: path.clone(),
                    first: show(&first.params),
                    second: show(&params),
                });
            }
            seen.insert(key, points.len());
            points.push(Point { params, scenario });
        }
        let mut runs = Vec::with_capacity(shape.kept_below(shape.total) as usize);
        let reps = u64::from(self.replications);
        let (start, step) = shape.shard.unwrap_or((0, 1));
        let mut id = start;
        while id < shape.total {
            let rem = id % shape.per_point;
            runs.push(PlannedRun {
                run_id: id as u32,
                point: (id / shape.per_point) as usize,
                policy: (rem / reps) as usize,
                replication: (rem % reps) as u32,
            });
            id = id.saturating_add(step);
        }
        Ok(Plan {
            points,
            policies: self.policies.clone(),
            runs,
            total_runs: shape.total as u32,
            estimate: tally.estimate(),
            jobs: self.jobs.max(1),
        })
    }
}

/// Threads for each of `runs` runs made at once when `jobs` threads may
/// simulate (`--jobs`): a run's status lane gets a thread of its own when
/// a job would otherwise be idle (a lone run with two jobs: one thread for
/// each lane), so at most `jobs` threads are busy. Outputs do not depend
/// on it.
pub fn threads_per_run(jobs: usize, runs: usize) -> usize {
    let jobs = jobs.max(1);
    (jobs / runs.clamp(1, jobs)).clamp(1, 2)
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
        // Runs are listed point by point.
        for runs in self.runs.chunk_by(|a, b| a.point == b.point) {
            let point = &self.points[runs[0].point];
            let hierarchy = Hierarchy::build(&point.scenario);
            let threads = threads_per_run(self.jobs, runs.len());
            let records: Vec<Result<RunRecord, ExperimentError>> = runs
                .par_iter()
                .map(|r| self.run_one(r, point, &hierarchy, threads, sink))
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
        threads: usize,
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
                threads,
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
    use std::cell::Cell;

    #[test]
    fn a_lone_run_gets_a_second_thread_only_from_an_idle_job() {
        assert_eq!(threads_per_run(2, 1), 2);
        assert_eq!(threads_per_run(1, 1), 1);
        assert_eq!(threads_per_run(2, 2), 1);
        assert_eq!(threads_per_run(2, 40), 1);
        assert_eq!(threads_per_run(8, 1), 2);
        assert_eq!(threads_per_run(8, 4), 2);
        assert_eq!(threads_per_run(8, 5), 1);
        assert_eq!(threads_per_run(0, 0), 1);
    }

    /// The scenario of the reproductions: 2 sites, 20 clients, 1 day.
    const T: &str =
        r#"{"name":"t","duration_days":1,"topology":{"child_sites":1,"clients_per_cap":10}}"#;

    /// A machine of 24 GiB, like the one the limits were measured on.
    const MACHINE: u64 = 24 << 30;

    fn scenario(clients_per_cap: u32) -> Scenario {
        let text = format!(
            r#"{{"name":"m","duration_days":1,"topology":{{"child_sites":1,"clients_per_cap":{clients_per_cap}}}}}"#
        );
        smssim_scenario::load_str(&text, "m.json", &[]).unwrap()
    }

    fn experiment(set: &[(&str, &str)], policies: usize, replications: u32) -> Experiment {
        let all = [Policy::legacy(), Policy::hotfix()];
        Experiment {
            scenario: PathBuf::from("t.json"),
            overrides: set.iter().map(|(k, v)| Override::new(k, v)).collect(),
            policies: all[..policies].to_vec(),
            replications,
            vary: Vec::new(),
            shard: None,
            jobs: 2,
        }
    }

    /// Plans `T` under `exp`, counting the points loaded.
    fn plan(exp: &Experiment, machine: Option<u64>) -> (Result<Plan, PlanError>, usize) {
        let loads = Cell::new(0);
        let r = exp.plan_with(machine, &mut |ov| {
            loads.set(loads.get() + 1);
            smssim_scenario::load_str(T, "t.json", ov)
        });
        (r, loads.get())
    }

    fn refused(exp: &Experiment) -> MemoryError {
        match plan(exp, Some(MACHINE)).0 {
            Err(PlanError::Memory(e)) => e,
            Err(e) => panic!("refused for another reason: {e}"),
            Ok(p) => panic!("not refused: {}", p.estimate),
        }
    }

    #[test]
    fn memory_is_checked_against_half_the_machine() {
        let s = scenario(1000);
        let need = Estimate::single(&s).total();
        assert!(check_memory(&s, None).is_ok());
        assert!(check_memory(&s, Some(need * 2)).is_ok());
        let e = check_memory(&s, Some(need * 2 - 2)).unwrap_err();
        assert_eq!(e.estimate.counts.clients, 2000);
        let msg = PlanError::from(MemoryError {
            params: vec![("topology.clients_per_cap".into(), "1000".into())],
            ..e
        })
        .to_string();
        assert!(
            msg.starts_with("m.json at topology.clients_per_cap=1000: needs about "),
            "{msg}"
        );
    }

    #[test]
    fn a_valid_file_stays_valid_whatever_the_machine() {
        // Validation alone never looks at the machine: a hierarchy far
        // beyond any machine's memory (but within the model's limits) loads.
        let s = scenario(1_000_000_000);
        assert_eq!(s.client_count(), 2_000_000_000);
        let e = check_memory(&s, Some(1 << 39)).unwrap_err();
        assert_eq!(e.estimate.largest(), Part::Clients);
        let msg = e.to_string();
        assert!(msg.contains("2000000000 clients need about"), "{msg}");
        assert!(msg.contains("this machine's 524288 MiB"), "{msg}");
        assert!(msg.contains("lower topology.clients_per_cap"), "{msg}");
    }

    #[test]
    fn a_sample_every_second_for_years_is_refused_for_its_samples() {
        // Validation allows one sample a second (sample_interval >= 1s);
        // over the longest run the clock holds that is 68.7 M samples.
        let e = refused(&experiment(
            &[("sample_interval", "1s"), ("duration_days", "795")],
            1,
            1,
        ));
        assert_eq!(e.estimate.largest(), Part::Samples);
        assert_eq!(e.estimate.counts.samples, 68_688_001);
        let msg = e.to_string();
        assert!(
            msg.starts_with("t.json: needs about ")
                && msg.contains("this machine's 24576 MiB (24.0 GiB)")
                && msg.contains("68688001 samples × 10 series need about")
                && msg.contains("raise sample_interval"),
            "{msg}"
        );
    }

    #[test]
    fn caps_and_dps_by_the_billion_are_refused_for_themselves() {
        // Two sites: the most that validation allows of each in all.
        let big = "2147483647";
        for (set, part, advice) in [
            (
                vec![
                    ("topology.caps_per_site", big),
                    ("topology.clients_per_cap", "0"),
                ],
                Part::Caps,
                "lower topology.caps_per_site",
            ),
            (
                vec![("topology.dps_per_site", big)],
                Part::Dps,
                "lower topology.dps_per_site",
            ),
        ] {
            let e = refused(&experiment(&set, 1, 1));
            assert_eq!(e.estimate.largest(), part, "{e}");
            assert!(e.to_string().contains(advice), "{e}");
        }
    }

    #[test]
    fn billions_of_replications_are_refused_without_listing_them() {
        let (r, loads) = plan(&experiment(&[], 1, u32::MAX), Some(MACHINE));
        let Err(PlanError::Memory(e)) = r else {
            panic!("not refused for memory")
        };
        assert_eq!(loads, 1);
        assert_eq!(e.estimate.largest(), Part::Records);
        assert_eq!(e.estimate.runs, u64::from(u32::MAX));
        let msg = e.to_string();
        assert!(
            msg.contains("the records of 4294967295 runs need about")
                && msg.contains("lower --replications"),
            "{msg}"
        );
        // One more run than run ids can number is refused before anything
        // loads, whatever the machine.
        let (r, loads) = plan(&experiment(&[], 2, u32::MAX), None);
        match r {
            Err(PlanError::TooManyRuns { runs, .. }) => {
                assert_eq!(runs, 2 * u128::from(u32::MAX))
            }
            _ => panic!("not refused for its runs"),
        }
        assert_eq!(loads, 0);
    }

    #[test]
    fn a_million_point_grid_is_refused_after_loading_one_point() {
        let values: Vec<String> = (1..=1000).map(|v| v.to_string()).collect();
        let mut exp = experiment(&[], 2, 1);
        exp.vary = vec![
            ("duration_days".into(), values.clone()),
            ("seed".into(), values),
        ];
        let started = Instant::now();
        let (r, loads) = plan(&exp, Some(MACHINE));
        let Err(PlanError::Memory(e)) = r else {
            panic!("not refused for memory")
        };
        assert_eq!(loads, 1);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        assert_eq!(e.estimate.largest(), Part::Records);
        assert_eq!(
            (e.estimate.n_points, e.estimate.runs),
            (1_000_000, 2_000_000)
        );
        let msg = e.to_string();
        assert!(
            msg.starts_with("t.json at duration_days=1, seed=1: needs about ")
                && msg.contains("counting the 999999 grid points not yet loaded as the first")
                && msg.contains("fewer policies or --vary values"),
            "{msg}"
        );
    }

    #[test]
    fn a_later_point_that_needs_more_is_refused_when_it_loads() {
        let mut exp = experiment(&[], 1, 1);
        exp.vary = vec![(
            "topology.dps_per_site".into(),
            vec!["1".into(), "2".into(), "2147483647".into(), "3".into()],
        )];
        let (r, loads) = plan(&exp, Some(MACHINE));
        let Err(PlanError::Memory(e)) = r else {
            panic!("not refused for memory")
        };
        assert_eq!(loads, 3);
        assert_eq!(
            e.params,
            [("topology.dps_per_site".into(), "2147483647".into())]
        );
        assert_eq!(e.assumed, 1);
        assert_eq!(e.estimate.largest(), Part::Dps);
    }

    #[test]
    fn the_shipped_scenarios_pass_on_24_gib_with_two_jobs() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        let mut n = 0;
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            if f.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let mut exp = experiment(&[], 2, 3);
            exp.scenario = f.clone();
            let plan = exp.plan_on(Some(MACHINE)).unwrap();
            // The 10M-client scale scenario may take a quarter of the
            // machine with two runs at once; the others an eighth.
            let share = if f.ends_with("ten-million-clients.json") {
                4
            } else {
                8
            };
            assert!(
                plan.estimate.total() < MACHINE / share,
                "{}: {}",
                f.display(),
                plan.estimate
            );
            n += 1;
        }
        assert!(n >= 6, "{n} scenarios");
    }

    #[test]
    fn million_clients_is_estimated_above_its_measured_peak_and_within_twice_it() {
        // Measured: `smssim run scenarios/million-clients.json --jobs 1`
        // peaks at 239–241 MB resident (`/usr/bin/time`); `--jobs 2
        // --replications 2` at 391–419 MB.
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/million-clients.json");
        let s = smssim_scenario::load(&path, &[]).unwrap();
        let one = Estimate::single(&s).total();
        assert!((241_000_000..482_000_000).contains(&one), "{one}");
        let mut t = Tally::new(2);
        t.add(&PointCost::of(&s, &[]), 1, 2, 2);
        let two = t.estimate().total();
        assert!((419_000_000..782_000_000).contains(&two), "{two}");
    }

    #[test]
    fn runs_are_numbered_point_major_and_sharded_by_id() {
        let mut exp = experiment(&[], 2, 3);
        exp.vary = vec![
            ("seed".into(), vec!["1".into(), "2".into()]),
            (
                "duration_days".into(),
                vec!["1".into(), "2".into(), "3".into()],
            ),
        ];
        let (all, _) = plan(&exp, None);
        let all = all.unwrap();
        assert_eq!(all.total_runs, 36);
        let mut expected = Vec::new();
        for point in 0..6 {
            for policy in 0..2 {
                for replication in 0..3 {
                    let run_id = expected.len() as u32;
                    expected.push(PlannedRun {
                        run_id,
                        point,
                        policy,
                        replication,
                    });
                }
            }
        }
        assert_eq!(all.runs, expected);
        assert_eq!(
            all.points[4].params,
            [
                ("seed".to_string(), "2".to_string()),
                ("duration_days".to_string(), "2".to_string())
            ]
        );
        for n in [1, 5, 7, 40] {
            for i in 0..n {
                exp.shard = Some((i, n));
                let (p, _) = plan(&exp, None);
                let kept: Vec<PlannedRun> = expected
                    .iter()
                    .copied()
                    .filter(|r| r.run_id % n == i)
                    .collect();
                assert_eq!(p.unwrap().runs, kept);
            }
        }
    }

    mod monotone {
        use super::*;
        use proptest::prelude::*;

        /// The estimate of `T` with these values, through the planner.
        /// (`None` if the values make an invalid scenario).
        fn total(v: &[u64; 9]) -> Option<u64> {
            let [cpc, caps, dps, domains, children, interval_s, days, reps, jobs] = *v;
            let set: Vec<(String, String)> = vec![
                ("topology.clients_per_cap".into(), cpc.to_string()),
                ("topology.caps_per_site".into(), caps.to_string()),
                ("topology.dps_per_site".into(), dps.to_string()),
                ("topology.domains".into(), domains.to_string()),
                ("topology.child_sites".into(), children.to_string()),
                (
                    "sample_interval".into(),
                    format!("{}s", 86_400 / interval_s),
                ),
                ("duration_days".into(), days.to_string()),
            ];
            let set: Vec<(&str, &str)> =
                set.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let mut exp = experiment(&set, 1, reps as u32);
            exp.jobs = jobs as usize;
            match plan(&exp, None).0 {
                Ok(p) => Some(p.estimate.total()),
                Err(PlanError::Scenario(_)) => None,
                Err(e) => panic!("{e}"),
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

            /// More of any one thing (clients, CAPs, DPs, domains, sites,
            /// samples a day, days, replications, jobs) never needs less.
            #[test]
            fn in_each_dimension(
                base in (
                    0u64..100_000, 1u64..1000, 0u64..1000, 1u64..1000, 0u64..100,
                    1u64..1000, 1u64..30, 1u64..20, 1u64..8,
                ),
                dim in 0usize..9,
                more in 1u64..1000,
            ) {
                let v = [base.0, base.1, base.2, base.3, base.4, base.5, base.6, base.7, base.8];
                let mut w = v;
                w[dim] += more;
                // Samples a day divide a day into whole seconds.
                w[5] = w[5].min(86_400);
                w[4] = w[4].min(2599);
                w[6] = w[6].min(795);
                let (a, b) = (total(&v), total(&w));
                // Too many clients for the model is invalid, not estimated.
                prop_assume!(b.is_some());
                prop_assert!(a.unwrap() <= b.unwrap(), "{:?} -> {:?}", v, w);
            }
        }
    }
}
