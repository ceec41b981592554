//! The client's Copy Queue Manager: submission, copy tries, the name
//! retries of one try, what happens when they run out, and copy cycles.

use super::inbox::{BoxKind, InboxFile, BOXES};
use super::names::{self, NAME_SPACE};
use super::queue::{Item, Kind, NONE};
use super::streams;
use super::{Status, LOST_STATUS, REMEMBER};
use crate::hierarchy::{CapId, ClientId};
use crate::record::sms_log_line;
use crate::subsystem::Ctx;
use rand::RngExt;
use smssim_scenario::policy::{NameAlgorithm, OnExhausted};

/// The log component of Copy Queue Manager.
const COMPONENT: &str = "SMS_COPY_QUEUE_MANAGER";

/// The inbox an item goes to.
pub(super) fn box_of(kind: Kind) -> BoxKind {
    match kind {
        Kind::Received | Kind::Started | Kind::Succeeded | Kind::Failed => BoxKind::StatMsgs,
        Kind::LogonDdr | Kind::HeartbeatDdr => BoxKind::Ddr,
        Kind::Inventory => BoxKind::Inventory,
    }
}

/// The number the log calls an item by (`Item 61949725`).
fn label(c: ClientId, ordinal: u32) -> u64 {
    (u64::from(c) * 104_729 + u64::from(ordinal) * 7_919 + 10_000_019) % NAME_SPACE
}

impl Status {
    /// Writes a `Cqmgr32.log` line for a traced client.
    pub(super) fn log(&self, c: ClientId, cx: &mut Ctx<'_, '_>, text: &str) {
        if !cx.trace.client(c) {
            return;
        }
        let path = format!("clients/{}/Cqmgr32.log", cx.env.hierarchy.client_name(c));
        let thread = 0x150 + (c % 64);
        let line = sms_log_line(cx.env.calendar(), cx.now(), COMPONENT, thread, text);
        cx.trace.line(path, line);
    }

    fn log_item(&self, id: u32, cx: &mut Ctx<'_, '_>, text: impl Fn(u64) -> String) {
        let it = self.queues.get(id);
        if cx.trace.client(it.client) {
            let l = label(it.client, it.ordinal);
            self.log(it.client, cx, &text(l));
        }
    }

    /// A client component hands Copy Queue Manager a file.
    pub(super) fn submit(&mut self, c: ClientId, kind: Kind, ad: u16, cx: &mut Ctx<'_, '_>) {
        let cq = &mut self.cl[c as usize];
        let ordinal = cq.ordinal;
        cq.ordinal = ordinal.wrapping_add(1);
        self.queues.push(
            &mut cq.head,
            Item {
                client: c,
                next: NONE,
                submitted: cx.now(),
                ordinal,
                name: 0,
                ad,
                kind,
                tries: 0,
                copy_try: 0,
                waiting: false,
                copying: false,
            },
        );
        self.counts.generated[box_of(kind) as usize] += 1;
        if kind.is_status() {
            self.ads[ad as usize].generated(c);
        }
        if cx.trace.client(c) {
            let l = label(c, ordinal);
            self.log(c, cx, &format!("--Validating Item 'Item {l:08}'"));
            self.log(c, cx, &format!("--Servicing Item 'Item {l:08}'"));
            self.log(c, cx, &format!("--Inserted Item[Item {l:08}] into list"));
        }
        if !self.cl[c as usize].busy {
            self.start_next(c, cx);
        }
    }

    /// Starts a copy try of the client's next ready item, if it is on.
    pub(super) fn start_next(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        let ready = if cx.world.powered(c) {
            self.queues.next_ready(self.cl[c as usize].head)
        } else {
            None
        };
        let Some(id) = ready else {
            self.cl[c as usize].busy = false;
            return;
        };
        if self.destination(c, cx).is_none() {
            self.destination_inaccessible(c, id, cx);
            self.cl[c as usize].busy = false;
            return;
        }
        self.cl[c as usize].busy = true;
        let first = self.first_name(id, cx);
        let it = self.queues.get_mut(id);
        it.copy_try = it.copy_try.saturating_add(1);
        it.tries = 1;
        it.copying = true;
        it.name = first;
        let n = it.copy_try;
        self.log_item(id, cx, |l| {
            format!("--Trying to copy Item[Item {l:08}], copy try no. {n}")
        });
        self.schedule_attempt(id, cx);
    }

    /// The first name of a copy try.
    fn first_name(&self, id: u32, cx: &Ctx<'_, '_>) -> u32 {
        let it = self.queues.get(id);
        match self.cq(it.client, cx).names {
            NameAlgorithm::ClockSeeded => {
                // The client's own clock, skew included, truncated to a tick:
                // every client reading the same tick gets the same sequence.
                let skew = i64::from(self.cl[it.client as usize].skew_ms);
                let local = (cx.now() as i64 + skew).max(0) as u64;
                names::clock_seeded_start(local / self.p.resolution)
            }
            NameAlgorithm::Unique => self.unique_name(it, u32::from(it.copy_try) + 1, 1, cx),
        }
    }

    fn unique_name(&self, it: &Item, copy_try: u32, tries: u32, cx: &Ctx<'_, '_>) -> u32 {
        let mut rng = cx.env.streams.open(
            streams::STATUS_UNIQUE_NAME,
            u64::from(it.client),
            occurrence(it.ordinal, copy_try, tries),
        );
        rng.random_range(0..NAME_SPACE as u32)
    }

    fn schedule_attempt(&mut self, id: u32, cx: &mut Ctx<'_, '_>) {
        let it = self.queues.get(id);
        let mut rng = cx.env.streams.open(
            streams::STATUS_COPY_TIME,
            u64::from(it.client),
            occurrence(it.ordinal, u32::from(it.copy_try), u32::from(it.tries)),
        );
        let d = rng.random_range(self.p.copy_min..=self.p.copy_max);
        cx.after(d, super::Event::CopyDone(id));
    }

    /// A copy attempt reached the CAP: the file is created unless its name
    /// exists.
    pub(super) fn copy_done(&mut self, id: u32, cx: &mut Ctx<'_, '_>) {
        self.counts.attempts += 1;
        let it = *self.queues.get(id);
        let c = it.client;
        let bx = box_of(it.kind);
        let Some(cap) = self.destination(c, cx) else {
            // Every CAP went down during the attempt: the item waits for
            // the next copy cycle, like the rest of the queue.
            let m = self.queues.get_mut(id);
            m.copying = false;
            self.destination_inaccessible(c, id, cx);
            self.start_next(c, cx);
            return;
        };
        let failover = cap != self.cl[c as usize].cap;
        let inbox = &mut self.inboxes[cap as usize * BOXES + bx as usize];
        let file = InboxFile {
            name: it.name,
            client: c,
            at: cx.now(),
        };
        if inbox.create(file) {
            let peak = &mut self.counts.peak[bx as usize];
            *peak = (*peak).max(inbox.len() as u64);
            if failover {
                self.counts.failover_copies += 1;
            }
            self.delivered(id, cx);
            return;
        }
        self.counts.collisions += 1;
        let cq = self.cq(c, cx);
        if u32::from(it.tries) <= cq.max_retries {
            let next = match cq.names {
                NameAlgorithm::ClockSeeded => names::clock_seeded_next(it.name),
                NameAlgorithm::Unique => {
                    self.unique_name(&it, u32::from(it.copy_try), u32::from(it.tries) + 1, cx)
                }
            };
            let m = self.queues.get_mut(id);
            m.tries = m.tries.saturating_add(1);
            m.name = next;
            self.schedule_attempt(id, cx);
            return;
        }
        self.exhausted(id, cx);
    }

    /// The CAP a copy goes to now: the first available CAP of the client's
    /// CAP list, which holds its site's CAPs starting from its own (Q323627:
    /// CQMGR copies "to the appropriate Inbox on an available CAP"); `None`
    /// when every one is down. Without outages it is always the client's
    /// own CAP.
    pub(super) fn destination(&self, c: ClientId, cx: &Ctx<'_, '_>) -> Option<CapId> {
        let own = self.cl[c as usize].cap;
        if self.outages.is_empty() {
            return Some(own);
        }
        let h = cx.env.hierarchy;
        let list = h.sites[h.caps[own as usize].site as usize].caps.clone();
        let n = list.end - list.start;
        let now = cx.now();
        (0..n)
            .map(|k| list.start + (own - list.start + k) % n)
            .find(|&cap| {
                !self
                    .outages
                    .iter()
                    .any(|o| o.cap == cap && o.from <= now && now < o.until)
            })
    }

    /// No CAP of the client's list is available: Copy Queue Manager marks
    /// the destination for retry and leaves every item that is not being
    /// copied for its next copy cycle (Q292030's log: "Destination[CAP List
    /// for site W2K,statmsgs.box\] is inaccessible", "retry set to 1").
    fn destination_inaccessible(&mut self, c: ClientId, id: u32, cx: &mut Ctx<'_, '_>) {
        self.counts.unavailable += 1;
        if cx.trace.client(c) {
            let site = cx.env.hierarchy.clients.site[c as usize];
            let code = &cx.env.hierarchy.sites[site as usize].code;
            let dest = format!(
                "Destination[CAP List for site {code},{}\\]",
                box_of(self.queues.get(id).kind).folder()
            );
            self.log(c, cx, &format!("-Servicing {dest}"));
            self.log(c, cx, &format!("{dest} is inaccessible"));
            self.log(c, cx, &format!("-{dest} retry set to 1"));
        }
        for q in self.queues.ids(self.cl[c as usize].head) {
            let it = self.queues.get_mut(q);
            if !it.copying {
                it.waiting = true;
            }
        }
        self.arm_wake_up(c, cx);
    }

    fn delivered(&mut self, id: u32, cx: &mut Ctx<'_, '_>) {
        let it = *self.queues.get(id);
        let bx = box_of(it.kind);
        self.counts.delivered[bx as usize] += 1;
        if it.kind.is_status() {
            self.latency.add(cx.now() - it.submitted);
            self.ads[it.ad as usize].delivered(it.client);
        }
        if cx.trace.client(it.client) {
            let site = cx.env.hierarchy.clients.site[it.client as usize];
            let code = &cx.env.hierarchy.sites[site as usize].code;
            let text = format!(
                "--Item[Item {:08}] copied to Destination[CAP List for site {code},{}\\] as {}",
                label(it.client, it.ordinal),
                bx.folder(),
                names::file_name(it.name, bx.ext())
            );
            self.log(it.client, cx, &text);
        }
        self.queues
            .remove(&mut self.cl[it.client as usize].head, id);
        self.start_next(it.client, cx);
    }

    /// Every name of the try collided.
    fn exhausted(&mut self, id: u32, cx: &mut Ctx<'_, '_>) {
        let it = *self.queues.get(id);
        let c = it.client;
        let bx = box_of(it.kind) as usize;
        match self.cq(c, cx).on_exhausted {
            OnExhausted::Delete => {
                self.log_item(id, cx, |l| {
                    format!("--Item[Item {l:08}] NOT copied, already exists, set status to Remove")
                });
                self.log_item(id, cx, |l| {
                    format!("--Skipping Item 'Item {l:08}', it is marked for deletion")
                });
                self.log_item(id, cx, |l| format!("--Removing Item 'Item {l:08}'"));
                self.counts.lost_retries[bx] += 1;
                self.lost(&it);
                self.queues.remove(&mut self.cl[c as usize].head, id);
            }
            OnExhausted::Requeue => {
                self.log_item(id, cx, |l| {
                    format!("--Item[Item {l:08}] NOT copied, already exists, will retry in next copy cycle")
                });
                self.counts.requeued[bx] += 1;
                if self.requeued_clients.len() < REMEMBER && !self.requeued_clients.contains(&c) {
                    self.requeued_clients.push(c);
                }
                let m = self.queues.get_mut(id);
                m.waiting = true;
                m.copying = false;
                self.arm_wake_up(c, cx);
            }
        }
        self.start_next(c, cx);
    }

    fn lost(&mut self, it: &Item) {
        if it.kind.is_status() {
            self.ads[it.ad as usize].lost(it.client);
            let f = &mut self.cl[it.client as usize].flags;
            if *f & LOST_STATUS == 0 {
                *f |= LOST_STATUS;
                if self.lost_clients.len() < REMEMBER {
                    self.lost_clients.push(it.client);
                }
            }
        }
    }

    /// Start of the client's last copy cycle: a client that was on before
    /// the run started its cycle at a random earlier time.
    fn last_cycle(&mut self, c: ClientId, cx: &Ctx<'_, '_>) -> i64 {
        let l = &mut self.cl[c as usize].last_cycle;
        if *l == i64::MIN {
            let mut rng = cx
                .env
                .streams
                .open(streams::STATUS_CYCLE_PHASE, u64::from(c), 0);
            *l = -(rng.random_range(0..self.p.wake_up_cycle) as i64);
        }
        *l
    }

    /// Arms the wake-up cycle that follows now on the client's cycle grid.
    /// Idle clients never arm it: their wake-ups would find nothing to do.
    fn arm_wake_up(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        if self.cl[c as usize].wake.is_armed() {
            return;
        }
        let last = self.last_cycle(c, cx);
        let w = self.p.wake_up_cycle as i64;
        let now = cx.now() as i64;
        let k = (now - last) / w + 1;
        let t = (last + k * w) as u64;
        let g = self.cl[c as usize].wake.arm();
        if !cx.at(t, super::Event::WakeUp(c, g)) {
            // Past the horizon: no wake-up is pending.
            self.cl[c as usize].wake.cancel();
        }
    }

    /// A copy cycle: items past their lifetime are deleted, the others are
    /// tried again.
    pub(super) fn cycle(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        self.counts.cycles += 1;
        let cq = &mut self.cl[c as usize];
        cq.last_cycle = cx.now() as i64;
        let n = cq.cycle_no.wrapping_add(1);
        cq.cycle_no = n;
        let head = cq.head;
        if head == NONE {
            if cx.trace.client(c) {
                self.log(c, cx, &format!("Starting Copy Cycle no. {n}"));
                self.log(c, cx, "Copy cycle finished normally");
            }
            return;
        }
        self.log(c, cx, &format!("Starting Copy Cycle no. {n}"));
        for id in self.queues.ids(head) {
            let it = *self.queues.get(id);
            if it.copying {
                continue;
            }
            if cx.now() - it.submitted >= self.p.item_lifetime {
                self.log_item(id, cx, |l| {
                    format!("--Item 'Item {l:08}' exceeded its lifetime, set status to Remove")
                });
                self.log_item(id, cx, |l| format!("--Removing Item 'Item {l:08}'"));
                self.counts.lost_lifetime[box_of(it.kind) as usize] += 1;
                self.lost(&it);
                self.queues.remove(&mut self.cl[c as usize].head, id);
            } else {
                self.queues.get_mut(id).waiting = false;
            }
        }
        if !self.cl[c as usize].busy {
            self.start_next(c, cx);
        }
    }
}

/// The stream occurrence of one name try.
fn occurrence(ordinal: u32, copy_try: u32, tries: u32) -> u64 {
    (u64::from(ordinal) << 16) | (u64::from(copy_try.min(63)) << 10) | u64::from(tries.min(1023))
}
