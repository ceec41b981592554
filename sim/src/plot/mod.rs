//! `smssim plot`: charts of a results folder, fit to paste into a report.
//!
//! - `timeseries.csv`: one chart per series against simulated time, one
//!   line per policy (per policy and grid point in a sweep): the mean over
//!   the replications with its 95 % confidence interval shaded. In an
//!   ablation only legacy and hotfix are drawn; the ablation charts show
//!   each knob alone.
//! - `sweep.csv`: one chart per metric against the first varied parameter
//!   (numbers, or durations such as `90s`, `15m`, `2h`; a log scale when
//!   the values span two decades), one line per policy and value of the
//!   other parameters; written under `sweep/`.
//! - `ablation.csv`: one bar chart per headline metric: legacy, each knob
//!   alone, hotfix; under `ablation/`. Without it, `compare.csv` gives
//!   legacy against hotfix per headline metric, under `compare/`.
//!
//! Series and metrics with the same value everywhere are left out and
//! counted. Titles, axis labels and units come from the model's metric
//! catalogue, parameter meanings from the scenario schema.
//!
//! The charts are hand-written SVG ([`svg`]); the folder is written whole
//! with a `manifest.json`, through [`FolderWriter`]. Files are read by
//! [`smssim_results::read`], so a malformed one is an input error naming
//! the file and line; every text from them is escaped, and chart file
//! names keep to letters, digits, `.`, `-` and `_`.

pub mod axis;
mod bars;
mod series;
pub mod svg;
mod sweep;
pub mod words;

use crate::input::bad;
use anyhow::Context as _;
use smssim_results::folder::FolderWriter;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use svg::{Marker, Style, HOTFIX, LEGACY, PALETTE, VARIANTS};

/// Which part of a results folder a chart shows; its subfolder of the
/// plots folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// Legacy, each knob alone and hotfix, per headline metric.
    Ablation,
    /// Legacy against hotfix, per headline metric.
    Compare,
    /// A time series.
    Series,
    /// A metric across a sweep's grid.
    Sweep,
}

impl Section {
    /// The subfolder of the plots folder.
    pub fn dir(self) -> &'static str {
        match self {
            Section::Ablation => "ablation",
            Section::Compare => "compare",
            Section::Series => "",
            Section::Sweep => "sweep",
        }
    }
}

/// One chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// What it shows.
    pub section: Section,
    /// The series or metric it is named after.
    pub name: String,
    /// Its title, in words.
    pub title: String,
    /// Whether it shows a headline metric.
    pub headline: bool,
    /// The SVG.
    pub svg: String,
}

/// Every chart of a results folder, and what was left out.
#[derive(Debug, Clone, Default)]
pub struct Charts {
    /// The charts, each section in the order of the catalogue (headline
    /// metrics first in a sweep).
    pub charts: Vec<Chart>,
    /// Time series left out for having one value everywhere.
    pub constant_series: usize,
    /// Metrics left out of the sweep and bar charts for the same reason.
    pub constant_metrics: usize,
}

/// What the folder's `manifest.json` says, for subtitles and captions.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The scenario's name.
    pub scenario: Option<String>,
    /// Replications per policy.
    pub replications: Option<u64>,
}

/// The results folder's manifest, if it has a readable one (at most
/// 1 MiB).
pub fn manifest(results: &Path) -> Option<serde_json::Value> {
    use std::io::Read;
    let path = results.join("manifest.json");
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut text = Vec::new();
    std::fs::File::open(&path)
        .ok()?
        .take(1 << 20)
        .read_to_end(&mut text)
        .ok()?;
    serde_json::from_slice(&text).ok()
}

fn context(results: &Path) -> Context {
    let m = manifest(results);
    Context {
        scenario: m
            .as_ref()
            .and_then(|m| m.get("scenario")?.as_str().map(String::from)),
        replications: m.as_ref().and_then(|m| m.get("replications")?.as_u64()),
    }
}

/// Whether `results` holds a file `plot` draws.
fn drawable(results: &Path) -> bool {
    ["timeseries.csv", "sweep.csv", "ablation.csv", "compare.csv"]
        .iter()
        .any(|f| results.join(f).exists())
}

/// Draws every chart of `results`.
pub fn build(results: &Path) -> anyhow::Result<Charts> {
    if !drawable(results) {
        return bad(format!(
            "{}: no timeseries.csv, sweep.csv, compare.csv or ablation.csv here: expected a results folder of smssim run/compare/sweep",
            results.display()
        ));
    }
    let ctx = context(results);
    let mut out = Charts::default();
    let ablation = results.join("ablation.csv");
    let compare = results.join("compare.csv");
    if ablation.exists() {
        bars::ablation(
            &ablation,
            compare.exists().then_some(&*compare),
            &ctx,
            &mut out,
        )?;
    } else if compare.exists() {
        bars::compare(&compare, &ctx, &mut out)?;
    }
    let series_file = results.join("timeseries.csv");
    if series_file.exists() {
        let runs = results.join("runs.csv");
        series::charts(
            &series_file,
            runs.exists().then_some(&*runs),
            &ctx,
            &mut out,
        )?;
    }
    let sweep_file = results.join("sweep.csv");
    if sweep_file.exists() {
        sweep::charts(&sweep_file, &ctx, &mut out)?;
    }
    Ok(out)
}

/// `smssim plot`: draws the charts of `results` into `out` (default
/// `RESULTS/plots`), replacing that folder whole.
pub fn plot(results: &Path, out: Option<&Path>) -> anyhow::Result<()> {
    if !drawable(results) {
        // Checked before the output folder is touched.
        build(results)?;
    }
    let out: PathBuf = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| results.join("plots"));
    let folder = FolderWriter::begin_keeping(&out, &[results])?;
    let charts = build(results)?;
    let written = write_charts(folder.path(), &charts.charts)?;
    let manifest = serde_json::json!({
        "tool": "smssim",
        "command": "plot",
        "version": env!("CARGO_PKG_VERSION"),
        "results": results.display().to_string(),
        "charts": written,
        "skipped_constant_series": charts.constant_series,
        "skipped_constant_metrics": charts.constant_metrics,
        "command_line": std::env::args().collect::<Vec<_>>(),
    });
    smssim_results::write::write_manifest(folder.path(), &manifest)?;
    folder.commit()?;
    crate::say!("wrote {written} charts to {}", out.display())?;
    let skipped = skipped(&charts);
    if !skipped.is_empty() {
        crate::say!("{skipped}")?;
    }
    Ok(())
}

/// `skipped 12 constant series and 30 constant metrics (one value
/// everywhere)`, or nothing.
pub fn skipped(charts: &Charts) -> String {
    let mut parts = Vec::new();
    if charts.constant_series > 0 {
        parts.push(format!("{} constant series", charts.constant_series));
    }
    if charts.constant_metrics > 0 {
        parts.push(format!("{} constant metrics", charts.constant_metrics));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("skipped {} (one value everywhere)", parts.join(" and "))
    }
}

/// Writes each chart into its section's folder under `dir`, each under a
/// file name made safe from its name, two names that come out alike told
/// apart by a number. Returns how many it wrote.
pub fn write_charts(dir: &Path, charts: &[Chart]) -> anyhow::Result<usize> {
    let paths = chart_paths(charts);
    for (chart, (_, rel)) in charts.iter().zip(&paths) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        smssim_results::atomic::write_atomic(&path, chart.svg.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(charts.len())
}

/// Each chart's section and path relative to the plots folder.
pub fn chart_paths(charts: &[Chart]) -> Vec<(Section, String)> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    charts
        .iter()
        .map(|c| {
            let base = file_stem(&c.name);
            let dir = c.section.dir();
            let mut stem = base.clone();
            let mut k = 2;
            while !used.insert(format!("{dir}/{}", stem.to_ascii_lowercase())) {
                stem = format!("{base}-{k}");
                k += 1;
            }
            let rel = if dir.is_empty() {
                format!("{stem}.svg")
            } else {
                format!("{dir}/{stem}.svg")
            };
            (c.section, rel)
        })
        .collect()
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

/// How the lines of policy number `index` (in order of appearance) named
/// `name` are drawn: legacy solid vermillion with circles, hotfix dashed
/// blue with open triangles (legacy shows through), others in the rest of the palette with their own
/// dashes and markers. With `variant`, the colour is the variant's (a
/// value of another parameter) and the policy keeps its dash and marker.
pub fn line_style(name: &str, index: usize, variant: Option<usize>) -> Style {
    const DASHES: [Option<&str>; 4] = [Some("2 3"), Some("10 3 2 3"), Some("4 2"), Some("1 2")];
    const MARKERS: [Marker; 2] = [Marker::Square, Marker::Diamond];
    let (color, dash, marker) = match name {
        "legacy" => (LEGACY, None, Marker::Circle),
        "hotfix" => (HOTFIX, Some("7 4"), Marker::Triangle),
        _ => {
            let others: Vec<&'static str> = PALETTE
                .iter()
                .copied()
                .filter(|c| *c != LEGACY && *c != HOTFIX)
                .collect();
            (
                others[index % others.len()],
                DASHES[index % DASHES.len()],
                MARKERS[index % MARKERS.len()],
            )
        }
    };
    let color = variant.map_or(color, |v| VARIANTS[v % VARIANTS.len()]);
    Style {
        color,
        dash,
        marker,
        width: if name == "hotfix" { 2.0 } else { 2.2 },
        hollow: name == "hotfix",
    }
}

/// Whether every value is the same (or there is none): such a metric or
/// series is skipped, not drawn.
pub fn constant(mut values: impl Iterator<Item = f64>) -> bool {
    match values.next() {
        None => true,
        Some(first) => values.all(|v| v == first),
    }
}

/// The caption line that says what the shading means, for `n`
/// replications per line (the smallest and largest count).
pub fn band_caption(n_min: u64, n_max: u64) -> String {
    if n_max <= 1 {
        return "Lines: one replication each, so no interval is shown.".to_string();
    }
    let n = if n_min == n_max {
        format!("{n_max}")
    } else {
        format!("{n_min}–{n_max}")
    };
    format!("Lines: mean; shaded: 95 % confidence interval of the mean over {n} replications.")
}
