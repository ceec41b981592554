//! Discovery, Client Configuration Requests and Client Configuration Manager (Q242926, Q252717).
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
pub struct Ccr {}

impl Subsystem for Ccr {
    type Event = Event;

    fn new(_env: &Env<'_>, _world: &World) -> Self {
        Ccr {}
    }

    fn start(&mut self, _cx: &mut Ctx<'_, '_>) {}

    fn handle(&mut self, event: Event, _cx: &mut Ctx<'_, '_>) {
        match event {}
    }

    fn finish(&mut self, _cx: &mut Ctx<'_, '_>, _metrics: &mut Metrics) -> Result<(), String> {
        Ok(())
    }
}
