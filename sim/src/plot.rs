//! `smssim plot`: one SVG line chart per time series of a results folder,
//! one line per run, coloured by policy. Plain SVG, no dependencies.

use crate::input::bad;
use anyhow::Context;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const COLORS: [&str; 8] = [
    "#c0392b", "#2471a3", "#229954", "#b7950b", "#7d3c98", "#ca6f1e", "#17a589", "#566573",
];

type Lines = BTreeMap<(String, String), Vec<(f64, f64)>>;

/// Draws every series of `results/timeseries.csv` into `out`.
pub fn plot(results: &Path, out: Option<&Path>) -> anyhow::Result<()> {
    let file = results.join("timeseries.csv");
    if !file.exists() {
        return bad(format!(
            "{}: no timeseries.csv here: expected a results folder of smssim run/compare/sweep",
            results.display()
        ));
    }
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
            .push((t / 3600.0, v));
    }
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| results.join("plots"));
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    for (name, lines) in &series {
        let svg = chart(name, lines, &policies);
        let path = out.join(format!("{}.svg", name.replace(['/', '\\', ' '], "_")));
        smssim_results::atomic::write_atomic(&path, svg.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!("wrote {} charts to {}", series.len(), out.display());
    Ok(())
}

fn chart(title: &str, lines: &Lines, policies: &[String]) -> String {
    let (w, h, l, r, t, b) = (720.0, 360.0, 70.0, 20.0, 40.0, 50.0);
    let pts = lines.values().flatten();
    let xmax = pts.clone().map(|p| p.0).fold(0.0, f64::max).max(1e-9);
    let ymax = pts.map(|p| p.1).fold(0.0, f64::max).max(1e-9);
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
        r#"<text x="{}" y="{}" text-anchor="middle">hours</text>"#,
        (l + w - r) / 2.0,
        h - 12.0
    );
    for ((_, policy), p) in lines {
        let ci = policies.iter().position(|q| q == policy).unwrap_or(0) % COLORS.len();
        let path: Vec<String> = p
            .iter()
            .map(|&(x, y)| format!("{:.1},{:.1}", sx(x), sy(y)))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{}" stroke-width="1.5" points="{}"/>"#,
            COLORS[ci],
            path.join(" ")
        );
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
