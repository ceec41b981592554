//! `smssim report DIR`: one self-contained HTML file per results folder,
//! to read in any browser or attach to a change request: the scenario and
//! the command that made the folder, what the hotfixes change (means with
//! 95 % intervals from `compare.csv`, headline metrics first), the charts
//! of `smssim plot` inline, links to the CSV files and the manifest.
//!
//! The page needs no network and no JavaScript; every text from the files
//! is escaped; the same folder gives the same bytes.

use crate::plot::axis::{change, display_unit, value};
use crate::plot::svg::esc;
use crate::plot::{self, words, Chart, Section};
use anyhow::Context as _;
use serde_json::Value;
use smssim_results::read;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

const STYLE: &str = "
body{font-family:Helvetica,Arial,'Liberation Sans','DejaVu Sans',sans-serif;color:#222;margin:0 auto;max-width:960px;padding:24px 20px 60px;line-height:1.45}
h1{font-size:26px;margin:0 0 6px}
h2{font-size:20px;margin:36px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:16px;margin:24px 0 8px}
p.lead{color:#555;margin-top:0}
nav ul{margin:6px 0;padding-left:20px}
pre{background:#f5f5f5;padding:10px 12px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font-size:13px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:14px;width:100%}
th,td{border-bottom:1px solid #e2e2e2;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.better{color:#006b4f;font-weight:bold}
td.worse{color:#a3361a;font-weight:bold}
code{font-size:13px}
figure{margin:18px 0;page-break-inside:avoid;break-inside:avoid}
figure svg{max-width:100%;height:auto;display:block;border:1px solid #eee}
.note{color:#555;font-size:14px}
dl{display:grid;grid-template-columns:max-content auto;gap:4px 16px;font-size:14px}
dt{font-weight:bold}
dd{margin:0;word-break:break-all}
";

/// The CSV files a results folder may hold, and what each is.
const FILES: [(&str, &str); 7] = [
    (
        "compare.csv",
        "legacy against hotfix per metric: means, 95 % intervals, change",
    ),
    ("ablation.csv", "each hotfix knob alone, per metric"),
    (
        "sweep.csv",
        "mean and 95 % interval per grid point, policy and metric",
    ),
    ("metrics.csv", "every metric of every run"),
    (
        "timeseries.csv",
        "every series of every run at each sample time",
    ),
    (
        "runs.csv",
        "one row per run: policy, replication, seed, grid point",
    ),
    ("manifest.json", "what produced the folder"),
];

/// Writes the report of `dir` to `out` (default `DIR/report.html`).
pub fn report(dir: &Path, out: Option<&Path>) -> anyhow::Result<()> {
    let charts = plot::build(dir)?;
    let out: PathBuf = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.join("report.html"));
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let links = relative(&parent, dir);
    let html = render(dir, &links, &charts)?;
    smssim_results::atomic::write_atomic(&out, html.as_bytes())
        .with_context(|| format!("cannot write {}", out.display()))?;
    crate::say!(
        "wrote {} ({} charts) for {}",
        out.display(),
        charts.charts.len(),
        dir.display()
    )?;
    let skipped = plot::skipped(&charts);
    if !skipped.is_empty() {
        crate::say!("{skipped}")?;
    }
    Ok(())
}

/// The path from folder `from` to folder `to`, `/`-separated, ending in
/// `/` unless empty; absolute (`file:` style) if no relative one is found.
fn relative(from: &Path, to: &Path) -> String {
    let (Ok(from), Ok(to)) = (std::fs::canonicalize(from), std::fs::canonicalize(to)) else {
        return String::new();
    };
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    let mut s: String = parts
        .iter()
        .map(|p| percent(p))
        .collect::<Vec<_>>()
        .join("/");
    if !s.is_empty() {
        s.push('/');
    }
    s
}

/// `segment` with everything but unreserved URL characters percent-encoded.
fn percent(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// A manifest field as text, `–` when absent.
fn field(m: Option<&Value>, key: &str) -> String {
    match m.and_then(|m| m.get(key)) {
        None | Some(Value::Null) => "–".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) if a.is_empty() => "–".to_string(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), String::from))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Object(o)) if o.is_empty() => "–".to_string(),
        Some(v) => v.to_string(),
    }
}

/// `args` as a shell command line, each argument quoted if it needs it.
fn shell_line(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=,:+@%".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The scenario's description, from the file the manifest names: as
/// given, or relative to the results folder or one of its ancestors (the
/// folder was made from the repository root, say).
fn description(dir: &Path, scenario_file: Option<&str>) -> Option<String> {
    use std::io::Read;
    let file = Path::new(scenario_file?);
    let mut candidates = vec![file.to_path_buf()];
    if file.is_relative() {
        if let Ok(abs) = std::fs::canonicalize(dir) {
            candidates.extend(abs.ancestors().map(|a| a.join(file)));
        }
    }
    let path = candidates.into_iter().find(|p| p.is_file())?;
    let mut text = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(16 << 20)
        .read_to_end(&mut text)
        .ok()?;
    let text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&text);
    let v: Value = serde_json::from_slice(text).ok()?;
    v.get("description")?.as_str().map(String::from)
}

fn change_class(metric: &str, change: Option<f64>) -> &'static str {
    // For every headline metric, less is better.
    match change {
        Some(c) if words::is_headline(metric) && c < -0.5 => "num better",
        Some(c) if words::is_headline(metric) && c > 0.5 => "num worse",
        _ => "num",
    }
}

fn change_text(c: Option<f64>) -> String {
    c.map_or_else(|| "–".to_string(), change)
}

fn interval(mean: Option<f64>, ci: Option<f64>) -> String {
    match (mean, ci) {
        (None, _) => "–".to_string(),
        (Some(m), Some(c)) if c > 0.0 => format!("{} ± {}", value(m), value(c)),
        (Some(m), _) => value(m),
    }
}

/// The table of `rows` of `c`: the metric in words, the two policies with
/// their intervals, and the change.
fn compare_table(h: &mut String, c: &read::Compare, rows: &[&read::CompareRow], headline: bool) {
    let _ = writeln!(
        h,
        "<table><thead><tr><th>{}</th><th>unit</th><th>{} (mean ± 95 % CI)</th><th>{} (mean ± 95 % CI)</th><th>change</th></tr></thead><tbody>",
        if headline { "symptom" } else { "metric" },
        esc(&c.base),
        esc(&c.other)
    );
    for r in rows {
        let def = words::metric(&r.metric);
        let what = if headline {
            let symptom = words::headlines()
                .into_iter()
                .find(|(m, _)| *m == r.metric)
                .map(|(_, s)| s)
                .unwrap_or_default();
            let article = def.and_then(|d| d.article).unwrap_or("");
            format!(
                "{} <span class=\"note\">({}{}{})</span>",
                esc(&symptom),
                esc(&r.metric),
                if article.is_empty() { "" } else { ", " },
                esc(article)
            )
        } else {
            let meaning = def.map_or("", |d| d.meaning);
            format!(
                "<code>{}</code><br><span class=\"note\">{}</span>",
                esc(&r.metric),
                esc(meaning)
            )
        };
        let (unit, _) = display_unit(&r.unit, 0.0);
        let _ = writeln!(
            h,
            "<tr><td>{what}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"{}\">{}</td></tr>",
            esc(&unit),
            esc(&interval(r.base_mean, r.base_ci95)),
            esc(&interval(r.other_mean, r.other_ci95)),
            change_class(&r.metric, r.change_pct),
            esc(&change_text(r.change_pct)),
        );
    }
    h.push_str("</tbody></table>\n");
}

fn figures(h: &mut String, charts: &[&Chart]) {
    for c in charts {
        let svg = c.svg.trim_end();
        let _ = writeln!(h, "<figure>\n{svg}\n</figure>");
    }
}

/// The report's HTML. `links` leads from the report's folder to `dir`.
fn render(dir: &Path, links: &str, charts: &plot::Charts) -> anyhow::Result<String> {
    let m = plot::manifest(dir);
    let m = m.as_ref();
    let scenario = m
        .and_then(|m| m.get("scenario")?.as_str())
        .map(String::from)
        .unwrap_or_else(|| {
            dir.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        });
    let has = |f: &str| dir.join(f).is_file();
    let compare = if has("compare.csv") {
        Some(read::compare(&dir.join("compare.csv"))?)
    } else {
        None
    };
    // "legacy against hotfix" unless compare was told two other policies.
    let pair = compare
        .as_ref()
        .map(|c| format!("{} against {}", c.base, c.other));
    let kind = if has("ablation.csv") {
        "legacy against hotfix, and legacy with each hotfix knob switched on alone".to_string()
    } else if let Some(pair) = &pair {
        pair.clone()
    } else if has("sweep.csv") {
        "a sweep over a grid of parameter values".to_string()
    } else {
        "runs of the chosen policies".to_string()
    };
    // The default pair's section speaks of the hotfixes; another pair's of
    // its two policies.
    let change_title = match &compare {
        Some(c) if !c.is_legacy_vs_hotfix() => {
            format!("What changes from {} to {}", c.base, c.other)
        }
        _ => "What the hotfixes change".to_string(),
    };

    let mut h = String::new();
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>smssim report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        esc(&scenario)
    );
    let _ = writeln!(h, "<h1>smssim report: {}</h1>", esc(&scenario));
    let _ = writeln!(
        h,
        "<p class=\"lead\">A simulated Systems Management Server 2.0 hierarchy: {kind}.</p>"
    );
    let scenario_file = m.and_then(|m| m.get("scenario_file")?.as_str());
    match description(dir, scenario_file) {
        Some(d) => {
            let _ = writeln!(h, "<p>{}</p>", esc(&d));
        }
        None => {
            let _ = writeln!(
                h,
                "<p class=\"note\">The scenario file{} could not be read, so its description is missing.</p>",
                scenario_file.map_or_else(String::new, |f| format!(" ({})", esc(f)))
            );
        }
    }
    if let Some(args) = m.and_then(|m| m.get("command_line")?.as_array()) {
        let args: Vec<String> = args
            .iter()
            .map(|a| a.as_str().map_or_else(|| a.to_string(), String::from))
            .collect();
        let _ = writeln!(
            h,
            "<p>Made by:</p>\n<pre><code>{}</code></pre>",
            esc(&shell_line(&args))
        );
    }

    let in_section =
        |s: Section| -> Vec<&Chart> { charts.charts.iter().filter(|c| c.section == s).collect() };
    let bars: Vec<&Chart> = charts
        .charts
        .iter()
        .filter(|c| matches!(c.section, Section::Ablation | Section::Compare))
        .collect();
    let series = in_section(Section::Series);
    let sweep = in_section(Section::Sweep);

    // Contents.
    h.push_str("<nav><ul>\n");
    let mut toc: Vec<(&str, &str)> = Vec::new();
    if compare.is_some() {
        toc.push(("change", change_title.as_str()));
    }
    if !bars.is_empty() {
        toc.push(("headline", "Headline metrics"));
    }
    // A sweep's curves are its point, so they come before the series.
    if !sweep.is_empty() {
        toc.push(("sweep", "Across the sweep"));
    }
    if !series.is_empty() {
        toc.push(("time", "Over time"));
    }
    toc.push(("files", "Files"));
    toc.push(("manifest", "Manifest"));
    for (id, title) in &toc {
        let _ = writeln!(h, "<li><a href=\"#{id}\">{title}</a></li>");
    }
    h.push_str("</ul></nav>\n");

    if let Some(c) = &compare {
        let rows = &c.rows;
        let _ = writeln!(h, "<h2 id=\"change\">{}</h2>", esc(&change_title));
        let _ = writeln!(
            h,
            "<p class=\"note\">Means over {} replications per policy, each with the half-width of its 95 % confidence interval (Student t); change from {} to {}. From <a href=\"{}\">compare.csv</a>.</p>",
            esc(&field(m, "replications")),
            esc(&c.base),
            esc(&c.other),
            esc(&format!("{links}compare.csv"))
        );
        let headlines: Vec<&read::CompareRow> = words::headlines()
            .iter()
            .filter_map(|(metric, _)| rows.iter().find(|r| r.metric == *metric))
            .collect();
        if !headlines.is_empty() {
            h.push_str("<h3>Headline metrics</h3>\n");
            compare_table(&mut h, c, &headlines, true);
        }
        let others: Vec<&read::CompareRow> = rows
            .iter()
            .filter(|r| !words::is_headline(&r.metric))
            .collect();
        if !others.is_empty() {
            h.push_str("<h3>Every other metric</h3>\n");
            compare_table(&mut h, c, &others, false);
        }
    }
    if !bars.is_empty() {
        h.push_str("<h2 id=\"headline\">Headline metrics</h2>\n");
        if bars.iter().any(|c| c.section == Section::Ablation) {
            h.push_str("<p class=\"note\">Legacy, legacy with each hotfix knob switched on alone, and hotfix (every knob on): which knob fixes which symptom.</p>\n");
        }
        figures(&mut h, &bars);
    }
    if !sweep.is_empty() {
        h.push_str("<h2 id=\"sweep\">Across the sweep</h2>\n");
        let grid = field(m, "grid");
        let _ = writeln!(
            h,
            "<p class=\"note\">Each metric against the first varied parameter; headline metrics first. Grid: <code>{}</code>.</p>",
            esc(&grid)
        );
        figures(&mut h, &sweep);
    }
    if !series.is_empty() {
        h.push_str("<h2 id=\"time\">Over time</h2>\n");
        figures(&mut h, &series);
    }
    let skipped = plot::skipped(charts);
    if !skipped.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"note\">Not drawn: {} — their values are in the CSV files.</p>",
            esc(skipped.trim_start_matches("skipped "))
        );
    }

    h.push_str("<h2 id=\"files\">Files</h2>\n<ul>\n");
    for (f, what) in FILES {
        let what = match (f, &compare) {
            ("compare.csv", Some(c)) if !c.is_legacy_vs_hotfix() => {
                format!(
                    "{} against {} per metric: means, 95 % intervals, change",
                    c.base, c.other
                )
            }
            _ => what.to_string(),
        };
        if has(f) {
            let _ = writeln!(
                h,
                "<li><a href=\"{}\">{f}</a>: {what}</li>",
                esc(&format!("{links}{f}"))
            );
        }
    }
    h.push_str("</ul>\n");

    h.push_str("<h2 id=\"manifest\">Manifest</h2>\n<dl>\n");
    let rows: [(&str, &str); 12] = [
        ("smssim version", "version"),
        ("git revision", "git_revision"),
        ("command", "command"),
        ("scenario", "scenario"),
        ("scenario file", "scenario_file"),
        ("scenario sha256", "scenario_sha256"),
        ("seed", "seed"),
        ("replications", "replications"),
        ("policies", "policies"),
        ("overrides", "overrides"),
        ("grid", "grid"),
        ("runs", "runs"),
    ];
    for (label, key) in rows {
        let _ = writeln!(
            h,
            "<dt>{label}</dt><dd><code>{}</code></dd>",
            esc(&field(m, key))
        );
    }
    h.push_str("</dl>\n");
    let _ = writeln!(
        h,
        "<p class=\"note\">Report written by smssim {}.</p>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_are_quoted_for_a_shell() {
        let args: Vec<String> = ["smssim", "compare", "a b.json", "--set", "x=it's"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            shell_line(&args),
            r#"smssim compare 'a b.json' --set 'x=it'\''s'"#
        );
    }

    #[test]
    fn links_are_relative_and_encoded() {
        let root = tempfile::tempdir().unwrap();
        let a = root.path().join("a");
        let b = root.path().join("b c");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        assert_eq!(relative(&a, &b), "../b%20c/");
        assert_eq!(relative(&a, &a), "");
    }

    #[test]
    fn changes_and_intervals_read_well() {
        assert_eq!(change_text(Some(-100.0)), "−100 %");
        assert_eq!(change_text(Some(12.34)), "+12 %");
        assert_eq!(change_text(None), "–");
        assert_eq!(interval(Some(296.3), Some(12.0)), "296.3 ± 12");
        assert_eq!(interval(Some(5.0), Some(0.0)), "5");
    }
}
