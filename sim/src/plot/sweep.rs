//! Sweep charts: each metric against the first varied parameter, one line
//! per policy and value of the other parameters, with a 95 % band.

use super::axis::{self, display_unit, Axis};
use super::svg::{Line, LineChart};
use super::{band_caption, line_style, words, Chart, Charts, Context, Section};
use smssim_engine::Duration;
use smssim_results::read;
use std::collections::BTreeMap;
use std::path::Path;

/// How a parameter's values are placed on the x axis.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    /// Plain numbers.
    Number,
    /// Durations (`90s`, `15m`, `2h`, or plain seconds under a header
    /// ending in `_s`), in seconds.
    Duration,
    /// Anything else: one place per value, in order of appearance.
    Category(Vec<String>),
}

/// Reads the values of parameter `name` as numbers, durations or
/// categories; returns the scale and each value's position (seconds for
/// durations, the index for categories).
pub fn classify(name: &str, values: &[String]) -> (Scale, Vec<f64>) {
    let numbers: Option<Vec<f64>> = values
        .iter()
        .map(|v| v.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
        .collect();
    if let Some(xs) = &numbers {
        let scale = if name.ends_with("_s") {
            Scale::Duration
        } else {
            Scale::Number
        };
        return (scale, xs.clone());
    }
    let durations: Option<Vec<f64>> = values
        .iter()
        .map(|v| v.parse::<Duration>().ok().map(Duration::secs_f64))
        .collect();
    if let Some(xs) = durations {
        return (Scale::Duration, xs);
    }
    let mut cats: Vec<String> = Vec::new();
    let xs = values
        .iter()
        .map(|v| {
            let i = match cats.iter().position(|c| c == v) {
                Some(i) => i,
                None => {
                    cats.push(v.clone());
                    cats.len() - 1
                }
            };
            i as f64
        })
        .collect();
    (Scale::Category(cats), xs)
}

/// A parameter's value as a legend shows it: seconds under a `_s` header
/// with their unit (`30 s`), anything else as written.
pub fn value_text(key: &str, value: &str) -> String {
    if key.ends_with("_s") && value.parse::<f64>().is_ok() {
        // A no-break space keeps the number with its unit in a legend.
        format!("{value}\u{a0}s")
    } else {
        value.to_string()
    }
}

/// The x axis for a parameter: its values (already in the axis' unit for
/// numbers and categories, in seconds for durations) and its words.
/// Returns the axis and the factor that turns a value into its unit.
fn x_axis(name: &str, scale: &Scale, xs: &[f64]) -> (Axis, f64) {
    let words = words::param(name);
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    match scale {
        Scale::Category(cats) => {
            let axis = Axis {
                lo: -0.5,
                hi: cats.len() as f64 - 0.5,
                log: false,
                ticks: cats
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (i as f64, c.clone()))
                    .collect(),
                label: words,
            };
            (axis, 1.0)
        }
        Scale::Number | Scale::Duration => {
            let (unit, factor) = if *scale == Scale::Duration {
                display_unit("s", hi.abs().max(lo.abs()))
            } else {
                (String::new(), 1.0)
            };
            let label = if unit.is_empty() {
                words
            } else {
                format!("{words} ({unit})")
            };
            let (lo, hi) = (lo / factor, hi / factor);
            let axis = if axis::wants_log(lo, hi) {
                axis::log(lo, hi, label)
            } else {
                axis::linear(lo, hi, 6, label)
            };
            (axis, factor)
        }
    }
}

/// Adds a chart per metric of the sweep `file` that is not constant to
/// `out`, headline metrics first.
pub fn charts(file: &Path, ctx: &Context, out: &mut Charts) -> anyhow::Result<()> {
    let sweep = read::sweep(file)?;
    let first: Vec<String> = sweep.rows.iter().map(|r| r.point[0].clone()).collect();
    let (scale, xs) = classify(&sweep.params[0], &first);
    let (x_axis, factor) = x_axis(&sweep.params[0], &scale, &xs);
    let rest: Vec<String> = sweep.params[1..].iter().map(|p| words::param(p)).collect();
    let rest_keys = &sweep.params[1..];

    let mut policies: Vec<String> = Vec::new();
    let mut variants: Vec<String> = Vec::new();
    let mut order: Vec<String> = Vec::new();
    let mut units: BTreeMap<String, String> = BTreeMap::new();
    // metric → (policy, variant) → points (x, mean, ci95, n)
    type Points = Vec<(f64, f64, Option<f64>, u64)>;
    let mut metrics: BTreeMap<String, BTreeMap<(usize, usize), Points>> = BTreeMap::new();
    for (row, x) in sweep.rows.iter().zip(&xs) {
        if !policies.contains(&row.policy) {
            policies.push(row.policy.clone());
        }
        let variant = rest
            .iter()
            .zip(rest_keys)
            .zip(&row.point[1..])
            .map(|((p, key), v)| {
                if rest.len() == 1 {
                    format!("{p} = {}", value_text(key, v))
                } else {
                    value_text(key, v)
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let v = match variants.iter().position(|q| *q == variant) {
            Some(i) => i,
            None => {
                variants.push(variant);
                variants.len() - 1
            }
        };
        let p = policies.iter().position(|q| *q == row.policy).unwrap_or(0);
        if !metrics.contains_key(&row.metric) {
            order.push(row.metric.clone());
            units.insert(row.metric.clone(), row.unit.clone());
        }
        let lines = metrics.entry(row.metric.clone()).or_default();
        // A mean that is not defined has no point to draw.
        if let Some(mean) = row.mean {
            lines
                .entry((p, v))
                .or_default()
                .push((x / factor, mean, row.ci95, row.n));
        }
    }
    // Headline metrics first, each group in file (catalogue) order.
    order.sort_by_key(|m| !words::is_headline(m));

    let with_variants = !rest.is_empty();
    let meaning = words::param_meaning(&sweep.params[0]);
    let x_words = words::param(&sweep.params[0]);
    for name in order {
        let lines = &metrics[&name];
        if super::constant(lines.values().flatten().map(|p| p.1)) {
            out.constant_metrics += 1;
            continue;
        }
        let def = words::metric(&name);
        let unit = units.get(&name).cloned().unwrap_or_default();
        let max_abs = lines
            .values()
            .flatten()
            .map(|p| p.1.abs() + p.2.unwrap_or(0.0))
            .fold(0.0, f64::max);
        let (unit_label, yf) = display_unit(&unit, max_abs);
        let nonnegative = lines.values().flatten().all(|p| p.1 >= 0.0);
        let (mut n_min, mut n_max) = (u64::MAX, 0);
        let mut drawn = Vec::new();
        for (&(p, v), pts) in lines {
            let mut pts = pts.clone();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            for q in &pts {
                n_min = n_min.min(q.3);
                n_max = n_max.max(q.3);
            }
            let policy = &policies[p];
            let label = if with_variants {
                format!("{policy}, {}", variants[v])
            } else {
                policy.clone()
            };
            drawn.push(Line {
                label,
                style: line_style(policy, p, with_variants.then_some(v)),
                points: pts
                    .iter()
                    .map(|q| (q.0, q.1 / yf, q.2.map(|h| h / yf)))
                    .collect(),
            });
        }
        // A headline metric is titled by its symptom, its meaning below.
        let meaning_words = def.map_or_else(|| name.clone(), |d| d.meaning.to_string());
        let (title, mut rest_words) = match words::headline_title(&name) {
            Some(t) => (t, vec![meaning_words]),
            None => (meaning_words, Vec::new()),
        };
        rest_words.push(format!("against {x_words}"));
        if let Some(s) = &ctx.scenario {
            rest_words.push(format!("sweep of {s}"));
        }
        let subtitle = words::subtitle(&name, def, &rest_words);
        let y_label = if unit_label.is_empty() {
            name.clone()
        } else {
            format!("{name} ({unit_label})")
        };
        let mut caption = vec![band_caption(n_min.min(n_max), n_max)];
        if let Some(m) = &meaning {
            caption.push(format!("{x_words}: {m}"));
        }
        let chart = LineChart {
            title: title.clone(),
            subtitle,
            x: x_axis.clone(),
            y_label,
            nonnegative,
            lines: drawn,
            legend_title: if with_variants {
                format!("policy, {}", rest.join(", "))
            } else {
                "policy".to_string()
            },
            caption,
            dodge: true,
        };
        out.charts.push(Chart {
            section: Section::Sweep,
            headline: words::is_headline(&name),
            name,
            title,
            svg: chart.svg(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parameters_are_numbers_durations_or_categories() {
        let (s, xs) = classify("a", &strings(&["250", "500", "1e3"]));
        assert_eq!((s, xs), (Scale::Number, vec![250.0, 500.0, 1000.0]));
        let (s, xs) = classify("a", &strings(&["1s", "90s", "15m", "2h", "0"]));
        assert_eq!(s, Scale::Duration);
        assert_eq!(xs, [1.0, 90.0, 900.0, 7200.0, 0.0]);
        let (s, xs) = classify("delay_s", &strings(&["30", "60"]));
        assert_eq!((s, xs), (Scale::Duration, vec![30.0, 60.0]));
        let (s, xs) = classify("version", &strings(&["sp1", "sp2", "sp1"]));
        assert_eq!(s, Scale::Category(strings(&["sp1", "sp2"])));
        assert_eq!(xs, [0.0, 1.0, 0.0]);
    }

    #[test]
    fn duration_axes_speak_minutes_or_hours() {
        let (a, f) = x_axis("x.delay", &Scale::Duration, &[60.0, 3600.0]);
        assert_eq!(f, 60.0);
        assert_eq!(a.label, "delay (minutes)");
        let (a, _) = x_axis("n", &Scale::Number, &[1.0, 1000.0]);
        assert!(a.log);
    }
}
