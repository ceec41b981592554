//! The metric catalogue: every metric and time series a run can write,
//! declared once by the part of the model that writes it, with its unit,
//! a one-line meaning and the article it speaks for.
//!
//! `metrics.csv` and `timeseries.csv` name their rows by these names; the
//! summary's headlines, `smssim metrics` and the tests read the
//! declarations, and a debug assertion rejects a metric that a run writes
//! without declaring it, or writes twice.

/// The unit of a metric or series, as written in the `unit` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A number of things (`count`).
    Count,
    /// A percentage, 0–100 (`pct`).
    Pct,
    /// Seconds of simulated time (`s`).
    Seconds,
    /// Hours of simulated time (`hours`).
    Hours,
    /// Bytes (`bytes`).
    Bytes,
}

impl Unit {
    /// The unit as written in CSV files.
    pub const fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Pct => "pct",
            Unit::Seconds => "s",
            Unit::Hours => "hours",
            Unit::Bytes => "bytes",
        }
    }

    /// The unit as a reader says it, for axis labels and tables.
    pub const fn label(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Pct => "%",
            Unit::Seconds => "seconds",
            Unit::Hours => "hours",
            Unit::Bytes => "bytes",
        }
    }
}

/// One metric (a number per run, a row of `metrics.csv`) or one time
/// series (a value per sample, rows of `timeseries.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricDef {
    /// Dotted name, e.g. `status.lost`.
    pub name: &'static str,
    /// Its unit.
    pub unit: Unit,
    /// What it counts, in one line.
    pub meaning: &'static str,
    /// The Knowledge Base article it speaks for (`Q323627`), if any.
    pub article: Option<&'static str>,
    /// If the metric is one an administrator looks at first: the symptom
    /// in words, for the summary's "what the hotfixes change".
    pub headline: Option<&'static str>,
}

impl MetricDef {
    /// A metric in `unit` that means `meaning`.
    pub const fn new(name: &'static str, unit: Unit, meaning: &'static str) -> Self {
        MetricDef {
            name,
            unit,
            meaning,
            article: None,
            headline: None,
        }
    }

    /// A count that means `meaning`.
    pub const fn count(name: &'static str, meaning: &'static str) -> Self {
        Self::new(name, Unit::Count, meaning)
    }

    /// The same metric, speaking for `article`.
    pub const fn article(mut self, article: &'static str) -> Self {
        self.article = Some(article);
        self
    }

    /// The same metric, shown first in the summary as `symptom`.
    pub const fn headline(mut self, symptom: &'static str) -> Self {
        self.headline = Some(symptom);
        self
    }
}

/// What a part of the model (the core or a subsystem) says of itself:
/// every list that reads "each subsystem" (the summary's headlines,
/// `smssim metrics`, the tests' lists, the stream ranges) reads these.
#[derive(Debug, Clone)]
pub struct Descriptor {
    /// The part's name: `core`, or the subsystem's field in `sim.rs`.
    pub name: &'static str,
    /// The articles it models.
    pub articles: &'static [&'static str],
    /// Its metrics, in the order it writes them.
    pub metrics: &'static [MetricDef],
    /// Its time series, in the order it adds them at each sample. A name
    /// ending in `<CODE>` stands for one series per site.
    pub series: &'static [MetricDef],
    /// A metric that is above zero whenever the part did any work in a run
    /// that gives it work (the tests' "every subsystem did something").
    pub activity: &'static str,
    /// The random stream purposes it owns.
    pub streams: std::ops::Range<u16>,
    /// The policy knobs that change its behaviour (rows of the scenario
    /// crate's knob table that name it as their owner).
    pub knobs: &'static [smssim_scenario::policy::Knob],
}

/// Whether `name` is the declared name `def`: equal, or, for a declared
/// name ending in `<CODE>`, its prefix followed by a site code.
pub fn matches(def: &str, name: &str) -> bool {
    match def.strip_suffix("<CODE>") {
        Some(prefix) => name.strip_prefix(prefix).is_some_and(|code| {
            !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric())
        }),
        None => def == name,
    }
}

/// Checks a run's output against the declarations: every metric declared
/// by some part with the unit it was written in, none written twice, every
/// series declared. Returns the problems found.
pub fn undeclared<'a>(
    parts: &[Descriptor],
    metrics: impl IntoIterator<Item = (&'a str, &'a str)>,
    series: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (name, unit) in metrics {
        if !seen.insert(name) {
            problems.push(format!("metric {name} written twice"));
        }
        match parts
            .iter()
            .flat_map(|p| p.metrics)
            .find(|d| d.name == name)
        {
            None => problems.push(format!("metric {name} is not declared")),
            Some(d) if d.unit.as_str() != unit => problems.push(format!(
                "metric {name} written in {unit}, declared in {}",
                d.unit.as_str()
            )),
            Some(_) => {}
        }
    }
    let mut series_seen = std::collections::HashSet::new();
    for name in series {
        if series_seen.insert(name)
            && !parts
                .iter()
                .flat_map(|p| p.series)
                .any(|d| matches(d.name, name))
        {
            problems.push(format!("series {name} is not declared"));
        }
    }
    problems
}
