//! Discovery and Discovery Data Manager (Q229769).
//!
//! A DDR reaches a site's Discovery Data Manager a few minutes after the
//! discovery (through a CAP and Inbox Manager Assistant). DDM writes a CCR
//! into the site's `ccr.box` when remote installation is enabled, the
//! machine lies inside the site's boundaries and it is not already a client
//! of the site. DDM does not look at CCRs already queued: every discovery of
//! a machine that is still not a client writes another CCR (Q242926's
//! duplicates come from there).

use super::store::{Outcome, Request, State};
use super::streams;
use super::{boundary_sites, files, full_mask, Ccr, Event, F_MIXED};
use crate::hierarchy::{ClientId, SiteId};
use crate::subsystem::Ctx;
use rand::RngExt;

impl Ccr {
    /// Windows Networking Logon Discovery: a DDR for each user logon.
    pub(super) fn logon_discovery(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        if !self.spec.discovery.logon || !self.joined(c, cx.now()) {
            return;
        }
        self.n.ddrs_logon += 1;
        let h = cx.env.hierarchy;
        // A client of every site that sees the DDR gets no CCR: skip the
        // event (the DDR is counted all the same).
        if !self.spec.remote_install || self.member[c as usize] == full_mask(h, c) {
            return;
        }
        let delay = self.ddr_delay(cx, c);
        cx.after(delay, Event::LogonDdr(c));
    }

    /// The time a DDR of machine `c` discovered now takes to reach DDM.
    fn ddr_delay(&self, cx: &Ctx<'_, '_>, c: ClientId) -> u64 {
        let d = &self.spec.discovery;
        let (lo, hi) = (d.ddr_delay_min.millis(), d.ddr_delay_max.millis());
        if hi <= lo {
            return lo;
        }
        cx.env
            .streams
            .open(streams::CCR_DDR_DELAY, u64::from(c), cx.now() / 1000)
            .random_range(lo..=hi)
    }

    /// A site's Network Discovery cycle: every powered-on machine in its
    /// boundaries is discovered.
    pub(super) fn network_discovery(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
        let h = cx.env.hierarchy;
        let now = cx.now();
        for &sub in &h.sites[s as usize].boundaries {
            for c in h.subnets[sub as usize].clients.clone() {
                if !cx.world.powered(c) || !self.joined(c, now) {
                    continue;
                }
                self.n.ddrs_network += 1;
                if self.spec.remote_install && !self.is_member(h, c, s) {
                    let delay = self.ddr_delay(cx, c);
                    cx.after(delay, Event::NetworkDdr(c, s));
                }
            }
        }
        if let Some(every) = self.spec.discovery.network_every {
            cx.after(every.millis(), Event::NetworkDiscovery(s));
        }
    }

    /// One heartbeat cycle of a site's clients (Q257799): counted as DDM
    /// load. Machines in the mixed installation state send none
    /// (**assumed** from Q264630: their agents wait "until CCIM indicates
    /// that it's safe to do so").
    pub(super) fn heartbeat(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
        let h = cx.env.hierarchy;
        for sub in h.sites[s as usize].subnets.clone() {
            for c in h.subnets[sub as usize].clients.clone() {
                let i = c as usize;
                if self.member[i] & 1 != 0 && self.flags[i] & F_MIXED == 0 && cx.world.powered(c) {
                    self.n.ddrs_heartbeat += 1;
                }
            }
        }
        cx.after(
            self.spec.discovery.heartbeat_every.millis(),
            Event::Heartbeat(s),
        );
    }

    /// Discovery Data Manager of site `s` processes a DDR of machine `c`.
    pub(super) fn ddm(&mut self, c: ClientId, s: SiteId, cx: &mut Ctx<'_, '_>) {
        let h = cx.env.hierarchy;
        if !self.spec.remote_install || self.is_member(h, c, s) {
            return;
        }
        debug_assert!(boundary_sites(h, c).any(|x| x == s));
        let now = cx.now();
        let name = self.random_name(cx.env, c);
        let id = self.store.ccrs.len() as u32;
        self.store.ccrs.push(Request {
            client: c,
            site: s,
            state: State::Queued,
            in_box: false,
            thread: 0,
            outcome: Outcome::Failed(0),
            last_error: 0,
            attempts: 0,
            retries: 0,
            created: now,
            last_attempt: now,
            next_due: now,
            error_event: None,
            name,
        });
        self.n.created += 1;
        let first = &mut self.first_ccr_s[c as usize];
        *first = (*first).min((now / 1000) as u32);
        if cx.trace.client(c) {
            let mut log = files::LogLines::new(cx.env.calendar(), now, files::MAIN_THREAD);
            log.add(format!(
                "Received request: \"{}\" for machine name: \"{}\" on queue: \"Incoming\".",
                self.store.ccrs[id as usize].random_name(),
                h.client_name(c)
            ));
            Self::log(cx, s, log.lines);
        }
        self.sites[s as usize].queue.push_back(id);
        self.dispatch(s, cx);
    }
}
