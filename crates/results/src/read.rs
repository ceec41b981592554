//! Reading results files back: `timeseries.csv`, `sweep.csv`,
//! `compare.csv`, `ablation.csv` and `runs.csv`, as `smssim plot` and
//! `smssim report` do.
//!
//! Columns are found by their header name, never by position, so a file
//! with its columns reordered reads the same. Every problem is a
//! [`ReadError`] naming the file, the line and what was expected: a file
//! that is not a regular file or is larger than [`MAX_CSV_BYTES`], an empty
//! file, a missing or repeated column, a row with too few or too many
//! fields, text that is not UTF-8, a number that does not parse or is not
//! finite. No input makes these functions panic.
//!
//! [`timeseries`] and [`sweep`] read a file; [`timeseries_from_reader`] and
//! [`sweep_from_reader`] read any [`Read`], bounded by [`bounded`] where
//! its size is not known in advance.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The largest results file read: 4 GiB. A larger file, or one that turns
/// out larger while being read (a size the operating system misreports, as
/// in `/proc`, or a file still growing), is refused with
/// [`ReadError::TooLarge`], so that reading always ends and the rows it
/// holds in memory (a few times the file's size) stay bounded. The time
/// series of the largest shipped scenario is a few megabytes.
pub const MAX_CSV_BYTES: u64 = 4 << 30;

/// The columns of `timeseries.csv`.
pub const TIMESERIES_COLUMNS: [&str; 5] = ["run_id", "policy", "time_s", "series", "value"];

/// The columns of `sweep.csv` after the varied parameters.
pub const SWEEP_COLUMNS: [&str; 6] = ["policy", "metric", "unit", "mean", "ci95", "n"];

/// The longest piece of a field quoted back in an error.
const QUOTED_CHARS: usize = 40;

/// A results file that could not be read.
///
/// Displays as `FILE: what was wrong` or `FILE:LINE: what was wrong`; an
/// operating-system error is not repeated in the message but is the
/// [`source`](std::error::Error::source).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or its size learnt.
    #[error("{path}: cannot open the file")]
    Open {
        /// The file.
        path: String,
        /// The operating system's reason.
        source: io::Error,
    },
    /// A directory, device, pipe or socket where a file was expected.
    #[error("{path}: is a {kind}: expected a regular CSV file")]
    NotAFile {
        /// The path.
        path: String,
        /// What it is: `directory`, `device`, `pipe or socket`.
        kind: &'static str,
    },
    /// Larger than the limit.
    #[error("{path}: larger than {limit} bytes: expected a results file of at most that size")]
    TooLarge {
        /// The file.
        path: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// Reading failed part-way.
    #[error("{path}:{line}: cannot read the file")]
    Io {
        /// The file.
        path: String,
        /// 1-based line being read.
        line: u64,
        /// The operating system's reason.
        source: io::Error,
    },
    /// No header line.
    #[error("{path}: empty: expected a header line with the columns {expected}")]
    Empty {
        /// The file.
        path: String,
        /// The columns expected, comma-separated.
        expected: String,
    },
    /// A column that the file must have is not in its header.
    #[error("{path}:1: no column {column:?}: expected the columns {expected}")]
    MissingColumn {
        /// The file.
        path: String,
        /// The column missing.
        column: &'static str,
        /// The columns expected, comma-separated.
        expected: String,
    },
    /// `compare.csv` without exactly two policies' columns.
    #[error("{path}:1: {found} policies with both a NAME_mean and a NAME_ci95 column: expected two, as in {expected}")]
    ComparePolicies {
        /// The file.
        path: String,
        /// Policies found with both columns.
        found: usize,
        /// The default comparison's columns.
        expected: &'static str,
    },
    /// A column named twice in the header.
    #[error("{path}:1: column {column:?} appears twice: expected each column once")]
    DuplicateColumn {
        /// The file.
        path: String,
        /// The column repeated.
        column: String,
    },
    /// A `sweep.csv` without a varied parameter before `policy`.
    #[error(
        "{path}:1: no parameter column before \"policy\": expected the varied parameters first"
    )]
    NoParameter {
        /// The file.
        path: String,
    },
    /// A `sweep.csv` column other than a parameter before `policy`.
    #[error("{path}:1: column {column:?} stands before \"policy\": expected only the varied parameters there")]
    ColumnOrder {
        /// The file.
        path: String,
        /// The column.
        column: &'static str,
    },
    /// A row with more or fewer fields than the header.
    #[error("{path}:{line}: {found} fields: expected {expected}, one per column of the header")]
    Ragged {
        /// The file.
        path: String,
        /// 1-based line where the row starts.
        line: u64,
        /// Fields in the row.
        found: u64,
        /// Fields in the header.
        expected: u64,
    },
    /// Bytes that are not UTF-8 text.
    #[error("{path}:{line}: invalid UTF-8: expected text")]
    Utf8 {
        /// The file.
        path: String,
        /// 1-based line where the row starts.
        line: u64,
    },
    /// A field that should be a number.
    #[error("{path}:{line}: column {column:?}: expected {expected}, found {found:?}")]
    Number {
        /// The file.
        path: String,
        /// 1-based line where the row starts.
        line: u64,
        /// The column.
        column: String,
        /// What the column holds, e.g. `a finite number`.
        expected: &'static str,
        /// The field (its first characters if long).
        found: String,
    },
    /// Any other malformed CSV.
    #[error("{path}:{line}: malformed CSV: {message}")]
    Malformed {
        /// The file.
        path: String,
        /// 1-based line.
        line: u64,
        /// What the CSV reader found.
        message: String,
    },
}

/// One row of `timeseries.csv`: a run's series at one sampled time.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRow {
    /// The run.
    pub run_id: u64,
    /// Its policy's name.
    pub policy: String,
    /// Simulated time in seconds.
    pub time_s: f64,
    /// The series' name, e.g. `clients.powered_on`.
    pub series: String,
    /// The value; `None` where the file leaves it empty (not defined).
    pub value: Option<f64>,
}

/// `sweep.csv`: the varied parameters and one row per grid point, policy
/// and metric.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sweep {
    /// The varied parameters' names, the columns before `policy`.
    pub params: Vec<String>,
    /// The rows, in file order.
    pub rows: Vec<SweepRow>,
}

/// One row of `sweep.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepRow {
    /// 1-based line where the row starts, for messages about it.
    pub line: u64,
    /// The value of each parameter, as [`Sweep::params`] orders them, as
    /// written (`250`, `1s`, `sp1`).
    pub point: Vec<String>,
    /// The policy's name.
    pub policy: String,
    /// The metric's name.
    pub metric: String,
    /// The metric's unit.
    pub unit: String,
    /// The mean across replications; `None` where not defined.
    pub mean: Option<f64>,
    /// Half-width of the 95 % interval; `None` where not defined (one
    /// replication).
    pub ci95: Option<f64>,
    /// Replications.
    pub n: u64,
}

/// Reads the `timeseries.csv` at `path`, checked by [`open`].
pub fn timeseries(path: &Path) -> Result<Vec<SeriesRow>, ReadError> {
    timeseries_from_reader(open(path)?, &path.display().to_string())
}

/// Reads `timeseries.csv` rows from `reader`; `origin` names it in errors.
pub fn timeseries_from_reader(
    reader: impl Read,
    origin: &str,
) -> Result<Vec<SeriesRow>, ReadError> {
    let mut table = Table::new(reader, origin, &TIMESERIES_COLUMNS)?;
    let [run_id, policy, time_s, series, value] = table.find(TIMESERIES_COLUMNS)?;
    let mut rows = Vec::new();
    while let Some(row) = table.next()? {
        rows.push(SeriesRow {
            run_id: row.integer(run_id)?,
            policy: row.text(policy).to_string(),
            time_s: row.number(time_s)?,
            series: row.text(series).to_string(),
            value: row.optional(value)?,
        });
    }
    Ok(rows)
}

/// Reads the `sweep.csv` at `path`, checked by [`open`].
pub fn sweep(path: &Path) -> Result<Sweep, ReadError> {
    sweep_from_reader(open(path)?, &path.display().to_string())
}

/// Reads `sweep.csv` from `reader`; `origin` names it in errors.
pub fn sweep_from_reader(reader: impl Read, origin: &str) -> Result<Sweep, ReadError> {
    let mut table = Table::new(reader, origin, &SWEEP_COLUMNS)?;
    let cols @ [policy, metric, unit, mean, ci95, n] = table.find(SWEEP_COLUMNS)?;
    // The parameters are the columns before `policy`, as written.
    if policy.index == 0 {
        return Err(ReadError::NoParameter {
            path: origin.to_string(),
        });
    }
    if let Some(c) = cols.iter().find(|c| c.index < policy.index) {
        return Err(ReadError::ColumnOrder {
            path: origin.to_string(),
            column: c.name,
        });
    }
    let params: Vec<String> = table
        .header
        .iter()
        .take(policy.index)
        .map(String::from)
        .collect();
    let mut rows = Vec::new();
    while let Some(row) = table.next()? {
        rows.push(SweepRow {
            line: row.line,
            point: (0..policy.index)
                .map(|i| row.field(i).to_string())
                .collect(),
            policy: row.text(policy).to_string(),
            metric: row.text(metric).to_string(),
            unit: row.text(unit).to_string(),
            mean: row.optional(mean)?,
            ci95: row.optional(ci95)?,
            n: row.integer(n)?,
        });
    }
    Ok(Sweep { params, rows })
}

/// The columns of `compare.csv` whose names are fixed; the two policies'
/// columns, `<policy>_mean` and `<policy>_ci95` for each, sit between `unit`
/// and `change_pct` (`legacy_mean,legacy_ci95,hotfix_mean,hotfix_ci95` for
/// the default comparison).
pub const COMPARE_COLUMNS: [&str; 3] = ["metric", "unit", "change_pct"];

/// The columns of the default comparison, for messages.
const COMPARE_EXAMPLE: &str =
    "metric,unit,legacy_mean,legacy_ci95,hotfix_mean,hotfix_ci95,change_pct";

/// `compare.csv`: two policies, the base first, and one row per metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Compare {
    /// The policy compared against (`legacy` by default): the first pair
    /// of columns.
    pub base: String,
    /// The other policy (`hotfix` by default): the second pair.
    pub other: String,
    /// The rows, in file order.
    pub rows: Vec<CompareRow>,
}

impl Compare {
    /// Whether this is the default comparison, legacy against hotfix.
    pub fn is_legacy_vs_hotfix(&self) -> bool {
        self.base == "legacy" && self.other == "hotfix"
    }
}

/// One row of `compare.csv`: a metric under the two policies.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    /// The metric's name.
    pub metric: String,
    /// Its unit.
    pub unit: String,
    /// The base policy's mean; `None` where not defined.
    pub base_mean: Option<f64>,
    /// Half-width of the base policy's 95 % interval; `None` where not
    /// defined.
    pub base_ci95: Option<f64>,
    /// The other policy's mean; `None` where not defined.
    pub other_mean: Option<f64>,
    /// Half-width of the other policy's 95 % interval; `None` where not
    /// defined.
    pub other_ci95: Option<f64>,
    /// Change from the base to the other policy in percent; `None` where
    /// the base is 0.
    pub change_pct: Option<f64>,
}

/// Reads the `compare.csv` at `path`, checked by [`open`].
pub fn compare(path: &Path) -> Result<Compare, ReadError> {
    compare_from_reader(open(path)?, &path.display().to_string())
}

/// Reads `compare.csv` from `reader`; `origin` names it in errors.
pub fn compare_from_reader(reader: impl Read, origin: &str) -> Result<Compare, ReadError> {
    let mut table = Table::new(reader, origin, &[COMPARE_EXAMPLE])?;
    let [metric, unit, change] = table.find(COMPARE_COLUMNS)?;
    // The policies, in header order, from their `_mean` columns; each
    // needs its `_ci95`.
    let means: Vec<(usize, String)> = table
        .header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.strip_suffix("_mean").map(|p| (i, p.to_string())))
        .collect();
    let policies: Vec<(String, usize, usize)> = means
        .iter()
        .filter_map(|(i, p)| {
            let ci = format!("{p}_ci95");
            let j = table.header.iter().position(|h| *h == ci)?;
            Some((p.clone(), *i, j))
        })
        .collect();
    let [(base, bm, bc), (other, om, oc)]: [(String, usize, usize); 2] = policies
        .try_into()
        .map_err(|found: Vec<_>| ReadError::ComparePolicies {
            path: origin.to_string(),
            found: found.len(),
            expected: COMPARE_EXAMPLE,
        })?;
    let (bm_name, bc_name) = (format!("{base}_mean"), format!("{base}_ci95"));
    let (om_name, oc_name) = (format!("{other}_mean"), format!("{other}_ci95"));
    let mut rows = Vec::new();
    while let Some(row) = table.next()? {
        rows.push(CompareRow {
            metric: row.text(metric).to_string(),
            unit: row.text(unit).to_string(),
            base_mean: row.optional_at(bm, &bm_name)?,
            base_ci95: row.optional_at(bc, &bc_name)?,
            other_mean: row.optional_at(om, &om_name)?,
            other_ci95: row.optional_at(oc, &oc_name)?,
            change_pct: row.optional(change)?,
        });
    }
    Ok(Compare { base, other, rows })
}

/// The columns of `ablation.csv`.
pub const ABLATION_COLUMNS: [&str; 7] = [
    "metric",
    "unit",
    "policy",
    "mean",
    "ci95",
    "legacy_mean",
    "change_pct",
];

/// One row of `ablation.csv`: a metric under one policy other than legacy.
#[derive(Debug, Clone, PartialEq)]
pub struct AblationRow {
    /// The metric's name.
    pub metric: String,
    /// Its unit.
    pub unit: String,
    /// The policy: `hotfix`, or legacy with one knob switched on.
    pub policy: String,
    /// The policy's mean; `None` where not defined.
    pub mean: Option<f64>,
    /// Half-width of its 95 % interval; `None` where not defined.
    pub ci95: Option<f64>,
    /// Legacy's mean; `None` where not defined.
    pub legacy_mean: Option<f64>,
    /// Change from legacy in percent; `None` where legacy is 0.
    pub change_pct: Option<f64>,
}

/// Reads the `ablation.csv` at `path`, checked by [`open`].
pub fn ablation(path: &Path) -> Result<Vec<AblationRow>, ReadError> {
    ablation_from_reader(open(path)?, &path.display().to_string())
}

/// Reads `ablation.csv` rows from `reader`; `origin` names it in errors.
pub fn ablation_from_reader(
    reader: impl Read,
    origin: &str,
) -> Result<Vec<AblationRow>, ReadError> {
    let mut table = Table::new(reader, origin, &ABLATION_COLUMNS)?;
    let [metric, unit, policy, mean, ci95, legacy, change] = table.find(ABLATION_COLUMNS)?;
    let mut rows = Vec::new();
    while let Some(row) = table.next()? {
        rows.push(AblationRow {
            metric: row.text(metric).to_string(),
            unit: row.text(unit).to_string(),
            policy: row.text(policy).to_string(),
            mean: row.optional(mean)?,
            ci95: row.optional(ci95)?,
            legacy_mean: row.optional(legacy)?,
            change_pct: row.optional(change)?,
        });
    }
    Ok(rows)
}

/// The columns of `runs.csv` that are read; the varied parameters, if
/// any, stand between `seed` and `events`.
pub const RUNS_COLUMNS: [&str; 5] = ["run_id", "policy", "replication", "seed", "events"];

/// One row of `runs.csv`: a run, its policy and its grid point.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    /// The run.
    pub run_id: u64,
    /// Its policy's name.
    pub policy: String,
    /// Its replication, from 0.
    pub replication: u64,
    /// The value of each varied parameter, as [`Runs::params`] orders
    /// them, as written.
    pub point: Vec<String>,
}

/// `runs.csv`: the varied parameters (none outside a sweep) and the runs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Runs {
    /// The varied parameters' names, the columns between `seed` and
    /// `events`.
    pub params: Vec<String>,
    /// The runs, in file order.
    pub rows: Vec<RunRow>,
}

/// Reads the `runs.csv` at `path`, checked by [`open`].
pub fn runs(path: &Path) -> Result<Runs, ReadError> {
    runs_from_reader(open(path)?, &path.display().to_string())
}

/// Reads `runs.csv` from `reader`; `origin` names it in errors.
pub fn runs_from_reader(reader: impl Read, origin: &str) -> Result<Runs, ReadError> {
    let mut table = Table::new(reader, origin, &RUNS_COLUMNS)?;
    let [run_id, policy, replication, seed, events] = table.find(RUNS_COLUMNS)?;
    let between = (seed.index + 1)..events.index.max(seed.index + 1);
    let params: Vec<String> = table.header[between.clone()].to_vec();
    let mut rows = Vec::new();
    while let Some(row) = table.next()? {
        rows.push(RunRow {
            run_id: row.integer(run_id)?,
            policy: row.text(policy).to_string(),
            replication: row.integer(replication)?,
            point: between.clone().map(|i| row.field(i).to_string()).collect(),
        });
    }
    Ok(Runs { params, rows })
}

/// Opens `path` for reading, bounded by [`MAX_CSV_BYTES`]: refuses
/// anything but a regular file (a directory, `/dev/zero`, a pipe) and a
/// file larger than the limit, and reads at most one byte past the limit
/// whatever size the file claims.
pub fn open(path: &Path) -> Result<Bounded<File>, ReadError> {
    open_limited(path, MAX_CSV_BYTES)
}

fn open_limited(path: &Path, limit: u64) -> Result<Bounded<File>, ReadError> {
    let shown = || path.display().to_string();
    let open_err = |source| ReadError::Open {
        path: shown(),
        source,
    };
    // Look before opening: opening a FIFO for reading blocks until a
    // writer appears.
    let meta = std::fs::metadata(path).map_err(open_err)?;
    check_kind(&meta, path)?;
    let file = File::open(path).map_err(open_err)?;
    // And again on what was opened, in case the path changed in between.
    let meta = file.metadata().map_err(open_err)?;
    check_kind(&meta, path)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            path: shown(),
            limit,
        });
    }
    Ok(bounded(file, limit))
}

fn check_kind(meta: &std::fs::Metadata, path: &Path) -> Result<(), ReadError> {
    let ft = meta.file_type();
    if ft.is_file() {
        return Ok(());
    }
    let kind = if ft.is_dir() {
        "directory"
    } else if is_device(&ft) {
        "device"
    } else {
        "pipe or socket"
    };
    Err(ReadError::NotAFile {
        path: path.display().to_string(),
        kind,
    })
}

#[cfg(unix)]
fn is_device(ft: &std::fs::FileType) -> bool {
    use std::os::unix::fs::FileTypeExt;
    ft.is_block_device() || ft.is_char_device()
}

#[cfg(not(unix))]
fn is_device(_: &std::fs::FileType) -> bool {
    false
}

/// Wraps `reader` so that reading more than `limit` bytes from it fails,
/// which the functions of this module report as [`ReadError::TooLarge`].
pub fn bounded<R: Read>(reader: R, limit: u64) -> Bounded<R> {
    Bounded {
        inner: reader.take(limit.saturating_add(1)),
        limit,
        read: 0,
    }
}

/// A reader that fails past a limit; see [`bounded`].
#[derive(Debug)]
pub struct Bounded<R> {
    inner: io::Take<R>,
    limit: u64,
    read: u64,
}

/// The error a [`Bounded`] reader returns past its limit.
#[derive(Debug)]
struct Exceeded {
    limit: u64,
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "more than {} bytes", self.limit)
    }
}

impl std::error::Error for Exceeded {}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read = self.read.saturating_add(n as u64);
        if self.read > self.limit {
            return Err(io::Error::other(Exceeded { limit: self.limit }));
        }
        Ok(n)
    }
}

/// A CSV file being read: its header, and rows checked against it.
struct Table<'a, R> {
    csv: csv::Reader<R>,
    origin: &'a str,
    header: Vec<String>,
    record: csv::StringRecord,
}

impl<'a, R: Read> Table<'a, R> {
    /// Reads the header; `expected` lists the columns for messages.
    fn new(reader: R, origin: &'a str, expected: &[&str]) -> Result<Self, ReadError> {
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut record = csv::StringRecord::new();
        let got = csv
            .read_record(&mut record)
            .map_err(|e| csv_error(e, origin, 1))?;
        if !got {
            return Err(ReadError::Empty {
                path: origin.to_string(),
                expected: expected.join(","),
            });
        }
        let mut header: Vec<String> = record.iter().map(String::from).collect();
        // A byte-order mark is not part of the first column's name.
        if let Some(first) = header.first_mut() {
            if let Some(rest) = first.strip_prefix('\u{feff}') {
                *first = rest.to_string();
            }
        }
        for (i, h) in header.iter().enumerate() {
            if header[..i].contains(h) {
                return Err(ReadError::DuplicateColumn {
                    path: origin.to_string(),
                    column: quote(h),
                });
            }
        }
        Ok(Table {
            csv,
            origin,
            header,
            record,
        })
    }

    /// Where each of `names` is in the header.
    fn find<const N: usize>(&self, names: [&'static str; N]) -> Result<[Col; N], ReadError> {
        let mut out = [Col { index: 0, name: "" }; N];
        for (slot, name) in out.iter_mut().zip(names) {
            let index = self.header.iter().position(|h| h == name).ok_or_else(|| {
                ReadError::MissingColumn {
                    path: self.origin.to_string(),
                    column: name,
                    expected: names.join(","),
                }
            })?;
            *slot = Col { index, name };
        }
        Ok(out)
    }

    /// The next row, with as many fields as the header.
    fn next(&mut self) -> Result<Option<Row<'_>>, ReadError> {
        let before = self.csv.position().line();
        let got = self
            .csv
            .read_record(&mut self.record)
            .map_err(|e| csv_error(e, self.origin, before))?;
        if !got {
            return Ok(None);
        }
        let line = self.record.position().map_or(before, |p| p.line());
        if self.record.len() != self.header.len() {
            return Err(ReadError::Ragged {
                path: self.origin.to_string(),
                line,
                found: self.record.len() as u64,
                expected: self.header.len() as u64,
            });
        }
        Ok(Some(Row {
            record: &self.record,
            origin: self.origin,
            line,
        }))
    }
}

/// A column of the header.
#[derive(Debug, Clone, Copy)]
struct Col {
    index: usize,
    name: &'static str,
}

/// A row with as many fields as the header.
struct Row<'a> {
    record: &'a csv::StringRecord,
    origin: &'a str,
    line: u64,
}

impl Row<'_> {
    fn field(&self, index: usize) -> &str {
        self.record.get(index).unwrap_or("")
    }

    fn text(&self, col: Col) -> &str {
        self.field(col.index)
    }

    fn number_error(&self, col: Col, expected: &'static str) -> ReadError {
        self.number_error_at(col.index, col.name, expected)
    }

    fn number_error_at(&self, index: usize, name: &str, expected: &'static str) -> ReadError {
        ReadError::Number {
            path: self.origin.to_string(),
            line: self.line,
            column: name.to_string(),
            expected,
            found: quote(self.field(index)),
        }
    }

    /// A finite number, or `None` for an empty field, in the column at
    /// `index` named `name` (a column whose name the file chose).
    fn optional_at(&self, index: usize, name: &str) -> Result<Option<f64>, ReadError> {
        let text = self.field(index);
        if text.is_empty() {
            return Ok(None);
        }
        finite(text)
            .map(Some)
            .ok_or_else(|| self.number_error_at(index, name, "a finite number or nothing"))
    }

    /// A finite number.
    fn number(&self, col: Col) -> Result<f64, ReadError> {
        finite(self.text(col)).ok_or_else(|| self.number_error(col, "a finite number"))
    }

    /// A finite number, or `None` for an empty field.
    fn optional(&self, col: Col) -> Result<Option<f64>, ReadError> {
        let text = self.text(col);
        if text.is_empty() {
            return Ok(None);
        }
        finite(text)
            .map(Some)
            .ok_or_else(|| self.number_error(col, "a finite number or nothing"))
    }

    /// A whole number of at least 0.
    fn integer(&self, col: Col) -> Result<u64, ReadError> {
        self.text(col)
            .parse::<u64>()
            .map_err(|_| self.number_error(col, "a whole number of at least 0"))
    }
}

/// `text` as a finite number.
fn finite(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The first [`QUOTED_CHARS`] characters of `s`, `…` marking a cut.
fn quote(s: &str) -> String {
    match s.char_indices().nth(QUOTED_CHARS) {
        None => s.to_string(),
        Some((i, _)) => format!("{}…", &s[..i]),
    }
}

fn csv_error(e: csv::Error, origin: &str, line: u64) -> ReadError {
    let path = origin.to_string();
    let line = e.position().map_or(line, |p| p.line()).max(1);
    match e.into_kind() {
        csv::ErrorKind::Io(source) => {
            if let Some(x) = source.get_ref().and_then(|s| s.downcast_ref::<Exceeded>()) {
                ReadError::TooLarge {
                    path,
                    limit: x.limit,
                }
            } else {
                ReadError::Io { path, line, source }
            }
        }
        csv::ErrorKind::Utf8 { .. } => ReadError::Utf8 { path, line },
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ReadError::Ragged {
            path,
            line,
            found: len,
            expected: expected_len,
        },
        other => ReadError::Malformed {
            path,
            line,
            message: format!("{other:?}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SERIES: &str = "run_id,policy,time_s,series,value\n0,legacy,0,clients.powered_on,74980\n0,legacy,3600,clients.powered_on,\n";
    const SWEEP: &str = "topology.clients_per_cap,policy,metric,unit,mean,ci95,n\n250,legacy,sim.events,count,45643.4,545.78,5\n250,hotfix,sim.events,count,3,,1\n";

    fn series(text: &str) -> Result<Vec<SeriesRow>, ReadError> {
        timeseries_from_reader(text.as_bytes(), "t.csv")
    }

    fn sweep_of(text: &str) -> Result<Sweep, ReadError> {
        sweep_from_reader(text.as_bytes(), "s.csv")
    }

    fn message(r: Result<impl fmt::Debug, ReadError>) -> String {
        r.expect_err("an error").to_string()
    }

    #[test]
    fn reads_time_series_rows() {
        let rows = series(SERIES).unwrap();
        assert_eq!(
            rows,
            [
                SeriesRow {
                    run_id: 0,
                    policy: "legacy".into(),
                    time_s: 0.0,
                    series: "clients.powered_on".into(),
                    value: Some(74980.0),
                },
                SeriesRow {
                    run_id: 0,
                    policy: "legacy".into(),
                    time_s: 3600.0,
                    series: "clients.powered_on".into(),
                    value: None,
                },
            ]
        );
    }

    #[test]
    fn columns_are_found_by_name() {
        let rows = series("value,series,time_s,policy,run_id,extra\n5,s,60,p,7,x\n").unwrap();
        assert_eq!(rows[0].run_id, 7);
        assert_eq!(rows[0].policy, "p");
        assert_eq!(rows[0].time_s, 60.0);
        assert_eq!(rows[0].series, "s");
        assert_eq!(rows[0].value, Some(5.0));
    }

    #[test]
    fn reads_compare_ablation_and_runs() {
        let c = compare_from_reader(
            "scenario,metric,unit,legacy_mean,legacy_ci95,hotfix_mean,hotfix_ci95,change_pct\ns,status.lost,count,10,2.5,0,0,-100\ns,x,count,0,,0,,\n".as_bytes(),
            "c.csv",
        )
        .unwrap();
        assert!(c.is_legacy_vs_hotfix());
        let c = c.rows;
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].metric, "status.lost");
        assert_eq!(c[0].base_ci95, Some(2.5));
        assert_eq!(c[0].other_mean, Some(0.0));
        assert_eq!(c[0].change_pct, Some(-100.0));
        assert_eq!(c[1].change_pct, None);
        let a = ablation_from_reader(
            "scenario,metric,unit,policy,mean,ci95,legacy_mean,change_pct,share_of_hotfix_change_pct\ns,m,pct,legacy+k,1.5,0.5,3,-50,25\n".as_bytes(),
            "a.csv",
        )
        .unwrap();
        assert_eq!(a[0].policy, "legacy+k");
        assert_eq!(a[0].mean, Some(1.5));
        assert_eq!(a[0].legacy_mean, Some(3.0));
        let r = runs_from_reader(
            "run_id,scenario,policy,replication,seed,topology.child_sites,x,events,wall_s\n4,s,hotfix,1,7,10,2h,100,0.5\n".as_bytes(),
            "r.csv",
        )
        .unwrap();
        assert_eq!(r.params, ["topology.child_sites", "x"]);
        assert_eq!(r.rows[0].run_id, 4);
        assert_eq!(r.rows[0].replication, 1);
        assert_eq!(r.rows[0].point, ["10", "2h"]);
        let plain = runs_from_reader(
            "run_id,scenario,policy,replication,seed,events,wall_s\n0,s,legacy,0,7,100,0.5\n"
                .as_bytes(),
            "r.csv",
        )
        .unwrap();
        assert!(plain.params.is_empty());
        assert!(plain.rows[0].point.is_empty());
        let err = compare_from_reader("metric,unit\n".as_bytes(), "c.csv").unwrap_err();
        assert!(
            err.to_string().contains("no column \"change_pct\""),
            "{err}"
        );
        let err = compare_from_reader(
            "metric,unit,legacy_mean,legacy_ci95,hotfix_mean,change_pct\n".as_bytes(),
            "c.csv",
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("c.csv:1: 1 policies with both a NAME_mean and a NAME_ci95 column"),
            "{err}"
        );
        let err = compare_from_reader(
            "metric,unit,a_mean,a_ci95,b_mean,b_ci95,change_pct\nm,count,1,x,2,,\n".as_bytes(),
            "c.csv",
        )
        .unwrap_err();
        assert!(err.to_string().contains("column \"a_ci95\""), "{err}");
    }

    #[test]
    fn compare_reads_any_two_policies_in_column_order() {
        let c = compare_from_reader(
            "scenario,metric,unit,as-scheduled_mean,as-scheduled_ci95,my policy_mean,my policy_ci95,change_pct\ns,m,count,4,1,2,,-50\n"
                .as_bytes(),
            "c.csv",
        )
        .unwrap();
        assert_eq!(
            (c.base.as_str(), c.other.as_str()),
            ("as-scheduled", "my policy")
        );
        assert!(!c.is_legacy_vs_hotfix());
        assert_eq!(c.rows[0].base_mean, Some(4.0));
        assert_eq!(c.rows[0].base_ci95, Some(1.0));
        assert_eq!(c.rows[0].other_mean, Some(2.0));
        assert_eq!(c.rows[0].other_ci95, None);
    }

    #[test]
    fn reads_a_sweep() {
        let s = sweep_of(SWEEP).unwrap();
        assert_eq!(s.params, ["topology.clients_per_cap"]);
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].point, ["250"]);
        assert_eq!(s.rows[0].mean, Some(45643.4));
        assert_eq!(s.rows[1].ci95, None);
        assert_eq!(s.rows[1].line, 3);
        assert_eq!(s.rows[1].n, 1);
    }

    #[test]
    fn a_sweep_needs_a_parameter_first() {
        let e = message(sweep_of("policy,metric,unit,mean,ci95,n\n"));
        assert!(e.contains("no parameter column"), "{e}");
        let e = message(sweep_of("mean,policy,metric,unit,ci95,n\n"));
        assert_eq!(
            e,
            "s.csv:1: column \"mean\" stands before \"policy\": expected only the varied parameters there"
        );
    }

    #[test]
    fn the_reproduction_of_the_out_of_bounds_panic_is_an_error() {
        let e = message(series("a,b,c\n1,2,3\n"));
        assert_eq!(
            e,
            "t.csv:1: no column \"run_id\": expected the columns run_id,policy,time_s,series,value"
        );
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let e = message(series(
            "run_id,policy,time_s,series,value\n0,p,0,s,1\n0,p,x,s,1\n",
        ));
        assert_eq!(
            e,
            "t.csv:3: column \"time_s\": expected a finite number, found \"x\""
        );
        let e = message(series("run_id,policy,time_s,series,value\n-1,p,0,s,1\n"));
        assert!(e.starts_with("t.csv:2: column \"run_id\""), "{e}");
        let e = message(sweep_of(&format!("{SWEEP}1,p,m,u,1,1,many\n")));
        assert!(e.starts_with("s.csv:4: column \"n\""), "{e}");
    }

    #[test]
    fn non_finite_numbers_are_errors() {
        for bad in ["NaN", "inf", "-inf", "infinity", "1e999"] {
            let text = format!("run_id,policy,time_s,series,value\n0,p,0,s,{bad}\n");
            let e = message(series(&text));
            assert!(
                e.contains("column \"value\": expected a finite number or nothing"),
                "{e}"
            );
        }
        let e = message(sweep_of(&format!("{SWEEP}1,p,m,u,NaN,1,1\n")));
        assert!(e.contains("s.csv:4: column \"mean\""), "{e}");
    }

    #[test]
    fn empty_files_and_missing_columns_are_errors() {
        assert!(message(series("")).starts_with("t.csv: empty: expected a header line"));
        let e = message(series("run_id,policy,time_s,series\n"));
        assert!(e.contains("no column \"value\""), "{e}");
        let e = message(series("run_id,policy,time_s,series,value,value\n"));
        assert!(e.contains("column \"value\" appears twice"), "{e}");
        // A header alone is a file without rows.
        assert!(series("run_id,policy,time_s,series,value\n")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn ragged_rows_are_errors() {
        let e = message(series("run_id,policy,time_s,series,value\n0,p,0,s\n"));
        assert_eq!(
            e,
            "t.csv:2: 4 fields: expected 5, one per column of the header"
        );
        let e = message(series("run_id,policy,time_s,series,value\n0,p,0,s,1,2\n"));
        assert!(e.starts_with("t.csv:2: 6 fields"), "{e}");
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let bytes = b"run_id,policy,time_s,series,value\n0,p\xff,0,s,1\n";
        let e = message(timeseries_from_reader(&bytes[..], "t.csv"));
        assert_eq!(e, "t.csv:2: invalid UTF-8: expected text");
    }

    #[test]
    fn long_fields_are_quoted_short() {
        let long = "9".repeat(1000) + "x";
        let e = message(series(&format!(
            "run_id,policy,time_s,series,value\n0,p,{long},s,1\n"
        )));
        assert!(e.len() < 200, "{e}");
        assert!(e.ends_with("…\""), "{e}");
    }

    #[test]
    fn a_bounded_reader_stops_at_its_limit() {
        let text = SERIES.repeat(100);
        let e = timeseries_from_reader(bounded(text.as_bytes(), 64), "t.csv").unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { limit: 64, .. }), "{e}");
        assert_eq!(
            e.to_string(),
            "t.csv: larger than 64 bytes: expected a results file of at most that size"
        );
        // Exactly at the limit is fine.
        let n = SERIES.len() as u64;
        assert_eq!(
            timeseries_from_reader(bounded(SERIES.as_bytes(), n), "t.csv")
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn open_refuses_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = timeseries(dir.path()).unwrap_err();
        assert!(
            matches!(
                e,
                ReadError::NotAFile {
                    kind: "directory",
                    ..
                }
            ),
            "{e}"
        );
        #[cfg(unix)]
        {
            let e = timeseries(Path::new("/dev/zero")).unwrap_err();
            assert!(
                matches!(e, ReadError::NotAFile { kind: "device", .. }),
                "{e}"
            );
            let fifo = dir.path().join("fifo");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                let e = timeseries(&fifo).unwrap_err();
                assert!(
                    matches!(
                        e,
                        ReadError::NotAFile {
                            kind: "pipe or socket",
                            ..
                        }
                    ),
                    "{e}"
                );
            }
        }
    }

    #[test]
    fn open_refuses_files_over_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("timeseries.csv");
        std::fs::write(&f, SERIES).unwrap();
        let e = open_limited(&f, 10).unwrap_err();
        assert!(matches!(e, ReadError::TooLarge { limit: 10, .. }), "{e}");
        assert_eq!(timeseries(&f).unwrap().len(), 2);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_whose_size_is_misreported_is_still_bounded() {
        // /proc files claim a size of 0 bytes.
        let p = Path::new("/proc/self/maps");
        if p.exists() {
            let e = timeseries_from_reader(open_limited(p, 16).unwrap(), "maps").unwrap_err();
            assert!(matches!(e, ReadError::TooLarge { .. }), "{e}");
        }
    }

    #[test]
    fn an_os_error_is_the_source_not_repeated_in_the_message() {
        use std::error::Error;
        let e = timeseries(Path::new("/nonexistent/timeseries.csv")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/nonexistent/timeseries.csv: cannot open the file"
        );
        let source = e.source().expect("the OS error is the source").to_string();
        assert!(source.contains("os error 2"), "{source}");
        assert!(!e.to_string().contains("os error"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = timeseries_from_reader(&bytes[..], "t.csv");
            let _ = sweep_from_reader(&bytes[..], "s.csv");
            let _ = timeseries_from_reader(bounded(&bytes[..], 100), "t.csv");
        }

        #[test]
        fn rows_after_a_valid_header_never_panic(
            body in proptest::collection::vec(
                prop_oneof![
                    Just(b','), Just(b'\n'), Just(b'"'), Just(b'\r'), Just(b'0'), Just(b'1'),
                    Just(b'.'), Just(b'e'), Just(b'-'), Just(b'x'), Just(0xff_u8), any::<u8>(),
                ],
                0..256,
            )
        ) {
            let mut t = SERIES.as_bytes().to_vec();
            t.extend(&body);
            let _ = timeseries_from_reader(&t[..], "t.csv");
            let mut s = SWEEP.as_bytes().to_vec();
            s.extend(&body);
            let _ = sweep_from_reader(&s[..], "s.csv");
        }

        #[test]
        fn finite_numbers_round_trip(v in any::<f64>().prop_filter("finite", |v| v.is_finite()), t in 0u32..1_000_000) {
            let text = format!("run_id,policy,time_s,series,value\n3,p,{t},s,{v}\n");
            let rows = timeseries_from_reader(text.as_bytes(), "t.csv").unwrap();
            prop_assert_eq!(rows[0].value, Some(v));
            prop_assert_eq!(rows[0].time_s, f64::from(t));
        }
    }
}
