//! Package distribution: Distribution Manager, Scheduler and Sender (Q319207).
//!
//! Not modelled yet: this subsystem schedules nothing and reports nothing.

use crate::record::Metrics;
use crate::subsystem::{Ctx, Env, Subsystem};
use crate::world::World;

/// Events of this subsystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {}

/// State of this subsystem.
#[derive(Debug, Default)]
pub struct Distribution {}

impl Subsystem for Distribution {
    type Event = Event;

    fn new(_env: &Env<'_>, _world: &World) -> Self {
        Distribution {}
    }

    fn start(&mut self, _cx: &mut Ctx<'_, '_>) {}

    fn handle(&mut self, event: Event, _cx: &mut Ctx<'_, '_>) {
        match event {}
    }

    fn finish(&mut self, _cx: &mut Ctx<'_, '_>, _metrics: &mut Metrics) -> Result<(), String> {
        Ok(())
    }
}
