//! The status subsystem's events (Q323627): advertisements, copy tries, wake-up cycles, background items and Inbox Manager Assistant.

use crate::hierarchy::{CapId, ClientId};
use smssim_engine::Generation;

/// Events of this subsystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A client's Advertised Programs Monitor notices advertisement `.0`
    /// is due: it submits 10002 and starts the program.
    Notice(u16, ClientId),
    /// The program of advertisement `.0` starts: 10005.
    Started(u16, ClientId),
    /// The program of advertisement `.0` ends: 10008 or 10006.
    Finished(u16, ClientId),
    /// A copy attempt of an item (by id) reaches the CAP.
    CopyDone(u32),
    /// A client's Copy Queue Manager wake-up cycle (timer generation).
    WakeUp(ClientId, Generation),
    /// A client's heartbeat discovery is due.
    Heartbeat(ClientId),
    /// A client's hardware inventory is due.
    Inventory(ClientId),
    /// A CAP's Inbox Manager Assistant polls its inboxes.
    ImaPoll(CapId),
    /// A CAP's Inbox Manager Assistant moves its next batch of files.
    ImaMove(CapId),
}

impl Event {
    /// The event's kind and the entity it concerns, for fingerprints.
    pub fn key(&self) -> (&'static str, u64) {
        match *self {
            Event::Notice(ad, c) => ("Notice", u64::from(ad) << 32 | u64::from(c)),
            Event::Started(ad, c) => ("Started", u64::from(ad) << 32 | u64::from(c)),
            Event::Finished(ad, c) => ("Finished", u64::from(ad) << 32 | u64::from(c)),
            Event::CopyDone(item) => ("CopyDone", u64::from(item)),
            Event::WakeUp(c, _) => ("WakeUp", u64::from(c)),
            Event::Heartbeat(c) => ("Heartbeat", u64::from(c)),
            Event::Inventory(c) => ("Inventory", u64::from(c)),
            Event::ImaPoll(cap) => ("ImaPoll", u64::from(cap)),
            Event::ImaMove(cap) => ("ImaMove", u64::from(cap)),
        }
    }
}
