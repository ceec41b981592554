//! Writing a results folder and the summary on stdout.

use smssim_experiment::{Experiment, Plan};
use smssim_results::stats::{change_pct, summarize};
use smssim_results::sweep::SweepRun;
use smssim_results::{write, RunRecord};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Which files a command writes beside runs.csv, metrics.csv,
/// timeseries.csv and manifest.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `run`.
    Run,
    /// `compare` (with `ablation.csv` if asked).
    Compare {
        /// Whether ablation runs were made.
        ablation: bool,
    },
    /// `sweep`.
    Sweep {
        /// Whether only a shard was run.
        sharded: bool,
    },
}

/// The results folder: `--out`, else `results/<scenario name>/`.
pub fn folder(out: Option<&Path>, plan: &Plan) -> PathBuf {
    out.map(Path::to_path_buf)
        .unwrap_or_else(|| Path::new("results").join(&plan.points[0].scenario.spec.name))
}

/// Varied values as numbers a table sorts: a duration (`90s`, `15m`)
/// becomes seconds, its column named `KEY_s`; a number is written as
/// itself; other values (names, `true`) as given.
pub fn tidy_params(plan: &Plan, records: &mut [RunRecord]) {
    let point_of: std::collections::HashMap<u32, usize> =
        plan.runs.iter().map(|r| (r.run_id, r.point)).collect();
    let tidy: Vec<Vec<(String, String)>> = plan
        .points
        .iter()
        .map(|point| {
            let spec = serde_json::to_value(&point.scenario.spec).unwrap_or_default();
            point
                .params
                .iter()
                .map(|(key, raw)| tidy_value(&spec, key, raw))
                .collect()
        })
        .collect();
    for r in records {
        if let Some(&p) = point_of.get(&r.run_id) {
            r.params = tidy[p].clone();
        }
    }
}

fn tidy_value(spec: &serde_json::Value, key: &str, raw: &str) -> (String, String) {
    use serde_json::Value;
    let mut v = spec;
    for part in key.split('.') {
        v = match v {
            Value::Object(m) => m.get(part).unwrap_or(&Value::Null),
            Value::Array(a) => part
                .parse::<usize>()
                .ok()
                .and_then(|i| a.get(i))
                .unwrap_or(&Value::Null),
            _ => &Value::Null,
        };
    }
    match v {
        Value::String(s) => match s.parse::<smssim_engine::Duration>() {
            Ok(d) if raw.parse::<smssim_engine::Duration>().is_ok() => {
                (format!("{key}_s"), write::num(d.secs_f64()))
            }
            _ => (key.to_string(), raw.to_string()),
        },
        Value::Number(n) if n.is_f64() => (
            key.to_string(),
            n.as_f64().map_or_else(|| raw.to_string(), write::num),
        ),
        Value::Number(n) => (key.to_string(), n.to_string()),
        _ => (key.to_string(), raw.to_string()),
    }
}

/// Writes every file of the folder into `dir` (a staging folder that is
/// swapped in whole afterwards).
pub fn write_folder(
    dir: &Path,
    exp: &Experiment,
    plan: &Plan,
    records: &[RunRecord],
    kind: Kind,
) -> anyhow::Result<()> {
    let params: Vec<String> = match records.first() {
        Some(r) => r.params.iter().map(|(k, _)| k.clone()).collect(),
        None => plan.points[0]
            .params
            .iter()
            .map(|(k, _)| k.clone())
            .collect(),
    };
    let scenario = &plan.points[0].scenario;
    write::write_metrics(dir, records, &params)?;
    write::write_timeseries(dir, records)?;
    match kind {
        Kind::Compare { ablation } => {
            let [base, other] = compared(plan, kind).expect("compare plans two policies at least");
            write::write_compare(dir, &scenario.spec.name, [base, other], records)?;
            if ablation {
                write::write_ablation(dir, &scenario.spec.name, records)?;
            }
        }
        Kind::Sweep { sharded: false } => write_sweep(dir, &params, records)?,
        _ => {}
    }
    let command = match kind {
        Kind::Run => "run",
        Kind::Compare { .. } => "compare",
        Kind::Sweep { .. } => "sweep",
    };
    let grid: serde_json::Map<String, serde_json::Value> = exp
        .vary
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::json!(v)))
        .collect();
    write::write_runs(dir, records, &params)?;
    let manifest = serde_json::json!({
        "tool": "smssim",
        "command": command,
        "version": env!("CARGO_PKG_VERSION"),
        "git_revision": option_env!("SMSSIM_GIT_REV").filter(|s| !s.is_empty()),
        "scenario": scenario.spec.name,
        "scenario_file": scenario.source.path,
        "scenario_sha256": scenario.source.sha256,
        "seed": scenario.spec.seed,
        "replications": records.iter().map(|r| r.replication + 1).max().unwrap_or(0),
        "policies": plan.policies.iter().map(|p| &p.name).collect::<Vec<_>>(),
        "overrides": exp.overrides.iter().map(|o| format!("{}={}", o.key, o.value_text())).collect::<Vec<_>>(),
        "grid": grid,
        "runs": records.len(),
        "total_runs": plan.total_runs,
        "shard": exp.shard.map(|(index, count)| serde_json::json!({"index": index, "count": count})),
        "command_line": std::env::args().collect::<Vec<_>>(),
    });
    write::write_manifest(dir, &manifest)?;
    Ok(())
}

/// `sweep.csv`: mean and 95% interval per point, policy and metric.
fn write_sweep(dir: &Path, params: &[String], records: &[RunRecord]) -> anyhow::Result<()> {
    let runs: Vec<SweepRun> = records.iter().map(SweepRun::from).collect();
    smssim_results::sweep::write_sweep(dir, params, &runs)?;
    Ok(())
}

/// Prints what a dry run would do.
pub fn print_plan(dir: &Path, plan: &Plan) -> anyhow::Result<()> {
    let scenario = &plan.points[0].scenario;
    let reps = plan.total_runs as usize / (plan.points.len() * plan.policies.len()).max(1);
    crate::say!(
        "dry run: {} ({} sites, {} clients, {} days) would make {} of {} runs: \
         {} grid point{} x {} polic{} ({}) x {} replication{}, into {}",
        scenario.spec.name,
        scenario.sites.len(),
        scenario.client_count(),
        scenario.spec.duration_days,
        plan.runs.len(),
        plan.total_runs,
        plan.points.len(),
        if plan.points.len() == 1 { "" } else { "s" },
        plan.policies.len(),
        if plan.policies.len() == 1 { "y" } else { "ies" },
        plan.policies
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        reps,
        if reps == 1 { "" } else { "s" },
        dir.display()
    )?;
    Ok(())
}

/// The two policies whose change a command reports, base first: for
/// `compare`, its first two (legacy and hotfix unless `--policy` named two
/// others; an ablation's knobs come after them); for another command,
/// legacy and hotfix if it ran both.
pub fn compared(plan: &Plan, kind: Kind) -> Option<[&str; 2]> {
    let names: Vec<&str> = plan.policies.iter().map(|p| p.name.as_str()).collect();
    match kind {
        Kind::Compare { .. } => match names[..] {
            [a, b, ..] => Some([a, b]),
            _ => None,
        },
        _ => {
            (names.contains(&"legacy") && names.contains(&"hotfix")).then_some(["legacy", "hotfix"])
        }
    }
}

/// Prints per policy the mean of each metric, side by side, and what
/// changes between the two [`compared`] policies.
pub fn print_summary(
    dir: &Path,
    plan: &Plan,
    records: &[RunRecord],
    kind: Kind,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let policies: Vec<&str> = plan.policies.iter().map(|p| p.name.as_str()).collect();
    let first = match records.first() {
        Some(r) => r,
        None => return Ok(()),
    };
    let wall: f64 = records.iter().map(|r| r.wall_s).sum();
    writeln!(
        out,
        "{} — {} runs, {:.1} s of run time; results in {}",
        plan.points[0].scenario.spec.name,
        records.len(),
        wall,
        dir.display()
    )?;
    if plan.points.len() > 1 {
        if plan.runs.len() < plan.total_runs as usize {
            writeln!(
                out,
                "{} of {} runs of {} grid points: join the shards' folders with `smssim merge`",
                plan.runs.len(),
                plan.total_runs,
                plan.points.len()
            )?;
        } else {
            writeln!(out, "{} grid points: see sweep.csv", plan.points.len())?;
        }
        return Ok(());
    }
    let mean = |policy: &str, metric: &str| {
        let xs: Vec<f64> = records
            .iter()
            .filter(|r| r.policy == policy)
            .filter_map(|r| r.metrics.get(metric))
            .collect();
        summarize(&xs).mean
    };
    let pair = compared(plan, kind);
    let compare = pair.is_some();
    let [base, other] = pair.unwrap_or(["legacy", "hotfix"]);
    let change = |metric: &str| {
        change_pct(mean(base, metric), mean(other, metric))
            .map_or_else(|| "-".to_string(), |c| format!("{c:+.0}%"))
    };
    if compare {
        if [base, other] == ["legacy", "hotfix"] {
            writeln!(out, "\nWhat the hotfixes change (means over replications):")?;
        } else {
            writeln!(
                out,
                "\nWhat changes from {base} to {other} (means over replications):"
            )?;
        }
        for (metric, what) in crate::catalogue::headlines() {
            if first.metrics.get(metric).is_none() {
                continue;
            }
            let (l, h) = (mean(base, metric), mean(other, metric));
            if l == 0.0 && h == 0.0 {
                continue;
            }
            writeln!(
                out,
                "  {what:<62} {:>12} -> {:<12} {:>6}",
                fmt_value(l),
                fmt_value(h),
                change(metric)
            )?;
        }
        writeln!(out)?;
    }
    let width = policies.iter().map(|p| p.len()).max().unwrap_or(6).max(12);
    write!(out, "{:<36}", "metric")?;
    for p in &policies {
        write!(out, " {p:>width$}")?;
    }
    if compare {
        write!(out, " {:>8}", "change")?;
    }
    writeln!(out, "  unit")?;
    for m in &first.metrics.rows {
        write!(out, "{:<36}", m.name)?;
        for p in &policies {
            write!(out, " {:>width$}", fmt_value(mean(p, &m.name)))?;
        }
        if compare {
            write!(out, " {:>8}", change(&m.name))?;
        }
        writeln!(out, "  {}", m.unit)?;
    }
    Ok(())
}

fn fmt_value(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}
