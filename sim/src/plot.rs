//! `smssim plot`: SVG line charts of a results folder. Plain SVG, no
//! dependencies.
//!
//! - `timeseries.csv`: one chart per series, one line per run, coloured by
//!   policy, against simulated hours.
//! - `sweep.csv` (a one-parameter sweep): one chart per metric, the mean
//!   against the varied value, one line per policy, with the 95 % interval
//!   as whiskers; written under `sweep/`.

use crate::input::bad;
use anyhow::Context;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const COLORS: [&str; 8] = [
    "#c0392b", "#2471a3", "#229954", "#b7950b", "#7d3c98", "#ca6f1e", "#17a589", "#566573",
];

/// Points `(x, y, half-width of the interval)` by (run or group, policy).
type Lines = BTreeMap<(String, String), Vec<(f64, f64, f64)>>;

/// Draws the time series and the sweep curves of `results` into `out`.
pub fn plot(results: &Path, out: Option<&Path>) -> anyhow::Result<()> {
    let has_series = results.join("timeseries.csv").exists();
    let has_sweep = results.join("sweep.csv").exists();
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
        written += plot_series(results, &out)?;
    }
    if has_sweep {
        written += plot_sweep(results, &out.join("sweep"))?;
    }
    println!("wrote {written} charts to {}", out.display());
    Ok(())
}

fn create_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
}

fn write_chart(dir: &Path, name: &str, svg: &str) -> anyhow::Result<()> {
    let path = dir.join(format!("{}.svg", name.replace(['/', '\\', ' '], "_")));
    smssim_results::atomic::write_atomic(&path, svg.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// One chart per metric of a one-parameter `sweep.csv`.
fn plot_sweep(results: &Path, out: &Path) -> anyhow::Result<usize> {
    let file = results.join("sweep.csv");
    let mut reader =
        csv::Reader::from_path(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("cannot read {}", file.display()))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(pol), Some(met), Some(mean), Some(ci)) =
        (col("policy"), col("metric"), col("mean"), col("ci95"))
    else {
        return bad(format!(
            "{}: expected the columns policy, metric, mean and ci95",
            file.display()
        ));
    };
    if pol != 1 {
        return bad(format!(
            "{}: {} parameters were varied; charts need exactly one (draw them from sweep.csv yourself)",
            file.display(),
            pol
        ));
    }
    let param = headers[0].to_string();
    let mut metrics: BTreeMap<String, Lines> = BTreeMap::new();
    let mut policies: Vec<String> = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.with_context(|| format!("{}: row {}", file.display(), i + 2))?;
        let (Ok(x), Ok(y)) = (row[0].parse::<f64>(), row[mean].parse::<f64>()) else {
            return bad(format!(
                "{}: row {}: expected numbers in {param} and mean",
                file.display(),
                i + 2
            ));
        };
        let e = row[ci].parse::<f64>().unwrap_or(0.0);
        let policy = row[pol].to_string();
        if !policies.contains(&policy) {
            policies.push(policy.clone());
        }
        metrics
            .entry(row[met].to_string())
            .or_default()
            .entry((String::new(), policy))
            .or_default()
            .push((x, y, e));
    }
    create_dir(out)?;
    for (name, lines) in &mut metrics {
        for p in lines.values_mut() {
            p.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        write_chart(out, name, &chart(name, &param, lines, &policies, true))?;
    }
    Ok(metrics.len())
}

/// One chart per series of `timeseries.csv`.
fn plot_series(results: &Path, out: &Path) -> anyhow::Result<usize> {
    let file = results.join("timeseries.csv");
    let mut reader =
        csv::Reader::from_path(&file).with_context(|| format!("cannot read {}", file.display()))?;
    // series -> (run_id, policy) -> points
    let mut series: BTreeMap<String, Lines> = BTreeMap::new();
    let mut policies: Vec<String> = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.with_context(|| format!("{}: row {}", file.display(), i + 2))?;
        let (run, policy, t, name, v) = (&row[0], &row[1], &row[2], &row[3], &row[4]);
        let (Ok(t), Ok(v)) = (t.parse::<f64>(), v.parse::<f64>()) else {
            return bad(format!(
                "{}: row {}: expected numbers in time_s and value",
                file.display(),
                i + 2
            ));
        };
        if !policies.iter().any(|p| p == policy) {
            policies.push(policy.to_string());
        }
        series
            .entry(name.to_string())
            .or_default()
            .entry((run.to_string(), policy.to_string()))
            .or_default()
            .push((t / 3600.0, v, 0.0));
    }
    create_dir(out)?;
    for (name, lines) in &series {
        write_chart(out, name, &chart(name, "hours", lines, &policies, false))?;
    }
    Ok(series.len())
}

fn chart(title: &str, xlabel: &str, lines: &Lines, policies: &[String], marks: bool) -> String {
    let (w, h, l, r, t, b) = (720.0, 360.0, 70.0, 20.0, 40.0, 50.0);
    let pts = lines.values().flatten();
    let xmax = pts.clone().map(|p| p.0).fold(0.0, f64::max).max(1e-9);
    let ymax = pts.map(|p| p.1 + p.2).fold(0.0, f64::max).max(1e-9);
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
            r#"<text x="{}" y="{}" fill="{}" text-anchor="end">{p}</text>"#,
            w - r,
            y + 10.0,
            COLORS[i % COLORS.len()]
        );
    }
    s.push_str("</svg>\n");
    s
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
