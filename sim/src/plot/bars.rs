//! Bar charts of the headline metrics: legacy, each hotfix knob alone and
//! hotfix from `ablation.csv`, or the two policies of `compare.csv`
//! (legacy and hotfix unless it compared two others).

use super::axis::{self, display_unit};
use super::svg::{Bar, BarChart, HOTFIX, LEGACY, ONE_KNOB};
use super::{words, Chart, Charts, Context, Section};
use smssim_results::read;
use std::collections::BTreeMap;
use std::path::Path;

/// One policy's bar before scaling: its name, mean, interval and change,
/// and its colour where its name does not decide it.
struct Raw {
    policy: String,
    mean: f64,
    half: Option<f64>,
    change: Option<f64>,
    color: Option<&'static str>,
}

fn caption(ctx: &Context, base: &str, legacy_interval: bool) -> Vec<String> {
    let n = ctx.replications.map_or_else(
        || "the replications".to_string(),
        |n| format!("{n} replications"),
    );
    let mut c = vec![format!(
        "Bars: mean over {n}; whiskers: 95 % confidence interval of the mean; right of each bar: the mean and its change from {base}."
    )];
    if !legacy_interval {
        c.push("Legacy's interval is not in ablation.csv (compare.csv, which has it, is missing), so its bar has no whisker.".to_string());
    }
    c
}

/// Draws the chart of headline `metric` from `raws` (the base first) into
/// `out`, unless every bar has the same value.
#[allow(clippy::too_many_arguments)]
fn push(
    metric: &str,
    symptom: &str,
    unit: &str,
    raws: &[Raw],
    legend: Vec<(&'static str, String)>,
    caption: Vec<String>,
    section: Section,
    out: &mut Charts,
) {
    if super::constant(raws.iter().map(|r| r.mean)) {
        out.constant_metrics += 1;
        return;
    }
    let def = words::metric(metric);
    let max_abs = raws
        .iter()
        .map(|r| r.mean.abs() + r.half.unwrap_or(0.0))
        .fold(0.0, f64::max);
    let (unit_label, f) = display_unit(unit, max_abs);
    let bars = raws
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let value = r.mean / f;
            let mut note = axis::value(value);
            // Every bar but the base's says its change from the base.
            if i > 0 {
                if let Some(c) = r.change {
                    note = format!("{note} ({})", axis::change(c));
                }
            }
            let (label, named_color) = match r.policy.as_str() {
                "legacy" => ("legacy".to_string(), LEGACY),
                "hotfix" => ("hotfix (every knob)".to_string(), HOTFIX),
                p => (
                    match p.strip_prefix("legacy+") {
                        Some(k) => format!("legacy + {k}"),
                        None => p.to_string(),
                    },
                    ONE_KNOB,
                ),
            };
            Bar {
                label,
                value,
                half: r.half.map(|h| h / f),
                color: r.color.unwrap_or(named_color),
                note,
            }
        })
        .collect();
    let mut title = words::headline_title(metric).unwrap_or_else(|| symptom.to_string());
    if let Some(a) = def.and_then(|d| d.article) {
        title = format!("{title} — {a}");
    }
    let subtitle = match def {
        Some(d) => format!("{metric}: {}", d.meaning),
        None => metric.to_string(),
    };
    let x_label = if unit_label.is_empty() {
        metric.to_string()
    } else {
        format!("{metric} ({unit_label})")
    };
    let chart = BarChart {
        title: title.clone(),
        subtitle,
        x_label,
        bars,
        legend,
        caption,
    };
    out.charts.push(Chart {
        section,
        name: metric.to_string(),
        title,
        headline: true,
        svg: chart.svg(),
    });
}

/// One chart per headline metric of `ablation.csv`; legacy's interval
/// from `compare.csv` where there is one.
pub fn ablation(
    file: &Path,
    compare: Option<&Path>,
    ctx: &Context,
    out: &mut Charts,
) -> anyhow::Result<()> {
    let rows = read::ablation(file)?;
    // An ablation is only ever made with compare's default pair, whose
    // base is legacy.
    let legacy_ci: BTreeMap<String, Option<f64>> = match compare {
        Some(c) => read::compare(c)?
            .rows
            .into_iter()
            .map(|r| (r.metric, r.base_ci95))
            .collect(),
        None => BTreeMap::new(),
    };
    for (metric, symptom) in words::headlines() {
        let of: Vec<&read::AblationRow> = rows.iter().filter(|r| r.metric == metric).collect();
        let Some(first) = of.first() else { continue };
        let Some(legacy) = first.legacy_mean else {
            continue;
        };
        let mut raws = vec![Raw {
            policy: "legacy".into(),
            mean: legacy,
            half: legacy_ci.get(metric).copied().flatten(),
            change: None,
            color: None,
        }];
        // The knobs in file order, then hotfix.
        let mut knobs: Vec<&&read::AblationRow> =
            of.iter().filter(|r| r.policy != "hotfix").collect();
        knobs.extend(of.iter().filter(|r| r.policy == "hotfix"));
        for r in knobs {
            let Some(mean) = r.mean else { continue };
            raws.push(Raw {
                policy: r.policy.clone(),
                mean,
                half: r.ci95,
                change: r.change_pct,
                color: None,
            });
        }
        let legend = vec![
            (LEGACY, "legacy".to_string()),
            (ONE_KNOB, "legacy with one hotfix knob on".to_string()),
            (HOTFIX, "hotfix: every knob on".to_string()),
        ];
        push(
            metric,
            &symptom,
            &first.unit,
            &raws,
            legend,
            caption(ctx, "legacy", compare.is_some()),
            Section::Ablation,
            out,
        );
    }
    Ok(())
}

/// One chart per headline metric of `compare.csv`: its two policies, the
/// base first (legacy and hotfix by default). Other policies take the
/// colours of legacy and hotfix by position.
pub fn compare(file: &Path, ctx: &Context, out: &mut Charts) -> anyhow::Result<()> {
    let c = read::compare(file)?;
    for (metric, symptom) in words::headlines() {
        let Some(r) = c.rows.iter().find(|r| r.metric == metric) else {
            continue;
        };
        let (Some(l), Some(h)) = (r.base_mean, r.other_mean) else {
            continue;
        };
        let raws = [
            Raw {
                policy: c.base.clone(),
                mean: l,
                half: r.base_ci95,
                change: None,
                color: Some(LEGACY),
            },
            Raw {
                policy: c.other.clone(),
                mean: h,
                half: r.other_ci95,
                change: r.change_pct,
                color: Some(HOTFIX),
            },
        ];
        let legend = vec![(LEGACY, c.base.clone()), (HOTFIX, c.other.clone())];
        push(
            metric,
            &symptom,
            &r.unit,
            &raws,
            legend,
            caption(ctx, &c.base, true),
            Section::Compare,
            out,
        );
    }
    Ok(())
}
