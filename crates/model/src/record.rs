//! What a run records: metrics, time series, logs and artifacts.

use crate::hierarchy::{ClientId, SiteId};
use smssim_engine::SimTime;
use smssim_scenario::Calendar;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Nearest-rank percentile (`p` in 0..=1) of sorted values; 0 if none.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// One metric of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// Dotted name, e.g. `status.lost_pct`.
    pub name: Cow<'static, str>,
    /// The value.
    pub value: f64,
    /// Unit: `count`, `pct`, `s`, `bytes`, `hours`, …
    pub unit: &'static str,
}

/// The metrics of a run, in the order they were recorded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metrics {
    /// The rows.
    pub rows: Vec<Metric>,
}

impl Metrics {
    /// Records a metric.
    pub fn push(&mut self, name: impl Into<Cow<'static, str>>, value: f64, unit: &'static str) {
        self.rows.push(Metric {
            name: name.into(),
            value,
            unit,
        });
    }

    /// Records a count.
    pub fn count(&mut self, name: impl Into<Cow<'static, str>>, value: u64) {
        self.push(name, value as f64, "count");
    }

    /// The value of a metric, if recorded.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.rows.iter().find(|m| m.name == name).map(|m| m.value)
    }
}

/// One point of a time series.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Virtual time in seconds.
    pub time_s: u64,
    /// Series name, e.g. `cap.inbox_files_max`.
    pub series: Cow<'static, str>,
    /// The value.
    pub value: f64,
}

/// Time series of a run: one point per series per sample.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    /// The points, in time order.
    pub points: Vec<Point>,
}

/// A sample being taken: subsystems add their series' values to it.
#[derive(Debug)]
pub struct Sample<'a> {
    time_s: u64,
    series: &'a mut Series,
}

impl<'a> Sample<'a> {
    /// A sample at `t` that adds to `series`.
    pub fn new(t: SimTime, series: &'a mut Series) -> Self {
        Sample {
            time_s: t / 1000,
            series,
        }
    }

    /// Adds the value of one series.
    pub fn add(&mut self, series: impl Into<Cow<'static, str>>, value: f64) {
        self.series.points.push(Point {
            time_s: self.time_s,
            series: series.into(),
            value,
        });
    }
}

/// Logs and inbox snapshots for the clients and sites being traced.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    clients: Vec<bool>,
    sites: Vec<bool>,
    any: bool,
    /// Log lines by file path relative to the trace folder
    /// (`clients/PC000123/Cqmgr32.log`, `sites/CEN/Ccm.log`).
    pub logs: BTreeMap<String, Vec<String>>,
    /// Files written at the snapshot time (`sites/CEN/CcrRetry.box/X.CCR`).
    pub files: BTreeMap<String, String>,
    /// When to snapshot inboxes (`trace --at`).
    pub snapshot_at: Option<SimTime>,
}

impl Trace {
    /// Traces nothing.
    pub fn off() -> Self {
        Trace::default()
    }

    /// Traces the given clients and sites.
    pub fn new(n_clients: usize, n_sites: usize, clients: &[ClientId], sites: &[SiteId]) -> Self {
        let mut t = Trace {
            clients: vec![false; n_clients],
            sites: vec![false; n_sites],
            any: true,
            ..Trace::default()
        };
        for &c in clients {
            t.clients[c as usize] = true;
        }
        for &s in sites {
            t.sites[s as usize] = true;
        }
        t
    }

    /// Whether logs are being written at all.
    #[inline]
    pub fn enabled(&self) -> bool {
        self.any
    }

    /// Whether client `c` is traced.
    #[inline]
    pub fn client(&self, c: ClientId) -> bool {
        self.any && self.clients.get(c as usize).copied().unwrap_or(false)
    }

    /// Whether site `s` is traced.
    #[inline]
    pub fn site(&self, s: SiteId) -> bool {
        self.any && self.sites.get(s as usize).copied().unwrap_or(false)
    }

    /// Appends a line to a log file.
    pub fn line(&mut self, file: String, line: String) {
        self.logs.entry(file).or_default().push(line);
    }

    /// A trace of the same clients, sites and snapshot time with nothing
    /// written yet: the status lane's (`sim.rs`), which runs beside the
    /// world's and writes its own files.
    pub fn same_selection(&self) -> Trace {
        Trace {
            clients: self.clients.clone(),
            sites: self.sites.clone(),
            any: self.any,
            logs: BTreeMap::new(),
            files: BTreeMap::new(),
            snapshot_at: self.snapshot_at,
        }
    }

    /// Adds another lane's logs and files. The lanes write different files
    /// (a file's lines come from one component, hence one lane); should
    /// both write one, the other's lines follow this one's.
    pub fn absorb(&mut self, other: Trace) {
        for (path, lines) in other.logs {
            debug_assert!(
                !self.logs.contains_key(&path),
                "both lanes wrote {path}: give each lane's components files of their own"
            );
            self.logs.entry(path).or_default().extend(lines);
        }
        self.files.extend(other.files);
    }
}

/// A log line in the SMS 2.0 format: the text, then component, local date
/// and time, and thread: `text  $$<SMS_CLIENT_CONFIG_MANAGER><06-03-2002
/// 08:00:01.250><thread=276 (0x114)>`.
pub fn sms_log_line(
    cal: &Calendar,
    t: SimTime,
    component: &str,
    thread: u32,
    text: &str,
) -> String {
    let c = cal.civil(t);
    format!(
        "{text}  $$<{component}><{:02}-{:02}-{:04} {:02}:{:02}:{:02}.{:03}><thread={thread} (0x{thread:X})>",
        c.month, c.day, c.year, c.hour, c.minute, c.second, c.milli
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_line_has_sms_suffix() {
        let l = sms_log_line(
            &Calendar::default(),
            1250,
            "SMS_CLIENT_CONFIG_MANAGER",
            276,
            "hello",
        );
        assert_eq!(
            l,
            "hello  $$<SMS_CLIENT_CONFIG_MANAGER><06-03-2002 08:00:01.250><thread=276 (0x114)>"
        );
    }
}
