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
