//! Which Copy Queue Manager a client runs at a moment: the one of its
//! site's release and hotfixes once the client has picked it up (Q323627's
//! fix is Cqmgr32.dll, a client file that reaches clients through their
//! site), else the policy's.
//!
//! A client picks up what its site received after its own delay, drawn
//! once per client, uniformly from 0 to `clients.component_pickup`, from
//! its own stream (`streams::STATUS_COMPONENT_PICKUP`); the draw is made
//! only while a site's change is recent enough for it to matter, so a run
//! without a rollout draws nothing and keeps every other number.

use super::{streams, Status};
use crate::hierarchy::ClientId;
use crate::subsystem::Ctx;
use rand::RngExt;
use smssim_scenario::policy::{NameAlgorithm, OnExhausted};
use smssim_scenario::Defect;

/// How one client's Copy Queue Manager behaves at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cq {
    /// Its file names.
    pub names: NameAlgorithm,
    /// Its name retries after the first try.
    pub max_retries: u32,
    /// What it does with an item whose retries ran out.
    pub on_exhausted: OnExhausted,
}

impl Status {
    /// Client `c`'s Copy Queue Manager now.
    #[inline]
    pub(super) fn cq(&self, c: ClientId, cx: &Ctx<'_, '_>) -> Cq {
        if self.has_fix(c, cx) {
            self.p.fixed
        } else {
            self.p.policy
        }
    }

    /// Whether client `c` runs the Q323627 fix now: its site started with
    /// a release that has it, or got it (upgrade or hotfix) at least the
    /// client's pick-up delay ago.
    fn has_fix(&self, c: ClientId, cx: &Ctx<'_, '_>) -> bool {
        let fixes = &cx.world.fixes;
        if fixes.nowhere(Defect::Q323627, cx.now()) {
            return false;
        }
        let s = cx.env.hierarchy.clients.site[c as usize];
        if fixes.had_at_start(s, Defect::Q323627) {
            return true;
        }
        let since = fixes.since(s, Defect::Q323627);
        let now = cx.now();
        if since > now {
            return false;
        }
        let most = self.p.pickup_max;
        if most == 0 || now - since >= most {
            return true;
        }
        let delay = cx
            .env
            .streams
            .open(streams::STATUS_COMPONENT_PICKUP, u64::from(c), 0)
            .random_range(0..most);
        since + delay <= now
    }
}
