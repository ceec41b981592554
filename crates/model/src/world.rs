//! The world: which clients are powered on, when their users arrive and
//! log on, and each site's current service pack. Subsystems read it; only
//! the world's own events change it. [`World::handle`] applies a world
//! event and says what changed ([`Change`]); the core announces that to
//! every subsystem and then calls [`World::settle`], which schedules what
//! follows (the next logon, the switch-on after a switch-off, the next
//! sample). The split keeps the order of the original single handler:
//! subsystems see a client that is stopping while it is still on.

use crate::event::{Event, WorldEvent};
use crate::fixes::Fixes;
use crate::hierarchy::{ClientId, Hierarchy, SiteId};
use crate::record::Sample;
use crate::streams::Draws;
use rand::RngExt;
use rand_distr::{Distribution, Exp, Normal};
use smssim_engine::{Scheduler, SimTime, Streams, DAY, MINUTE};
use smssim_scenario::{spec::Clients, Calendar, Policy, Scenario, SiteVersion, Step};

/// One user's day: absolute virtual times (negative: before the run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayPlan {
    /// Arrival (and power-on, for users who switch off at night).
    pub arrive: i64,
    /// Logon.
    pub logon: i64,
    /// Leaving (and power-off, for users who switch off at night).
    pub leave: i64,
}

/// Mutable state shared by the subsystems.
#[derive(Debug, Clone)]
pub struct World {
    /// Each client's [`POWERED`], [`NIGHT_OFF`] and [`SMS_CLIENT`] bits:
    /// one byte, so that a client's event reads one cache line of the
    /// world, not three.
    flags: Vec<u8>,
    /// Each client clock's offset from site time, in milliseconds.
    pub skew_ms: Vec<i32>,
    /// Each site's current service pack.
    pub site_version: Vec<SiteVersion>,
    /// Which site has which fix, since when (release and hotfixes).
    pub fixes: Fixes,
    /// Sites whose `Full Version` registry value is missing now: a hotfix
    /// installed there reads version 000 and changes nothing (Q252717).
    pub full_version_missing: Vec<bool>,
    /// Clients powered on now.
    pub powered_count: u64,
    calendar: Calendar,
    params: Clients,
    sample_every: u64,
}

/// What a world event changed, for the core to announce to the subsystems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A client was switched on (its components start).
    ClientStarted(ClientId),
    /// A client is being switched off (still on until [`World::settle`]).
    ClientStopping(ClientId),
    /// A user logged on to a client.
    UserLogon(ClientId),
    /// A site's service pack changed.
    SiteUpgraded(SiteId),
    /// A hotfix was installed at a site (rollout step `n`).
    HotfixInstalled(u16, SiteId),
    /// The administrator applied a manual remedy at a site (rollout step
    /// `n`).
    Remedy(u16, SiteId),
    /// A machine became an SMS client: its client components were
    /// installed and start.
    ClientInstalled(ClientId),
    /// A time-series sample is due.
    Sample,
    /// The inbox snapshot of `trace --at` is due.
    Snapshot,
}

/// Client flag: switched on.
const POWERED: u8 = 1;
/// Client flag: its user switches it off at night.
const NIGHT_OFF: u8 = 2;
/// Client flag: an SMS client (its client components are installed).
/// Every machine is one unless a subsystem says otherwise at set-up
/// (`Subsystem::set_up_world`: the CCR subsystem's new machines are
/// discovered but not yet installed); a machine becomes one through
/// [`WorldEvent::ClientInstalled`].
const SMS_CLIENT: u8 = 4;

impl Draws for World {
    const STREAMS: std::ops::Range<u16> = 1..16;
}

/// This part's random stream purposes (never renumbered, only added).
pub(crate) mod streams {
    use super::World;
    use crate::streams::StreamId;

    /// Per-client set-up draws: night-off flag, clock skew.
    pub const CLIENT_INIT: StreamId<World> = StreamId::new(1);
    /// Per-client, per-day draws: arrival, logon, leaving.
    pub const CLIENT_DAY: StreamId<World> = StreamId::new(2);
}

impl World {
    /// The world at virtual time 0: client attributes drawn, site versions
    /// as planned.
    pub fn new(scenario: &Scenario, h: &Hierarchy, streams: &Streams) -> Self {
        let params = scenario.spec.clients.clone();
        let n = h.clients.len();
        let share = params.power_off_at_night.get();
        let skew = Normal::new(0.0, params.clock_skew_sigma.millis() as f64).expect("sigma >= 0");
        let mut flags = Vec::with_capacity(n);
        let mut skew_ms = Vec::with_capacity(n);
        for c in 0..n as u64 {
            let mut rng = streams.open(streams::CLIENT_INIT, c, 0);
            flags.push(SMS_CLIENT | if rng.random_bool(share) { NIGHT_OFF } else { 0 });
            let s: f64 = skew.sample(&mut rng);
            skew_ms.push(s.round().clamp(i32::MIN as f64, i32::MAX as f64) as i32);
        }
        World {
            flags,
            skew_ms,
            site_version: h.sites.iter().map(|s| s.version).collect(),
            fixes: Fixes::new(h),
            full_version_missing: h.sites.iter().map(|s| s.full_version_missing).collect(),
            powered_count: 0,
            calendar: scenario.spec.start,
            params,
            sample_every: scenario.spec.sample_interval.millis(),
        }
    }

    /// Schedules the world's first events: the first sample, the snapshot
    /// (`trace --at`), the site upgrades, and every client's next power or
    /// logon event (switching on the clients that are on at time 0). The
    /// scenario's `rollout` is scheduled only under a policy that carries
    /// it out (`as-scheduled`), after the topology's own upgrades, so that
    /// at equal times those come first.
    pub fn start(
        &mut self,
        scenario: &Scenario,
        h: &Hierarchy,
        policy: &Policy,
        streams: &Streams,
        snapshot_at: Option<SimTime>,
        sched: &mut Scheduler<Event>,
    ) {
        sched.schedule(0, WorldEvent::Sample.into());
        if let Some(t) = snapshot_at {
            sched.schedule(t, WorldEvent::Snapshot.into());
        }
        schedule_upgrades(scenario, h, sched);
        if policy.rollout {
            for (n, step) in scenario.rollout.iter().enumerate() {
                for &s in &step.sites {
                    let e = WorldEvent::Rollout(n as u16, s as SiteId);
                    sched.schedule(step.at, e.into());
                }
            }
        }
        self.start_clients(streams, sched);
    }

    /// Applies a world event and says what changed; [`World::settle`]
    /// completes it once the change has been announced.
    pub fn handle(
        &mut self,
        event: WorldEvent,
        scenario: &Scenario,
        streams: &Streams,
        sched: &mut Scheduler<Event>,
    ) -> Change {
        let change = self.apply(event, scenario, sched.now());
        if let WorldEvent::PowerOn(c) = event {
            let d = self.day_of(sched.now());
            let plan = self.plan(streams, c, d);
            sched.schedule(at(plan.logon), WorldEvent::Logon(c, d as u16).into());
            sched.schedule(at(plan.leave), WorldEvent::PowerOff(c).into());
        }
        change
    }

    /// What [`World::handle`] does to the world's state, and nothing else:
    /// the status lane's copy of the world follows the world's events with
    /// it (`sim.rs`), and the world itself changes only through it.
    pub fn apply(&mut self, event: WorldEvent, scenario: &Scenario, now: SimTime) -> Change {
        match event {
            WorldEvent::PowerOn(c) => {
                self.switch_on(c);
                Change::ClientStarted(c)
            }
            WorldEvent::PowerOff(c) => Change::ClientStopping(c),
            WorldEvent::Logon(c, _) => Change::UserLogon(c),
            WorldEvent::SiteUpgrade(s, v) => self.upgrade(s, v, now),
            WorldEvent::Rollout(n, s) => match scenario.rollout[n as usize].step {
                Step::Upgrade(v) => self.upgrade(s, v, now),
                Step::Install(d) => {
                    if !self.full_version_missing[s as usize] {
                        self.fixes.installed(s, d, now);
                    }
                    Change::HotfixInstalled(n, s)
                }
                Step::SetFullVersion => {
                    self.full_version_missing[s as usize] = false;
                    Change::Remedy(n, s)
                }
                Step::DeleteRetryHistory(_) | Step::ClearCcrRetryBox | Step::RemoveDp(_) => {
                    Change::Remedy(n, s)
                }
            },
            WorldEvent::ClientInstalled(c) => {
                self.flags[c as usize] |= SMS_CLIENT;
                Change::ClientInstalled(c)
            }
            WorldEvent::Sample => Change::Sample,
            WorldEvent::Snapshot => Change::Snapshot,
        }
    }

    /// Completes a world event after its change was announced: a stopping
    /// client goes off and will come on again on the next workday; a logon
    /// schedules the next one (for users who leave their client on); a
    /// sample schedules the next sample.
    pub fn settle(&mut self, event: WorldEvent, streams: &Streams, sched: &mut Scheduler<Event>) {
        self.apply_settled(event);
        match event {
            WorldEvent::PowerOff(c) => {
                let d = self.next_workday(self.day_of(sched.now()));
                let plan = self.plan(streams, c, d);
                sched.schedule(at(plan.arrive), WorldEvent::PowerOn(c).into());
            }
            WorldEvent::Logon(c, d) => {
                if !self.night_off(c) {
                    let next = self.next_workday(u64::from(d));
                    let plan = self.plan(streams, c, next);
                    sched.schedule(at(plan.logon), WorldEvent::Logon(c, next as u16).into());
                }
            }
            WorldEvent::Sample => {
                sched.schedule_in(self.sample_every, WorldEvent::Sample.into());
            }
            WorldEvent::PowerOn(_)
            | WorldEvent::SiteUpgrade(..)
            | WorldEvent::Rollout(..)
            | WorldEvent::ClientInstalled(_)
            | WorldEvent::Snapshot => {}
        }
    }

    /// What [`World::settle`] does to the world's state: a stopping client
    /// is off.
    pub fn apply_settled(&mut self, event: WorldEvent) {
        if let WorldEvent::PowerOff(c) = event {
            self.flags[c as usize] &= !POWERED;
            self.powered_count -= 1;
        }
    }

    /// Puts every client in its state at virtual time 0 and schedules its
    /// next power or logon event.
    fn start_clients(&mut self, streams: &Streams, sched: &mut Scheduler<Event>) {
        let n = self.flags.len() as ClientId;
        let workday0 = self.is_workday(0);
        let next = self.next_workday(0);
        let mut on = |t: i64, e: WorldEvent| {
            sched.schedule(at(t), e.into());
        };
        for c in 0..n {
            let night_off = self.night_off(c);
            let plan0 = workday0.then(|| self.plan(streams, c, 0));
            let on_now = match plan0 {
                Some(p) => !night_off || (p.arrive <= 0 && 0 < p.leave),
                None => !night_off,
            };
            if on_now {
                self.switch_on(c);
            }
            match (night_off, plan0) {
                (true, Some(p)) if on_now => {
                    if p.logon > 0 {
                        on(p.logon, WorldEvent::Logon(c, 0));
                    }
                    on(p.leave, WorldEvent::PowerOff(c));
                }
                (true, Some(p)) if p.arrive > 0 => on(p.arrive, WorldEvent::PowerOn(c)),
                (true, _) => {
                    let p = self.plan(streams, c, next);
                    on(p.arrive, WorldEvent::PowerOn(c));
                }
                (false, Some(p)) if p.logon > 0 => on(p.logon, WorldEvent::Logon(c, 0)),
                (false, _) => {
                    let p = self.plan(streams, c, next);
                    on(p.logon, WorldEvent::Logon(c, next as u16));
                }
            }
        }
    }

    /// Site `s` reaches release `v` (never lower than it is).
    fn upgrade(&mut self, s: SiteId, v: SiteVersion, now: SimTime) -> Change {
        let cur = &mut self.site_version[s as usize];
        *cur = (*cur).max(v);
        self.fixes.upgraded(s, v, now);
        Change::SiteUpgraded(s)
    }

    /// A hint: client `c`'s world event is next.
    #[inline]
    pub fn prefetch(&self, c: ClientId) {
        smssim_engine::hint::prefetch(&self.flags, c as usize);
    }

    /// Client `c` is on: its flag and the count move together.
    #[inline]
    fn switch_on(&mut self, c: ClientId) {
        self.flags[c as usize] |= POWERED;
        self.powered_count += 1;
    }

    /// Whether client `c` is switched on.
    #[inline]
    pub fn powered(&self, c: ClientId) -> bool {
        self.flags[c as usize] & POWERED != 0
    }

    /// Whether client `c`'s user switches it off at night.
    #[inline]
    pub fn night_off(&self, c: ClientId) -> bool {
        self.flags[c as usize] & NIGHT_OFF != 0
    }

    /// Whether machine `c` is an SMS client (its client components are
    /// installed); see [`SMS_CLIENT`].
    #[inline]
    pub fn sms_client(&self, c: ClientId) -> bool {
        self.flags[c as usize] & SMS_CLIENT != 0
    }

    /// States at set-up whether machine `c` is an SMS client (a
    /// subsystem's `set_up_world`).
    pub fn set_sms_client(&mut self, c: ClientId, yes: bool) {
        if yes {
            self.flags[c as usize] |= SMS_CLIENT;
        } else {
            self.flags[c as usize] &= !SMS_CLIENT;
        }
    }

    /// The world's own time series.
    pub fn sample(&self, sample: &mut Sample<'_>) {
        sample.add("clients.powered_on", self.powered_count as f64);
    }

    /// Whether users come in on calendar day `d` (0 = the start's day).
    pub fn is_workday(&self, d: u64) -> bool {
        if self.params.weekend_work {
            return true;
        }
        let start_wd = u64::from(self.calendar.civil(0).weekday);
        (start_wd + d) % 7 < 5
    }

    /// The first workday after day `d`.
    pub fn next_workday(&self, d: u64) -> u64 {
        (d + 1..)
            .find(|&x| self.is_workday(x))
            .expect("a workday within a week")
    }

    /// Client `c`'s plan for calendar day `d`, drawn from its own stream so
    /// that every policy sees the same day.
    pub fn plan(&self, streams: &Streams, c: ClientId, d: u64) -> DayPlan {
        let p = &self.params;
        let mut rng = streams.open(streams::CLIENT_DAY, u64::from(c), d);
        let midnight = (d * DAY) as i64 - self.calendar.time_of_day(0) as i64;
        let arrive_n = Normal::new(p.arrive.millis() as f64, p.arrive_sigma.millis() as f64)
            .expect("sigma >= 0");
        let leave_n = Normal::new(p.leave.millis() as f64, p.leave_sigma.millis() as f64)
            .expect("sigma >= 0");
        let arrive = arrive_n.sample(&mut rng).clamp(0.0, (DAY - MINUTE) as f64) as i64;
        // At least half an hour at work, and gone before midnight (an
        // arrival drawn late in the day leaves at the last millisecond).
        let earliest_leave = (arrive + 30 * MINUTE as i64).min(DAY as i64 - 1);
        let leave = (leave_n.sample(&mut rng) as i64).clamp(earliest_leave, DAY as i64 - 1);
        let delay = if p.logon_delay.millis() == 0 {
            0
        } else {
            Exp::new(1.0 / p.logon_delay.millis() as f64)
                .expect("rate > 0")
                .sample(&mut rng) as i64
        };
        let logon = (arrive + delay).min(leave - 1);
        DayPlan {
            arrive: midnight + arrive,
            logon: midnight + logon,
            leave: midnight + leave,
        }
    }

    /// The calendar day of virtual time `t`.
    pub fn day_of(&self, t: SimTime) -> u64 {
        self.calendar.day_index(t)
    }
}

/// Schedules the scenario's site upgrades: single ones, then a rollout
/// across all sites.
fn schedule_upgrades(scenario: &Scenario, h: &Hierarchy, sched: &mut Scheduler<Event>) {
    let topo = &scenario.spec.topology;
    for u in &topo.upgrades {
        if let Some(s) = h.site_by_code(&u.site) {
            sched.schedule(u.at.millis(), WorldEvent::SiteUpgrade(s, u.to).into());
        }
    }
    if let Some(r) = &topo.rollout {
        for s in 0..h.sites.len() {
            let t = r.start.millis() + s as u64 * r.every.millis();
            sched.schedule(t, WorldEvent::SiteUpgrade(s as SiteId, r.to).into());
        }
    }
}

/// Converts a plan time that may precede the run to a time to schedule at.
fn at(t: i64) -> SimTime {
    t.max(0) as SimTime
}
