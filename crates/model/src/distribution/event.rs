//! The distribution subsystem's events (Q319207): package updates, Distribution Manager, Sender and Scheduler.

use crate::hierarchy::SiteId;

/// Events of this subsystem (small: ids into the subsystem's vectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The administrator updates a package (index into the updates).
    Update(u32),
    /// A site's Distribution Manager finishes its current task.
    DistmgrDone(SiteId),
    /// A retry entry's interval ran out (entry, generation).
    RetryDue(u32, u32),
    /// A sending's transfer completes (job, generation).
    Transferred(u32, u32),
    /// Sender connected to the destination and starts the transfer (job).
    Connected(u32),
    /// Sender found the destination unreachable (job).
    ConnectFailed(u32),
    /// Sender's retry delay ran out (job).
    SenderRetry(u32),
    /// Scheduler resubmits a send request Sender gave back (job).
    Resubmit(u32),
}

impl Event {
    /// The event's kind and the entity it concerns, for fingerprints.
    pub fn key(&self) -> (&'static str, u64) {
        match *self {
            Event::Update(u) => ("Update", u64::from(u)),
            Event::DistmgrDone(s) => ("DistmgrDone", u64::from(s)),
            Event::RetryDue(e, _) => ("RetryDue", u64::from(e)),
            Event::Transferred(j, _) => ("Transferred", u64::from(j)),
            Event::Connected(j) => ("Connected", u64::from(j)),
            Event::ConnectFailed(j) => ("ConnectFailed", u64::from(j)),
            Event::SenderRetry(j) => ("SenderRetry", u64::from(j)),
            Event::Resubmit(j) => ("Resubmit", u64::from(j)),
        }
    }
}
