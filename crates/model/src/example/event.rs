//! The example subsystem's events.

use crate::hierarchy::ClientId;

/// Events of the example subsystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The hourly tick.
    Tick,
    /// A client's random check-in after it started.
    CheckIn(ClientId),
}

impl Event {
    /// The event's kind and the entity it concerns, for fingerprints.
    pub fn key(&self) -> (&'static str, u64) {
        match *self {
            Event::Tick => ("Tick", 0),
            Event::CheckIn(c) => ("CheckIn", u64::from(c)),
        }
    }
}
