//! The scenario file as written: every field, its default and its source.
//!
//! All structs reject unknown fields. Defaults are stated on each field with
//! their source: a Knowledge Base article, or **assumed** where no source
//! gives a number (those are the parameters a user should put their own
//! values into).

use crate::calendar::Calendar;
use crate::values::{Positive, Probability, SiteVersion, Span};
use crate::{ccr, distribution, status};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

/// The hierarchy. The generator keys (`child_sites`, `caps_per_site`,
/// `clients_per_cap`, …) build central + children (+ grandchildren); an
/// explicit `sites` list replaces the generated tree.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Topology {
    /// Child primary sites under the central site. Default 0.
    pub child_sites: u32,
    /// Grandchild sites, spread round-robin under the first child sites.
    /// Default 0.
    pub grandchild_sites: u32,
    /// CAPs at each site. Default 1.
    pub caps_per_site: Positive,
    /// Clients assigned to each CAP. Default 100.
    pub clients_per_cap: u32,
    /// Clients at the central site's CAPs, if different (e.g. 0 for a
    /// central site with no clients of its own). Default: `clients_per_cap`.
    pub central_clients_per_cap: Option<u32>,
    /// Local distribution points at each site. Default 1.
    pub dps_per_site: u32,
    /// Clients per boundary subnet (a /24 holds at most 254). Default 250
    /// (**assumed**).
    pub clients_per_subnet: Positive,
    /// Share of each site's subnets that are also in another site's
    /// boundaries (Q298433: boundaries may overlap). The other site is the
    /// next site in the list (the last wraps to the first). Default 0.
    pub overlap_share: Probability,
    /// Windows NT domains; site `i` is in domain `i mod domains`. Default 1.
    pub domains: Positive,
    /// Domain controllers per domain; every SAM change replicates to each
    /// (Q242926). Default 4 (**assumed**).
    pub dcs_per_domain: Positive,
    /// Service pack every site starts at. Default `sp2`.
    pub version: SiteVersion,
    /// Scheduled upgrades of single sites.
    pub upgrades: Vec<Upgrade>,
    /// An upgrade rollout across all sites, one site after another.
    pub rollout: Option<Rollout>,
    /// An explicit list of sites instead of the generator.
    pub sites: Option<Vec<SiteDef>>,
}

impl Default for Topology {
    fn default() -> Self {
        Topology {
            child_sites: 0,
            grandchild_sites: 0,
            caps_per_site: Positive::new_const(1),
            clients_per_cap: 100,
            central_clients_per_cap: None,
            dps_per_site: 1,
            clients_per_subnet: Positive::new_const(250),
            overlap_share: Probability::new_const(0.0),
            domains: Positive::new_const(1),
            dcs_per_domain: Positive::new_const(4),
            version: SiteVersion::Sp2,
            upgrades: Vec::new(),
            rollout: None,
            sites: None,
        }
    }
}

/// One site of an explicit hierarchy.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteDef {
    /// Three-character site code, unique (e.g. `CEN`, `A01`).
    pub code: String,
    /// Parent site's code; exactly one site (the central) has none.
    #[serde(default)]
    pub parent: Option<String>,
    /// Service pack the site starts at. Default: `topology.version`.
    #[serde(default)]
    pub version: Option<SiteVersion>,
    /// CAPs at the site. Default 1.
    #[serde(default = "one")]
    pub caps: Positive,
    /// Clients per CAP. Default: `topology.clients_per_cap`.
    #[serde(default)]
    pub clients_per_cap: Option<u32>,
    /// Local distribution points. Default: `topology.dps_per_site`.
    #[serde(default)]
    pub dps: Option<u32>,
    /// Codes of other sites whose boundaries also list this site's subnets
    /// (all of them), in addition to `topology.overlap_share`.
    #[serde(default)]
    pub also_in_boundaries_of: Vec<String>,
}

fn one() -> Positive {
    Positive::new_const(1)
}

/// A site's service pack upgrade at a point in time.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Upgrade {
    /// Site code.
    pub site: String,
    /// When, from the start.
    pub at: Span,
    /// Service pack after the upgrade. Default `sp2`.
    #[serde(default = "sp2")]
    pub to: SiteVersion,
}

fn sp2() -> SiteVersion {
    SiteVersion::Sp2
}

/// Upgrade every site, one after another, starting with the central site
/// (Q264630: "beginning with the central parent site").
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rollout {
    /// When the first (central) site is upgraded.
    pub start: Span,
    /// Time between two sites' upgrades.
    pub every: Span,
    /// Service pack after the upgrade. Default `sp2`.
    #[serde(default = "sp2")]
    pub to: SiteVersion,
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
    /// Default `2s` (**assumed**, model.md §2).
    pub clock_skew_sigma: Span,
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
        }
    }
}

/// Scheduled work. Each list is owned by one subsystem.
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
