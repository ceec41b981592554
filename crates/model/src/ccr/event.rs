//! The CCR subsystem's events (Q242926, Q252717, Q249077): discovery, CCM
//! attempts, retries and verification, logon point updates.

use super::store::CcrId;
use crate::hierarchy::{ClientId, SiteId};

/// Events of this subsystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A logon DDR reaches the Discovery Data Manager of every site whose
    /// boundaries hold the machine.
    LogonDdr(ClientId),
    /// A Network Discovery DDR reaches one site's Discovery Data Manager.
    NetworkDdr(ClientId, SiteId),
    /// A site's Network Discovery cycle runs.
    NetworkDiscovery(SiteId),
    /// A site's clients' heartbeat DDRs of one cycle.
    Heartbeat(SiteId),
    /// A CCM processing thread finishes an attempt.
    AttemptDone(CcrId),
    /// A CCR in `CcrRetry.box` is due for its hourly retry.
    RetryDue(CcrId),
    /// A successful CCR is due for verification.
    VerifyDue(CcrId),
    /// A site's Windows NT Logon Server Manager passes over its domain's
    /// logon points.
    LogonPointUpdate(SiteId),
}

impl Event {
    /// The event's kind and the entity it concerns, for fingerprints.
    pub fn key(&self) -> (&'static str, u64) {
        match *self {
            Event::LogonDdr(c) => ("LogonDdr", u64::from(c)),
            Event::NetworkDdr(c, s) => ("NetworkDdr", u64::from(s) << 32 | u64::from(c)),
            Event::NetworkDiscovery(s) => ("NetworkDiscovery", u64::from(s)),
            Event::Heartbeat(s) => ("Heartbeat", u64::from(s)),
            Event::AttemptDone(id) => ("AttemptDone", u64::from(id)),
            Event::RetryDue(id) => ("RetryDue", u64::from(id)),
            Event::VerifyDue(id) => ("VerifyDue", u64::from(id)),
            Event::LogonPointUpdate(s) => ("LogonPointUpdate", u64::from(s)),
        }
    }
}
