//! Turning arguments into trusted values, and which errors are the user's.

use anyhow::Context;
use smssim_engine::Duration;
use smssim_experiment::{MemoryError, PlanError};
use smssim_results::folder::FolderError;
use smssim_results::merge::MergeError;
use smssim_scenario::{Override, Policy, PolicyError, ScenarioError};
use std::fmt;

/// Bad input from the user: exit code 2.
#[derive(Debug)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for InputError {}

/// Exit code for an error: 2 for bad input, 1 for anything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    let input = err.chain().any(|c| {
        c.is::<InputError>()
            || c.is::<ScenarioError>()
            || c.is::<PolicyError>()
            || c.is::<PlanError>()
            || c.is::<MemoryError>()
            || c.downcast_ref::<MergeError>()
                .is_some_and(MergeError::is_user_error)
            || c.downcast_ref::<FolderError>()
                .is_some_and(FolderError::is_user_error)
            || c.is::<smssim_results::read::ReadError>()
    });
    if input {
        2
    } else {
        1
    }
}

/// Fails with an [`InputError`].
pub fn bad<T>(msg: impl Into<String>) -> anyhow::Result<T> {
    Err(InputError(msg.into()).into())
}

/// `--set` arguments, plus `--seed` as an override of `seed`.
pub fn overrides(set: &[String], seed: Option<u64>) -> anyhow::Result<Vec<Override>> {
    let mut out = set
        .iter()
        .map(|s| Override::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(s) = seed {
        out.push(Override::new("seed", &s.to_string()));
    }
    Ok(out)
}

/// A `--policy` value: a preset name or a policy file; notes (an old knob
/// name, say) go to stderr.
pub fn policy(arg: &str) -> anyhow::Result<Policy> {
    let loaded = smssim_scenario::policy_arg(arg)?;
    for note in &loaded.notes {
        eprintln!("note: {note}");
    }
    Ok(loaded.policy)
}

/// Policies from repeated `--policy`, or the defaults.
pub fn policies(args: &[String], default: &[&str]) -> anyhow::Result<Vec<Policy>> {
    let list: Vec<String> = if args.is_empty() {
        default.iter().map(|s| s.to_string()).collect()
    } else {
        args.to_vec()
    };
    let mut out: Vec<Policy> = Vec::new();
    for a in &list {
        let p = policy(a)?;
        if out.iter().any(|q| q.name == p.name) {
            return bad(format!(
                "--policy {a:?}: a policy named {:?} is already given",
                p.name
            ));
        }
        out.push(p);
    }
    Ok(out)
}

/// A `--vary KEY=V1,V2` argument.
pub fn vary(arg: &str) -> anyhow::Result<(String, Vec<String>)> {
    let (k, v) = arg
        .split_once('=')
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .ok_or_else(|| InputError(format!("--vary {arg:?}: expected KEY=V1,V2,... e.g. --vary topology.clients_per_cap=250,1000,4000")))?;
    let key = k.trim().to_string();
    let mut values: Vec<String> = Vec::new();
    for value in v.split(',').map(str::trim) {
        if value.is_empty() {
            return bad(format!(
                "--vary {arg:?}: an empty value; expected KEY=V1,V2,... with no empty item"
            ));
        }
        if values.iter().any(|w| w == value) {
            return bad(format!(
                "--vary {key}: the value {value:?} is given twice; each grid point is run once \
                 (use --replications for repeated runs)"
            ));
        }
        values.push(value.to_string());
    }
    Ok((key, values))
}

/// Every `--vary` argument; a key may be varied only once.
pub fn varies(args: &[String]) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for a in args {
        let (key, values) = vary(a)?;
        if out.iter().any(|(k, _)| *k == key) {
            return bad(format!(
                "--vary {key} is given twice: give all its values in one --vary {key}=V1,V2,..."
            ));
        }
        out.push((key, values));
    }
    Ok(out)
}

/// A `--shard I/N` argument.
pub fn shard(arg: &str) -> anyhow::Result<(u32, u32)> {
    let parsed = arg
        .split_once('/')
        .and_then(|(i, n)| Some((i.parse::<u32>().ok()?, n.parse::<u32>().ok()?)))
        .filter(|(i, n)| *n > 0 && i < n);
    parsed.ok_or_else(|| {
        InputError(format!(
            "--shard {arg:?}: expected I/N with 0 <= I < N, e.g. 0/4"
        ))
        .into()
    })
}

/// A duration argument.
pub fn duration(flag: &str, arg: &str) -> anyhow::Result<Duration> {
    arg.parse::<Duration>()
        .map_err(|e| InputError(format!("{flag} {arg:?}: {e}")))
        .context("reading arguments")
}

/// `--replications`: at least one.
pub fn replications(n: Option<u32>, default: u32) -> anyhow::Result<u32> {
    match n {
        Some(0) => bad("--replications 0: expected at least 1"),
        Some(n) => Ok(n),
        None => Ok(default),
    }
}

/// Most runs executed at once per core: more threads only add memory and
/// switching, never speed.
pub const JOBS_PER_CORE: usize = 4;

/// Runs executed at once: `--jobs N` clamped to [`JOBS_PER_CORE`] per core,
/// with a note on stderr when it is lowered; without `--jobs`, one per
/// core. The planner's memory estimate and the thread pool both use it.
pub fn jobs(asked: Option<std::num::NonZeroUsize>) -> usize {
    let Some(asked) = asked else {
        return rayon::current_num_threads();
    };
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let limit = cores * JOBS_PER_CORE;
    let n = asked.get();
    if n > limit {
        eprintln!(
            "note: --jobs {n} lowered to {limit}: {cores} cores here, at most {JOBS_PER_CORE} runs at once per core"
        );
        limit
    } else {
        n
    }
}
