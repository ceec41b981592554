//! The closed set of events of a run: the world's own, and each
//! subsystem's, each defined in its subsystem's `event.rs`. The queue holds
//! them by value, so they stay small (16 bytes at most).
//!
//! A new subsystem adds its variant here (and its `From` conversion, by the
//! macro below); the dispatch in `sim.rs` then fails to compile until the
//! subsystem is registered there too.

use crate::ccr::event as ccr;
use crate::distribution::event as distribution;
use crate::hierarchy::{ClientId, SiteId};
use crate::status::event as status;
use smssim_scenario::SiteVersion;

/// Events of the world itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorldEvent {
    /// A user switches a client on.
    PowerOn(ClientId),
    /// A user switches a client off.
    PowerOff(ClientId),
    /// A user logs on to a client (on calendar day `day`).
    Logon(ClientId, u16),
    /// A site's service pack upgrade completes.
    SiteUpgrade(SiteId, SiteVersion),
    /// Step `n` of the scenario's `rollout` is carried out at a site
    /// (`as-scheduled` only).
    Rollout(u16, SiteId),
    /// A machine's SMS client components were installed (announced by
    /// the subsystem that installed them).
    ClientInstalled(ClientId),
    /// Take a time-series sample.
    Sample,
    /// Write the inbox snapshot of `trace --at`.
    Snapshot,
}

impl WorldEvent {
    /// The client the event is about, if any.
    #[inline]
    pub fn client(&self) -> Option<ClientId> {
        match *self {
            WorldEvent::PowerOn(c)
            | WorldEvent::PowerOff(c)
            | WorldEvent::Logon(c, _)
            | WorldEvent::ClientInstalled(c) => Some(c),
            WorldEvent::SiteUpgrade(..)
            | WorldEvent::Rollout(..)
            | WorldEvent::Sample
            | WorldEvent::Snapshot => None,
        }
    }

    /// The event's kind and the entity it concerns, for fingerprints.
    pub fn key(&self) -> (&'static str, u64) {
        match *self {
            WorldEvent::PowerOn(c) => ("PowerOn", u64::from(c)),
            WorldEvent::PowerOff(c) => ("PowerOff", u64::from(c)),
            WorldEvent::Logon(c, d) => ("Logon", u64::from(d) << 32 | u64::from(c)),
            WorldEvent::SiteUpgrade(s, v) => {
                ("SiteUpgrade", u64::from(v.key()) << 32 | u64::from(s))
            }
            WorldEvent::Rollout(n, s) => ("Rollout", u64::from(n) << 32 | u64::from(s)),
            WorldEvent::ClientInstalled(c) => ("ClientInstalled", u64::from(c)),
            WorldEvent::Sample => ("Sample", 0),
            WorldEvent::Snapshot => ("Snapshot", 0),
        }
    }
}

/// Every event of the simulation: the world's, or a subsystem's.
#[derive(Debug, Clone, Copy)]
pub enum Event {
    /// An event of the world itself.
    World(WorldEvent),
    /// An event of the `status` subsystem (Q323627).
    Status(status::Event),
    /// An event of the `ccr` subsystem (Q242926, Q252717).
    Ccr(ccr::Event),
    /// An event of the `distribution` subsystem (Q319207).
    Distribution(distribution::Event),
    /// An event of the example subsystem (tests only).
    #[cfg(test)]
    Example(crate::example::event::Event),
}

// Events live in the queue by value: keep them small.
const _: () = assert!(std::mem::size_of::<Event>() <= 16);

macro_rules! from {
    ($($variant:ident($ty:ty)),*) => {
        $(impl From<$ty> for Event {
            #[inline]
            fn from(e: $ty) -> Self {
                Event::$variant(e)
            }
        })*
    };
}

#[cfg(test)]
from!(Example(crate::example::event::Event));

from!(
    World(WorldEvent),
    Status(status::Event),
    Ccr(ccr::Event),
    Distribution(distribution::Event)
);

impl Event {
    /// The part of the model that handles the event (`world` or a
    /// subsystem's name), the event's kind and the entity it concerns, for
    /// fingerprints.
    pub fn key(&self) -> (&'static str, &'static str, u64) {
        let (part, (kind, entity)) = match self {
            Event::World(e) => ("world", e.key()),
            Event::Status(e) => ("status", e.key()),
            Event::Ccr(e) => ("ccr", e.key()),
            Event::Distribution(e) => ("distribution", e.key()),
            #[cfg(test)]
            Event::Example(e) => ("example", e.key()),
        };
        (part, kind, entity)
    }
}
