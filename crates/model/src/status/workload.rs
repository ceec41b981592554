//! What submits items: scheduled advertisements (10002, 10005, 10008 or
//! 10006), heartbeat discovery and inventory. Logon discovery is submitted
//! from `user_logon`.

use super::advert::AdState;
use super::queue::Kind;
use super::streams;
use super::{Event, Status, DUE_HEARTBEAT, DUE_INVENTORY};
use crate::hierarchy::ClientId;
use crate::subsystem::{Ctx, Env};
use rand::RngExt;
use rand_distr::{Distribution, LogNormal};

const MINUTE_MS: u64 = 60_000;

impl Status {
    /// Schedules, for every targeted client, the moment its Advertised
    /// Programs Monitor notices each advertisement. The assignment is due
    /// at a local (client clock) time, so the real time is shifted by the
    /// client's clock skew.
    pub(super) fn start_advertisements(&mut self, cx: &mut Ctx<'_, '_>) {
        let h = cx.env.hierarchy;
        for (a, ad) in cx
            .env
            .scenario
            .spec
            .workload
            .advertisements
            .iter()
            .enumerate()
        {
            let sites: Vec<usize> = if ad.sites.is_empty() {
                (0..h.sites.len()).collect()
            } else {
                ad.sites
                    .iter()
                    .filter_map(|code| h.site_by_code(code).map(usize::from))
                    .collect()
            };
            let at = ad.at.millis();
            let share = ad.target_share.get();
            let same_minute = ad.same_minute_share.get();
            let tau = ad.same_minute_delay_mean.millis() as f64;
            let late = ad.notice_window.millis().max(MINUTE_MS) - MINUTE_MS;
            for s in sites {
                for cap in h.sites[s].caps.clone() {
                    for c in h.caps[cap as usize].clients.clone() {
                        let mut rng = cx.env.streams.open(
                            streams::STATUS_AD_CLIENT,
                            u64::from(c),
                            (a as u64) << 2,
                        );
                        let targeted = rng.random_bool(share);
                        let in_minute = rng.random_bool(same_minute);
                        let u: f64 = rng.random();
                        if !targeted {
                            continue;
                        }
                        let delay = if in_minute {
                            in_minute_delay(u, tau)
                        } else {
                            MINUTE_MS + (u * late as f64) as u64
                        };
                        let skew = i64::from(cx.world.skew_ms[c as usize]);
                        let real = ((at + delay) as i64 - skew).max(0) as u64;
                        self.ads[a].set_state(c, AdState::Waiting);
                        cx.at(real, Event::Notice(a as u16, c));
                    }
                }
            }
        }
    }

    /// The client notices the assignment: if it is on, it runs the program.
    /// A machine that is not (yet) an SMS client has no Advertised Programs
    /// Monitor to notice anything: the assignment waits, like one missed
    /// while switched off, until its client components are installed.
    pub(super) fn notice(&mut self, ad: u16, c: ClientId, cx: &mut Ctx<'_, '_>) {
        let a = &mut self.ads[ad as usize];
        if a.state(c) != AdState::Waiting {
            return;
        }
        if !cx.world.powered(c) || !cx.world.sms_client(c) {
            a.set_state(c, AdState::Missed);
            return;
        }
        a.set_state(c, AdState::Ran);
        self.submit(c, Kind::Received, ad, cx);
        let spec = &cx.env.scenario.spec.workload.advertisements[ad as usize];
        cx.after(spec.start_delay.millis(), Event::Started(ad, c));
    }

    /// The program starts (10005) and runs for its run time.
    pub(super) fn program_started(&mut self, ad: u16, c: ClientId, cx: &mut Ctx<'_, '_>) {
        self.submit(c, Kind::Started, ad, cx);
        let (run, _) = run_draws(ad, c, cx);
        cx.after(run, Event::Finished(ad, c));
    }

    /// The program ends: 10008 on success, 10006 on failure.
    pub(super) fn program_finished(&mut self, ad: u16, c: ClientId, cx: &mut Ctx<'_, '_>) {
        let (_, ok) = run_draws(ad, c, cx);
        let kind = if ok { Kind::Succeeded } else { Kind::Failed };
        self.submit(c, kind, ad, cx);
    }

    /// Assignments missed while the client was off run soon after it
    /// starts; background items that came due are submitted.
    pub(super) fn run_missed(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        self.run_missed_ads(c, cx);
        let f = self.cl[c as usize].flags;
        if f & DUE_HEARTBEAT != 0 {
            self.cl[c as usize].flags &= !DUE_HEARTBEAT;
            self.submit(c, Kind::HeartbeatDdr, 0, cx);
        }
        if f & DUE_INVENTORY != 0 {
            self.cl[c as usize].flags &= !DUE_INVENTORY;
            self.submit(c, Kind::Inventory, 0, cx);
        }
    }

    /// Assignments that came due while the machine was off or not yet an
    /// SMS client run `missed_run_delay` from now, if it is an SMS client
    /// (a machine that is not one has nothing that could run them).
    pub(super) fn run_missed_ads(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        if !cx.world.sms_client(c) {
            return;
        }
        for a in 0..self.ads.len() {
            if self.ads[a].state(c) == AdState::Missed {
                self.ads[a].set_state(c, AdState::Waiting);
                let d = cx.env.scenario.spec.workload.advertisements[a]
                    .missed_run_delay
                    .millis();
                cx.after(d, Event::Notice(a as u16, c));
            }
        }
    }

    /// Starts heartbeat discovery and hardware inventory: each client sends
    /// one every interval, at its own random phase of the interval. Each of
    /// the two is one [`Round`] (built with the subsystem, [`rounds`]): a
    /// single pending event that walks the clients in the order of their
    /// phases, instead of one pending event per client (at ten million
    /// clients that is twenty million fewer events waiting in the queue,
    /// about 0.5 GB).
    pub(super) fn start_background(&mut self, cx: &mut Ctx<'_, '_>) {
        let (hb, inv) = (self.p.heartbeat, self.p.inventory);
        if hb > 0 {
            if let Some((t, c)) = self.heartbeats.due(|c| background_phase(cx.env, c, hb).0) {
                cx.at(t, Event::Heartbeat(c));
            }
        }
        if inv > 0 {
            if let Some((t, c)) = self.inventories.due(|c| background_phase(cx.env, c, inv).1) {
                cx.at(t, Event::Inventory(c));
            }
        }
    }

    /// Heartbeat discovery: a DDR now, or at the next start if off.
    pub(super) fn heartbeat(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        let hb = self.p.heartbeat;
        self.heartbeats.advance();
        if let Some((t, next)) = self.heartbeats.due(|c| background_phase(cx.env, c, hb).0) {
            cx.at(t, Event::Heartbeat(next));
            self.prefetch_background(next, cx);
        }
        if cx.world.powered(c) {
            self.submit(c, Kind::HeartbeatDdr, 0, cx);
        } else {
            self.cl[c as usize].flags |= DUE_HEARTBEAT;
        }
    }

    /// Hardware inventory: a file now, or at the next start if off.
    pub(super) fn inventory(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        let inv = self.p.inventory;
        self.inventories.advance();
        if let Some((t, next)) = self.inventories.due(|c| background_phase(cx.env, c, inv).1) {
            cx.at(t, Event::Inventory(next));
            self.prefetch_background(next, cx);
        }
        if cx.world.powered(c) {
            self.submit(c, Kind::Inventory, 0, cx);
        } else {
            self.cl[c as usize].flags |= DUE_INVENTORY;
        }
    }

    /// A hint: client `c` is the next of a round. Its event is a few dozen
    /// events away, beyond what the calendar shows ahead, so its records
    /// are asked for now (they stay in the second-level cache until then).
    #[inline]
    fn prefetch_background(&self, c: ClientId, cx: &Ctx<'_, '_>) {
        smssim_engine::hint::prefetch(&self.cl, c as usize);
        cx.world.prefetch(c);
    }
}

/// Clients keyed by (phase, number), to be sorted into a round's order.
/// Phases below 2^32 ms sort packed with the client in one word: the same
/// order in half the memory (80 MB at ten million clients, not 160) and
/// time.
enum Keys {
    Packed(Vec<u64>),
    Wide(Vec<(u64, ClientId)>),
}

impl Keys {
    /// Room for `n` clients of a round every `every` ms (a phase is below
    /// `every`).
    fn new(n: ClientId, every: u64) -> Self {
        if every >= 1 << 32 {
            Keys::Wide(Vec::with_capacity(n as usize))
        } else {
            Keys::Packed(Vec::with_capacity(n as usize))
        }
    }

    #[inline]
    fn push(&mut self, phase: u64, c: ClientId) {
        match self {
            Keys::Packed(v) => v.push(phase << 32 | u64::from(c)),
            Keys::Wide(v) => v.push((phase, c)),
        }
    }

    /// The clients by (phase, number).
    fn into_order(self) -> Vec<ClientId> {
        match self {
            Keys::Packed(mut v) => {
                v.sort_unstable();
                v.into_iter().map(|k| k as ClientId).collect()
            }
            Keys::Wide(mut v) => {
                v.sort_unstable();
                v.into_iter().map(|(_, c)| c).collect()
            }
        }
    }

    fn into_round(self, every: u64) -> Round {
        Round {
            order: self.into_order(),
            next: 0,
            interval: 0,
            every,
        }
    }
}

/// Client `c`'s phases (ms into the interval) of heartbeat discovery and of
/// inventory, for an interval of `every` ms, drawn from its own stream.
fn background_phase(env: &Env<'_>, c: ClientId, every: u64) -> (u64, u64) {
    let (u, v) = unit_phases(env, c);
    (into_interval(u, every), into_interval(v, every))
}

/// A phase drawn as a fraction `u` of an interval of `every` ms, in ms:
/// the one conversion a round's order and its due times both use.
#[inline]
fn into_interval(u: f64, every: u64) -> u64 {
    (u * every as f64) as u64
}

/// Client `c`'s two phases as fractions of an interval, from its stream.
fn unit_phases(env: &Env<'_>, c: ClientId) -> (f64, f64) {
    let mut rng = env
        .streams
        .open(streams::STATUS_BACKGROUND_PHASE, u64::from(c), 0);
    (rng.random(), rng.random())
}

/// The heartbeat and inventory rounds at virtual time 0 (empty for an
/// interval of 0, which turns that traffic off): one pass over the clients
/// draws both phases of each from its stream, then each round sorts.
pub(super) fn rounds(env: &Env<'_>, hb: u64, inv: u64) -> (Round, Round) {
    let n = env.hierarchy.clients.len() as ClientId;
    let mut hb_keys = Keys::new(if hb > 0 { n } else { 0 }, hb);
    let mut inv_keys = Keys::new(if inv > 0 { n } else { 0 }, inv);
    if hb > 0 || inv > 0 {
        for c in 0..n {
            let (u, v) = unit_phases(env, c);
            if hb > 0 {
                hb_keys.push(into_interval(u, hb), c);
            }
            if inv > 0 {
                inv_keys.push(into_interval(v, inv), c);
            }
        }
    }
    (hb_keys.into_round(hb), inv_keys.into_round(inv))
}

/// A periodic per-client activity as one walk over the clients: every
/// client is due at its phase plus a whole number of intervals, so the
/// clients sorted by (phase, number) are due in that order in every
/// interval. Only the next one is scheduled; its phase is drawn again from
/// its stream when needed, so a round keeps 4 bytes a client.
#[derive(Debug, Clone, Default)]
pub(super) struct Round {
    /// The clients by (phase, number).
    order: Vec<ClientId>,
    /// The next client's place in `order`.
    next: usize,
    /// The interval the next client is due in (0 = the first).
    interval: u64,
    every: u64,
}

impl Round {
    /// Moves past the client just handled.
    fn advance(&mut self) {
        self.next += 1;
        if self.next == self.order.len() {
            self.next = 0;
            self.interval += 1;
        }
    }

    /// When the next client is due, and which.
    fn due(&self, phase: impl Fn(ClientId) -> u64) -> Option<(u64, ClientId)> {
        let c = *self.order.get(self.next)?;
        let t = self
            .interval
            .checked_mul(self.every)?
            .checked_add(phase(c))?;
        Some((t, c))
    }
}

/// The program's run time (ms) and outcome for a client, drawn from the
/// client's own stream so that every policy sees the same run.
fn run_draws(ad: u16, c: ClientId, cx: &Ctx<'_, '_>) -> (u64, bool) {
    let spec = &cx.env.scenario.spec.workload.advertisements[ad as usize];
    let mut rng = cx.env.streams.open(
        streams::STATUS_AD_CLIENT,
        u64::from(c),
        (u64::from(ad) << 2) | 1,
    );
    let median = spec.run_time_median.millis().max(1) as f64;
    let run = LogNormal::new(median.ln(), spec.run_time_sigma)
        .map(|d| d.sample(&mut rng))
        .unwrap_or(median);
    let ok = rng.random_bool(spec.success_share.get());
    (run.max(1.0) as u64, ok)
}

/// The delay within the scheduled minute at quantile `u`: exponential with
/// mean `tau` ms, truncated to the minute (inverse of its distribution).
fn in_minute_delay(u: f64, tau: f64) -> u64 {
    if tau <= 0.0 {
        return 0;
    }
    let tail = (-(MINUTE_MS as f64) / tau).exp();
    let d = -tau * (1.0 - u * (1.0 - tail)).ln();
    (d as u64).min(MINUTE_MS - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_minute_delays_stay_in_the_minute_and_front_load_it() {
        assert_eq!(in_minute_delay(0.7, 0.0), 0);
        assert_eq!(in_minute_delay(0.0, 10_000.0), 0);
        assert!(in_minute_delay(0.999_999, 10_000.0) < MINUTE_MS);
        // Median of an exponential (mean 10 s) truncated at 60 s: ~6.9 s.
        let m = in_minute_delay(0.5, 10_000.0);
        assert!((6_500..7_200).contains(&m), "{m}");
    }

    #[test]
    fn packed_and_wide_phases_give_the_same_order() {
        // Ties included: equal phases go by client number.
        let phase = |c: u32| u64::from(c.wrapping_mul(2_654_435_761) % 977) * 4_000_000;
        let order = |every: u64| {
            let mut k = super::Keys::new(50_000, every);
            for c in 0..50_000 {
                k.push(phase(c), c);
            }
            k.into_order()
        };
        let (packed, wide) = (order(1 << 31), order(1 << 33));
        assert_eq!(packed, wide);
        assert!(packed
            .windows(2)
            .all(|w| (phase(w[0]), w[0]) < (phase(w[1]), w[1])));
    }
}
