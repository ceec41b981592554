//! Scenario section for package distribution through the hierarchy
//! (Q319207, Q163379, Q278357, Q214485): Distribution Manager, Scheduler
//! and Sender parameters, the faults (a distribution point or a site's
//! address down for a window) and the package updates of the workload.

use crate::issues::{issue, Issues, Section, ValidationContext};
use crate::values::{Positive, Probability, Span};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Distribution Manager, Scheduler and Sender parameters and faults.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DistributionSpec {
    /// Rate of a copy from the site server to a local distribution point, in
    /// Mbit/s. Default 10 (**assumed**: a 10BASE-T site LAN of 2002, the
    /// copy taking the whole of it).
    pub lan_mbit_s: f64,
    /// Bandwidth of the sender address from a parent site to each child
    /// site, in kbit/s, given to the non-central sites in turn (the site
    /// with index `i` gets entry `(i - 1) mod len`). Default
    /// `[64, 128, 256, 1544]` (**assumed**: ISDN 64 kbit/s, dual-channel
    /// ISDN or fractional frame relay 128/256 kbit/s, and a T1 at 1.544
    /// Mbit/s, the WAN links of 2000-2002 branch offices; see
    /// `docs/q319207.md`).
    pub wan_kbit_s: Vec<u32>,
    /// Addresses with their own bandwidth, overriding `wan_kbit_s`.
    pub links: Vec<LinkSpec>,
    /// Each sending gets between this share and all of its share of the
    /// address bandwidth (protocol overhead and other traffic), drawn
    /// uniformly per sending. Default 0.7 (**assumed**).
    pub wan_efficiency_min: Probability,
    /// Sendings a site's Sender runs at once. Default 5 (Q163379: "Maximum
    /// Concurrent Sendings ... 5").
    pub max_sendings: Positive,
    /// Sendings to one destination site at once. Default 3 (Q163379:
    /// "Maximum Concurrent Site Sendings ... 3").
    pub max_site_sendings: Positive,
    /// Delay before Sender retries a sending after a network error. Default
    /// `1m` (Q278357: "waiting one minute (the default setting)").
    pub sender_retry_delay: Span,
    /// Retries of one send request by Sender before it hands the request
    /// back to Scheduler. Default 2 (Q214485: "two times for the LAN
    /// Sender").
    pub sender_retries: u32,
    /// Time Sender spends on each sending besides the transfer itself:
    /// connecting to the destination's `SMS_SITE` share, writing the
    /// instruction and status files, closing. Default `10s` (**assumed**).
    pub sending_overhead: Span,
    /// Time Sender takes to find that an address cannot be reached.
    /// Default `30s` (**assumed**).
    pub connect_timeout: Span,
    /// Delay before Scheduler resubmits a send request that Sender gave
    /// back. Default `55m` (Q214485: "current time + 55 min").
    pub reschedule_delay: Span,
    /// Age at which Scheduler gives a job up as failed. Default `7d`
    /// (Q214485: "reschedule Send Requests for a period of 7 days").
    pub job_give_up: Span,
    /// Distribution Manager's retry interval for a package whose local DPs
    /// were not all updated. Default `1h` (Q319207: "retried at least once
    /// an hour").
    pub retry_interval: Span,
    /// While Distribution Manager works on other packages it retries a
    /// failed package as soon as this much time passed since the last try.
    /// Default `15m` (**assumed**; Q319207: "retries the
    /// unsuccessful package more frequently").
    pub busy_retry_interval: Span,
    /// What a legacy retry sends to each child site: `info`, the package
    /// information (`package_info_kb`), which is what Q319207 says is
    /// re-sent ("sends the package information to every site ... every time
    /// it retries"; status 2339 "send the package information"), or
    /// `package`, the whole compressed package again (the pessimistic
    /// reading of its CAUSE, "sending updated package data"). Default
    /// `info`.
    pub retry_payload: RetryPayload,
    /// Size of a package's information (definition, programs, instruction
    /// files) in KB, for `retry_payload = info`. Default 16 (**assumed**).
    pub package_info_kb: f64,
    /// Mean time Distribution Manager spends on one package besides the DP
    /// copies (reading the source, compressing, writing the package
    /// information); drawn uniformly within ±50 % per processing. Default
    /// `20s` (**assumed**).
    pub process_time: Span,
    /// Time a copy to a distribution point that is down takes to fail.
    /// Default `30s` (**assumed**).
    pub dp_timeout: Span,
    /// Distribution points down for a window.
    pub dp_outages: Vec<DpOutage>,
    /// Sites whose address cannot be reached from their parent for a
    /// window.
    pub link_outages: Vec<LinkOutage>,
    /// A routine package update repeated through the run (e.g. a virus
    /// signature package); `null` for none. Default: a 2 MB package
    /// updated every day from 12 h after the start (**assumed**).
    pub routine: Option<RoutineUpdates>,
}

impl Default for DistributionSpec {
    fn default() -> Self {
        DistributionSpec {
            lan_mbit_s: 10.0,
            wan_kbit_s: vec![64, 128, 256, 1544],
            links: Vec::new(),
            wan_efficiency_min: Probability::new_const(0.7),
            max_sendings: Positive::new_const(5),
            max_site_sendings: Positive::new_const(3),
            sender_retry_delay: Span::mins(1),
            sender_retries: 2,
            sending_overhead: Span::secs(10),
            connect_timeout: Span::secs(30),
            reschedule_delay: Span::mins(55),
            job_give_up: Span::days(7),
            retry_interval: Span::hours(1),
            busy_retry_interval: Span::mins(15),
            retry_payload: RetryPayload::Info,
            package_info_kb: 16.0,
            process_time: Span::secs(20),
            dp_timeout: Span::secs(30),
            dp_outages: Vec::new(),
            link_outages: Vec::new(),
            routine: Some(RoutineUpdates::default()),
        }
    }
}

/// What a retry that re-sends a package to the child sites carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RetryPayload {
    /// The whole compressed package.
    Package,
    /// The package information only.
    Info,
}

/// The bandwidth of one site's address (from its parent).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    /// The child site's code.
    pub site: String,
    /// Bandwidth in kbit/s.
    pub kbit_s: u32,
}

/// A distribution point that cannot be written to for a window.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DpOutage {
    /// Code of the DP's site.
    pub site: String,
    /// Index of the DP among the site's DPs (0 = the first). Default 0.
    #[serde(default)]
    pub dp: u32,
    /// Start of the outage, from the start of the run.
    pub from: Span,
    /// How long it lasts.
    pub duration: Span,
}

/// A site's address that cannot be reached for a window.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkOutage {
    /// Code of the site that cannot be reached (not the central site).
    pub site: String,
    /// Start of the outage.
    pub from: Span,
    /// How long it lasts.
    pub duration: Span,
}

/// One package updated again and again at a fixed interval.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RoutineUpdates {
    /// The package's name. Default `Routine`.
    pub package: String,
    /// First update. Default `12h`.
    pub first: Span,
    /// Interval between updates. Default `1d`.
    pub every: Span,
    /// Size of the compressed package in MB. Default 2.
    pub size_mb: f64,
}

impl Default for RoutineUpdates {
    fn default() -> Self {
        RoutineUpdates {
            package: "Routine".into(),
            first: Span::hours(12),
            every: Span::days(1),
            size_mb: 2.0,
        }
    }
}

/// A package created or updated at the central site.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PackageUpdate {
    /// The package's name; updates with the same name update one package.
    pub package: String,
    /// When the administrator updates it.
    pub at: Span,
    /// Size of the compressed package in MB (what Sender sends, what
    /// Distribution Manager copies to each DP). Default 5 (**assumed**).
    pub size_mb: f64,
    /// Indices of the central site's DPs that hold the package; default all
    /// of them. Child sites put every package on all their DPs.
    pub central_dps: Option<Vec<u32>>,
    /// Counts the update in `package.site_latency_*` (the "unrelated"
    /// package of Q319207's symptom). If no update is a probe, every update
    /// counts.
    pub probe: bool,
}

impl Default for PackageUpdate {
    fn default() -> Self {
        PackageUpdate {
            package: String::new(),
            at: Span::default(),
            size_mb: 5.0,
            central_dps: None,
            probe: false,
        }
    }
}

fn positive_size(mb: f64, field: &str, out: &mut Issues) {
    if !(mb.is_finite() && mb > 0.0 && mb <= 1e6) {
        issue(
            out,
            field,
            format!("{mb}: expected a size in MB greater than 0 (at most 1000000)"),
        );
    }
}

impl Section for DistributionSpec {
    /// The package updates are the distribution section's workload.
    type Workload = [PackageUpdate];

    /// Checks what types cannot: references and orderings.
    fn validate(&self, packages: &[PackageUpdate], cx: &ValidationContext, out: &mut Issues) {
        let f = "distribution";
        if !(self.lan_mbit_s.is_finite() && self.lan_mbit_s > 0.0) {
            issue(
                out,
                format!("{f}.lan_mbit_s"),
                format!("{}: expected a rate greater than 0", self.lan_mbit_s),
            );
        }
        if !(self.package_info_kb.is_finite() && self.package_info_kb > 0.0) {
            issue(
                out,
                format!("{f}.package_info_kb"),
                format!("{}: expected a size greater than 0", self.package_info_kb),
            );
        }
        if self.wan_kbit_s.is_empty() {
            issue(
                out,
                format!("{f}.wan_kbit_s"),
                "expected at least one bandwidth",
            );
        }
        for (i, &k) in self.wan_kbit_s.iter().enumerate() {
            if k == 0 {
                issue(
                    out,
                    format!("{f}.wan_kbit_s.{i}"),
                    "expected a bandwidth greater than 0",
                );
            }
        }
        let child_site = |code: &str, field: String, out: &mut Issues| match cx
            .site_codes
            .iter()
            .position(|c| c == code)
        {
            None => issue(out, field, format!("no site has code {code:?}")),
            Some(0) => issue(
                out,
                field,
                format!("{code:?} is the central site: it has no parent to send to it"),
            ),
            Some(_) => {}
        };
        for (i, l) in self.links.iter().enumerate() {
            child_site(&l.site, format!("{f}.links.{i}.site"), out);
            if l.kbit_s == 0 {
                issue(
                    out,
                    format!("{f}.links.{i}.kbit_s"),
                    "expected a bandwidth greater than 0",
                );
            }
        }
        for (name, span) in [
            ("retry_interval", self.retry_interval),
            ("busy_retry_interval", self.busy_retry_interval),
            ("reschedule_delay", self.reschedule_delay),
            ("job_give_up", self.job_give_up),
        ] {
            if span.millis() == 0 {
                issue(out, format!("{f}.{name}"), "expected a positive interval");
            }
        }
        for (i, o) in self.dp_outages.iter().enumerate() {
            let field = format!("{f}.dp_outages.{i}");
            match cx.site_codes.iter().position(|c| *c == o.site) {
                None => issue(
                    out,
                    format!("{field}.site"),
                    format!("no site has code {:?}", o.site),
                ),
                Some(s) => {
                    let n = cx.site_dps.get(s).copied().unwrap_or(0);
                    if o.dp >= n {
                        issue(
                            out,
                            format!("{field}.dp"),
                            format!("site {} has {n} DPs: expected an index below {n}", o.site),
                        );
                    }
                }
            }
            cx.within_run(o.from, &format!("{field}.from"), out);
        }
        for (i, o) in self.link_outages.iter().enumerate() {
            let field = format!("{f}.link_outages.{i}");
            child_site(&o.site, format!("{field}.site"), out);
            cx.within_run(o.from, &format!("{field}.from"), out);
        }
        if let Some(r) = &self.routine {
            if r.every.millis() < 60_000 {
                issue(
                    out,
                    format!("{f}.routine.every"),
                    format!("{}: expected at least 1m between routine updates", r.every),
                );
            }
            if r.package.trim().is_empty() {
                issue(
                    out,
                    format!("{f}.routine.package"),
                    "expected a package name",
                );
            }
            positive_size(r.size_mb, &format!("{f}.routine.size_mb"), out);
        }
        let central_dps = cx.site_dps.first().copied().unwrap_or(0);
        for (i, p) in packages.iter().enumerate() {
            let field = format!("workload.packages.{i}");
            if p.package.trim().is_empty() {
                issue(out, format!("{field}.package"), "expected a package name");
            }
            positive_size(p.size_mb, &format!("{field}.size_mb"), out);
            cx.within_run(p.at, &format!("{field}.at"), out);
            for (j, &d) in p.central_dps.iter().flatten().enumerate() {
                if d >= central_dps {
                    issue(
                        out,
                        format!("{field}.central_dps.{j}"),
                        format!(
                            "the central site has {central_dps} DPs: expected an index below {central_dps}"
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ScenarioError;

    fn load(dist: &str, packages: &str) -> Result<crate::Scenario, ScenarioError> {
        let text = format!(
            r#"{{"name":"t","duration_days":2,"topology":{{"child_sites":2,"clients_per_cap":1}},
                "distribution":{dist},"workload":{{"packages":{packages}}}}}"#
        );
        crate::load_str(&text, "t.json", &[])
    }

    fn fields(e: ScenarioError) -> Vec<String> {
        match e {
            ScenarioError::Invalid { issues, .. } => issues.into_iter().map(|i| i.field).collect(),
            other => panic!("expected validation issues, got {other}"),
        }
    }

    #[test]
    fn defaults_cite_the_articles() {
        let s = load("{}", "[]").unwrap();
        let d = &s.spec.distribution;
        assert_eq!(d.max_sendings.get(), 5);
        assert_eq!(d.max_site_sendings.get(), 3);
        assert_eq!(d.sender_retry_delay.millis(), 60_000);
        assert_eq!(d.job_give_up.millis(), 7 * 86_400_000);
        assert_eq!(d.retry_interval.millis(), 3_600_000);
        assert!(d.routine.is_some());
    }

    #[test]
    fn bad_references_name_their_fields() {
        let e = load(
            r#"{"dp_outages":[{"site":"ZZZ","from":"1h","duration":"2h"},{"site":"CEN","dp":3,"from":"9d","duration":"1h"}],
                "link_outages":[{"site":"CEN","from":"1h","duration":"1h"}],
                "links":[{"site":"A01","kbit_s":0}], "wan_kbit_s":[], "routine":null}"#,
            r#"[{"package":"","at":"1h","size_mb":0,"central_dps":[1]}]"#,
        )
        .unwrap_err();
        let f = fields(e);
        for want in [
            "distribution.dp_outages.0.site",
            "distribution.dp_outages.1.dp",
            "distribution.dp_outages.1.from",
            "distribution.link_outages.0.site",
            "distribution.links.0.kbit_s",
            "distribution.wan_kbit_s",
            "workload.packages.0.package",
            "workload.packages.0.size_mb",
            "workload.packages.0.central_dps.0",
        ] {
            assert!(f.iter().any(|x| x == want), "{want} missing from {f:?}");
        }
    }

    #[test]
    fn unknown_fields_are_rejected() {
        assert!(load(r#"{"retry_intervall":"1h"}"#, "[]").is_err());
        assert!(load("{}", r#"[{"package":"P","sizemb":1}]"#).is_err());
    }
}
