//! The hierarchy a scenario describes, built once and shared read-only by
//! every run of the scenario: sites, CAPs, DPs, subnets, domains, clients.
//!
//! Entities are addressed by small integer ids into `Vec`s. Clients are
//! stored column-wise (one `Vec` per attribute), because a million of them
//! are walked attribute by attribute.

use smssim_scenario::{Scenario, SiteVersion};
use std::ops::Range;

/// Index of a site; 0 is the central site.
pub type SiteId = u16;
/// Index of a client access point.
pub type CapId = u32;
/// Index of a client.
pub type ClientId = u32;
/// Index of a boundary subnet.
pub type SubnetId = u32;
/// Index of a distribution point.
pub type DpId = u32;

/// A site server and what it owns.
#[derive(Debug, Clone)]
pub struct Site {
    /// Three-character site code.
    pub code: String,
    /// The parent site; `None` for the central site.
    pub parent: Option<SiteId>,
    /// Child sites, in order.
    pub children: Vec<SiteId>,
    /// Depth in the tree (central = 0).
    pub depth: u32,
    /// Service pack at the start of the run (upgrades change it over time).
    pub version: SiteVersion,
    /// The site's CAPs.
    pub caps: Range<CapId>,
    /// The site's local distribution points.
    pub dps: Range<DpId>,
    /// The subnets whose clients are assigned to this site.
    pub subnets: Range<SubnetId>,
    /// Every subnet in the site's boundaries: its own and overlapping ones.
    pub boundaries: Vec<SubnetId>,
    /// The site's Windows NT domain.
    pub domain: u16,
    /// A secondary site.
    pub secondary: bool,
    /// Its `Full Version` registry value is missing at the start (Q252717).
    pub full_version_missing: bool,
}

/// A client access point: an inbox share that clients copy files to.
#[derive(Debug, Clone)]
pub struct Cap {
    /// The site the CAP belongs to.
    pub site: SiteId,
    /// The clients that use this CAP.
    pub clients: Range<ClientId>,
}

/// A boundary subnet.
#[derive(Debug, Clone)]
pub struct Subnet {
    /// The site whose boundaries first list this subnet; its clients are
    /// assigned there.
    pub site: SiteId,
    /// Other sites whose boundaries also list it (overlapping boundaries).
    pub also_in: Vec<SiteId>,
    /// The clients in the subnet.
    pub clients: Range<ClientId>,
}

/// A Windows NT domain.
#[derive(Debug, Clone)]
pub struct Domain {
    /// NetBIOS domain name.
    pub name: String,
    /// Domain controllers; a SAM change replicates to each.
    pub controllers: u32,
}

/// Clients, column-wise.
#[derive(Debug, Clone, Default)]
pub struct ClientTable {
    /// Assigned site of each client.
    pub site: Vec<SiteId>,
    /// CAP of each client.
    pub cap: Vec<CapId>,
    /// Subnet of each client.
    pub subnet: Vec<SubnetId>,
}

impl ClientTable {
    /// Number of clients.
    pub fn len(&self) -> usize {
        self.site.len()
    }
    /// Whether there are no clients.
    pub fn is_empty(&self) -> bool {
        self.site.is_empty()
    }
}

/// The whole hierarchy.
#[derive(Debug, Clone)]
pub struct Hierarchy {
    /// Sites, central first, parents before children.
    pub sites: Vec<Site>,
    /// CAPs, grouped by site.
    pub caps: Vec<Cap>,
    /// Distribution points: the site of each.
    pub dps: Vec<SiteId>,
    /// Subnets, grouped by site.
    pub subnets: Vec<Subnet>,
    /// Domains.
    pub domains: Vec<Domain>,
    /// Clients.
    pub clients: ClientTable,
    name_width: usize,
}

impl Hierarchy {
    /// Builds the hierarchy a validated scenario plans.
    pub fn build(scenario: &Scenario) -> Self {
        let topo = &scenario.spec.topology;
        let per_subnet = topo.clients_per_subnet.get();
        let n_domains = topo.domains.get();
        let mut h = Hierarchy {
            sites: Vec::with_capacity(scenario.sites.len()),
            caps: Vec::new(),
            dps: Vec::new(),
            subnets: Vec::new(),
            domains: (0..n_domains)
                .map(|i| Domain {
                    name: format!("DOMAIN{:02}", i + 1),
                    controllers: topo.dcs_per_domain.get(),
                })
                .collect(),
            clients: ClientTable::default(),
            name_width: 6,
        };
        let total = scenario.client_count() as usize;
        h.clients.site.reserve(total);
        h.clients.cap.reserve(total);
        h.clients.subnet.reserve(total);
        for (i, plan) in scenario.sites.iter().enumerate() {
            let id = i as SiteId;
            let cap_start = h.caps.len() as CapId;
            let subnet_start = h.subnets.len() as SubnetId;
            for _ in 0..plan.caps {
                let first = h.clients.len() as ClientId;
                let cap = h.caps.len() as CapId;
                // Each CAP's clients fill whole subnets of their own.
                let mut left = plan.clients_per_cap;
                while left > 0 {
                    let n = left.min(per_subnet);
                    let sub = h.subnets.len() as SubnetId;
                    let c0 = h.clients.len() as ClientId;
                    for _ in 0..n {
                        h.clients.site.push(id);
                        h.clients.cap.push(cap);
                        h.clients.subnet.push(sub);
                    }
                    h.subnets.push(Subnet {
                        site: id,
                        also_in: Vec::new(),
                        clients: c0..c0 + n,
                    });
                    left -= n;
                }
                h.caps.push(Cap {
                    site: id,
                    clients: first..h.clients.len() as ClientId,
                });
            }
            let dp_start = h.dps.len() as DpId;
            h.dps.extend(std::iter::repeat_n(id, plan.dps as usize));
            let parent = plan.parent.map(|p| p as SiteId);
            let depth = parent.map_or(0, |p| h.sites[p as usize].depth + 1);
            if let Some(p) = parent {
                h.sites[p as usize].children.push(id);
            }
            h.sites.push(Site {
                code: plan.code.clone(),
                parent,
                children: Vec::new(),
                depth,
                version: plan.version,
                caps: cap_start..h.caps.len() as CapId,
                dps: dp_start..h.dps.len() as DpId,
                subnets: subnet_start..h.subnets.len() as SubnetId,
                boundaries: (subnet_start..h.subnets.len() as SubnetId).collect(),
                domain: (i as u32 % n_domains) as u16,
                secondary: plan.secondary,
                full_version_missing: plan.full_version_missing,
            });
        }
        h.overlap(scenario);
        h.name_width = 6.max(total.saturating_sub(1).to_string().len());
        h
    }

    /// Lists subnets in a second site's boundaries: the explicit
    /// `also_in_boundaries_of` links, then the first `overlap_share` of each
    /// site's subnets in the next site's boundaries.
    fn overlap(&mut self, scenario: &Scenario) {
        let n = self.sites.len();
        let share = scenario.spec.topology.overlap_share.get();
        for s in 0..n {
            let own = self.sites[s].subnets.clone();
            let mut links: Vec<(SubnetId, usize)> = Vec::new();
            for &other in &scenario.sites[s].also_in_boundaries_of {
                links.extend(own.clone().map(|sub| (sub, other)));
            }
            if share > 0.0 && n > 1 {
                let k = (own.len() as f64 * share).round() as u32;
                let other = (s + 1) % n;
                links.extend((own.start..own.start + k).map(|sub| (sub, other)));
            }
            for (sub, other) in links {
                if other == s
                    || self.subnets[sub as usize]
                        .also_in
                        .contains(&(other as SiteId))
                {
                    continue;
                }
                self.subnets[sub as usize].also_in.push(other as SiteId);
                self.sites[other].boundaries.push(sub);
            }
        }
    }

    /// The NetBIOS name of a client: `PC000123`.
    pub fn client_name(&self, c: ClientId) -> String {
        format!("PC{:0w$}", c, w = self.name_width)
    }

    /// The client a NetBIOS name denotes, if any.
    pub fn client_by_name(&self, name: &str) -> Option<ClientId> {
        let digits = name.get(2..)?;
        if !name[..2].eq_ignore_ascii_case("PC") {
            return None;
        }
        let c: ClientId = digits.parse().ok()?;
        ((c as usize) < self.clients.len()).then_some(c)
    }

    /// A client's IP address: `10.<subnet>.<host>`.
    pub fn client_ip(&self, c: ClientId) -> String {
        let sub = self.clients.subnet[c as usize];
        let host = c - self.subnets[sub as usize].clients.start + 1;
        format!("10.{}.{}.{}", (sub >> 8) & 0xff, sub & 0xff, host.min(254))
    }

    /// The domain of a client (its assigned site's domain).
    pub fn client_domain(&self, c: ClientId) -> &Domain {
        let s = self.clients.site[c as usize];
        &self.domains[self.sites[s as usize].domain as usize]
    }

    /// Whether client `c` lies inside site `s`'s boundaries.
    pub fn in_boundaries(&self, c: ClientId, s: SiteId) -> bool {
        let sub = &self.subnets[self.clients.subnet[c as usize] as usize];
        sub.site == s || sub.also_in.contains(&s)
    }

    /// The site id with a code.
    pub fn site_by_code(&self, code: &str) -> Option<SiteId> {
        self.sites
            .iter()
            .position(|s| s.code == code)
            .map(|i| i as SiteId)
    }

    /// Sites below `s` (not `s` itself), depth first.
    pub fn descendants(&self, s: SiteId) -> Vec<SiteId> {
        let mut out = Vec::new();
        let mut stack: Vec<SiteId> = self.sites[s as usize]
            .children
            .iter()
            .rev()
            .copied()
            .collect();
        while let Some(x) = stack.pop() {
            out.push(x);
            stack.extend(self.sites[x as usize].children.iter().rev());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(topology: &str) -> Scenario {
        let text = format!(r#"{{"name":"t","duration_days":1,"topology":{topology}}}"#);
        smssim_scenario::load_str(&text, "t", &[]).unwrap()
    }

    #[test]
    fn generator_builds_sites_caps_and_clients() {
        let s = scenario(
            r#"{"child_sites":2,"grandchild_sites":3,"caps_per_site":2,"clients_per_cap":300,"clients_per_subnet":250}"#,
        );
        let h = Hierarchy::build(&s);
        assert_eq!(h.sites.len(), 6);
        assert_eq!(h.caps.len(), 12);
        assert_eq!(h.clients.len(), 12 * 300);
        // 300 clients per CAP in subnets of at most 250: two subnets per CAP.
        assert_eq!(h.subnets.len(), 24);
        assert_eq!(h.sites[0].children, vec![1, 2]);
        assert_eq!(h.sites[3].parent, Some(1));
        assert_eq!(h.sites[3].depth, 2);
        assert_eq!(h.descendants(0), vec![1, 3, 5, 2, 4]);
        for c in 0..h.clients.len() as ClientId {
            let cap = &h.caps[h.clients.cap[c as usize] as usize];
            assert!(cap.clients.contains(&c));
            assert_eq!(cap.site, h.clients.site[c as usize]);
        }
        assert_eq!(h.client_name(7), "PC000007");
        assert_eq!(h.client_by_name("PC000007"), Some(7));
        assert_eq!(h.client_by_name("PC999999"), None);
    }

    #[test]
    fn overlap_lists_subnets_in_the_next_site() {
        let s = scenario(
            r#"{"child_sites":1,"clients_per_cap":1000,"clients_per_subnet":100,"overlap_share":0.2}"#,
        );
        let h = Hierarchy::build(&s);
        // 10 subnets per site, 2 of each overlap into the other site.
        assert_eq!(h.sites[0].boundaries.len(), 12);
        assert_eq!(h.sites[1].boundaries.len(), 12);
        let c = h.subnets[0].clients.start;
        assert!(h.in_boundaries(c, 0) && h.in_boundaries(c, 1));
        let c = h.subnets[5].clients.start;
        assert!(h.in_boundaries(c, 0) && !h.in_boundaries(c, 1));
    }

    #[test]
    fn without_overlap_each_client_is_in_one_site() {
        let s = scenario(r#"{"child_sites":3,"clients_per_cap":50}"#);
        let h = Hierarchy::build(&s);
        for c in 0..h.clients.len() as ClientId {
            let n = (0..h.sites.len() as SiteId)
                .filter(|&s| h.in_boundaries(c, s))
                .count();
            assert_eq!(n, 1);
        }
    }
}
