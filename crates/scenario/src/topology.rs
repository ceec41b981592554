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
    /// Release every site starts at (`rtm`, `sp1` … `sp5`). Default `sp1`:
    /// a release in which every defect of the model is present (Q242926,
    /// Q252717 and Q249077 were first corrected in SP2, Q319207 and
    /// Q323627 after SP4), so that a scenario that names no release shows
    /// them under `legacy`.
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
            version: SiteVersion::Sp1,
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
    /// Release the site starts at. Default: `topology.version`.
    #[serde(default)]
    pub version: Option<SiteVersion>,
    /// A secondary site: no site database and no child sites of its own;
    /// it reports to its parent. Default false.
    #[serde(default)]
    pub secondary: bool,
    /// The site's `HKLM\\Software\\Microsoft\\SMS\\Setup` lacks its `Full
    /// Version` value, as on secondary sites "installed or upgraded directly
    /// from the primary site" (Q252717): a hotfix installer then reads
    /// version 000 and changes nothing, though it "may appear to run
    /// successfully", until the administrator sets the value
    /// (`set_full_version` in the rollout). Secondary sites only. Default
    /// false.
    #[serde(default)]
    pub full_version_missing: bool,
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
        if self.domains.get() > u32::from(u16::MAX) {
            issue(
                out,
                "topology.domains",
                format!(
                    "{}: at most {} domains are supported",
                    self.domains.get(),
                    u16::MAX
                ),
            );
        }
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
    /// Release at the start.
    pub version: SiteVersion,
    /// A secondary site (explicit hierarchies only).
    pub secondary: bool,
    /// The site's `Full Version` registry value is missing (Q252717).
    pub full_version_missing: bool,
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
                secondary: false,
                full_version_missing: false,
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
            // which also finds cycles and dangling parents. Each site is
            // taken once, so the walk ends whatever the input (a site listed
            // twice can be its own parent).
            let mut order = vec![roots[0]];
            let mut taken = vec![false; defs.len()];
            taken[roots[0]] = true;
            let mut k = 0;
            while k < order.len() {
                let p = &defs[order[k]].code;
                for (i, d) in defs.iter().enumerate() {
                    if !taken[i] && d.parent.as_ref() == Some(p) {
                        taken[i] = true;
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
                    } else if !taken[i] {
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
            // A secondary site has a parent and no child sites.
            for (i, d) in defs.iter().enumerate() {
                if d.full_version_missing && !d.secondary {
                    issue(
                        out,
                        format!("topology.sites.{i}.full_version_missing"),
                        "only a secondary site can lack its Full Version value (Q252717); set `secondary` too",
                    );
                }
                if !d.secondary {
                    continue;
                }
                let f = format!("topology.sites.{i}.secondary");
                if d.parent.is_none() {
                    issue(out, &f, "the central site cannot be a secondary site");
                }
                if defs.iter().any(|c| c.parent.as_ref() == Some(&d.code)) {
                    issue(out, &f, "a secondary site cannot have child sites");
                }
            }
            // A code listed twice (already an issue) means its first site in
            // the order, the one the walk took its children from, so every
            // parent still comes before its children.
            let mut pos: HashMap<&str, usize> = HashMap::new();
            for (p, &i) in order.iter().enumerate() {
                pos.entry(defs[i].code.as_str()).or_insert(p);
            }
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
                        secondary: d.secondary,
                        full_version_missing: d.full_version_missing,
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

#[cfg(test)]
mod tests {
    use crate::{load_str, Issue, ScenarioError};
    use proptest::prelude::*;
    use std::time::Duration;

    /// Validates a scenario with this `topology.sites` list on another
    /// thread, so that a walk that never ends fails the test instead of
    /// hanging it.
    fn load_sites(sites: String) -> Result<Vec<Option<usize>>, Vec<Issue>> {
        let text = format!(r#"{{"name":"t","duration_days":1,"topology":{{"sites":{sites}}}}}"#);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let r = load_str(&text, "t.json", &[]);
            let _ = tx.send(r);
        });
        match rx
            .recv_timeout(Duration::from_secs(5))
            .expect("validation ends")
        {
            Ok(s) => Ok(s.sites.iter().map(|s| s.parent).collect()),
            Err(ScenarioError::Invalid { issues, .. }) => Err(issues),
            Err(e) => panic!("unexpected {e}"),
        }
    }

    fn has(issues: &[Issue], field: &str, words: &str) -> bool {
        issues
            .iter()
            .any(|i| i.field == field && i.message.contains(words))
    }

    #[test]
    fn a_duplicated_code_that_is_its_own_parent_ends() {
        let issues =
            load_sites(r#"[{"code":"CEN"},{"code":"CEN","parent":"CEN"}]"#.into()).unwrap_err();
        assert!(
            has(&issues, "topology.sites.1.code", "used twice"),
            "{issues:?}"
        );
    }

    #[test]
    fn a_longer_cycle_of_parents_is_named() {
        let issues = load_sites(
            r#"[{"code":"CEN"},{"code":"A01","parent":"C01"},
                {"code":"B01","parent":"A01"},{"code":"C01","parent":"B01"}]"#
                .into(),
        )
        .unwrap_err();
        for i in 1..=3 {
            let field = format!("topology.sites.{i}.parent");
            assert!(has(&issues, &field, "a cycle of parents"), "{issues:?}");
        }
        // A cycle through a code listed twice ends too.
        let issues = load_sites(
            r#"[{"code":"CEN"},{"code":"A01","parent":"CEN"},
                {"code":"B01","parent":"A01"},{"code":"A01","parent":"B01"}]"#
                .into(),
        )
        .unwrap_err();
        assert!(
            has(&issues, "topology.sites.3.code", "used twice"),
            "{issues:?}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Any list of sites, with codes and parents from a small set so
        /// that duplicates and cycles are common: validation ends, and a
        /// valid plan has every parent before its children.
        #[test]
        fn any_site_list_ends_with_parents_first(
            sites in proptest::collection::vec((0usize..4, proptest::option::of(0usize..4)), 1..7)
        ) {
            const CODES: [&str; 4] = ["CEN", "A01", "B01", "C01"];
            let list: Vec<String> = sites
                .iter()
                .map(|&(c, p)| match p {
                    None => format!(r#"{{"code":"{}"}}"#, CODES[c]),
                    Some(p) => format!(r#"{{"code":"{}","parent":"{}"}}"#, CODES[c], CODES[p]),
                })
                .collect();
            if let Ok(parents) = load_sites(format!("[{}]", list.join(","))) {
                prop_assert_eq!(parents[0], None);
                for (i, p) in parents.iter().enumerate().skip(1) {
                    prop_assert!(p.is_some_and(|p| p < i), "{:?}", parents);
                }
            }
        }
    }
}
