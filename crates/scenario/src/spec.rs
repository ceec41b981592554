//! The scenario file as written: every field, its default and its source.
//!
//! All structs reject unknown fields. Defaults are stated on each field with
//! their source: a Knowledge Base article, or **assumed** where no source
//! gives a number (those are the parameters a user should put their own
//! values into).

use crate::calendar::Calendar;
use crate::issues::{issue, Issues, Section, ValidationContext};
use crate::values::{Probability, Span};
use crate::{ccr, distribution, status};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::topology::{Rollout, SiteDef, Topology, Upgrade};

/// A scenario: one hierarchy, its workload and faults, run for a span of
/// time under each policy.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioSpec {
    /// Short name; names the default results folder `results/<name>/`.
    pub name: String,
    /// What the scenario shows, for people.
    #[serde(default)]
    pub description: String,
    /// Master seed of every random stream. Default 1.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Simulated span in days (may be fractional). Default 7.
    #[serde(default = "default_days")]
    pub duration_days: f64,
    /// Local date and time of virtual time 0; used for time of day,
    /// weekends, and the dates printed in logs and `.CCR` files.
    /// Default `2002-06-03T08:00:00` (a Monday).
    #[serde(default)]
    pub start: Calendar,
    /// Interval between time-series samples. Default `15m`.
    #[serde(default = "default_sample_interval")]
    pub sample_interval: Span,
    /// Sites, CAPs, DPs, domains and clients.
    #[serde(default)]
    pub topology: Topology,
    /// How clients and their users behave.
    #[serde(default)]
    pub clients: Clients,
    /// Scheduled work given to the hierarchy.
    #[serde(default)]
    pub workload: Workload,
    /// Status messages through the Copy Queue Manager (Q323627).
    #[serde(default)]
    pub status: status::StatusSpec,
    /// Discovery, CCRs and Client Configuration Manager (Q242926, Q252717).
    #[serde(default)]
    pub ccr: ccr::CcrSpec,
    /// Package distribution through the hierarchy (Q319207).
    #[serde(default)]
    pub distribution: distribution::DistributionSpec,
    /// What `smssim trace` follows when no `--client` is given.
    #[serde(default)]
    pub trace: TraceSpec,
    /// The administrator's plan: timed hotfix installs, upgrades and manual
    /// remedies, carried out under the `as-scheduled` policy only
    /// (`crate::rollout`). Default: none.
    #[serde(default)]
    pub rollout: Vec<crate::rollout::RolloutAction>,
}

fn default_seed() -> u64 {
    1
}
fn default_days() -> f64 {
    7.0
}
fn default_sample_interval() -> Span {
    Span::mins(15)
}

/// Clients and the people who use them.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Clients {
    /// Share of users who switch their computer off when they leave and on
    /// when they arrive (Q292030: users "tend to turn off their computers
    /// before they leave the office"). Default 0.5 (**assumed**).
    pub power_off_at_night: Probability,
    /// Users also come in on Saturday and Sunday. Default false: at the
    /// weekend nobody arrives, logs on, or switches a computer on
    /// (**assumed**).
    pub weekend_work: bool,
    /// Mean local time users arrive (and switch on). Default `8h`
    /// (**assumed**).
    pub arrive: Span,
    /// Standard deviation of the arrival time. Default `30m` (**assumed**).
    pub arrive_sigma: Span,
    /// Mean local time users leave (and, some, switch off). Default `17h30m`
    /// written `63000s` (**assumed**).
    pub leave: Span,
    /// Standard deviation of the leaving time. Default `45m` (**assumed**).
    pub leave_sigma: Span,
    /// Mean delay from power-on (or arrival) to the user's logon.
    /// Default `3m` (**assumed**).
    pub logon_delay: Span,
    /// Standard deviation of a client clock's offset from site time.
    /// Default `2s` (**assumed**).
    pub clock_skew_sigma: Span,
    /// Longest time a client takes to pick up a client component its site
    /// received (an upgrade or a hotfix such as Q323627's Cqmgr32.dll): each
    /// client's delay is drawn uniformly from 0 to this, once per client.
    /// Default `23h`: the client's Client Component Installation Manager
    /// checks its components on a 23-hour cycle (Q257799); the uniform
    /// phase is **assumed**.
    pub component_pickup: Span,
}

impl Default for Clients {
    fn default() -> Self {
        Clients {
            power_off_at_night: Probability::new_const(0.5),
            weekend_work: false,
            arrive: Span::hours(8),
            arrive_sigma: Span::mins(30),
            leave: Span::mins(17 * 60 + 30),
            leave_sigma: Span::mins(45),
            logon_delay: Span::mins(3),
            clock_skew_sigma: Span::secs(2),
            component_pickup: Span::hours(23),
        }
    }
}

impl Section for Clients {
    type Workload = ();

    /// The working day: times of day inside the day, leaving after
    /// arriving, spreads that keep most draws inside the day.
    fn validate(&self, _: &(), _: &ValidationContext, out: &mut Issues) {
        let day = Span::hours(24).millis();
        for (field, t) in [
            ("clients.arrive", self.arrive),
            ("clients.leave", self.leave),
        ] {
            if t.millis() >= day {
                issue(
                    out,
                    field,
                    format!("{t}: expected a local time of day, below 24h"),
                );
            }
        }
        if self.leave.millis() <= self.arrive.millis() + Span::mins(30).millis() {
            issue(
                out,
                "clients.leave",
                format!(
                    "{}: expected at least 30m after clients.arrive ({})",
                    self.leave, self.arrive
                ),
            );
        }
        for (field, t) in [
            ("clients.arrive_sigma", self.arrive_sigma),
            ("clients.leave_sigma", self.leave_sigma),
        ] {
            if t.millis() > Span::hours(6).millis() {
                issue(out, field, format!("{t}: expected at most 6h"));
            }
        }
        if self.component_pickup.millis() > Span::hours(24 * 30).millis() {
            issue(
                out,
                "clients.component_pickup",
                format!("{}: expected at most 30d", self.component_pickup),
            );
        }
        if self.logon_delay.millis() > Span::hours(12).millis() {
            issue(
                out,
                "clients.logon_delay",
                format!("{}: expected at most 12h", self.logon_delay),
            );
        }
    }
}

/// Scheduled work. Each list is owned by one subsystem, and checked by its
/// section.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Workload {
    /// Scheduled advertisements (status messages, Q323627).
    pub advertisements: Vec<status::Advertisement>,
    /// Package creations and updates at the central site (Q319207).
    pub packages: Vec<distribution::PackageUpdate>,
}

/// Default subjects of `smssim trace`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TraceSpec {
    /// Client names (`PC000123`) to write client logs for.
    pub clients: Vec<String>,
    /// Site codes to write site logs for (default: the central site).
    pub sites: Vec<String>,
}

impl Section for TraceSpec {
    type Workload = ();

    /// Clients and sites to trace exist.
    fn validate(&self, _: &(), cx: &ValidationContext, out: &mut Issues) {
        for (i, c) in self.clients.iter().enumerate() {
            let ok = c.len() > 2
                && c.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("PC"))
                && c[2..].parse::<u64>().is_ok_and(|n| n < cx.clients);
            if !ok {
                issue(
                    out,
                    format!("trace.clients.{i}"),
                    format!(
                        "{c:?}: expected a client name PC000000…PC{:06}",
                        cx.clients.saturating_sub(1)
                    ),
                );
            }
        }
        for (i, s) in self.sites.iter().enumerate() {
            if !cx.has_site(s) {
                issue(
                    out,
                    format!("trace.sites.{i}"),
                    format!("no site has code {s:?}"),
                );
            }
        }
    }
}
