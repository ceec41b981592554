//! Status messages through the Copy Queue Manager (Q323627, Q301352,
//! Q292030).
//!
//! Client components submit files (status messages, discovery records,
//! inventory) to the client's Copy Queue Manager (`cqmgr.rs`), which copies
//! each one to its CAP's inbox ([`inbox`]) under an 8-character name
//! ([`names`]): a name that already exists is a collision, and the item is
//! retried under a new name up to `cqmgr_max_retries` times, then deleted
//! (legacy) or kept for the next copy cycle (hotfix). The site's Inbox
//! Manager Assistant (`ima.rs`) moves files from the CAP to the site server,
//! which frees their names. Scheduled advertisements and background
//! discovery and inventory (`workload.rs`) submit the items.

pub(crate) mod advert;
mod cqmgr;
mod ima;
pub(crate) mod inbox;
pub(crate) mod latency;
pub(crate) mod metrics;
pub(crate) mod names;
mod pickup;
pub(crate) mod queue;
mod report;
mod workload;

pub(crate) mod event;

use crate::catalogue::Descriptor;
use crate::event::WorldEvent;
use crate::hierarchy::{CapId, ClientId};
use crate::record::{Metrics, Sample};
use crate::streams::Draws;
use crate::subsystem::{Ctx, Env, Subsystem};
use crate::world::World;
use advert::AdClients;
use inbox::{Inbox, BOXES};
use latency::Latency;
use queue::Queues;
use smssim_engine::Timer;
use smssim_scenario::policy::Knob;
use smssim_scenario::Policy;

pub use event::Event;

/// Parameters of a run, in milliseconds, read once from the scenario and
/// the policy.
#[derive(Debug, Clone)]
struct Params {
    wake_up_cycle: u64,
    item_lifetime: u64,
    copy_min: u64,
    copy_max: u64,
    resolution: u64,
    poll_interval: u64,
    files_per_second: usize,
    logon_discovery: bool,
    heartbeat: u64,
    inventory: u64,
    /// Copy Queue Manager without the Q323627 fix: the policy's knobs.
    policy: pickup::Cq,
    /// Copy Queue Manager with the fix: the hotfix's values.
    fixed: pickup::Cq,
    /// Longest delay before a client picks up its site's new components.
    pickup_max: u64,
}

/// Counts kept during a run, by inbox where items differ.
#[derive(Debug, Clone, Default)]
struct Counts {
    generated: [u64; BOXES],
    delivered: [u64; BOXES],
    lost_retries: [u64; BOXES],
    lost_lifetime: [u64; BOXES],
    requeued: [u64; BOXES],
    attempts: u64,
    collisions: u64,
    cycles: u64,
    moved: u64,
    /// Most files ever in one CAP's inbox of each kind at one moment.
    peak: [u64; BOXES],
    /// Items copied to a CAP other than the client's own.
    failover_copies: u64,
    /// Copy tries that found no CAP of the list available.
    unavailable: u64,
}

/// A CAP unavailable from `from` (inclusive) to `until` (exclusive), ms.
#[derive(Debug, Clone, Copy)]
struct Outage {
    cap: CapId,
    from: u64,
    until: u64,
}

// Bits of `ClientCq::flags`.
const DUE_HEARTBEAT: u8 = 1;
const DUE_INVENTORY: u8 = 2;
const LOST_STATUS: u8 = 4;

/// The per-client state of Copy Queue Manager, with copies of the two
/// constant facts about the client it reads (its clock skew and CAP), in one
/// 32-byte record: every event of a client then touches one cache line of
/// this subsystem's state, which at a million clients is what the run
/// waits on.
#[derive(Debug, Clone, Copy)]
struct ClientCq {
    /// Start of the client's last copy cycle; `i64::MIN` until known.
    last_cycle: i64,
    /// Items the client has submitted (keys their random streams).
    ordinal: u32,
    /// The first item of the client's queue (`queue::NONE` when empty).
    head: u32,
    /// The client's clock skew (`World::skew_ms`, constant in a run).
    skew_ms: i32,
    /// The client's CAP.
    cap: CapId,
    /// The client's wake-up timer: a `WakeUp` event of another generation
    /// is stale.
    wake: Timer,
    /// Copy cycles the client has started (for the log).
    cycle_no: u16,
    /// `DUE_*` and `LOST_STATUS` bits.
    flags: u8,
    /// A copy try is under way on the client.
    busy: bool,
}

const _: () = assert!(std::mem::size_of::<ClientCq>() == 32);

/// State of this subsystem: every client's copy queue, every CAP's
/// inboxes and Inbox Manager Assistant, and the advertisements.
#[derive(Debug)]
pub struct Status {
    p: Params,
    queues: Queues,
    /// Each client's Copy Queue Manager.
    cl: Vec<ClientCq>,
    /// Inboxes, `BOXES` per CAP.
    inboxes: Vec<Inbox>,
    /// Whether each CAP's Inbox Manager Assistant is moving files.
    ima_busy: Vec<bool>,
    ads: Vec<AdClients>,
    counts: Counts,
    latency: Latency,
    /// Clients that lost a status message, in the order they lost it.
    lost_clients: Vec<ClientId>,
    /// Clients whose item waited for a later copy cycle.
    requeued_clients: Vec<ClientId>,
    /// CAP outages (`status.cap_outages`); empty: every CAP is always up.
    outages: Vec<Outage>,
    /// Heartbeat discovery and hardware inventory, as walks over the
    /// clients (`workload.rs`).
    heartbeats: workload::Round,
    inventories: workload::Round,
}

/// How many clients of each kind `interesting` remembers.
const REMEMBER: usize = 32;

impl Draws for Status {
    const STREAMS: std::ops::Range<u16> = 16..32;
}

/// This part's random stream purposes (never renumbered, only added).
pub(crate) mod streams {
    use super::Status;
    use crate::streams::StreamId;

    /// Per-client, per-advertisement draws (status subsystem): targeting and
    /// notice delay at occurrence `ad << 2`, run time and outcome at
    /// `ad << 2 | 1`.
    pub const STATUS_AD_CLIENT: StreamId<Status> = StreamId::new(16);
    /// Per-client duration of one copy attempt, at occurrence
    /// `ordinal << 16 | copy_try << 10 | try`.
    pub const STATUS_COPY_TIME: StreamId<Status> = StreamId::new(17);
    /// Per-client `unique` file names (hotfix), keyed like the copy time.
    pub const STATUS_UNIQUE_NAME: StreamId<Status> = StreamId::new(18);
    /// Per-client phase of Copy Queue Manager's wake-up cycle for clients that
    /// were already on at the start.
    pub const STATUS_CYCLE_PHASE: StreamId<Status> = StreamId::new(19);
    /// Per-client phases of heartbeat discovery and inventory.
    pub const STATUS_BACKGROUND_PHASE: StreamId<Status> = StreamId::new(20);
    /// Per-client delay before picking up the client components its site
    /// received (`pickup.rs`), at occurrence 0.
    pub const STATUS_COMPONENT_PICKUP: StreamId<Status> = StreamId::new(21);
}

/// The scenario's CAP outages, one per CAP they take down.
fn outages(env: &Env<'_>) -> Vec<Outage> {
    let h = env.hierarchy;
    let end = env.scenario.horizon;
    let mut out = Vec::new();
    for o in &env.scenario.spec.status.cap_outages {
        // Validation checked the site and the CAP number.
        let Some(site) = h.site_by_code(&o.site) else {
            continue;
        };
        let caps = h.sites[site as usize].caps.clone();
        let from = o.from.millis();
        let until = o
            .duration
            .map_or(end.saturating_add(1), |d| from + d.millis());
        for cap in caps.clone() {
            if o.cap.is_none_or(|n| cap - caps.start + 1 == n) {
                out.push(Outage { cap, from, until });
            }
        }
    }
    out
}

impl Subsystem for Status {
    const DESCRIPTOR: Descriptor = Descriptor {
        name: "status",
        articles: &["Q323627", "Q301352", "Q292030"],
        metrics: metrics::METRICS,
        series: metrics::SERIES,
        activity: "status.generated",
        knobs: &[
            Knob::CqmgrNameAlgorithm,
            Knob::CqmgrMaxRetries,
            Knob::CqmgrOnExhausted,
        ],
        streams: <Status as Draws>::STREAMS,
    };

    type Event = Event;

    fn new(env: &Env<'_>, world: &World) -> Self {
        let s = &env.scenario.spec.status;
        let pol = env.policy;
        let n = env.hierarchy.clients.len();
        let p = Params {
            wake_up_cycle: s.wake_up_cycle.millis().max(1),
            item_lifetime: s.item_lifetime.millis().max(1),
            copy_min: s.copy_time_min.millis(),
            copy_max: s.copy_time_max.millis().max(s.copy_time_min.millis()),
            resolution: s.seed_resolution_ms.max(1),
            poll_interval: s.inbox_poll_interval.millis().max(1),
            files_per_second: (s.inbox_files_per_minute as usize).div_ceil(60).max(1),
            logon_discovery: s.logon_discovery,
            heartbeat: s.heartbeat_interval.millis(),
            inventory: s.inventory_interval.millis(),
            // Bounded by its type (names tried are counted in 16 bits).
            policy: pickup::Cq {
                names: pol.cqmgr_name_algorithm,
                max_retries: pol.cqmgr_max_retries.get(),
                on_exhausted: pol.cqmgr_on_exhausted,
            },
            fixed: {
                let h = Policy::hotfix();
                pickup::Cq {
                    names: h.cqmgr_name_algorithm,
                    max_retries: h.cqmgr_max_retries.get(),
                    on_exhausted: h.cqmgr_on_exhausted,
                }
            },
            pickup_max: env.scenario.spec.clients.component_pickup.millis(),
        };
        let (heartbeats, inventories) = workload::rounds(env, p.heartbeat, p.inventory);
        Status {
            p,
            queues: Queues::new(),
            cl: (0..n)
                .map(|c| ClientCq {
                    last_cycle: i64::MIN,
                    ordinal: 0,
                    head: queue::NONE,
                    skew_ms: world.skew_ms[c],
                    cap: env.hierarchy.clients.cap[c],
                    wake: Timer::new(),
                    cycle_no: 0,
                    flags: 0,
                    busy: false,
                })
                .collect(),
            inboxes: vec![Inbox::default(); env.hierarchy.caps.len() * BOXES],
            ima_busy: vec![false; env.hierarchy.caps.len()],
            ads: env
                .scenario
                .spec
                .workload
                .advertisements
                .iter()
                .map(|_| AdClients::new(n))
                .collect(),
            counts: Counts::default(),
            latency: Latency::default(),
            lost_clients: Vec::new(),
            requeued_clients: Vec::new(),
            outages: outages(env),
            heartbeats,
            inventories,
        }
    }

    fn start(&mut self, cx: &mut Ctx<'_, '_>) {
        self.start_ima(cx);
        self.start_advertisements(cx);
        self.start_background(cx);
    }

    fn handle(&mut self, event: Event, cx: &mut Ctx<'_, '_>) {
        match event {
            Event::Notice(ad, c) => self.notice(ad, c, cx),
            Event::Started(ad, c) => self.program_started(ad, c, cx),
            Event::Finished(ad, c) => self.program_finished(ad, c, cx),
            Event::CopyDone(item) => self.copy_done(item, cx),
            Event::WakeUp(c, g) => {
                // Only the live wake-up fires, once.
                if self.cl[c as usize].wake.fire(g) && cx.world.powered(c) {
                    self.cycle(c, cx);
                }
            }
            Event::Heartbeat(c) => self.heartbeat(c, cx),
            Event::Inventory(c) => self.inventory(c, cx),
            Event::ImaPoll(cap) => self.ima_poll(cap, cx),
            Event::ImaMove(cap) => self.ima_move(cap, cx),
        }
    }

    #[inline]
    fn prefetch(&self, event: &Event, ahead: usize, _env: &Env<'_>) {
        use smssim_engine::hint::prefetch;
        match (*event, ahead) {
            // A copy attempt's chain: its item, then the client's record,
            // then the name's slot in the destination inbox.
            (Event::CopyDone(id), 2) => self.queues.prefetch(id),
            (Event::CopyDone(id), 1) => {
                if let Some(it) = self.queues.try_get(id) {
                    prefetch(&self.cl, it.client as usize);
                }
            }
            (Event::CopyDone(id), _) => {
                if let Some(it) = self.queues.try_get(id) {
                    if let Some(cq) = self.cl.get(it.client as usize) {
                        let i = cq.cap as usize * BOXES + cqmgr::box_of(it.kind) as usize;
                        if let Some(inbox) = self.inboxes.get(i) {
                            inbox.prefetch(it.name);
                        }
                    }
                }
            }
            (Event::Notice(ad, c) | Event::Started(ad, c) | Event::Finished(ad, c), 2) => {
                prefetch(&self.cl, c as usize);
                if let Some(a) = self.ads.get(ad as usize) {
                    a.prefetch(c);
                }
            }
            (Event::WakeUp(c, _) | Event::Heartbeat(c) | Event::Inventory(c), 2) => {
                prefetch(&self.cl, c as usize)
            }
            _ => {}
        }
    }

    #[inline]
    fn prefetch_client(&self, c: ClientId, event: &WorldEvent, ahead: usize, _env: &Env<'_>) {
        if ahead == 2 {
            smssim_engine::hint::prefetch(&self.cl, c as usize);
            // Only a start or an installation looks at the client's
            // advertisements (missed ones run).
            if let WorldEvent::PowerOn(_) | WorldEvent::ClientInstalled(_) = event {
                for a in &self.ads {
                    a.prefetch(c);
                }
            }
        }
    }

    fn client_started(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        // Q292030: "A new Copy Queue Manager cycle can occur after a
        // subsequent restart of the client".
        self.cycle(c, cx);
        self.run_missed(c, cx);
    }

    fn client_installed(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        // A new SMS client picks up the mandatory assignments that came due
        // before it was installed, like a client that was switched off.
        if cx.world.powered(c) {
            self.run_missed_ads(c, cx);
        }
    }

    fn client_stopping(&mut self, c: ClientId, _cx: &mut Ctx<'_, '_>) {
        // The wake-up timer dies with the process; the queue is on disk.
        self.cl[c as usize].wake.cancel();
    }

    fn user_logon(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        if self.p.logon_discovery {
            self.submit(c, queue::Kind::LogonDdr, 0, cx);
        }
    }

    fn sample(&self, _world: &World, sample: &mut Sample<'_>) {
        self.add_sample(sample);
    }

    fn snapshot(&self, cx: &mut Ctx<'_, '_>) {
        self.write_snapshot(cx);
    }

    fn interesting(&self, out: &mut Vec<ClientId>) {
        for &c in self.lost_clients.iter().chain(&self.requeued_clients) {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }

    fn finish(&mut self, cx: &mut Ctx<'_, '_>, metrics: &mut Metrics) -> Result<(), String> {
        self.report(cx.world, metrics)
    }
}

#[cfg(test)]
mod tests {
    use smssim_scenario::policy::{Knob, MaxRetries};
    use smssim_scenario::Policy;

    /// N clients (no new machines: every one is an SMS client) notice the
    /// advertisement in one one-minute tick; the
    /// Inbox Manager Assistant does not poll before the run ends, and the
    /// run ends before the second message.
    fn exact(n: u32) -> String {
        format!(
            r#"{{"name":"exact","duration_days":0.02,
               "topology":{{"clients_per_cap":{n}}},
               "clients":{{"power_off_at_night":0}},
               "ccr":{{"new_machines":{{"share":0}}}},
               "status":{{"seed_resolution_ms":60000,"inbox_poll_interval":"1d",
                          "logon_discovery":false,"heartbeat_interval":0,"inventory_interval":0}},
               "workload":{{"advertisements":[{{"at":"10m","same_minute_share":1,"start_delay":"1h"}}]}}}}"#
        )
    }

    fn metrics(text: &str, policy: &Policy) -> crate::Metrics {
        let scenario = smssim_scenario::load_str(text, "t.json", &[]).unwrap();
        crate::testbed::run_scenario(&scenario, policy).metrics
    }

    #[test]
    fn one_tick_delivers_min_of_n_and_retries_plus_one() {
        let unique = Policy::legacy_with(Knob::CqmgrNameAlgorithm);
        let retries10 = Policy::legacy_with(Knob::CqmgrMaxRetries);
        for n in [10u32, 51, 52, 500] {
            let text = exact(n);
            for (p, cap) in [(Policy::legacy(), 51), (retries10.clone(), 11)] {
                let m = metrics(&text, &p);
                let want = f64::from(n.min(cap));
                assert_eq!(m.get("status.delivered"), Some(want), "{} N={n}", p.name);
                assert_eq!(m.get("status.lost"), Some(f64::from(n) - want));
                // No pickup: every delivered file is still in the one inbox.
                assert_eq!(m.get("cap.statmsgs_peak"), Some(want));
                assert_eq!(m.get("cap.inbox_peak"), Some(want));
            }
            let m = metrics(&text, &unique);
            assert_eq!(
                m.get("status.delivered"),
                Some(f64::from(n)),
                "unique N={n}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
        /// The exact case for any N and retry limit: one shared sequence,
        /// each name taken once.
        #[test]
        fn one_tick_delivers_min_of_n_and_retries_plus_one_for_any_limit(
            n in 1u32..150,
            retries in 0u32..70,
        ) {
            let mut p = Policy::legacy();
            p.cqmgr_max_retries = MaxRetries::new(retries).unwrap();
            let m = metrics(&exact(n), &p);
            let want = f64::from(n.min(retries + 1));
            proptest::prop_assert_eq!(m.get("status.delivered"), Some(want));
            proptest::prop_assert_eq!(m.get("status.lost"), Some(f64::from(n) - want));
            proptest::prop_assert_eq!(
                m.get("cqmgr.collisions"),
                Some(f64::from((0..n).map(|k| k.min(retries + 1)).sum::<u32>()))
            );
        }
    }

    /// The exact case on a site with two CAPs of `n` clients each, and
    /// `outages` as `status.cap_outages`.
    fn two_caps(n: u32, outages: &str, days: f64) -> String {
        exact(n)
            .replace(
                r#""clients_per_cap":"#,
                r#""caps_per_site":2,"clients_per_cap":"#,
            )
            .replace(
                r#""seed_resolution_ms":60000"#,
                &format!(r#""seed_resolution_ms":60000,"cap_outages":{outages}"#),
            )
            .replace(
                r#""duration_days":0.02"#,
                &format!(r#""duration_days":{days}"#),
            )
    }

    #[test]
    fn a_client_whose_cap_is_down_copies_to_the_next_cap_of_its_list() {
        // Two CAPs of 40 clients, one tick: each inbox takes all 40.
        let m = metrics(&two_caps(40, "[]", 0.02), &Policy::legacy());
        assert_eq!(m.get("status.delivered"), Some(80.0));
        assert_eq!(m.get("cap.statmsgs_peak"), Some(40.0));
        assert_eq!(
            m.get("cqmgr.failover_copies"),
            None,
            "no outages: no new rows"
        );
        // CAP 1 down: its clients fail over to CAP 2, whose inbox now sees
        // 80 clients walking one name sequence: 51 get through.
        let down = r#"[{"site":"CEN","cap":1}]"#;
        let m = metrics(&two_caps(40, down, 0.02), &Policy::legacy());
        assert_eq!(m.get("status.delivered"), Some(51.0));
        assert_eq!(m.get("status.lost"), Some(29.0));
        assert_eq!(m.get("cap.statmsgs_peak"), Some(51.0));
        let failover = m.get("cqmgr.failover_copies").unwrap();
        assert!((11.0..=40.0).contains(&failover), "{failover}");
        assert_eq!(m.get("cqmgr.destination_unavailable"), Some(0.0));
        // The same outage after the burst changes nothing.
        let later = r#"[{"site":"CEN","cap":1,"from":"20m"}]"#;
        let m = metrics(&two_caps(40, later, 0.02), &Policy::legacy());
        assert_eq!(m.get("status.delivered"), Some(80.0));
        assert_eq!(m.get("cqmgr.failover_copies"), Some(0.0));
    }

    #[test]
    fn with_every_cap_down_items_wait_for_the_next_copy_cycle() {
        // Both CAPs down for two hours over the burst: nothing is copied or
        // lost then; the items wait (even under legacy's delete) and go at
        // each client's next wake-up cycle, spread over the day, so their
        // clock-seeded names rarely meet.
        let down = r#"[{"site":"CEN","from":"5m","for":"2h"}]"#;
        let m = metrics(&two_caps(40, down, 1.2), &Policy::legacy());
        let unavailable = m.get("cqmgr.destination_unavailable").unwrap();
        assert!(unavailable >= 80.0, "{unavailable}");
        assert_eq!(m.get("status.lost_lifetime"), Some(0.0));
        assert_eq!(m.get("status.pending"), Some(0.0));
        // 10002 at the burst, then 10005 and 10008 (or 10006) an hour
        // later; all are delivered.
        assert_eq!(m.get("status.generated"), Some(240.0));
        assert_eq!(m.get("status.delivered"), Some(240.0));
        // Nothing arrived before the outage ended: the 10002s waited past
        // its end.
        assert!(m.get("status.delivery_max_s").unwrap() > 3600.0);
        // A short run ends with them still queued.
        let m = metrics(&two_caps(40, down, 0.02), &Policy::legacy());
        assert_eq!(m.get("status.delivered"), Some(0.0));
        assert_eq!(m.get("status.pending"), Some(80.0));
    }

    #[test]
    fn requeued_items_past_their_lifetime_are_deleted_at_the_next_cycle() {
        let text = exact(200)
            .replace(r#""duration_days":0.02"#, r#""duration_days":1.2"#)
            .replace(
                r#""seed_resolution_ms":60000"#,
                r#""seed_resolution_ms":60000,"item_lifetime":"1h""#,
            );
        let requeue = Policy::legacy_with(Knob::CqmgrOnExhausted);
        let m = metrics(&text, &requeue);
        let requeued = m.get("status.requeued").unwrap();
        assert!(requeued >= 149.0, "{requeued}");
        assert_eq!(m.get("status.lost_retries"), Some(0.0));
        // Every wake-up comes more than an hour after the burst.
        let lifetime = m.get("status.lost_lifetime").unwrap();
        assert!(lifetime >= 149.0, "{lifetime}");
        assert_eq!(m.get("status.pending"), Some(0.0));
        // Without the short lifetime they are delivered instead.
        let m = metrics(
            &exact(200).replace(r#""duration_days":0.02"#, r#""duration_days":1.2"#),
            &requeue,
        );
        assert_eq!(m.get("status.lost"), Some(0.0));
        assert_eq!(m.get("status.delivered"), m.get("status.generated"));
    }

    #[test]
    fn inbox_peak_counts_every_inbox_folder() {
        // No advertisement: only logon DDRs reach the CAP, and they stay in
        // ddr.box because the Inbox Manager Assistant never polls.
        let text = r#"{"name":"peaks","duration_days":0.9,"topology":{"clients_per_cap":300},
                       "status":{"inbox_poll_interval":"1d","heartbeat_interval":0,
                                 "inventory_interval":0},
                       "workload":{"advertisements":[]}}"#;
        let m = metrics(text, &Policy::legacy());
        let ddr = m.get("cap.ddr_peak").unwrap();
        assert!(ddr > 0.0, "{ddr}");
        assert_eq!(m.get("cap.statmsgs_peak"), Some(0.0));
        assert_eq!(m.get("cap.inventory_peak"), Some(0.0));
        assert_eq!(m.get("cap.inbox_peak"), Some(ddr));
        // With one CAP and no pickup, the peak is every DDR delivered.
        assert_eq!(m.get("cap.ddr_peak"), m.get("cqmgr.items_delivered"));
    }

    /// Half the machines are new (discovered, not SMS clients) from the
    /// start; `faults` decides whether CCM can install them.
    fn new_machines(faults: &str) -> String {
        format!(
            r#"{{"name":"new","duration_days":1,"topology":{{"clients_per_cap":400}},
               "clients":{{"power_off_at_night":0}},
               "ccr":{{"new_machines":{{"share":0.5,"arrive_over":"0s"}},"faults":{{{faults}}}}},
               "workload":{{"advertisements":[{{"at":"2h"}}]}}}}"#
        )
    }

    #[test]
    fn only_sms_clients_run_advertisements() {
        let get = |m: &crate::Metrics, k: &str| m.get(k).unwrap_or_else(|| panic!("{k}"));
        // Access denied on every machine all day: no new machine is
        // installed, so none runs the advertisement or counts.
        let m = metrics(
            &new_machines(r#""access_denied":[{"share":1,"until":"1d"}]"#),
            &Policy::legacy(),
        );
        let new = get(&m, "clients.new");
        assert!((150.0..250.0).contains(&new), "{new}");
        assert_eq!(get(&m, "clients.installed"), 0.0);
        assert_eq!(get(&m, "ad.clients_targeted"), 400.0 - new);
        assert_eq!(get(&m, "ad.clients_ran"), 400.0 - new);
        assert_eq!(get(&m, "status.generated"), 3.0 * (400.0 - new));
        // Installed machines become SMS clients and run it from then on.
        let m = metrics(&new_machines(""), &Policy::legacy());
        let installed = get(&m, "clients.installed");
        assert!(installed > 0.0, "{installed}");
        assert_eq!(get(&m, "clients.new"), new, "same draws");
        assert_eq!(get(&m, "ad.clients_targeted"), 400.0 - new + installed);
        let ran = get(&m, "ad.clients_ran");
        assert!(ran > 400.0 - new && ran <= 400.0 - new + installed, "{ran}");
    }

    #[test]
    fn policies_share_the_workload_draws() {
        let text = r#"{"name":"crn","duration_days":0.5,"topology":{"clients_per_cap":600},
                       "workload":{"advertisements":[{"same_minute_share":0.9}]}}"#;
        let l = metrics(text, &Policy::legacy());
        let h = metrics(text, &Policy::hotfix());
        for k in [
            "status.generated",
            "ad.clients_ran",
            "ddr.generated",
            "inventory.generated",
        ] {
            assert_eq!(l.get(k), h.get(k), "{k}");
        }
        assert!(l.get("status.lost").unwrap() > 0.0);
        assert_eq!(h.get("status.lost"), Some(0.0));
        assert_eq!(
            metrics(text, &Policy::legacy()),
            l,
            "same seed, same metrics"
        );
    }
}
