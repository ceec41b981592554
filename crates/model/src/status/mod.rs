//! Status messages through the Copy Queue Manager (Q323627, Q301352, Q292030).
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
pub struct Status {}

impl Subsystem for Status {
    type Event = Event;

    fn new(_env: &Env<'_>, _world: &World) -> Self {
        Status {}
    }

    fn start(&mut self, _cx: &mut Ctx<'_, '_>) {}

    fn handle(&mut self, event: Event, _cx: &mut Ctx<'_, '_>) {
        match event {}
    }

    fn finish(&mut self, _cx: &mut Ctx<'_, '_>, _metrics: &mut Metrics) -> Result<(), String> {
        Ok(())
    }
}
