//! `smssim plot`: SVG line charts of a results folder. Plain SVG, no
//! dependencies.
//!
//! - `timeseries.csv`: one chart per series, one line per run, coloured by
//!   policy, against simulated hours.
//! - `sweep.csv` (a one-parameter sweep): one chart per metric, the mean
//!   against the varied value, one line per policy, with the 95 % interval
//!   as whiskers; written under `sweep/`.
//!
//! The files are read by [`smssim_results::read`], so a malformed one is an
//! input error naming the file and line. Text taken from them (series,
//! metric, parameter and policy names) is escaped wherever it enters the
//! SVG, and chart file names made from series and metric names keep to
//! letters, digits, `.`, `-` and `_`, start with no dot and are bounded in
//! length, so every chart lands inside the output folder.

use crate::input::bad;
use anyhow::Context;
use smssim_results::read;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

const COLORS: [&str; 8] = [
    "#c0392b", "#2471a3", "#229954", "#b7950b", "#7d3c98", "#ca6f1e", "#17a589", "#566573",
];

/// Points `(x, y, half-width of the interval)` by (run or group, policy).
type Lines = BTreeMap<(String, String), Vec<(f64, f64, f64)>>;

/// Draws the time series and the sweep curves of `results` into `out`.
pub fn plot(results: &Path, out: Option<&Path>) -> anyhow::Result<()> {
    let series_file = results.join("timeseries.csv");
    let sweep_file = results.join("sweep.csv");
    let has_series = series_file.exists();
    let has_sweep = sweep_file.exists();
    if !has_series && !has_sweep {
        return bad(format!(
            "{}: no timeseries.csv or sweep.csv here: expected a results folder of smssim run/compare/sweep",
            results.display()
        ));
    }
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| results.join("plots"));
    let mut written = 0;
    if has_series {
        written += plot_series(&series_file, &out)?;
    }
    if has_sweep {
        written += plot_sweep(&sweep_file, &out.join("sweep"))?;
    }
    println!("wrote {written} charts to {}", out.display());
    Ok(())
}

fn create_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

/// Writes one chart per entry of `charts` (a name and its SVG) into `dir`,
/// each under a file name made safe from its name, two names that come out
/// alike told apart by a number.
fn write_charts(dir: &Path, charts: &[(String, String)]) -> anyhow::Result<usize> {
    create_dir(dir)?;
    let mut used: BTreeSet<String> = BTreeSet::new();
    for (name, svg) in charts {
        let base = file_stem(name);
        let mut stem = base.clone();
        let mut k = 2;
        while !used.insert(stem.to_ascii_lowercase()) {
            stem = format!("{base}-{k}");
            k += 1;
        }
        let path = dir.join(format!("{stem}.svg"));
        smssim_results::atomic::write_atomic(&path, svg.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(charts.len())
}

/// The longest file name stem derived from a series or metric name.
const MAX_STEM: usize = 100;

/// A file name stem for a chart of `name`: ASCII letters, digits, `.`, `-`
/// and `_` kept, anything else (a path separator, a space) made `_`; no
/// leading dot; at most [`MAX_STEM`] characters; never empty.
fn file_stem(name: &str) -> String {
    let mut stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_STEM)
        .collect();
    if stem.is_empty() || stem.starts_with('.') {
        stem.replace_range(..0, "_");
        stem.truncate(MAX_STEM);
    }
    stem
}

/// `s` made safe as SVG text or an attribute value: `&`, `<`, `>`, `"` and
/// `'` escaped, and characters XML does not allow (control characters
/// other than tab and line breaks) replaced by U+FFFD.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// One chart per metric of a one-parameter `sweep.csv`.
fn plot_sweep(file: &Path, out: &Path) -> anyhow::Result<usize> {
    let sweep = read::sweep(file)?;
    if sweep.params.len() != 1 {
        return bad(format!(
            "{}: {} parameters were varied; charts need exactly one (draw them from sweep.csv yourself)",
            file.display(),
            sweep.params.len()
        ));
    }
    let param = &sweep.params[0];
    let mut metrics: BTreeMap<String, Lines> = BTreeMap::new();
    let mut policies: Vec<String> = Vec::new();
    for row in sweep.rows {
        let text = row.point.first().map_or("", String::as_str);
        let Some(x) = text.parse::<f64>().ok().filter(|x| x.is_finite()) else {
            let shown: String = text.chars().take(40).collect();
            return bad(format!(
                "{}:{}: column {param:?}: expected a finite number to draw against, found {shown:?}",
                file.display(),
                row.line,
            ));
        };
        // A mean that is not defined has no point to draw.
        let Some(y) = row.mean else { continue };
        let e = row.ci95.unwrap_or(0.0);
        if !policies.contains(&row.policy) {
            policies.push(row.policy.clone());
        }
        metrics
            .entry(row.metric)
            .or_default()
            .entry((String::new(), row.policy))
            .or_default()
            .push((x, y, e));
    }
    let mut charts = Vec::new();
    for (name, lines) in &mut metrics {
        for p in lines.values_mut() {
            p.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        charts.push((name.clone(), chart(name, param, lines, &policies, true)));
    }
    write_charts(out, &charts)
}

/// One chart per series of `timeseries.csv`.
fn plot_series(file: &Path, out: &Path) -> anyhow::Result<usize> {
    // series -> (run_id, policy) -> points
    let mut series: BTreeMap<String, Lines> = BTreeMap::new();
    let mut policies: Vec<String> = Vec::new();
    for row in read::timeseries(file)? {
        // A value that is not defined has no point to draw.
        let Some(v) = row.value else { continue };
        if !policies.contains(&row.policy) {
            policies.push(row.policy.clone());
        }
        series
            .entry(row.series)
            .or_default()
            .entry((row.run_id.to_string(), row.policy))
            .or_default()
            .push((row.time_s / 3600.0, v, 0.0));
    }
    let charts: Vec<(String, String)> = series
        .iter()
        .map(|(name, lines)| (name.clone(), chart(name, "hours", lines, &policies, false)))
        .collect();
    write_charts(out, &charts)
}

fn chart(title: &str, xlabel: &str, lines: &Lines, policies: &[String], marks: bool) -> String {
    let (w, h, l, r, t, b) = (720.0, 360.0, 70.0, 20.0, 40.0, 50.0);
    let (title, xlabel) = (esc(title), esc(xlabel));
    let pts = lines.values().flatten();
    let xmax = finite_max(pts.clone().map(|p| p.0));
    let ymax = finite_max(pts.map(|p| p.1 + p.2));
    let sx = |x: f64| l + x / xmax * (w - l - r);
    let sy = |y: f64| h - b - y / ymax * (h - t - b);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        s,
        r#"<rect width="100%" height="100%" fill="white"/><text x="{l}" y="24" font-size="14">{title}</text>"#
    );
    let _ = writeln!(
        s,
        r#"<line x1="{l}" y1="{}" x2="{}" y2="{}" stroke="black"/><line x1="{l}" y1="{t}" x2="{l}" y2="{}" stroke="black"/>"#,
        h - b,
        w - r,
        h - b,
        h - b
    );
    for k in 0..=4 {
        let y = ymax * k as f64 / 4.0;
        let x = xmax * k as f64 / 4.0;
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            l - 6.0,
            sy(y) + 4.0,
            short(y)
        );
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            sx(x),
            h - b + 16.0,
            short(x)
        );
    }
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">{xlabel}</text>"#,
        (l + w - r) / 2.0,
        h - 12.0
    );
    for ((_, policy), p) in lines {
        let ci = policies.iter().position(|q| q == policy).unwrap_or(0) % COLORS.len();
        let path: Vec<String> = p
            .iter()
            .map(|&(x, y, _)| format!("{:.1},{:.1}", sx(x), sy(y)))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>"#,
            COLORS[ci],
            path.join(" ")
        );
        if marks {
            for &(x, y, e) in p {
                let _ = writeln!(
                    s,
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{c}"/><line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{c}"/>"#,
                    sx(x),
                    sy(y),
                    sx(x),
                    sy((y - e).max(0.0)),
                    sx(x),
                    sy(y + e),
                    c = COLORS[ci]
                );
            }
        }
    }
    for (i, p) in policies.iter().enumerate() {
        let y = t + 14.0 * i as f64;
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" fill="{}" text-anchor="end">{}</text>"#,
            w - r,
            y + 10.0,
            COLORS[i % COLORS.len()],
            esc(p)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// The largest of `values` and a tiny positive number, kept finite (the
/// values are finite, but a mean plus its interval may overflow).
fn finite_max(values: impl Iterator<Item = f64>) -> f64 {
    values.fold(0.0, f64::max).clamp(1e-9, f64::MAX)
}

fn short(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}
