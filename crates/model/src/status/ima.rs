//! Each CAP's Inbox Manager Assistant: it polls the CAP's inboxes at its
//! interval and moves their files, oldest first and at its throughput, to
//! the site server, which frees their names on the CAP.

use super::inbox::BOXES;
use super::{Event, Status};
use crate::hierarchy::CapId;
use crate::record::sms_log_line;
use crate::subsystem::Ctx;

const STEP_MS: u64 = 1_000;

impl Status {
    /// Schedules each CAP's first poll; a site's CAPs are spread evenly
    /// over the interval.
    pub(super) fn start_ima(&mut self, cx: &mut Ctx<'_, '_>) {
        let h = cx.env.hierarchy;
        for site in &h.sites {
            let n = u64::from(site.caps.end - site.caps.start);
            for cap in site.caps.clone() {
                let i = u64::from(cap - site.caps.start);
                let first = self.p.poll_interval * (i + 1) / n.max(1);
                cx.at(first, Event::ImaPoll(cap));
            }
        }
    }

    pub(super) fn ima_poll(&mut self, cap: CapId, cx: &mut Ctx<'_, '_>) {
        cx.after(self.p.poll_interval, Event::ImaPoll(cap));
        if self.ima_busy[cap as usize] {
            return;
        }
        let base = cap as usize * BOXES;
        let waiting: usize = self.inboxes[base..base + BOXES]
            .iter()
            .map(|b| b.len())
            .sum();
        if waiting == 0 {
            return;
        }
        let site = cx.env.hierarchy.caps[cap as usize].site;
        if cx.trace.site(site) {
            let code = &cx.env.hierarchy.sites[site as usize].code;
            let text = format!(
                "Found {waiting} files to move from CAP {} of site {code}",
                cap
            );
            let line = sms_log_line(
                cx.env.calendar(),
                cx.now(),
                "SMS_INBOX_MANAGER_ASSISTANT",
                0x1C4,
                &text,
            );
            cx.trace.line(format!("sites/{code}/Inboxast.log"), line);
        }
        self.ima_busy[cap as usize] = true;
        self.ima_move(cap, cx);
    }

    /// Moves one step's worth of files; continues while files remain.
    pub(super) fn ima_move(&mut self, cap: CapId, cx: &mut Ctx<'_, '_>) {
        let base = cap as usize * BOXES;
        let mut quota = self.p.files_per_second;
        for b in &mut self.inboxes[base..base + BOXES] {
            while quota > 0 && b.take_oldest().is_some() {
                quota -= 1;
                self.counts.moved += 1;
            }
        }
        let left = self.inboxes[base..base + BOXES]
            .iter()
            .any(|b| !b.is_empty());
        if left && cx.after(STEP_MS, Event::ImaMove(cap)) {
            return;
        }
        self.ima_busy[cap as usize] = false;
    }
}

#[cfg(test)]
mod tests {
    use crate::event::Event as AnyEvent;
    use crate::status::{Event, Status};
    use crate::subsystem::Subsystem;
    use crate::testbed::TestBed;
    use smssim_scenario::Policy;

    /// Driven by hand: no clients, no run, only the subsystem's own timers.
    #[test]
    fn each_cap_polls_once_per_interval_spread_over_its_site() {
        let mut bed = TestBed::new(
            r#"{"name":"ima","duration_days":1,
                "topology":{"caps_per_site":2,"clients_per_cap":1},
                "status":{"inbox_poll_interval":"5m","heartbeat_interval":0,
                          "inventory_interval":0},
                "workload":{"advertisements":[]}}"#,
            Policy::legacy(),
        );
        let mut status: Status = bed.subsystem();
        bed.with(|cx| status.start(cx));
        let mut polls = Vec::new();
        while polls.len() < 4 {
            let (t, e) = bed.pop().expect("polls go on");
            if let AnyEvent::Status(e @ Event::ImaPoll(cap)) = e {
                polls.push((t, cap));
                bed.with(|cx| status.handle(e, cx));
            }
        }
        assert_eq!(
            polls,
            [(150_000, 0), (300_000, 1), (450_000, 0), (600_000, 1)]
        );
    }
}
