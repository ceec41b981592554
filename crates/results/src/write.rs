//! The results files: `runs.csv`, `metrics.csv`, `timeseries.csv`,
//! `compare.csv`, `ablation.csv`, `manifest.json`. Every file is written
//! atomically; all but `runs.csv` and `manifest.json` depend only on the
//! scenario, seed and replications.

use crate::atomic::AtomicFile;
use crate::record::RunRecord;
use crate::stats::{change_pct, summarize};
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// A results file could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}")]
pub struct WriteError {
    /// The file.
    pub path: String,
    /// Why.
    pub source: io::Error,
}

pub(crate) fn csv_file(
    dir: &Path,
    name: &str,
    body: impl FnOnce(&mut csv::Writer<&mut AtomicFile>) -> csv::Result<()>,
) -> Result<(), WriteError> {
    let path = dir.join(name);
    let err = |source: io::Error| WriteError {
        path: path.display().to_string(),
        source,
    };
    let mut file = AtomicFile::create(&path).map_err(err)?;
    {
        let mut w = csv::Writer::from_writer(&mut file);
        body(&mut w).map_err(|e| err(io::Error::other(e)))?;
        w.flush().map_err(err)?;
    }
    file.commit().map_err(err)
}

/// Formats a number the same way on every machine: shortest round-trip
/// decimal, no exponent for ordinary magnitudes; empty for "not defined".
pub fn num(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        format!("{v}")
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or_else(String::new, num)
}

/// `runs.csv`: one row per run.
pub fn write_runs(dir: &Path, runs: &[RunRecord], params: &[String]) -> Result<(), WriteError> {
    csv_file(dir, "runs.csv", |w| {
        let mut head = vec!["run_id", "scenario", "policy", "replication", "seed"];
        head.extend(params.iter().map(String::as_str));
        head.extend(["events", "wall_s"]);
        w.write_record(&head)?;
        for r in runs {
            let mut row = vec![
                r.run_id.to_string(),
                r.scenario.clone(),
                r.policy.clone(),
                r.replication.to_string(),
                r.seed.to_string(),
            ];
            row.extend(r.params.iter().map(|(_, v)| v.clone()));
            row.push(r.events.to_string());
            row.push(format!("{:.3}", r.wall_s));
            w.write_record(&row)?;
        }
        Ok(())
    })
}

/// `metrics.csv`: one row per run and metric; a sweep's varied values
/// (`params`) stand between `seed` and `metric`, as in `runs.csv`.
pub fn write_metrics(dir: &Path, runs: &[RunRecord], params: &[String]) -> Result<(), WriteError> {
    csv_file(dir, "metrics.csv", |w| {
        let mut head = vec!["run_id", "scenario", "policy", "replication", "seed"];
        head.extend(params.iter().map(String::as_str));
        head.extend(["metric", "value", "unit"]);
        w.write_record(&head)?;
        for r in runs {
            let id = r.run_id.to_string();
            let replication = r.replication.to_string();
            let seed = r.seed.to_string();
            for m in &r.metrics.rows {
                let mut row: Vec<&str> = vec![&id, &r.scenario, &r.policy, &replication, &seed];
                row.extend(r.params.iter().map(|(_, v)| v.as_str()));
                let value = num(m.value);
                row.extend([m.name.as_ref(), value.as_str(), m.unit]);
                w.write_record(&row)?;
            }
        }
        Ok(())
    })
}

/// `timeseries.csv`: one row per run, sample and series; `unit` is the
/// series' unit from the metric catalogue.
pub fn write_timeseries(dir: &Path, runs: &[RunRecord]) -> Result<(), WriteError> {
    let defs: Vec<(&str, &str)> = smssim_model::parts()
        .iter()
        .flat_map(|d| d.series.iter().map(|s| (s.name, s.unit.as_str())))
        .collect();
    // Series names repeat on every sample: look each up once.
    let mut units: BTreeMap<String, &str> = BTreeMap::new();
    let mut unit_of = |name: &str| -> &str {
        if let Some(u) = units.get(name) {
            return u;
        }
        let u = defs
            .iter()
            .find(|(d, _)| smssim_model::catalogue::matches(d, name))
            .map_or("", |(_, u)| *u);
        units.insert(name.to_string(), u);
        u
    };
    csv_file(dir, "timeseries.csv", |w| {
        w.write_record(["run_id", "policy", "time_s", "series", "value", "unit"])?;
        for r in runs {
            let id = r.run_id.to_string();
            for p in &r.series.points {
                let unit = unit_of(p.series.as_ref());
                w.write_record([
                    &id,
                    &r.policy,
                    &p.time_s.to_string(),
                    p.series.as_ref(),
                    &num(p.value),
                    unit,
                ])?;
            }
        }
        Ok(())
    })
}

/// Values of each metric across the runs of one policy, in metric order of
/// first appearance.
fn by_metric<'a>(
    runs: impl Iterator<Item = &'a RunRecord>,
) -> Vec<(String, &'static str, Vec<f64>)> {
    let mut order: Vec<(String, &'static str, Vec<f64>)> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for r in runs {
        for m in &r.metrics.rows {
            let i = *index.entry(m.name.to_string()).or_insert_with(|| {
                order.push((m.name.to_string(), m.unit, Vec::new()));
                order.len() - 1
            });
            order[i].2.push(m.value);
        }
    }
    order
}

/// `compare.csv`: one row per metric, policy `base` (the first pair of
/// columns, named after it) against policy `other`; `smssim compare`
/// passes `legacy` and `hotfix` unless told two others.
pub fn write_compare(
    dir: &Path,
    scenario: &str,
    [base, other]: [&str; 2],
    runs: &[RunRecord],
) -> Result<(), WriteError> {
    let left = by_metric(runs.iter().filter(|r| r.policy == base));
    let right: BTreeMap<String, Vec<f64>> = by_metric(runs.iter().filter(|r| r.policy == other))
        .into_iter()
        .map(|(n, _, v)| (n, v))
        .collect();
    csv_file(dir, "compare.csv", |w| {
        w.write_record([
            "scenario",
            "metric",
            "unit",
            &format!("{base}_mean"),
            &format!("{base}_ci95"),
            &format!("{other}_mean"),
            &format!("{other}_ci95"),
            "change_pct",
        ])?;
        for (name, unit, values) in &left {
            let l = summarize(values);
            let h = summarize(right.get(name).map_or(&[][..], Vec::as_slice));
            w.write_record([
                scenario,
                name,
                unit,
                &num(l.mean),
                &opt(l.ci95),
                &num(h.mean),
                &opt(h.ci95),
                &opt(change_pct(l.mean, h.mean)),
            ])?;
        }
        Ok(())
    })
}

/// `ablation.csv`: for each policy other than legacy and each metric, its
/// mean, its change from legacy, and the share of the full hotfix's change
/// it achieves alone.
pub fn write_ablation(dir: &Path, scenario: &str, runs: &[RunRecord]) -> Result<(), WriteError> {
    let mut policies: Vec<&str> = Vec::new();
    for r in runs {
        if r.policy != "legacy" && !policies.contains(&r.policy.as_str()) {
            policies.push(&r.policy);
        }
    }
    let mean_of = |policy: &str| -> BTreeMap<String, f64> {
        by_metric(runs.iter().filter(|r| r.policy == policy))
            .into_iter()
            .map(|(n, _, v)| (n, summarize(&v).mean))
            .collect()
    };
    let legacy = by_metric(runs.iter().filter(|r| r.policy == "legacy"));
    let hotfix = mean_of("hotfix");
    csv_file(dir, "ablation.csv", |w| {
        w.write_record([
            "scenario",
            "metric",
            "unit",
            "policy",
            "mean",
            "ci95",
            "legacy_mean",
            "change_pct",
            "share_of_hotfix_change_pct",
        ])?;
        for p in &policies {
            let per = by_metric(runs.iter().filter(|r| r.policy == *p));
            let per: BTreeMap<&str, &Vec<f64>> =
                per.iter().map(|(n, _, v)| (n.as_str(), v)).collect();
            for (name, unit, lv) in &legacy {
                let l = summarize(lv).mean;
                let s = summarize(per.get(name.as_str()).map_or(&[][..], |v| v.as_slice()));
                let full = hotfix.get(name).map(|h| h - l);
                let share = full.filter(|f| *f != 0.0).map(|f| (s.mean - l) / f * 100.0);
                w.write_record([
                    scenario,
                    name,
                    unit,
                    p,
                    &num(s.mean),
                    &opt(s.ci95),
                    &num(l),
                    &opt(change_pct(l, s.mean)),
                    &opt(share),
                ])?;
            }
        }
        Ok(())
    })
}

/// `manifest.json`: what produced the folder.
pub fn write_manifest(dir: &Path, manifest: &serde_json::Value) -> Result<(), WriteError> {
    let path = dir.join("manifest.json");
    let mut text = serde_json::to_string_pretty(manifest).expect("json serializes");
    text.push('\n');
    crate::atomic::write_atomic(&path, text.as_bytes()).map_err(|source| WriteError {
        path: path.display().to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use smssim_model::{Metrics, Series};

    fn rec(id: u32, policy: &str, lost: f64) -> RunRecord {
        let mut metrics = Metrics::default();
        metrics.count("sim.events", 10);
        metrics.push("status.lost_pct", lost, "pct");
        RunRecord {
            run_id: id,
            scenario: "s".into(),
            policy: policy.into(),
            replication: id % 2,
            seed: 1,
            params: vec![],
            events: 10,
            wall_s: 0.5,
            metrics,
            series: Series::default(),
        }
    }

    #[test]
    fn compare_rows_match_metrics() {
        let dir = tempfile::tempdir().unwrap();
        let runs = [
            rec(0, "legacy", 4.0),
            rec(1, "legacy", 6.0),
            rec(2, "hotfix", 0.0),
            rec(3, "hotfix", 0.0),
        ];
        write_compare(dir.path(), "s", ["legacy", "hotfix"], &runs).unwrap();
        let text = std::fs::read_to_string(dir.path().join("compare.csv")).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "scenario,metric,unit,legacy_mean,legacy_ci95,hotfix_mean,hotfix_ci95,change_pct"
        );
        assert_eq!(lines[1], "s,sim.events,count,10,0,10,0,0");
        assert!(
            lines[2].starts_with("s,status.lost_pct,pct,5,12.706,0,0,-100"),
            "{}",
            lines[2]
        );
    }

    #[test]
    fn metrics_are_tidy() {
        let dir = tempfile::tempdir().unwrap();
        write_metrics(dir.path(), &[rec(0, "legacy", 2.5)], &[]).unwrap();
        let text = std::fs::read_to_string(dir.path().join("metrics.csv")).unwrap();
        assert_eq!(
            text,
            "run_id,scenario,policy,replication,seed,metric,value,unit\n0,s,legacy,0,1,sim.events,10,count\n0,s,legacy,0,1,status.lost_pct,2.5,pct\n"
        );
    }
}
