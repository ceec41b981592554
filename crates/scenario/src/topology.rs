//! Scenario section for the hierarchy (`topology`): the sites, their CAPs,
//! distribution points, boundaries, domains and clients, service pack
//! upgrades, and the planning of the site tree that validation hands to the
//! model ([`PlannedSite`]).

use crate::issues::{issue, Issues, Section, ValidationContext};
use crate::values::{Positive, Probability, SiteVersion, Span};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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

impl Section for Topology {
    type Workload = ();

    /// Upgrades name existing sites and fall within the run; a rollout
    /// moves on from one site to the next.
    fn validate(&self, _: &(), cx: &ValidationContext, out: &mut Issues) {
        for (i, u) in self.upgrades.iter().enumerate() {
            if !cx.has_site(&u.site) {
                issue(
                    out,
                    format!("topology.upgrades.{i}.site"),
                    format!("no site has code {:?}", u.site),
                );
            }
            cx.within_run(u.at, &format!("topology.upgrades.{i}.at"), out);
        }
        if let Some(r) = &self.rollout {
            if r.every.millis() == 0 && cx.site_codes.len() > 1 {
                issue(
                    out,
                    "topology.rollout.every",
                    "expected a positive interval between site upgrades",
                );
            }
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

/// Plans the sites of `t`, central first and every parent before its
/// children; problems go to `out` (and may leave the plan empty).
pub fn plan_sites(t: &Topology, out: &mut Issues) -> Vec<PlannedSite> {
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
