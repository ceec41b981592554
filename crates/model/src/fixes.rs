//! Which site has which fix, and since when: the release each site runs
//! and the hotfixes installed on it, as the world's upgrade and install
//! events change them. Each defect's owner asks here at the moment it acts
//! (`smssim_scenario::release` says how the answer combines with the
//! policy's knobs); a client component asks through its site, after its
//! own pick-up delay (see the status subsystem).

use crate::hierarchy::{Hierarchy, SiteId};
use smssim_engine::SimTime;
use smssim_scenario::{Defect, SiteVersion};

const N: usize = Defect::ALL.len();

/// Per site and defect, when the site got the fix.
#[derive(Debug, Clone)]
pub struct Fixes {
    /// `since[site][defect]`: when the site's release or a hotfix fixed
    /// it; `SimTime::MAX` while it has not.
    since: Vec<[SimTime; N]>,
    /// Bit `defect` per site: fixed by the release the site starts at (its
    /// clients run that release's components from the start, too).
    from_start: Vec<u8>,
    /// Per defect, the earliest `since` of any site: until then no site
    /// has the fix, which a client component can tell without looking up
    /// its site (a lookup per copy try at millions of clients).
    earliest: [SimTime; N],
}

impl Fixes {
    /// The fixes of every site's starting release.
    pub fn new(h: &Hierarchy) -> Self {
        let mut since = vec![[SimTime::MAX; N]; h.sites.len()];
        let mut from_start = vec![0u8; h.sites.len()];
        for (s, site) in h.sites.iter().enumerate() {
            for d in Defect::ALL {
                if d.fixed_in(site.version) {
                    since[s][d as usize] = 0;
                    from_start[s] |= 1 << d as u8;
                }
            }
        }
        let mut earliest = [SimTime::MAX; N];
        for row in &since {
            for (e, &t) in earliest.iter_mut().zip(row) {
                *e = (*e).min(t);
            }
        }
        Fixes {
            since,
            from_start,
            earliest,
        }
    }

    /// Site `s` was upgraded to `v` at `now`: the defects `v` corrects are
    /// fixed from now on.
    pub fn upgraded(&mut self, s: SiteId, v: SiteVersion, now: SimTime) {
        for d in Defect::ALL {
            if d.fixed_in(v) {
                self.installed(s, d, now);
            }
        }
    }

    /// Hotfix `d` was installed at site `s` at `now`.
    pub fn installed(&mut self, s: SiteId, d: Defect, now: SimTime) {
        let t = &mut self.since[s as usize][d as usize];
        *t = (*t).min(now);
        let e = &mut self.earliest[d as usize];
        *e = (*e).min(now);
    }

    /// Whether no site has had the fix of `d` by `now`.
    #[inline]
    pub fn nowhere(&self, d: Defect, now: SimTime) -> bool {
        self.earliest[d as usize] > now
    }

    /// Whether site `s`'s own component has the fix of `d` at `now`.
    #[inline]
    pub fn site_has(&self, s: SiteId, d: Defect, now: SimTime) -> bool {
        self.since[s as usize][d as usize] <= now
    }

    /// When site `s` got the fix of `d` (`SimTime::MAX`: not yet).
    #[inline]
    pub fn since(&self, s: SiteId, d: Defect) -> SimTime {
        self.since[s as usize][d as usize]
    }

    /// Whether site `s` started the run with the fix of `d` (its clients
    /// then have it from the start, without a pick-up delay).
    #[inline]
    pub fn had_at_start(&self, s: SiteId, d: Defect) -> bool {
        self.from_start[s as usize] & (1 << d as u8) != 0
    }
}
