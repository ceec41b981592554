//! A small context for driving one subsystem by hand, without a whole run:
//! the test makes the subsystem, hands it events or world changes through
//! [`TestBed::with`], and reads what it scheduled with [`TestBed::pop`].
//!

use crate::event::Event;
use crate::hierarchy::Hierarchy;
use crate::record::Trace;
use crate::subsystem::{Ctx, Env, Subsystem};
use crate::world::World;
use smssim_engine::{Scheduler, SimTime, Streams};
use smssim_scenario::{Policy, Scenario};

/// A scenario, its hierarchy and world, a policy and an event calendar,
/// for unit tests of a subsystem.
#[derive(Debug)]
pub struct TestBed {
    /// The validated scenario.
    pub scenario: Scenario,
    /// Its hierarchy.
    pub hierarchy: Hierarchy,
    /// The policy.
    pub policy: Policy,
    /// The world (every client off until a test switches it on).
    pub world: World,
    /// Logs and snapshots written by the subsystem.
    pub trace: Trace,
    sched: Scheduler<Event>,
}

/// A whole run of replication 0 of `scenario` under `policy`, untraced:
/// what a subsystem's test reads metrics and series from. Panics if the
/// run fails (a conservation law broke): test code.
pub fn run_scenario(scenario: &Scenario, policy: &Policy) -> crate::RunOutput {
    run_with(scenario, policy, 1, &mut smssim_engine::NoProgress)
        .unwrap_or_else(|e| panic!("{}: {e}", policy.name))
}

/// A whole run of replication 0 of `scenario` under `policy`, untraced,
/// on `threads` threads, reporting to `progress`.
pub fn run_with(
    scenario: &Scenario,
    policy: &Policy,
    threads: usize,
    progress: &mut dyn smssim_engine::Progress,
) -> Result<crate::RunOutput, crate::RunError> {
    let hierarchy = Hierarchy::build(scenario);
    crate::run(
        crate::RunConfig {
            scenario,
            hierarchy: &hierarchy,
            policy,
            replication: 0,
            trace: Trace::off(),
            fingerprint: false,
            threads,
        },
        progress,
    )
}

/// The shared data of replication 0 of `scenario` under `policy`.
fn env<'a>(scenario: &'a Scenario, hierarchy: &'a Hierarchy, policy: &'a Policy) -> Env<'a> {
    Env {
        scenario,
        hierarchy,
        policy,
        streams: Streams::new(scenario.spec.seed, 0),
    }
}

impl TestBed {
    /// A bed for scenario text under `policy`. Panics if the scenario is
    /// invalid: it is test code's own input.
    pub fn new(scenario: &str, policy: Policy) -> Self {
        let scenario = smssim_scenario::load_str(scenario, "testbed.json", &[])
            .unwrap_or_else(|e| panic!("test scenario: {e}"));
        let hierarchy = Hierarchy::build(&scenario);
        let streams = Streams::new(scenario.spec.seed, 0);
        let world = World::new(&scenario, &hierarchy, &streams);
        let sched = Scheduler::new(scenario.horizon).expect("a test horizon fits");
        TestBed {
            scenario,
            hierarchy,
            policy,
            world,
            trace: Trace::off(),
            sched,
        }
    }

    /// A subsystem in its state at virtual time 0.
    pub fn subsystem<S: Subsystem>(&self) -> S {
        S::new(
            &env(&self.scenario, &self.hierarchy, &self.policy),
            &self.world,
        )
    }

    /// Calls `f` with a context at the bed's current time, e.g. to start a
    /// subsystem, hand it an event or announce a world change.
    pub fn with<R>(&mut self, f: impl FnOnce(&mut Ctx<'_, '_>) -> R) -> R {
        let env = env(&self.scenario, &self.hierarchy, &self.policy);
        let mut cx = Ctx {
            env: &env,
            sched: &mut self.sched,
            world: &self.world,
            trace: &mut self.trace,
        };
        f(&mut cx)
    }

    /// Takes the next scheduled event and moves the clock to it.
    pub fn pop(&mut self) -> Option<(SimTime, Event)> {
        self.sched.pop()
    }
}
