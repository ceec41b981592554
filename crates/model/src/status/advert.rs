//! Each advertisement's view of its targeted clients, one byte per client:
//! whether it is targeted, whether it ran, and how many of its status
//! messages were generated and delivered — what the Administrator console
//! shows as "missing status".

use crate::hierarchy::ClientId;

/// Where a client stands with one advertisement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdState {
    /// Not in the target collection.
    NotTargeted = 0,
    /// Targeted; the assignment is not yet due or not yet noticed.
    Waiting = 1,
    /// Came due while the client was switched off, or before the machine
    /// was an SMS client: runs at its next start (or install).
    Missed = 2,
    /// The program ran (or is running).
    Ran = 3,
}

const STATE: u8 = 0b11;
const GEN_SHIFT: u8 = 2;
const DEL_SHIFT: u8 = 4;
const LOST: u8 = 1 << 6;

/// One advertisement's clients.
#[derive(Debug, Clone)]
pub struct AdClients {
    bits: Vec<u8>,
}

impl AdClients {
    /// No client targeted yet.
    pub fn new(clients: usize) -> Self {
        AdClients {
            bits: vec![0; clients],
        }
    }

    /// A hint: the client's state is read next.
    #[inline]
    pub fn prefetch(&self, c: ClientId) {
        smssim_engine::hint::prefetch(&self.bits, c as usize);
    }

    /// The client's state.
    pub fn state(&self, c: ClientId) -> AdState {
        match self.bits[c as usize] & STATE {
            0 => AdState::NotTargeted,
            1 => AdState::Waiting,
            2 => AdState::Missed,
            _ => AdState::Ran,
        }
    }

    /// Sets the client's state.
    pub fn set_state(&mut self, c: ClientId, s: AdState) {
        let b = &mut self.bits[c as usize];
        *b = (*b & !STATE) | s as u8;
    }

    /// Counts a status message generated (at most 3 per client).
    pub fn generated(&mut self, c: ClientId) {
        let b = &mut self.bits[c as usize];
        let g = ((*b >> GEN_SHIFT) & 0b11).saturating_add(1).min(3);
        *b = (*b & !(0b11 << GEN_SHIFT)) | (g << GEN_SHIFT);
    }

    /// Counts a status message delivered.
    pub fn delivered(&mut self, c: ClientId) {
        let b = &mut self.bits[c as usize];
        let d = ((*b >> DEL_SHIFT) & 0b11).saturating_add(1).min(3);
        *b = (*b & !(0b11 << DEL_SHIFT)) | (d << DEL_SHIFT);
    }

    /// Marks a status message lost.
    pub fn lost(&mut self, c: ClientId) {
        self.bits[c as usize] |= LOST;
    }

    /// Tallies the console's view over the machines that `is_client`
    /// says are SMS clients.
    pub fn tally(&self, is_client: impl Fn(ClientId) -> bool) -> AdTally {
        let mut t = AdTally::default();
        for (c, &b) in self.bits.iter().enumerate() {
            if b & STATE == AdState::NotTargeted as u8 || !is_client(c as ClientId) {
                continue;
            }
            t.targeted += 1;
            let g = (b >> GEN_SHIFT) & 0b11;
            let d = (b >> DEL_SHIFT) & 0b11;
            if g > 0 {
                t.ran += 1;
            }
            if g > d {
                t.missing += 1;
            }
            if b & LOST != 0 {
                t.lost += 1;
            }
        }
        t
    }
}

/// Counts over one advertisement's clients.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AdTally {
    /// Clients in the target collection.
    pub targeted: u64,
    /// Clients that ran the program (generated at least one message).
    pub ran: u64,
    /// Clients with a status message never delivered to the CAP.
    pub missing: u64,
    /// Clients with a status message deleted (lost for good).
    pub lost: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tally_counts_missing_status() {
        let mut a = AdClients::new(3);
        for c in 0..2 {
            a.set_state(c, AdState::Ran);
            for _ in 0..3 {
                a.generated(c);
            }
            a.delivered(c);
            a.delivered(c);
        }
        a.delivered(0);
        a.lost(1);
        assert_eq!(a.state(1), AdState::Ran);
        assert_eq!(a.state(2), AdState::NotTargeted);
        assert_eq!(
            a.tally(|_| true),
            AdTally {
                targeted: 2,
                ran: 2,
                missing: 1,
                lost: 1
            }
        );
        // A targeted machine that is not an SMS client is not counted.
        a.set_state(2, AdState::Missed);
        assert_eq!(a.tally(|_| true).targeted, 3);
        assert_eq!(
            a.tally(|c| c != 2),
            AdTally {
                targeted: 2,
                ran: 2,
                missing: 1,
                lost: 1
            }
        );
        assert_eq!(a.tally(|c| c != 1).missing, 0);
    }
}
