//! A tiny subsystem that plugs in through the declared seam only, as
//! `docs/architecture.md` ("Adding a subsystem") describes: its own
//! `event.rs`, `metrics.rs` and this file, one variant in the crate's
//! `event.rs`, one line in `sim.rs`'s `subsystems!`, one in `lib.rs`. It is
//! compiled into tests only, where every whole run carries it.
//!
//! It ticks every hour, and each client that starts checks in after a
//! random delay drawn from its own stream.

pub(crate) mod event;
pub(crate) mod metrics;

use crate::catalogue::Descriptor;
use crate::hierarchy::ClientId;
use crate::record::{Metrics, Sample};
use crate::streams::Draws;
use crate::subsystem::{Ctx, Env, Subsystem};
use crate::world::World;
use rand::RngExt;
use smssim_engine::{HOUR, MINUTE};

pub use event::Event;

/// The example's state.
#[derive(Debug)]
pub(crate) struct Example {
    ticks: u64,
    started: u64,
    check_ins: u64,
}

impl Draws for Example {
    const STREAMS: std::ops::Range<u16> = 64..80;
}

/// The example's stream purposes.
pub(crate) mod streams {
    use super::Example;
    use crate::streams::StreamId;

    /// A client's check-in delay after a start, at occurrence `n`.
    pub const CHECK_IN: StreamId<Example> = StreamId::new(64);
}

impl Subsystem for Example {
    const DESCRIPTOR: Descriptor = Descriptor {
        name: "example",
        articles: &[],
        metrics: metrics::METRICS,
        series: metrics::SERIES,
        activity: "example.ticks",
        knobs: &[],
        streams: <Example as Draws>::STREAMS,
    };

    type Event = Event;

    fn new(_env: &Env<'_>, _world: &World) -> Self {
        Example {
            ticks: 0,
            started: 0,
            check_ins: 0,
        }
    }

    fn start(&mut self, cx: &mut Ctx<'_, '_>) {
        cx.at(HOUR, Event::Tick);
    }

    fn handle(&mut self, event: Event, cx: &mut Ctx<'_, '_>) {
        match event {
            Event::Tick => {
                self.ticks += 1;
                cx.after(HOUR, Event::Tick);
            }
            Event::CheckIn(_) => self.check_ins += 1,
        }
    }

    fn client_started(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        let mut rng = cx
            .env
            .streams
            .open(streams::CHECK_IN, u64::from(c), self.started);
        self.started += 1;
        let delay = rng.random_range(0..10 * MINUTE);
        cx.after(delay, Event::CheckIn(c));
    }

    fn sample(&self, _world: &World, sample: &mut Sample<'_>) {
        sample.add("example.check_ins", self.check_ins as f64);
    }

    fn finish(&mut self, _cx: &mut Ctx<'_, '_>, m: &mut Metrics) -> Result<(), String> {
        m.count("example.ticks", self.ticks);
        m.count("example.check_ins", self.check_ins);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{run, Hierarchy, RunConfig, Trace};
    use smssim_engine::NoProgress;
    use smssim_scenario::Policy;

    #[test]
    fn the_example_runs_in_a_whole_run_through_the_seam() {
        let text = r#"{"name":"example","duration_days":1,"start":"2002-06-03T00:00:00",
                       "topology":{"clients_per_cap":50},"clients":{"power_off_at_night":1}}"#;
        let scenario = smssim_scenario::load_str(text, "example.json", &[]).unwrap();
        let hierarchy = Hierarchy::build(&scenario);
        let out = run(
            RunConfig {
                scenario: &scenario,
                hierarchy: &hierarchy,
                policy: &Policy::legacy(),
                replication: 0,
                trace: Trace::off(),
                fingerprint: false,
                threads: 1,
            },
            &mut NoProgress,
        )
        .unwrap();
        // Hours 1..=24 of a one-day run.
        assert_eq!(out.metrics.get("example.ticks"), Some(24.0));
        // Every user switches on in the morning and checks in within ten
        // minutes (only a late arrival's check-in could miss the day).
        let checked = out.metrics.get("example.check_ins").unwrap();
        assert!((45.0..=50.0).contains(&checked), "{checked}");
        assert!(crate::parts().iter().any(|p| p.name == "example"));
    }
}
