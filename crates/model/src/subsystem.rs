//! The seam between the core and the subsystems that model each defect.
//!
//! A subsystem owns its state, its events (a small `Copy` enum) and its
//! metrics. The core calls it at the start, for each of its events, when
//! the world changes (a client starts or stops, a user logs on, a site is
//! upgraded), at each sample, at the snapshot time, and at the end, where it
//! reports metrics and checks its conservation law. Subsystems are listed
//! once, in `sim.rs`.

use crate::catalogue::Descriptor;
use crate::event::{Event, WorldEvent};
use crate::hierarchy::{ClientId, Hierarchy, SiteId};
use crate::record::{Metrics, Sample, Trace};
use crate::streams::Draws;
use crate::world::World;
use smssim_engine::{Scheduler, SimTime, Streams};
use smssim_scenario::{Calendar, Policy, Scenario, Step};

/// What every run shares read-only.
#[derive(Debug)]
pub struct Env<'a> {
    /// The validated scenario.
    pub scenario: &'a Scenario,
    /// The hierarchy built from it.
    pub hierarchy: &'a Hierarchy,
    /// The policy of this run.
    pub policy: &'a Policy,
    /// The random streams of this run.
    pub streams: Streams,
}

impl Env<'_> {
    /// The calendar of the run.
    pub fn calendar(&self) -> &Calendar {
        &self.scenario.spec.start
    }
}

/// What a subsystem gets when it is called.
pub struct Ctx<'a, 'e> {
    /// Shared read-only data.
    pub env: &'a Env<'e>,
    /// The calendar of pending events.
    pub sched: &'a mut Scheduler<Event>,
    /// The world: power, clock skew, site versions (changed by the world's
    /// own events only).
    pub world: &'a World,
    /// Logs and snapshots of traced clients and sites.
    pub trace: &'a mut Trace,
}

impl Ctx<'_, '_> {
    /// The current virtual time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.sched.now()
    }

    /// Schedules an event at `t`; `false` if `t` is past the horizon.
    #[inline]
    pub fn at(&mut self, t: SimTime, event: impl Into<Event>) -> bool {
        self.sched.schedule(t, event.into())
    }

    /// Schedules an event `delay` ms from now; `false` past the horizon.
    #[inline]
    pub fn after(&mut self, delay: u64, event: impl Into<Event>) -> bool {
        self.sched.schedule_in(delay, event.into())
    }
}

/// A part of the model with its own events, state and metrics.
///
/// It describes itself in [`Subsystem::DESCRIPTOR`] (name, articles,
/// metrics, series, streams) and owns a purpose range ([`Draws`]); see
/// `docs/architecture.md`, "Adding a subsystem", for the places it is
/// registered.
pub trait Subsystem: Draws + Sized {
    /// What the subsystem says of itself.
    const DESCRIPTOR: Descriptor;

    /// The subsystem's events (small and `Copy`: they live in the queue).
    type Event: Copy + std::fmt::Debug;

    /// The subsystem's state at virtual time 0.
    fn new(env: &Env<'_>, world: &World) -> Self;

    /// States the facts of the world at time 0 that this subsystem decides
    /// (the CCR subsystem: which machines are not yet SMS clients). Called
    /// once, after every subsystem was created and before any event; from
    /// then on only the world's own events change it. Called for the world
    /// lane's subsystems only: the status subsystem, on its own lane, only
    /// follows the world (`sim.rs`).
    fn set_up_world(&self, _world: &mut World) {}

    /// Schedules the subsystem's first events.
    fn start(&mut self, cx: &mut Ctx<'_, '_>);

    /// Handles one of the subsystem's events.
    fn handle(&mut self, event: Self::Event, cx: &mut Ctx<'_, '_>);

    /// A hint: `event` is expected after `ahead` other events (0: it is
    /// next); start loading the state it will touch
    /// ([`smssim_engine::hint::prefetch`]). Each event is hinted at
    /// `ahead` = 2, 1 and 0 in turn, so a chain of lookups can be loaded
    /// one link per step: at 2 what the event itself locates, at 1 what
    /// that locates, at 0 the last link. Must not change anything.
    #[inline]
    fn prefetch(&self, _event: &Self::Event, _ahead: usize, _env: &Env<'_>) {}

    /// A hint: world event `event` of client `c` (a power, logon or
    /// installation change, announced to every subsystem) is expected
    /// after `ahead` other events, as in [`Subsystem::prefetch`]. Load only
    /// what the subsystem's hook for that change reads: every line asked
    /// for and not used takes memory bandwidth from the lines that are.
    /// Must not change anything.
    #[inline]
    fn prefetch_client(&self, _c: ClientId, _event: &WorldEvent, _ahead: usize, _env: &Env<'_>) {}

    /// A client was switched on (its components start).
    fn client_started(&mut self, _c: ClientId, _cx: &mut Ctx<'_, '_>) {}

    /// A client is being switched off.
    fn client_stopping(&mut self, _c: ClientId, _cx: &mut Ctx<'_, '_>) {}

    /// A user logged on to a client.
    fn user_logon(&mut self, _c: ClientId, _cx: &mut Ctx<'_, '_>) {}

    /// A machine became an SMS client (its components were installed).
    fn client_installed(&mut self, _c: ClientId, _cx: &mut Ctx<'_, '_>) {}

    /// A site's service pack changed.
    fn site_upgraded(&mut self, _s: SiteId, _cx: &mut Ctx<'_, '_>) {}

    /// The administrator applied a manual remedy of the scenario's
    /// `rollout` at site `s` (the subsystem that owns what it changes acts;
    /// the others ignore it).
    fn remedy(&mut self, _step: Step, _s: SiteId, _cx: &mut Ctx<'_, '_>) {}

    /// Adds the subsystem's series to a time-series sample.
    fn sample(&self, _world: &World, _sample: &mut Sample<'_>) {}

    /// Writes inbox snapshots (`trace --at`) into `trace.files`.
    fn snapshot(&self, _cx: &mut Ctx<'_, '_>) {}

    /// Adds clients worth tracing (lost status, duplicate CCRs, …), most
    /// interesting first; `smssim trace` follows them when the user names
    /// none.
    fn interesting(&self, _out: &mut Vec<ClientId>) {}

    /// Reports metrics at the end of the run and checks conservation;
    /// an `Err` says which law broke and by how much.
    fn finish(&mut self, cx: &mut Ctx<'_, '_>, metrics: &mut Metrics) -> Result<(), String>;
}
