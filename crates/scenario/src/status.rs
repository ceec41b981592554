//! Scenario section for status messages through the Copy Queue Manager
//! (Q323627, Q301352, Q292030): the client's Copy Queue Manager, the CAP
//! inboxes and the site's Inbox Manager Assistant (`status`), and the
//! scheduled advertisements that make clients emit status messages
//! (`workload.advertisements`).

use crate::issues::{issue, Issues, Section, ValidationContext};
use crate::values::{Probability, Span};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Copy Queue Manager, CAP inbox and Inbox Manager Assistant parameters,
/// and the background items every client submits.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StatusSpec {
    /// Copy Queue Manager's wake-up cycle: an item that could not be copied
    /// waits for it (or for the next client start). Default `1380m`
    /// (Q292030: "The default Copy Queue Manager cycle is 1380 minutes").
    pub wake_up_cycle: Span,
    /// Age at which Copy Queue Manager deletes an item it could not copy.
    /// Default `11520m`, eight days (Q292030).
    pub item_lifetime: Span,
    /// Shortest time one copy attempt (one file name tried on the CAP)
    /// takes. Default `50ms` (**assumed**: 50–200 ms on a LAN).
    pub copy_time_min: Span,
    /// Longest time one copy attempt takes; attempts are uniform between
    /// the two. Default `200ms` (**assumed**).
    pub copy_time_max: Span,
    /// Resolution of the client clock that seeds the legacy
    /// (`clock_seeded`) name sequence, in milliseconds: clients whose clocks
    /// read the same tick walk the same sequence. Default 1000
    /// (**assumed**; Q301352: the old algorithm is "sensitive
    /// to time synchronization").
    pub seed_resolution_ms: u64,
    /// Interval at which each CAP's Inbox Manager Assistant looks for files
    /// to move to the site server. Default `5m` (**assumed**).
    pub inbox_poll_interval: Span,
    /// Files the Inbox Manager Assistant moves from one CAP to the site
    /// server per minute while it has work. Default 3000 (**assumed**).
    pub inbox_files_per_minute: u32,
    /// A discovery data record (`ddr.box`) at every user logon. Default
    /// true (Windows Networking Logon Discovery writes a discovery record at each logon).
    pub logon_discovery: bool,
    /// Interval of heartbeat discovery (`ddr.box`); `0s` turns it off.
    /// Default `7d` (Q257799).
    pub heartbeat_interval: Span,
    /// Interval of hardware inventory (`inventry.box`); `0s` turns it off.
    /// Default `7d` (**assumed**: weekly).
    pub inventory_interval: Span,
    /// Times when CAPs are unavailable (server down, share unreachable).
    /// Copy Queue Manager copies to "an available CAP" from the client's
    /// CAP list (Q323627), so a client whose own CAP is down copies to the
    /// next CAP of its site's list; when every CAP of the list is down the
    /// destination is inaccessible and the items wait for the next copy
    /// cycle (Q292030). Default: none.
    pub cap_outages: Vec<CapOutage>,
}

/// A CAP (or every CAP of a site) unavailable for a while.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapOutage {
    /// The site's code.
    pub site: String,
    /// The CAP's number within the site, from 1 (`\\<site>CAP<n>`);
    /// omitted: every CAP of the site.
    #[serde(default)]
    pub cap: Option<u32>,
    /// When it goes down, from the start of the run. Default `0s`.
    #[serde(default)]
    pub from: Span,
    /// How long it stays down; omitted: to the end of the run.
    #[serde(default, rename = "for")]
    pub duration: Option<Span>,
}

impl Default for StatusSpec {
    fn default() -> Self {
        StatusSpec {
            wake_up_cycle: Span::mins(1380),
            item_lifetime: Span::mins(11520),
            copy_time_min: Span::ms(50),
            copy_time_max: Span::ms(200),
            seed_resolution_ms: 1000,
            inbox_poll_interval: Span::mins(5),
            inbox_files_per_minute: 3000,
            logon_discovery: true,
            heartbeat_interval: Span::days(7),
            inventory_interval: Span::days(7),
            cap_outages: Vec::new(),
        }
    }
}

/// A scheduled advertisement with a mandatory assignment: a program run on
/// a target set of clients at a time. Each client that runs it submits the
/// status messages received (10002), started (10005), and succeeded
/// (10008) or failed (10006) (Resource Guide table 2.2: 3 per new
/// advertisement).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Advertisement {
    /// Advertisement ID, for logs. Default `CEN20001`.
    pub id: String,
    /// Scheduled time (site time, from the start of the run). Clients that
    /// are switched off then run the program when they next start.
    /// Default `2h`.
    pub at: Span,
    /// Site codes whose clients are targeted; empty: every site. Default
    /// empty.
    pub sites: Vec<String>,
    /// Share of the clients of those sites in the target collection.
    /// Default 1.
    pub target_share: Probability,
    /// Share of the targeted clients (switched on at the scheduled time)
    /// whose Advertised Programs Monitor runs the assignment within the
    /// scheduled minute (see `same_minute_delay_mean`); the rest run it
    /// uniformly over the rest of `notice_window`. This is the density Q301352 speaks
    /// of ("the more clients per CAP that run the advertisement at the same
    /// time"). Default 0.3 (**assumed**; calibrated so that legacy loses a
    /// few percent at 2,000 clients per CAP, see `docs/q323627.md`).
    pub same_minute_share: Probability,
    /// Mean delay, for the clients of the scheduled minute, from the
    /// scheduled time to running the assignment: exponential, truncated to
    /// the minute. The assignment's timer fires at the scheduled second on
    /// every client clock, and clients then take a few seconds to act, so
    /// the first seconds of the minute are the densest; `0s` puts them all
    /// at the scheduled second. Default `10s` (**assumed**).
    pub same_minute_delay_mean: Span,
    /// Window over which the clients not in the scheduled minute notice
    /// the assignment, from the scheduled time. Default `30m`
    /// (**assumed**).
    pub notice_window: Span,
    /// Delay from receiving the assignment (10002) to the program's start
    /// (10005). Default `1s` (**assumed**).
    pub start_delay: Span,
    /// Median of the program's run time (lognormal). Default `3m`
    /// (**assumed**).
    pub run_time_median: Span,
    /// Sigma of the logarithm of the run time. Default 0.5 (**assumed**).
    pub run_time_sigma: f64,
    /// Share of runs that succeed (10008); the rest fail (10006).
    /// Default 0.95 (**assumed**).
    pub success_share: Probability,
    /// Delay from a client's start to running an assignment it missed while
    /// switched off. Default `2m` (**assumed**).
    pub missed_run_delay: Span,
}

impl Default for Advertisement {
    fn default() -> Self {
        Advertisement {
            id: "CEN20001".into(),
            at: Span::hours(2),
            sites: Vec::new(),
            target_share: Probability::new_const(1.0),
            same_minute_share: Probability::new_const(0.3),
            same_minute_delay_mean: Span::secs(10),
            notice_window: Span::mins(30),
            start_delay: Span::secs(1),
            run_time_median: Span::mins(3),
            run_time_sigma: 0.5,
            success_share: Probability::new_const(0.95),
            missed_run_delay: Span::mins(2),
        }
    }
}

/// Most advertisements a scenario may schedule (ids are 16-bit in events).
pub const MAX_ADVERTISEMENTS: usize = 1000;

impl Section for StatusSpec {
    /// The advertisements are the status section's workload.
    type Workload = [Advertisement];

    /// Checks what types cannot: references and orderings.
    fn validate(&self, ads: &[Advertisement], cx: &ValidationContext, out: &mut Issues) {
        if self.copy_time_max < self.copy_time_min {
            issue(
                out,
                "status.copy_time_max",
                format!(
                    "{} is shorter than status.copy_time_min ({})",
                    self.copy_time_max, self.copy_time_min
                ),
            );
        }
        if self.copy_time_max.millis() == 0 {
            issue(out, "status.copy_time_max", "expected a positive copy time");
        }
        if self.seed_resolution_ms == 0 {
            issue(
                out,
                "status.seed_resolution_ms",
                "expected a positive clock resolution in milliseconds",
            );
        }
        for (field, span) in [
            ("status.wake_up_cycle", self.wake_up_cycle),
            ("status.item_lifetime", self.item_lifetime),
            ("status.inbox_poll_interval", self.inbox_poll_interval),
        ] {
            if span.millis() == 0 {
                issue(out, field, "expected a positive interval");
            }
        }
        for (field, span) in [
            ("status.heartbeat_interval", self.heartbeat_interval),
            ("status.inventory_interval", self.inventory_interval),
        ] {
            if span.millis() != 0 && span.millis() < 60_000 {
                issue(
                    out,
                    field,
                    format!("{span}: expected 0 (off) or at least 1m"),
                );
            }
        }
        if self.inbox_files_per_minute == 0 {
            issue(
                out,
                "status.inbox_files_per_minute",
                "expected at least 1 file per minute",
            );
        }
        for (i, o) in self.cap_outages.iter().enumerate() {
            let f = |name: &str| format!("status.cap_outages.{i}.{name}");
            match cx.site_codes.iter().position(|c| *c == o.site) {
                None => issue(out, f("site"), format!("no site has code {:?}", o.site)),
                Some(s) => {
                    let caps = cx.site_caps.get(s).copied().unwrap_or(0);
                    if let Some(n) = o.cap.filter(|&n| n == 0 || n > caps) {
                        issue(
                            out,
                            f("cap"),
                            format!(
                                "{n}: site {} has CAPs 1 to {caps}: expected one of them, or no \"cap\" for all",
                                o.site
                            ),
                        );
                    }
                }
            }
            cx.within_run(o.from, &f("from"), out);
            if o.duration.is_some_and(|d| d.millis() == 0) {
                issue(
                    out,
                    f("for"),
                    "expected a positive duration, or no \"for\" for the rest of the run",
                );
            }
        }
        if ads.len() > MAX_ADVERTISEMENTS {
            issue(
                out,
                "workload.advertisements",
                format!(
                    "{} advertisements: at most {MAX_ADVERTISEMENTS} are supported",
                    ads.len()
                ),
            );
        }
        for (i, ad) in ads.iter().enumerate() {
            let f = |name: &str| format!("workload.advertisements.{i}.{name}");
            cx.within_run(ad.at, &f("at"), out);
            for (j, s) in ad.sites.iter().enumerate() {
                if !cx.has_site(s) {
                    issue(
                        out,
                        f(&format!("sites.{j}")),
                        format!("no site has code {s:?}"),
                    );
                }
            }
            if ad.notice_window.millis() < 60_000 {
                issue(
                    out,
                    f("notice_window"),
                    format!("{}: expected at least one minute", ad.notice_window),
                );
            }
            if !(ad.run_time_sigma.is_finite() && ad.run_time_sigma >= 0.0) {
                issue(
                    out,
                    f("run_time_sigma"),
                    format!("{}: expected a number >= 0", ad.run_time_sigma),
                );
            }
            if ad.run_time_median.millis() == 0 {
                issue(out, f("run_time_median"), "expected a positive run time");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> ValidationContext {
        ValidationContext {
            site_codes: vec!["CEN".into()],
            site_dps: vec![1],
            site_caps: vec![2],
            clients: 10,
            horizon: 86_400_000,
        }
    }

    #[test]
    fn defaults_are_valid() {
        let mut out = Issues::new();
        StatusSpec::default().validate(&[Advertisement::default()], &cx(), &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn bad_values_name_their_field() {
        let spec = StatusSpec {
            copy_time_min: Span::ms(300),
            seed_resolution_ms: 0,
            ..StatusSpec::default()
        };
        let ad = Advertisement {
            at: Span::days(2),
            sites: vec!["XYZ".into()],
            run_time_sigma: -1.0,
            ..Advertisement::default()
        };
        let mut out = Issues::new();
        spec.validate(&[ad], &cx(), &mut out);
        let fields: Vec<&str> = out.iter().map(|i| i.field.as_str()).collect();
        for f in [
            "status.copy_time_max",
            "status.seed_resolution_ms",
            "workload.advertisements.0.at",
            "workload.advertisements.0.sites.0",
            "workload.advertisements.0.run_time_sigma",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn cap_outages_name_the_site_the_cap_and_the_times() {
        let outage = |site: &str, cap: Option<u32>, from: Span, duration: Option<Span>| CapOutage {
            site: site.into(),
            cap,
            from,
            duration,
        };
        let spec = StatusSpec {
            cap_outages: vec![
                outage("CEN", Some(2), Span::hours(1), Some(Span::hours(6))),
                outage("CEN", None, Span::ms(0), None),
                outage("XYZ", Some(1), Span::ms(0), None),
                outage("CEN", Some(3), Span::days(2), Some(Span::ms(0))),
                outage("CEN", Some(0), Span::ms(0), None),
            ],
            ..StatusSpec::default()
        };
        let mut out = Issues::new();
        spec.validate(&[], &cx(), &mut out);
        let fields: Vec<&str> = out.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "status.cap_outages.2.site",
                "status.cap_outages.3.cap",
                "status.cap_outages.3.from",
                "status.cap_outages.3.for",
                "status.cap_outages.4.cap",
            ]
        );
        let o: CapOutage =
            serde_json::from_str(r#"{"site":"S01","cap":2,"from":"1d","for":"6h"}"#).unwrap();
        assert_eq!(
            o,
            outage("S01", Some(2), Span::days(1), Some(Span::hours(6)))
        );
        assert!(serde_json::from_str::<CapOutage>(r#"{"cap":2}"#).is_err());
        assert!(serde_json::from_str::<CapOutage>(r#"{"site":"S01","until":"2d"}"#).is_err());
    }

    #[test]
    fn unknown_fields_are_rejected() {
        assert!(serde_json::from_str::<Advertisement>(r#"{"att":"1h"}"#).is_err());
        assert!(serde_json::from_str::<StatusSpec>(r#"{"retries":3}"#).is_err());
    }
}
