//! One run: the subsystems, the dispatch of each event to its owner, and
//! the broadcast of the world's changes to every subsystem.
//!
//! The subsystems are listed once, in the `subsystems!` invocation below:
//! that generates their fields, the dispatch of their events and the
//! broadcast of world changes to each of them. Its event variant is in
//! `event.rs`; forgetting either fails to compile.

use crate::catalogue::Descriptor;
use crate::event::{Event, WorldEvent};
use crate::hierarchy::{ClientId, Hierarchy};
use crate::record::{Metrics, Sample, Series, Trace};
use crate::subsystem::{Ctx, Env, Subsystem};
use crate::world::{Change, World};
use crate::{ccr, distribution, status};
use smssim_engine::{Fingerprint, Model, Progress, Scheduler, Streams};
use smssim_scenario::{Policy, Scenario};

macro_rules! subsystems {
    ($($(#[$attr:meta])* $field:ident : $ty:ty => $variant:ident),* $(,)?) => {
        /// What the core and every subsystem say of themselves, core first.
        pub(crate) static PARTS: std::sync::LazyLock<Vec<Descriptor>> =
            std::sync::LazyLock::new(|| {
                let mut parts = vec![crate::core_metrics::CORE];
                $($(#[$attr])* parts.push(<$ty as Subsystem>::DESCRIPTOR);)*
                parts
            });

        /// The subsystems of a run.
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
                            $($(#[$attr])* self.$field.prefetch_client(c, ahead, env);)*
                        }
                    }
                    $($(#[$attr])* Event::$variant(ref e) => self.$field.prefetch(e, ahead, env),)*
                }
            }
            /// Announces a change of the world to every subsystem.
            fn announce(&mut self, change: Change, cx: &mut Ctx<'_, '_>, series: &mut Series) {
                match change {
                    Change::ClientStarted(c) => {$($(#[$attr])* self.$field.client_started(c, cx);)*}
                    Change::ClientStopping(c) => {$($(#[$attr])* self.$field.client_stopping(c, cx);)*}
                    Change::UserLogon(c) => {$($(#[$attr])* self.$field.user_logon(c, cx);)*}
                    Change::SiteUpgraded(s) => {
                        crate::rollout_log::log_upgrade(s, cx);
                        $($(#[$attr])* self.$field.site_upgraded(s, cx);)*
                    }
                    Change::HotfixInstalled(n, s) => crate::rollout_log::log_install(n, s, cx),
                    Change::Remedy(n, s) => {
                        crate::rollout_log::log_remedy(n, s, cx);
                        let step = cx.env.scenario.rollout[n as usize].step;
                        $($(#[$attr])* self.$field.remedy(step, s, cx);)*
                    }
                    Change::ClientInstalled(c) => {$($(#[$attr])* self.$field.client_installed(c, cx);)*}
                    Change::Sample => {
                        let mut sample = Sample::new(cx.now(), series);
                        cx.world.sample(&mut sample);
                        $($(#[$attr])* self.$field.sample(cx.world, &mut sample);)*
                    }
                    Change::Snapshot => {$($(#[$attr])* self.$field.snapshot(cx);)*}
                }
            }
            fn interesting(&self) -> Vec<ClientId> {
                let mut out = Vec::new();
                $($(#[$attr])* self.$field.interesting(&mut out);)*
                out
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
    status: status::Status => Status,
    ccr: ccr::Ccr => Ccr,
    distribution: distribution::Distribution => Distribution,
    // The example of docs/architecture.md, "Adding a subsystem": it plugs
    // in through the declared seam only (tests only).
    #[cfg(test)]
    example: crate::example::Example => Example,
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
    fn prefetch(&self, ahead: [Option<&Event>; smssim_engine::queue::AHEAD]) {
        for (n, e) in ahead.iter().enumerate() {
            if let Some(e) = e {
                self.subs.prefetch(e, n, &self.world, &self.env);
            }
        }
    }

    #[inline]
    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) {
        if let Some(fp) = &mut self.fingerprint {
            let (part, kind, entity) = event.key();
            fp.bytes(part.as_bytes());
            fp.event(sched.now(), kind, entity);
        }
        let mut cx = Ctx {
            env: &self.env,
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
            env: &self.env,
            sched,
            world: &self.world,
            trace: &mut self.trace,
        };
        self.subs.announce(change, &mut cx, &mut self.series);
        self.world.settle(w, &self.env.streams, sched);
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
    let mut world = World::new(cfg.scenario, cfg.hierarchy, &env.streams);
    let subs = Subsystems::new(&env, &world);
    subs.set_up_world(&mut world);
    let mut sim = Sim {
        env,
        world,
        trace: cfg.trace,
        series: Series::default(),
        subs,
        fingerprint: cfg.fingerprint.then(Fingerprint::new),
    };
    sim.world.start(
        cfg.scenario,
        cfg.hierarchy,
        cfg.policy,
        &sim.env.streams,
        sim.trace.snapshot_at,
        &mut sched,
    );
    sim.subs.start(&mut Ctx {
        env: &sim.env,
        sched: &mut sched,
        world: &sim.world,
        trace: &mut sim.trace,
    });
    let events = smssim_engine::run(&mut sim, &mut sched, progress);
    let mut metrics = Metrics::default();
    metrics.count("sim.events", events);
    metrics.count("clients.count", cfg.hierarchy.clients.len() as u64);
    metrics.count("sites.count", cfg.hierarchy.sites.len() as u64);
    let mut cx = Ctx {
        env: &sim.env,
        sched: &mut sched,
        world: &sim.world,
        trace: &mut sim.trace,
    };
    sim.subs.finish(&mut cx, &mut metrics)?;
    if cfg!(debug_assertions) {
        let problems = crate::catalogue::undeclared(
            &PARTS,
            metrics.rows.iter().map(|m| (m.name.as_ref(), m.unit)),
            sim.series.points.iter().map(|p| p.series.as_ref()),
        );
        assert!(
            problems.is_empty(),
            "declare every metric once, in its part's metrics.rs: {}",
            problems.join("; ")
        );
    }
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

/// What the core and every subsystem say of themselves (metrics, series,
/// articles, streams), core first: the metric catalogue.
pub fn parts() -> &'static [Descriptor] {
    &PARTS
}

#[cfg(test)]
mod tests {
    use super::PARTS;

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
