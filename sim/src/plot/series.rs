//! Time series charts: each series against simulated time, the mean of
//! each policy's (and grid point's) replications with a 95 % band.

use super::axis::{self, display_unit};
use super::svg::{Line, LineChart};
use super::{band_caption, line_style, words, Chart, Charts, Context, Section};
use smssim_results::read;
use smssim_results::stats::summarize;
use std::collections::BTreeMap;
use std::path::Path;

/// Values of one series: (policy, grid point) → time in ms → values in
/// run order.
type Groups = BTreeMap<(usize, usize), BTreeMap<i64, Vec<f64>>>;

/// Adds a chart per series of `file` that is not constant to `out`;
/// `runs` (`runs.csv`) tells a sweep's grid points apart.
pub fn charts(
    file: &Path,
    runs: Option<&Path>,
    ctx: &Context,
    out: &mut Charts,
) -> anyhow::Result<()> {
    let rows = read::timeseries(file)?;
    // Each run's grid point, in the order the grid is run.
    let mut params: Vec<String> = Vec::new();
    let mut point_of: BTreeMap<u64, usize> = BTreeMap::new();
    let mut points: Vec<String> = Vec::new();
    if let Some(runs) = runs {
        let r = read::runs(runs)?;
        params = r.params.iter().map(|p| words::param(p)).collect();
        if !params.is_empty() {
            for row in r.rows {
                let label = r
                    .params
                    .iter()
                    .zip(&params)
                    .zip(&row.point)
                    .map(|((key, p), v)| {
                        let v = super::sweep::value_text(key, v);
                        // With more than one parameter the legend's title
                        // names them, and each entry gives the values.
                        if params.len() == 1 {
                            format!("{p} = {v}")
                        } else {
                            v
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let i = match points.iter().position(|p| *p == label) {
                    Some(i) => i,
                    None => {
                        points.push(label);
                        points.len() - 1
                    }
                };
                point_of.insert(row.run_id, i);
            }
        }
    }

    let mut policies: Vec<String> = Vec::new();
    for r in &rows {
        if !policies.contains(&r.policy) {
            policies.push(r.policy.clone());
        }
    }
    // In an ablation, legacy and hotfix only: the bar charts show the
    // knobs alone.
    let has = |p: &str| policies.iter().any(|q| q == p);
    let dropped = if policies.len() > 2 && has("legacy") && has("hotfix") {
        policies.len() - 2
    } else {
        0
    };
    let shown = |p: &str| dropped == 0 || p == "legacy" || p == "hotfix";

    let mut order: Vec<String> = Vec::new();
    let mut series: BTreeMap<String, Groups> = BTreeMap::new();
    let mut end_s: f64 = 0.0;
    for r in &rows {
        end_s = end_s.max(r.time_s);
        if !series.contains_key(&r.series) {
            order.push(r.series.clone());
        }
        let groups = series.entry(r.series.clone()).or_default();
        let Some(v) = r.value else { continue };
        if !shown(&r.policy) {
            continue;
        }
        let p = policies.iter().position(|q| *q == r.policy).unwrap_or(0);
        let g = point_of.get(&r.run_id).copied().unwrap_or(0);
        groups
            .entry((p, g))
            .or_default()
            .entry((r.time_s * 1000.0).round() as i64)
            .or_default()
            .push(v);
    }

    let (x_axis, x_unit) = axis::time(end_s);
    let with_points = !points.is_empty();
    for name in order {
        let groups = &series[&name];
        if super::constant(groups.values().flat_map(|t| t.values().flatten()).copied()) {
            out.constant_series += 1;
            continue;
        }
        let def = words::series(&name);
        let mut lines = Vec::new();
        let (mut n_min, mut n_max) = (u64::MAX, 0u64);
        let mut max_abs: f64 = 0.0;
        let mut nonnegative = true;
        for (&(p, g), times) in groups {
            let mut pts = Vec::new();
            let mut n = 0;
            for (&t, vals) in times {
                let s = summarize(vals);
                n = n.max(s.n as u64);
                max_abs = max_abs.max(s.mean.abs() + s.ci95.unwrap_or(0.0));
                nonnegative &= vals.iter().all(|v| *v >= 0.0);
                pts.push((t as f64 / 1000.0 / x_unit, s.mean, s.ci95));
            }
            n_min = n_min.min(n);
            n_max = n_max.max(n);
            let policy = &policies[p];
            let label = if with_points {
                format!("{policy}, {}", points.get(g).map_or("", String::as_str))
            } else {
                policy.clone()
            };
            lines.push(Line {
                label,
                style: line_style(policy, p, with_points.then_some(g)),
                points: pts,
            });
        }
        let unit = def.map_or("", |d| d.unit.as_str());
        let (unit_label, factor) = display_unit(unit, max_abs);
        for l in &mut lines {
            for p in &mut l.points {
                p.1 /= factor;
                p.2 = p.2.map(|h| h / factor);
            }
        }
        let title = def.map_or_else(|| name.clone(), |d| words::meaning(d, &name));
        let subtitle = words::subtitle(&name, def, &[ctx.scenario.clone().unwrap_or_default()]);
        let y_label = if unit_label.is_empty() {
            name.clone()
        } else {
            format!("{name} ({unit_label})")
        };
        let mut caption = vec![band_caption(n_min.min(n_max), n_max)];
        if dropped > 0 {
            caption.push(format!(
                "Only legacy and hotfix are drawn; the ablation charts show each of the {dropped} hotfix knobs alone."
            ));
        }
        let legend_title = if with_points {
            format!("policy, {}", params.join(", "))
        } else {
            "policy".to_string()
        };
        let chart = LineChart {
            title: title.clone(),
            subtitle,
            x: x_axis.clone(),
            y_label,
            nonnegative,
            lines,
            legend_title,
            caption,
            dodge: false,
        };
        out.charts.push(Chart {
            section: Section::Series,
            name,
            title,
            headline: false,
            svg: chart.svg(),
        });
    }
    Ok(())
}
