//! `smssim metrics`: the metric catalogue, the user's dictionary for
//! `metrics.csv` and `timeseries.csv`, read from what each part of the
//! model declares.

use crate::cli::MetricsFormat;
use smssim_model::catalogue::{Descriptor, MetricDef};
use std::io::Write;

/// One row of the catalogue.
struct Row {
    kind: &'static str,
    part: &'static str,
    def: &'static MetricDef,
}

fn rows() -> Vec<Row> {
    let parts: &[Descriptor] = smssim_model::parts();
    let mut out = Vec::new();
    for p in parts {
        out.extend(p.metrics.iter().map(|def| Row {
            kind: "metric",
            part: p.name,
            def,
        }));
        out.extend(p.series.iter().map(|def| Row {
            kind: "series",
            part: p.name,
            def,
        }));
    }
    out
}

/// Prints the catalogue in `format`.
pub fn print(format: MetricsFormat) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let rows = rows();
    match format {
        MetricsFormat::Table => {
            let width = rows.iter().map(|r| r.def.name.len()).max().unwrap_or(0);
            writeln!(
                out,
                "{:<width$}  {:<6}  {:<6}  {:<12}  {:<7}  meaning",
                "name", "kind", "unit", "part", "article"
            )?;
            for r in &rows {
                writeln!(
                    out,
                    "{:<width$}  {:<6}  {:<6}  {:<12}  {:<7}  {}",
                    r.def.name,
                    r.kind,
                    r.def.unit.as_str(),
                    r.part,
                    r.def.article.unwrap_or("-"),
                    r.def.meaning
                )?;
            }
        }
        MetricsFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "name", "kind", "unit", "part", "article", "headline", "meaning",
            ])?;
            for r in &rows {
                w.write_record([
                    r.def.name,
                    r.kind,
                    r.def.unit.as_str(),
                    r.part,
                    r.def.article.unwrap_or(""),
                    r.def.headline.unwrap_or(""),
                    r.def.meaning,
                ])?;
            }
            w.flush()?;
        }
        MetricsFormat::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "name": r.def.name,
                        "kind": r.kind,
                        "unit": r.def.unit.as_str(),
                        "part": r.part,
                        "article": r.def.article,
                        "headline": r.def.headline,
                        "meaning": r.def.meaning,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// The metrics an administrator looks at first, in the catalogue's order:
/// `(metric, "<article> <symptom>")`.
pub fn headlines() -> Vec<(&'static str, String)> {
    smssim_model::parts()
        .iter()
        .flat_map(|p| p.metrics)
        .filter_map(|m| {
            let symptom = m.headline?;
            Some((
                m.name,
                match m.article {
                    Some(a) => format!("{a} {symptom}"),
                    None => symptom.to_string(),
                },
            ))
        })
        .collect()
}
