//! One run: the event enum, the dispatch, and the world's own events.
//!
//! The subsystems are listed once, in the `subsystems!` invocation below:
//! that generates their `Event` variants, their fields, the dispatch of
//! their events and the broadcast of world changes to each of them. Adding
//! a subsystem is one line there.

use crate::hierarchy::{ClientId, Hierarchy, SiteId};
use crate::record::{Metrics, Sample, Series, Trace};
use crate::subsystem::{Ctx, Env, Subsystem};
use crate::world::{at, World, WorldEvent};
use crate::{ccr, distribution, status};
use smssim_engine::{Fingerprint, Model, Progress, Scheduler, Streams};
use smssim_scenario::{Policy, Scenario};

macro_rules! subsystems {
    ($($field:ident : $ty:ty => $variant:ident),* $(,)?) => {
        /// Every event of the simulation: the world's, or a subsystem's.
        #[derive(Debug, Clone, Copy)]
        pub enum Event {
            /// An event of the world itself.
            World(WorldEvent),
            $(
                #[doc = concat!("An event of the `", stringify!($field), "` subsystem.")]
                $variant(<$ty as Subsystem>::Event),
            )*
        }

        impl Event {
            /// The subsystem (or `world`), kind and entity of the event,
            /// for fingerprints.
            fn key(&self) -> (&'static str, &'static str, u64) {
                match self {
                    Event::World(w) => {
                        let (k, e) = w.key();
                        ("world", k, e)
                    }
                    $(Event::$variant(x) => {
                        let (k, e) = x.key();
                        (stringify!($field), k, e)
                    })*
                }
            }
        }

        $(
            impl From<<$ty as Subsystem>::Event> for Event {
                #[inline]
                fn from(e: <$ty as Subsystem>::Event) -> Self {
                    Event::$variant(e)
                }
            }
        )*

        /// The subsystems of a run.
        pub struct Subsystems {
            $(
                #[doc = concat!("The `", stringify!($field), "` subsystem.")]
                pub $field: $ty,
            )*
        }

        impl Subsystems {
            fn new(env: &Env<'_>, world: &World) -> Self {
                Subsystems { $($field: <$ty>::new(env, world)),* }
            }
            fn start(&mut self, cx: &mut Ctx<'_, '_>) {
                $(self.$field.start(cx);)*
            }
            /// Hands a subsystem its event; gives a world event back.
            #[inline]
            fn dispatch(&mut self, event: Event, cx: &mut Ctx<'_, '_>) -> Option<WorldEvent> {
                match event {
                    Event::World(w) => Some(w),
                    $(Event::$variant(e) => {
                        self.$field.handle(e, cx);
                        None
                    })*
                }
            }
            fn client_started(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
                $(self.$field.client_started(c, cx);)*
            }
            fn client_stopping(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
                $(self.$field.client_stopping(c, cx);)*
            }
            fn user_logon(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
                $(self.$field.user_logon(c, cx);)*
            }
            fn site_upgraded(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
                $(self.$field.site_upgraded(s, cx);)*
            }
            fn sample(&self, world: &World, sample: &mut Sample<'_>) {
                $(self.$field.sample(world, sample);)*
            }
            fn snapshot(&self, cx: &mut Ctx<'_, '_>) {
                $(self.$field.snapshot(cx);)*
            }
            fn interesting(&self) -> Vec<ClientId> {
                let mut out = Vec::new();
                $(self.$field.interesting(&mut out);)*
                out
            }
            fn finish(&mut self, cx: &mut Ctx<'_, '_>, m: &mut Metrics) -> Result<(), RunError> {
                $(self.$field.finish(cx, m).map_err(|message| RunError::Conservation {
                    subsystem: stringify!($field),
                    message,
                })?;)*
                Ok(())
            }
        }
    };
}

subsystems! {
    status: status::Status => Status,
    ccr: ccr::Ccr => Ccr,
    distribution: distribution::Distribution => Distribution,
}

// Events live in the queue by value: keep them small.
const _: () = assert!(std::mem::size_of::<Event>() <= 16);

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
    /// order, if asked for ([`RunConfig::fingerprint`]).
    pub fingerprint: Option<Fingerprint>,
}

struct Sim<'e> {
    env: Env<'e>,
    world: World,
    trace: Trace,
    series: Series,
    subs: Subsystems,
    fingerprint: Option<Fingerprint>,
}

impl Model for Sim<'_> {
    type Event = Event;

    #[inline]
    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        if let Some(fp) = &mut self.fingerprint {
            let (sub, kind, entity) = event.key();
            fp.bytes(sub.as_bytes());
            fp.event(sched.now(), kind, entity);
        }
        let mut cx = Ctx {
            env: &self.env,
            sched,
            world: &mut self.world,
            trace: &mut self.trace,
        };
        if let Some(w) = self.subs.dispatch(event, &mut cx) {
            world_event(w, &mut self.subs, &mut self.series, &mut cx);
        }
    }
}

fn world_event(w: WorldEvent, subs: &mut Subsystems, series: &mut Series, cx: &mut Ctx<'_, '_>) {
    let streams = &cx.env.streams;
    match w {
        WorldEvent::PowerOn(c) => {
            cx.world.powered[c as usize] = true;
            cx.world.powered_count += 1;
            let d = cx.world.day_of(cx.now());
            let plan = cx.world.plan(streams, c, d);
            cx.at(at(plan.logon), WorldEvent::Logon(c, d as u16));
            cx.at(at(plan.leave), WorldEvent::PowerOff(c));
            subs.client_started(c, cx);
        }
        WorldEvent::PowerOff(c) => {
            subs.client_stopping(c, cx);
            cx.world.powered[c as usize] = false;
            cx.world.powered_count -= 1;
            let d = cx.world.next_workday(cx.world.day_of(cx.now()));
            let plan = cx.world.plan(streams, c, d);
            cx.at(at(plan.arrive), WorldEvent::PowerOn(c));
        }
        WorldEvent::Logon(c, d) => {
            subs.user_logon(c, cx);
            if !cx.world.night_off[c as usize] {
                let next = cx.world.next_workday(u64::from(d));
                let plan = cx.world.plan(streams, c, next);
                cx.at(at(plan.logon), WorldEvent::Logon(c, next as u16));
            }
        }
        WorldEvent::SiteUpgrade(s, v) => {
            cx.world.site_version[s as usize] = v;
            subs.site_upgraded(s, cx);
        }
        WorldEvent::Sample => {
            let mut sample = Sample::new(cx.now(), series);
            sample.add("clients.powered_on", cx.world.powered_count as f64);
            subs.sample(cx.world, &mut sample);
            let every = cx.env.scenario.spec.sample_interval.millis();
            cx.after(every, WorldEvent::Sample);
        }
        WorldEvent::Snapshot => subs.snapshot(cx),
    }
}

impl From<WorldEvent> for Event {
    fn from(w: WorldEvent) -> Self {
        Event::World(w)
    }
}

/// Puts every client in its state at virtual time 0 and schedules its next
/// power or logon event.
fn start_clients(cx: &mut Ctx<'_, '_>) {
    let n = cx.env.hierarchy.clients.len() as ClientId;
    let streams = &cx.env.streams;
    let workday0 = cx.world.is_workday(0);
    let next = cx.world.next_workday(0);
    for c in 0..n {
        let night_off = cx.world.night_off[c as usize];
        let plan0 = workday0.then(|| cx.world.plan(streams, c, 0));
        let on_now = match plan0 {
            Some(p) => !night_off || (p.arrive <= 0 && 0 < p.leave),
            None => !night_off,
        };
        if on_now {
            cx.world.powered[c as usize] = true;
            cx.world.powered_count += 1;
        }
        match (night_off, plan0) {
            (true, Some(p)) if on_now => {
                if p.logon > 0 {
                    cx.at(at(p.logon), WorldEvent::Logon(c, 0));
                }
                cx.at(at(p.leave), WorldEvent::PowerOff(c));
            }
            (true, Some(p)) if p.arrive > 0 => {
                cx.at(at(p.arrive), WorldEvent::PowerOn(c));
            }
            (true, _) => {
                let p = cx.world.plan(streams, c, next);
                cx.at(at(p.arrive), WorldEvent::PowerOn(c));
            }
            (false, Some(p)) if p.logon > 0 => {
                cx.at(at(p.logon), WorldEvent::Logon(c, 0));
            }
            (false, _) => {
                let p = cx.world.plan(streams, c, next);
                cx.at(at(p.logon), WorldEvent::Logon(c, next as u16));
            }
        }
    }
}

fn schedule_upgrades(cx: &mut Ctx<'_, '_>) {
    let topo = &cx.env.scenario.spec.topology;
    for u in &topo.upgrades {
        if let Some(s) = cx.env.hierarchy.site_by_code(&u.site) {
            cx.at(u.at.millis(), WorldEvent::SiteUpgrade(s, u.to));
        }
    }
    if let Some(r) = &topo.rollout {
        for s in 0..cx.env.hierarchy.sites.len() {
            let t = r.start.millis() + s as u64 * r.every.millis();
            cx.at(t, WorldEvent::SiteUpgrade(s as SiteId, r.to));
        }
    }
}

/// Runs one replication of a scenario under a policy.
pub fn run(cfg: RunConfig<'_>, progress: &mut dyn Progress) -> Result<RunOutput, RunError> {
    let seed = cfg.scenario.spec.seed;
    let env = Env {
        scenario: cfg.scenario,
        hierarchy: cfg.hierarchy,
        policy: cfg.policy,
        streams: Streams::new(seed, cfg.replication),
    };
    let mut sched = Scheduler::new(cfg.scenario.horizon)?;
    let world = World::new(cfg.scenario, cfg.hierarchy, &env.streams);
    let subs = Subsystems::new(&env, &world);
    let mut sim = Sim {
        env,
        world,
        trace: cfg.trace,
        series: Series::default(),
        subs,
        fingerprint: cfg.fingerprint.then(Fingerprint::new),
    };
    {
        let mut cx = Ctx {
            env: &sim.env,
            sched: &mut sched,
            world: &mut sim.world,
            trace: &mut sim.trace,
        };
        cx.at(0, WorldEvent::Sample);
        if let Some(t) = cx.trace.snapshot_at {
            cx.at(t, WorldEvent::Snapshot);
        }
        schedule_upgrades(&mut cx);
        start_clients(&mut cx);
        sim.subs.start(&mut cx);
    }
    let events = smssim_engine::run(&mut sim, &mut sched, progress);
    let mut metrics = Metrics::default();
    metrics.count("sim.events", events);
    metrics.count("clients.count", cfg.hierarchy.clients.len() as u64);
    metrics.count("sites.count", cfg.hierarchy.sites.len() as u64);
    let mut cx = Ctx {
        env: &sim.env,
        sched: &mut sched,
        world: &mut sim.world,
        trace: &mut sim.trace,
    };
    sim.subs.finish(&mut cx, &mut metrics)?;
    let interesting = sim.subs.interesting();
    Ok(RunOutput {
        interesting,
        metrics,
        series: sim.series,
        trace: sim.trace,
        events,
        fingerprint: sim.fingerprint,
    })
}
