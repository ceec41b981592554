//! Validation: from the spec as written to a [`Scenario`] the model trusts.

use crate::error::Issue;
use crate::spec::{ScenarioSpec, Topology};
use crate::values::{SiteVersion, Span};
use smssim_engine::{queue::MAX_TIME, SimTime, DAY};
use std::collections::HashMap;

/// Problems found so far.
pub type Issues = Vec<Issue>;

/// Adds an issue about `field`.
pub fn issue(out: &mut Issues, field: impl Into<String>, message: impl Into<String>) {
    out.push(Issue {
        field: field.into(),
        message: message.into(),
    });
}

/// What a section's validation may look up about the rest of the scenario.
#[derive(Debug, Clone)]
pub struct ValidationContext {
    /// Site codes, central first.
    pub site_codes: Vec<String>,
    /// Number of clients in the hierarchy.
    pub clients: u64,
    /// Local distribution points of each site, in `site_codes` order.
    pub site_dps: Vec<u32>,
    /// Last instant of the run.
    pub horizon: SimTime,
}

impl ValidationContext {
    /// Whether a site code exists.
    pub fn has_site(&self, code: &str) -> bool {
        self.site_codes.iter().any(|c| c == code)
    }

    /// Checks that `at` lies within the run; complains about `field`.
    pub fn within_run(&self, at: Span, field: &str, out: &mut Issues) {
        if at.millis() > self.horizon {
            issue(
                out,
                field,
                format!(
                    "{at} is after the end of the run ({} days)",
                    self.horizon as f64 / DAY as f64
                ),
            );
        }
    }
}

/// A site as the hierarchy will build it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSite {
    /// Three-character site code.
    pub code: String,
    /// Index of the parent site; `None` for the central site (index 0).
    pub parent: Option<usize>,
    /// Service pack at the start.
    pub version: SiteVersion,
    /// Number of CAPs.
    pub caps: u32,
    /// Clients per CAP.
    pub clients_per_cap: u32,
    /// Local distribution points.
    pub dps: u32,
    /// Indices of other sites whose boundaries list all of this site's
    /// subnets.
    pub also_in_boundaries_of: Vec<usize>,
}

/// A scenario that passed validation.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The spec as written (with `--set` overrides applied).
    pub spec: ScenarioSpec,
    /// Last instant of the run, in milliseconds.
    pub horizon: SimTime,
    /// The sites, central first, every parent before its children.
    pub sites: Vec<PlannedSite>,
    /// Where the scenario came from.
    pub source: Source,
}

/// Where a scenario came from.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The file as given on the command line.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

impl Scenario {
    /// Number of clients in the hierarchy.
    pub fn client_count(&self) -> u64 {
        self.sites
            .iter()
            .map(|s| u64::from(s.caps) * u64::from(s.clients_per_cap))
            .sum()
    }
}

/// The code of generated site `i` (0 = central): `CEN`, then `A01`…`A99`,
/// `B00`…`Z99`.
pub fn site_code(i: usize) -> String {
    if i == 0 {
        "CEN".to_string()
    } else {
        format!("{}{:02}", (b'A' + (i / 100) as u8) as char, i % 100)
    }
}

/// Largest number of sites the generator names.
pub const MAX_SITES: usize = 2600;

/// Bytes of memory a client costs across the model (measured on the
/// million-client scenario, rounded up); used for the memory check.
pub const BYTES_PER_CLIENT: u64 = 400;

fn plan_sites(t: &Topology, out: &mut Issues) -> Vec<PlannedSite> {
    match &t.sites {
        None => {
            let n = 1 + t.child_sites as usize + t.grandchild_sites as usize;
            if n > MAX_SITES {
                issue(
                    out,
                    "topology.child_sites",
                    format!("{n} sites in all: at most {MAX_SITES} are supported"),
                );
                return Vec::new();
            }
            if t.grandchild_sites > 0 && t.child_sites == 0 {
                issue(
                    out,
                    "topology.grandchild_sites",
                    "grandchild sites need at least one child site",
                );
                return Vec::new();
            }
            let site = |i: usize, parent: Option<usize>, cpc: u32| PlannedSite {
                code: site_code(i),
                parent,
                version: t.version,
                caps: t.caps_per_site.get(),
                clients_per_cap: cpc,
                dps: t.dps_per_site,
                also_in_boundaries_of: Vec::new(),
            };
            let mut sites = vec![site(
                0,
                None,
                t.central_clients_per_cap.unwrap_or(t.clients_per_cap),
            )];
            for i in 1..=t.child_sites as usize {
                sites.push(site(i, Some(0), t.clients_per_cap));
            }
            for g in 0..t.grandchild_sites as usize {
                let parent = 1 + g % t.child_sites as usize;
                sites.push(site(sites.len(), Some(parent), t.clients_per_cap));
            }
            sites
        }
        Some(defs) => {
            if t.child_sites > 0 || t.grandchild_sites > 0 {
                issue(out, "topology.sites", "give either an explicit `sites` list or `child_sites`/`grandchild_sites`, not both");
            }
            let mut index = HashMap::new();
            for (i, d) in defs.iter().enumerate() {
                let f = format!("topology.sites.{i}.code");
                if d.code.len() != 3 || !d.code.chars().all(|c| c.is_ascii_alphanumeric()) {
                    issue(
                        out,
                        &f,
                        format!("site code {:?}: expected three letters or digits", d.code),
                    );
                }
                if index.insert(d.code.clone(), i).is_some() {
                    issue(out, &f, format!("site code {:?} is used twice", d.code));
                }
            }
            let roots: Vec<usize> = (0..defs.len())
                .filter(|&i| defs[i].parent.is_none())
                .collect();
            if roots.len() != 1 {
                issue(
                    out,
                    "topology.sites",
                    format!(
                        "expected exactly one central site (a site without parent), found {}",
                        roots.len()
                    ),
                );
                return Vec::new();
            }
            // Order parents before children (breadth first from the root),
            // which also finds cycles and dangling parents.
            let mut order = vec![roots[0]];
            let mut k = 0;
            while k < order.len() {
                let p = &defs[order[k]].code;
                for (i, d) in defs.iter().enumerate() {
                    if d.parent.as_ref() == Some(p) {
                        order.push(i);
                    }
                }
                k += 1;
            }
            for (i, d) in defs.iter().enumerate() {
                if let Some(p) = &d.parent {
                    if !index.contains_key(p) {
                        issue(
                            out,
                            format!("topology.sites.{i}.parent"),
                            format!("no site has code {p:?}"),
                        );
                    } else if !order.contains(&i) {
                        issue(
                            out,
                            format!("topology.sites.{i}.parent"),
                            "this site is not below the central site (a cycle of parents)",
                        );
                    }
                }
            }
            if order.len() != defs.len() {
                return Vec::new();
            }
            let pos: HashMap<&str, usize> = order
                .iter()
                .enumerate()
                .map(|(p, &i)| (defs[i].code.as_str(), p))
                .collect();
            order
                .iter()
                .map(|&i| {
                    let d = &defs[i];
                    let also = d
                        .also_in_boundaries_of
                        .iter()
                        .enumerate()
                        .filter_map(|(j, c)| match pos.get(c.as_str()) {
                            Some(&p) => Some(p),
                            None => {
                                issue(
                                    out,
                                    format!("topology.sites.{i}.also_in_boundaries_of.{j}"),
                                    format!("no site has code {c:?}"),
                                );
                                None
                            }
                        })
                        .collect();
                    PlannedSite {
                        code: d.code.clone(),
                        parent: d.parent.as_ref().map(|p| pos[p.as_str()]),
                        version: d.version.unwrap_or(t.version),
                        caps: d.caps.get(),
                        clients_per_cap: d.clients_per_cap.unwrap_or(t.clients_per_cap),
                        dps: d.dps.unwrap_or(t.dps_per_site),
                        also_in_boundaries_of: also,
                    }
                })
                .collect()
        }
    }
}

/// Total memory of this machine, if known.
fn machine_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The working day: times of day inside the day, leaving after arriving,
/// spreads that keep most draws inside the day.
fn check_working_day(c: &crate::spec::Clients, out: &mut Issues) {
    let day = Span::hours(24).millis();
    for (field, t) in [("clients.arrive", c.arrive), ("clients.leave", c.leave)] {
        if t.millis() >= day {
            issue(
                out,
                field,
                format!("{t}: expected a local time of day, below 24h"),
            );
        }
    }
    if c.leave.millis() <= c.arrive.millis() + Span::mins(30).millis() {
        issue(
            out,
            "clients.leave",
            format!(
                "{}: expected at least 30m after clients.arrive ({})",
                c.leave, c.arrive
            ),
        );
    }
    for (field, t) in [
        ("clients.arrive_sigma", c.arrive_sigma),
        ("clients.leave_sigma", c.leave_sigma),
    ] {
        if t.millis() > Span::hours(6).millis() {
            issue(out, field, format!("{t}: expected at most 6h"));
        }
    }
    if c.logon_delay.millis() > Span::hours(12).millis() {
        issue(
            out,
            "clients.logon_delay",
            format!("{}: expected at most 12h", c.logon_delay),
        );
    }
}

/// Checks `spec` and plans its hierarchy.
pub fn validate(spec: ScenarioSpec, source: Source) -> Result<Scenario, Issues> {
    let mut out = Issues::new();
    let d = spec.duration_days;
    let horizon = if !(d.is_finite() && d > 0.0) {
        issue(
            &mut out,
            "duration_days",
            format!("{d}: expected a number of days greater than 0"),
        );
        0
    } else if d * DAY as f64 > MAX_TIME as f64 {
        issue(
            &mut out,
            "duration_days",
            format!("{d}: at most {} days can be simulated", MAX_TIME / DAY),
        );
        0
    } else {
        (d * DAY as f64).round() as SimTime
    };
    if spec.name.trim().is_empty() || spec.name.contains(['/', '\\']) {
        issue(
            &mut out,
            "name",
            "expected a non-empty name without slashes (it names the results folder)",
        );
    }
    if spec.sample_interval.millis() == 0 {
        issue(&mut out, "sample_interval", "expected a positive interval");
    }
    check_working_day(&spec.clients, &mut out);
    let sites = plan_sites(&spec.topology, &mut out);
    let clients: u64 = sites
        .iter()
        .map(|s| u64::from(s.caps) * u64::from(s.clients_per_cap))
        .sum();
    if clients > u64::from(u32::MAX) / 2 {
        issue(
            &mut out,
            "topology.clients_per_cap",
            format!("{clients} clients: at most {} are supported", u32::MAX / 2),
        );
    }
    if let Some(mem) = machine_memory() {
        let need = clients * BYTES_PER_CLIENT;
        if need > mem / 2 {
            issue(
                &mut out,
                "topology.clients_per_cap",
                format!(
                    "{clients} clients need about {} MiB, more than half of this machine's {} MiB",
                    need >> 20,
                    mem >> 20
                ),
            );
        }
    }
    let cx = ValidationContext {
        site_codes: sites.iter().map(|s| s.code.clone()).collect(),
        clients,
        site_dps: sites.iter().map(|s| s.dps).collect(),
        horizon,
    };
    for (i, u) in spec.topology.upgrades.iter().enumerate() {
        if !cx.has_site(&u.site) {
            issue(
                &mut out,
                format!("topology.upgrades.{i}.site"),
                format!("no site has code {:?}", u.site),
            );
        }
        cx.within_run(u.at, &format!("topology.upgrades.{i}.at"), &mut out);
    }
    if let Some(r) = &spec.topology.rollout {
        if r.every.millis() == 0 && sites.len() > 1 {
            issue(
                &mut out,
                "topology.rollout.every",
                "expected a positive interval between site upgrades",
            );
        }
    }
    for (i, c) in spec.trace.clients.iter().enumerate() {
        let ok = c.len() > 2
            && c[..2].eq_ignore_ascii_case("PC")
            && c[2..].parse::<u64>().is_ok_and(|n| n < clients);
        if !ok {
            issue(
                &mut out,
                format!("trace.clients.{i}"),
                format!(
                    "{c:?}: expected a client name PC000000…PC{:06}",
                    clients.saturating_sub(1)
                ),
            );
        }
    }
    for (i, s) in spec.trace.sites.iter().enumerate() {
        if !cx.has_site(s) {
            issue(
                &mut out,
                format!("trace.sites.{i}"),
                format!("no site has code {s:?}"),
            );
        }
    }
    spec.status
        .validate(&spec.workload.advertisements, &cx, &mut out);
    spec.ccr.validate(&cx, &mut out);
    spec.distribution
        .validate(&spec.workload.packages, &cx, &mut out);
    if out.is_empty() {
        Ok(Scenario {
            spec,
            horizon,
            sites,
            source,
        })
    } else {
        Err(out)
    }
}
