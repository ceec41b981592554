//! One run: the subsystems, the dispatch of each event to its owner, and
//! the broadcast of the world's changes to every subsystem.
//!
//! A run has two lanes. The *world lane* holds the world and every
//! subsystem whose events can change it (the CCR subsystem installs
//! clients) or that share its calendar; the *status lane* holds the status
//! subsystem, which only follows the world: it reads whether clients are
//! on, which are SMS clients and which sites have which fix, and nothing of
//! it is read by any other part. So the world lane never waits for the
//! status lane, and the status lane needs from the world lane only the
//! sequence of world events, which it applies to its own copy of the world
//! ([`World::apply`]) and announces to the status subsystem. The world lane
//! hands them over in chunks, each with a watermark: the world lane's clock,
//! before which no further world event can come. The status lane handles
//! its own events due before the next world event, or before the
//! watermark; at equal times the world's event comes first.
//!
//! The order of everything each lane does is fixed by that rule alone, not
//! by where the chunks end, so a run gives the same bytes whether the
//! status lane runs on a second thread ([`RunConfig::threads`] = 2) or is
//! called by the world lane at each chunk (1). On two threads the lanes are
//! also set up at once (see [`run`]). The status subsystem decides no fact
//! of the world at set-up (it keeps `Subsystem::set_up_world`'s default,
//! which is not called for it): only the world lane's subsystems do.
//!
//! The world lane's subsystems are listed once, in the `subsystems!`
//! invocation below: that generates their fields, the dispatch of their
//! events and the broadcast of world changes to each of them. Its event
//! variant is in `event.rs`; forgetting either fails to compile.

use crate::catalogue::Descriptor;
use crate::event::{Event, WorldEvent};
use crate::hierarchy::{ClientId, Hierarchy};
use crate::record::{Metrics, Sample, Series, Trace};
use crate::subsystem::{Ctx, Env, Subsystem};
use crate::world::{Change, World};
use crate::{ccr, distribution, status};
use smssim_engine::{Fingerprint, Model, Progress, Scheduler, SimTime, Streams};
use smssim_scenario::{Policy, Scenario};

macro_rules! subsystems {
    ($($(#[$attr:meta])* $field:ident : $ty:ty => $variant:ident),* $(,)?) => {
        /// What the core and every subsystem say of themselves, core first,
        /// then the status lane's subsystem, then the world lane's.
        pub(crate) static PARTS: std::sync::LazyLock<Vec<Descriptor>> =
            std::sync::LazyLock::new(|| {
                let mut parts = vec![
                    crate::core_metrics::CORE,
                    <status::Status as Subsystem>::DESCRIPTOR,
                ];
                $($(#[$attr])* parts.push(<$ty as Subsystem>::DESCRIPTOR);)*
                parts
            });

        /// The subsystems of the world lane.
        struct Subsystems {
            $(
                $(#[$attr])*
                $field: $ty,
            )*
        }

        impl Subsystems {
            fn new(env: &Env<'_>, world: &World) -> Self {
                Subsystems { $($(#[$attr])* $field: <$ty>::new(env, world),)* }
            }
            fn set_up_world(&self, world: &mut World) {
                $($(#[$attr])* self.$field.set_up_world(world);)*
            }
            fn start(&mut self, cx: &mut Ctx<'_, '_>) {
                $($(#[$attr])* self.$field.start(cx);)*
            }
            /// Hands a subsystem its event; gives a world event back.
            #[inline]
            fn dispatch(&mut self, event: Event, cx: &mut Ctx<'_, '_>) -> Option<WorldEvent> {
                match event {
                    Event::World(w) => Some(w),
                    Event::Status(_) => unreachable!("status events are on the status lane"),
                    $($(#[$attr])* Event::$variant(e) => {
                        self.$field.handle(e, cx);
                        None
                    })*
                }
            }
            /// Prefetch hints for an event expected after `ahead` others.
            #[inline]
            fn prefetch(&self, event: &Event, ahead: usize, world: &World, env: &Env<'_>) {
                match *event {
                    Event::World(w) => {
                        if let Some(c) = w.client() {
                            if ahead == 2 {
                                world.prefetch(c);
                            }
                            $($(#[$attr])* self.$field.prefetch_client(c, &w, ahead, env);)*
                        }
                    }
                    Event::Status(_) => {}
                    $($(#[$attr])* Event::$variant(ref e) => self.$field.prefetch(e, ahead, env),)*
                }
            }
            /// Announces a change of the world to every subsystem.
            fn announce(&mut self, change: Change, cx: &mut Ctx<'_, '_>, sample: Option<&mut Sample<'_>>) {
                $($(#[$attr])* tell(&mut self.$field, change, cx);)*
                if let Some(sample) = sample {
                    $($(#[$attr])* self.$field.sample(cx.world, sample);)*
                }
            }
            fn interesting(&self, out: &mut Vec<ClientId>) {
                $($(#[$attr])* self.$field.interesting(out);)*
            }
            fn finish(&mut self, cx: &mut Ctx<'_, '_>, m: &mut Metrics) -> Result<(), RunError> {
                $($(#[$attr])* self.$field.finish(cx, m).map_err(|message| RunError::Conservation {
                    subsystem: stringify!($field),
                    message,
                })?;)*
                Ok(())
            }
        }
    };
}

subsystems! {
    ccr: ccr::Ccr => Ccr,
    distribution: distribution::Distribution => Distribution,
    // The example of docs/architecture.md, "Adding a subsystem": it plugs
    // in through the declared seam only (tests only).
    #[cfg(test)]
    example: crate::example::Example => Example,
}

/// Announces a change of the world to one subsystem (samples and snapshots
/// are the caller's: they also need the lane's series and the subsystem's
/// turn among the others).
fn tell<S: Subsystem>(sub: &mut S, change: Change, cx: &mut Ctx<'_, '_>) {
    match change {
        Change::ClientStarted(c) => sub.client_started(c, cx),
        Change::ClientStopping(c) => sub.client_stopping(c, cx),
        Change::UserLogon(c) => sub.user_logon(c, cx),
        Change::SiteUpgraded(s) => sub.site_upgraded(s, cx),
        Change::Remedy(n, s) => {
            let step = cx.env.scenario.rollout[n as usize].step;
            sub.remedy(step, s, cx);
        }
        Change::ClientInstalled(c) => sub.client_installed(c, cx),
        Change::Snapshot => sub.snapshot(cx),
        Change::HotfixInstalled(..) | Change::Sample => {}
    }
}

/// A run that could not complete.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A conservation law did not hold at the end of the run: a bug.
    #[error("conservation check failed in the {subsystem} subsystem: {message}")]
    Conservation {
        /// The subsystem.
        subsystem: &'static str,
        /// Which law, and by how much.
        message: String,
    },
    /// The scenario's span cannot be simulated.
    #[error(transparent)]
    Horizon(#[from] smssim_engine::HorizonTooFar),
}

/// What a run needs.
pub struct RunConfig<'a> {
    /// The validated scenario.
    pub scenario: &'a Scenario,
    /// Its hierarchy.
    pub hierarchy: &'a Hierarchy,
    /// The policy to run under.
    pub policy: &'a Policy,
    /// The replication number (selects the random streams).
    pub replication: u32,
    /// What to trace; [`Trace::off`] for none.
    pub trace: Trace,
    /// Whether to compute the run's event fingerprint.
    pub fingerprint: bool,
    /// Threads for the run: 2 runs the status lane on a thread of its own,
    /// 1 (or 0) runs both lanes on the caller's. Outputs are the same bytes
    /// either way.
    pub threads: usize,
}

/// What a run produces.
#[derive(Debug)]
pub struct RunOutput {
    /// Metrics, core first, then each subsystem's.
    pub metrics: Metrics,
    /// Time series.
    pub series: Series,
    /// Logs and snapshots, if tracing.
    pub trace: Trace,
    /// Events handled.
    pub events: u64,
    /// Clients the subsystems found worth tracing, most interesting first.
    pub interesting: Vec<ClientId>,
    /// The hash over every event's time, subsystem, kind and entity, in
    /// order, if asked for ([`RunConfig::fingerprint`]): the world lane's
    /// events, then the status lane's.
    pub fingerprint: Option<Fingerprint>,
}

/// Adds an event to a lane's fingerprint, if it keeps one: its part,
/// time, kind and entity.
#[inline]
fn note(fingerprint: &mut Option<Fingerprint>, event: &Event, now: SimTime) {
    if let Some(fp) = fingerprint {
        let (part, kind, entity) = event.key();
        fp.bytes(part.as_bytes());
        fp.event(now, kind, entity);
    }
}

/// World events handed to the status lane at once (about 400 KiB).
const CHUNK: usize = 16 * 1024;

/// World events for the status lane, in order, and the watermark: no
/// world event after them is due before it.
struct Chunk {
    events: Vec<(SimTime, WorldEvent)>,
    watermark: SimTime,
}

/// Where the world lane's events go.
enum Handoff<'r, 'a> {
    /// The status lane, called at each chunk on this thread.
    Inline(Box<StatusLane<'r, 'a>>),
    /// The status lane's thread, and the emptied buffers it gives back.
    Thread {
        to: std::sync::mpsc::SyncSender<Chunk>,
        back: std::sync::mpsc::Receiver<Vec<(SimTime, WorldEvent)>>,
    },
    /// Nowhere: before the status lane's thread starts, and after the
    /// last chunk.
    Closed,
}

/// The world lane: the world, the subsystems that can change it, and the
/// calendar of their events.
struct WorldLane<'r, 'a> {
    env: &'r Env<'a>,
    world: World,
    trace: Trace,
    series: Series,
    /// For each sample, where in `series` the status lane's points go (after
    /// the world's, before the subsystems').
    sample_marks: Vec<usize>,
    subs: Subsystems,
    fingerprint: Option<Fingerprint>,
    pending: Vec<(SimTime, WorldEvent)>,
    handoff: Handoff<'r, 'a>,
}

impl WorldLane<'_, '_> {
    /// Hands the pending world events to the status lane.
    fn hand_off(&mut self, watermark: SimTime) {
        match &mut self.handoff {
            Handoff::Inline(lane) => {
                lane.follow(&self.pending, watermark);
                self.pending.clear();
            }
            Handoff::Thread { to, back } => {
                let fresh = back
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(CHUNK));
                let events = std::mem::replace(&mut self.pending, fresh);
                // The status lane ends only by a panic, which the join reports.
                let _ = to.send(Chunk { events, watermark });
            }
            Handoff::Closed => unreachable!("world events after the last chunk"),
        }
    }
}

impl Model for WorldLane<'_, '_> {
    type Event = Event;

    #[inline]
    fn prefetch(&self, ahead: [Option<&Event>; smssim_engine::queue::AHEAD]) {
        for (n, e) in ahead.iter().enumerate() {
            if let Some(e) = e {
                self.subs.prefetch(e, n, &self.world, self.env);
            }
        }
    }

    #[inline]
    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        note(&mut self.fingerprint, &event, sched.now());
        let mut cx = Ctx {
            env: self.env,
            sched,
            world: &self.world,
            trace: &mut self.trace,
        };
        let Some(w) = self.subs.dispatch(event, &mut cx) else {
            return;
        };
        let change = self
            .world
            .handle(w, self.env.scenario, &self.env.streams, sched);
        let mut cx = Ctx {
            env: self.env,
            sched,
            world: &self.world,
            trace: &mut self.trace,
        };
        match change {
            Change::SiteUpgraded(s) => crate::rollout_log::log_upgrade(s, &mut cx),
            Change::HotfixInstalled(n, s) => crate::rollout_log::log_install(n, s, &mut cx),
            Change::Remedy(n, s) => crate::rollout_log::log_remedy(n, s, &mut cx),
            _ => {}
        }
        if change == Change::Sample {
            let mut sample = Sample::new(cx.now(), &mut self.series);
            self.world.sample(&mut sample);
            self.sample_marks.push(self.series.points.len());
            let mut sample = Sample::new(cx.now(), &mut self.series);
            self.subs.announce(change, &mut cx, Some(&mut sample));
        } else {
            self.subs.announce(change, &mut cx, None);
        }
        self.world.settle(w, &self.env.streams, sched);
        self.pending.push((sched.now(), w));
        if self.pending.len() >= CHUNK {
            self.hand_off(sched.now());
        }
    }
}

/// The status lane: the status subsystem, its copy of the world and the
/// calendar of its events.
struct StatusLane<'r, 'a> {
    env: &'r Env<'a>,
    world: World,
    sched: Scheduler<Event>,
    trace: Trace,
    series: Series,
    /// Where each sample's points end in `series`.
    sample_marks: Vec<usize>,
    status: status::Status,
    fingerprint: Option<Fingerprint>,
}

/// World events ahead whose status records are fetched before they come.
const FOLLOW_AHEAD: usize = 8;

impl StatusLane<'_, '_> {
    /// Follows world events `events` (in order), handling before each its
    /// own events due before it, then its own events due before
    /// `watermark`.
    fn follow(&mut self, events: &[(SimTime, WorldEvent)], watermark: SimTime) {
        for (i, &(t, w)) in events.iter().enumerate() {
            if let Some(&(_, next)) = events.get(i + FOLLOW_AHEAD) {
                if let Some(c) = next.client() {
                    self.world.prefetch(c);
                    self.status.prefetch_client(c, &next, 2, self.env);
                }
            }
            self.run_before(t);
            self.sched.advance_to(t);
            self.world_event(w);
        }
        self.run_before(watermark);
    }

    /// Handles its own events due before `limit`.
    #[inline]
    fn run_before(&mut self, limit: SimTime) {
        while let Some((now, event)) = self.sched.pop_before(limit) {
            for (n, e) in self.sched.peek_ahead().iter().enumerate() {
                if let Some(Event::Status(e)) = e {
                    self.status.prefetch(e, n, self.env);
                }
            }
            note(&mut self.fingerprint, &event, now);
            let Event::Status(e) = event else {
                unreachable!("only status events are on the status lane");
            };
            let mut cx = Ctx {
                env: self.env,
                sched: &mut self.sched,
                world: &self.world,
                trace: &mut self.trace,
            };
            self.status.handle(e, &mut cx);
        }
    }

    /// Applies a world event to the lane's world and announces it.
    fn world_event(&mut self, w: WorldEvent) {
        let change = self.world.apply(w, self.env.scenario, self.sched.now());
        let mut cx = Ctx {
            env: self.env,
            sched: &mut self.sched,
            world: &self.world,
            trace: &mut self.trace,
        };
        tell(&mut self.status, change, &mut cx);
        if change == Change::Sample {
            let mut sample = Sample::new(cx.now(), &mut self.series);
            self.status.sample(&self.world, &mut sample);
            self.sample_marks.push(self.series.points.len());
        }
        self.world.apply_settled(w);
    }
}

impl<'r, 'a> StatusLane<'r, 'a> {
    /// The status lane at virtual time 0: `world` as the world lane set it
    /// up and started it, and the status subsystem's first events. The
    /// lane's calendar is made here, on the thread that uses it: made on
    /// the world lane's thread instead, it made a million-client week 5 %
    /// slower (measured; the allocator's per-thread arenas are the likely
    /// cause).
    fn start(
        env: &'r Env<'a>,
        world: World,
        status: status::Status,
        trace: Trace,
        fingerprint: bool,
    ) -> Result<Self, RunError> {
        let mut lane = StatusLane {
            env,
            world,
            sched: Scheduler::new(env.scenario.horizon)?,
            trace,
            series: Series::default(),
            sample_marks: Vec::new(),
            status,
            fingerprint: fingerprint.then(Fingerprint::new),
        };
        lane.status.start(&mut Ctx {
            env,
            sched: &mut lane.sched,
            world: &lane.world,
            trace: &mut lane.trace,
        });
        Ok(lane)
    }

    /// The status lane on a thread of its own: it builds the status
    /// subsystem from the world as it stands before set-up (`at_new`, as
    /// a single thread does), waits for the world the world lane set up
    /// and started, starts, then follows the world lane's chunks until the
    /// world lane closes the channel. `None`: the world lane stopped (by a
    /// panic) before it started.
    fn run_on_own_thread(
        env: &'r Env<'a>,
        at_new: World,
        started: std::sync::mpsc::Receiver<World>,
        chunks: std::sync::mpsc::Receiver<Chunk>,
        give_back: std::sync::mpsc::Sender<Vec<(SimTime, WorldEvent)>>,
        trace: Trace,
        fingerprint: bool,
    ) -> Option<Result<Self, RunError>> {
        let status = status::Status::new(env, &at_new);
        drop(at_new);
        let world = started.recv().ok()?;
        let mut lane = match Self::start(env, world, status, trace, fingerprint) {
            Ok(lane) => lane,
            Err(e) => return Some(Err(e)),
        };
        for chunk in chunks {
            lane.follow(&chunk.events, chunk.watermark);
            let mut events = chunk.events;
            events.clear();
            // Refused only once the world lane is done.
            let _ = give_back.send(events);
        }
        Some(Ok(lane))
    }
}

/// Where the status lane is built: on its thread (with the channels to it),
/// or here.
enum StatusSide<'s, 'r, 'a> {
    Thread {
        follower: std::thread::ScopedJoinHandle<'s, Option<Result<StatusLane<'r, 'a>, RunError>>>,
        started: std::sync::mpsc::SyncSender<World>,
        to: std::sync::mpsc::SyncSender<Chunk>,
        back: std::sync::mpsc::Receiver<Vec<(SimTime, WorldEvent)>>,
    },
    Here(Box<status::Status>),
}

/// Runs one replication of a scenario under a policy.
///
/// With two threads the lanes are also set up at once: the status lane
/// builds and starts the status subsystem on its thread while this one
/// builds the other subsystems and starts the world. Nothing the status
/// subsystem does at set-up changes the world (it only follows it), so the
/// order of set-up is immaterial, and both ways give the same bytes.
pub fn run(cfg: RunConfig<'_>, progress: &mut dyn Progress) -> Result<RunOutput, RunError> {
    let seed = cfg.scenario.spec.seed;
    let env = Env {
        scenario: cfg.scenario,
        hierarchy: cfg.hierarchy,
        policy: cfg.policy,
        streams: Streams::new(seed, cfg.replication),
    };
    let env = &env;
    let mut sched = Scheduler::new(cfg.scenario.horizon)?;
    let mut world = World::new(cfg.scenario, cfg.hierarchy, &env.streams);
    let fingerprint = cfg.fingerprint;
    // Everything below runs in the scope, so that a panic on the world lane
    // drops its end of the channels, which ends the status lane's thread,
    // and the scope can join it instead of waiting for chunks that never
    // come.
    std::thread::scope(|scope| {
        let mut thread = None;
        if cfg.threads >= 2 {
            let (started_to, started) = std::sync::mpsc::sync_channel(1);
            let (to, chunks) = std::sync::mpsc::sync_channel::<Chunk>(4);
            let (give_back, back) = std::sync::mpsc::channel();
            let at_new = world.clone();
            let trace = cfg.trace.same_selection();
            thread = std::thread::Builder::new()
                .name("status-lane".into())
                .spawn_scoped(scope, move || {
                    StatusLane::run_on_own_thread(
                        env,
                        at_new,
                        started,
                        chunks,
                        give_back,
                        trace,
                        fingerprint,
                    )
                })
                // No thread to be had: the status lane runs on this one.
                .ok()
                .map(|follower| StatusSide::Thread {
                    follower,
                    started: started_to,
                    to,
                    back,
                });
        }
        let side =
            thread.unwrap_or_else(|| StatusSide::Here(Box::new(status::Status::new(env, &world))));
        let subs = Subsystems::new(env, &world);
        subs.set_up_world(&mut world);
        world.start(
            cfg.scenario,
            cfg.hierarchy,
            cfg.policy,
            &env.streams,
            cfg.trace.snapshot_at,
            &mut sched,
        );
        let lane_world = world.clone();
        let mut front = WorldLane {
            env,
            world,
            trace: cfg.trace,
            series: Series::default(),
            sample_marks: Vec::new(),
            subs,
            fingerprint: fingerprint.then(Fingerprint::new),
            pending: Vec::with_capacity(CHUNK),
            handoff: Handoff::Closed,
        };
        front.subs.start(&mut Ctx {
            env,
            sched: &mut sched,
            world: &front.world,
            trace: &mut front.trace,
        });
        let (front_events, lane) = match side {
            StatusSide::Thread {
                follower,
                started,
                to,
                back,
            } => {
                // The thread waits for it.
                let _ = started.send(lane_world);
                front.handoff = Handoff::Thread { to, back };
                let n = smssim_engine::run(&mut front, &mut sched, progress);
                front.hand_off(SimTime::MAX);
                // Closing the channel ends the status lane's loop.
                front.handoff = Handoff::Closed;
                let lane = match follower.join() {
                    Ok(lane) => lane.expect("the world was handed to the status lane")?,
                    Err(panic) => std::panic::resume_unwind(panic),
                };
                (n, lane)
            }
            StatusSide::Here(status) => {
                let trace = front.trace.same_selection();
                let lane = StatusLane::start(env, lane_world, *status, trace, fingerprint)?;
                front.handoff = Handoff::Inline(Box::new(lane));
                let n = smssim_engine::run(&mut front, &mut sched, progress);
                front.hand_off(SimTime::MAX);
                let Handoff::Inline(lane) = std::mem::replace(&mut front.handoff, Handoff::Closed)
                else {
                    unreachable!("set up inline above")
                };
                (n, *lane)
            }
        };
        finish(cfg.hierarchy, front, sched, lane, front_events)
    })
}

/// Gathers both lanes' metrics, series, logs and fingerprints.
fn finish(
    h: &Hierarchy,
    mut front: WorldLane<'_, '_>,
    mut sched: Scheduler<Event>,
    mut lane: StatusLane<'_, '_>,
    front_events: u64,
) -> Result<RunOutput, RunError> {
    let events = front_events + lane.sched.executed();
    let mut metrics = Metrics::default();
    metrics.count("sim.events", events);
    metrics.count("clients.count", h.clients.len() as u64);
    metrics.count("sites.count", h.sites.len() as u64);
    let env = front.env;
    lane.status
        .finish(
            &mut Ctx {
                env,
                sched: &mut lane.sched,
                world: &lane.world,
                trace: &mut lane.trace,
            },
            &mut metrics,
        )
        .map_err(|message| RunError::Conservation {
            subsystem: "status",
            message,
        })?;
    let mut cx = Ctx {
        env,
        sched: &mut sched,
        world: &front.world,
        trace: &mut front.trace,
    };
    front.subs.finish(&mut cx, &mut metrics)?;
    let series = merge_samples(
        front.series,
        &front.sample_marks,
        lane.series,
        &lane.sample_marks,
    );
    if cfg!(debug_assertions) {
        let problems = crate::catalogue::undeclared(
            &PARTS,
            metrics.rows.iter().map(|m| (m.name.as_ref(), m.unit)),
            series.points.iter().map(|p| p.series.as_ref()),
        );
        assert!(
            problems.is_empty(),
            "declare every metric once, in its part's metrics.rs: {}",
            problems.join("; ")
        );
    }
    let mut interesting = Vec::new();
    lane.status.interesting(&mut interesting);
    front.subs.interesting(&mut interesting);
    let fingerprint = match (front.fingerprint, lane.fingerprint) {
        (Some(mut f), Some(l)) => {
            f.bytes(&l.value().to_le_bytes());
            Some(f)
        }
        _ => None,
    };
    front.trace.absorb(lane.trace);
    Ok(RunOutput {
        interesting,
        metrics,
        series,
        trace: front.trace,
        events,
        fingerprint,
    })
}

/// Puts each sample's status points where a single calendar put them:
/// after the world's, before the other subsystems'.
fn merge_samples(
    front: Series,
    front_marks: &[usize],
    lane: Series,
    lane_marks: &[usize],
) -> Series {
    debug_assert_eq!(front_marks.len(), lane_marks.len());
    let mut points = Vec::with_capacity(front.points.len() + lane.points.len());
    let mut front_points = front.points.into_iter();
    let mut lane_points = lane.points.into_iter();
    let (mut f, mut l) = (0, 0);
    for (&fm, &lm) in front_marks.iter().zip(lane_marks) {
        points.extend(front_points.by_ref().take(fm - f));
        points.extend(lane_points.by_ref().take(lm - l));
        (f, l) = (fm, lm);
    }
    points.extend(front_points);
    points.extend(lane_points);
    Series { points }
}

/// What the core and every subsystem say of themselves (metrics, series,
/// articles, streams), core first: the metric catalogue.
pub fn parts() -> &'static [Descriptor] {
    &PARTS
}

#[cfg(test)]
mod tests {
    use super::PARTS;

    #[test]
    fn each_samples_status_points_go_after_the_worlds_and_before_the_others() {
        use crate::record::{Point, Series};
        let p = |t: u64, name: &'static str| Point {
            time_s: t,
            series: name.into(),
            value: 0.0,
        };
        // Two samples; the world lane's marks fall after the world's point.
        let front = Series {
            points: vec![p(0, "world"), p(0, "ccr"), p(60, "world"), p(60, "ccr")],
        };
        let lane = Series {
            points: vec![
                p(0, "status.a"),
                p(0, "status.b"),
                p(60, "status.a"),
                p(60, "status.b"),
            ],
        };
        let merged = super::merge_samples(front, &[1, 3], lane, &[2, 4]);
        let order: Vec<(u64, &str)> = merged
            .points
            .iter()
            .map(|x| (x.time_s, x.series.as_ref()))
            .collect();
        assert_eq!(
            order,
            [
                (0, "world"),
                (0, "status.a"),
                (0, "status.b"),
                (0, "ccr"),
                (60, "world"),
                (60, "status.a"),
                (60, "status.b"),
                (60, "ccr"),
            ]
        );
    }

    #[test]
    fn stream_ranges_do_not_overlap() {
        for (i, a) in PARTS.iter().enumerate() {
            assert!(!a.streams.is_empty(), "{}", a.name);
            for b in &PARTS[i + 1..] {
                let apart = a.streams.end <= b.streams.start || b.streams.end <= a.streams.start;
                assert!(
                    apart,
                    "{} {:?} and {} {:?}",
                    a.name, a.streams, b.name, b.streams
                );
            }
        }
    }

    #[test]
    fn every_knob_has_one_owner_and_it_is_the_one_the_table_names() {
        use smssim_scenario::policy::Knob;
        for k in Knob::ALL {
            let owners: Vec<&str> = PARTS
                .iter()
                .filter(|p| p.knobs.contains(&k))
                .map(|p| p.name)
                .collect();
            assert_eq!(owners, [k.def().subsystem], "{}", k.name());
        }
    }

    #[test]
    fn every_name_is_declared_once_and_every_activity_metric_exists() {
        let mut names: Vec<&str> = PARTS
            .iter()
            .flat_map(|p| p.metrics)
            .map(|m| m.name)
            .collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "a metric name is declared twice");
        for p in PARTS.iter() {
            assert!(
                p.metrics.iter().any(|m| m.name == p.activity),
                "{}: activity metric {} is not among its metrics",
                p.name,
                p.activity
            );
        }
    }
}
