//! Named random streams.
//!
//! Every random draw in a run comes from a ChaCha8 stream chosen by
//! `(master seed, replication, purpose, entity)`, positioned at an
//! *occurrence* number. Two runs that differ only in a policy therefore draw
//! the same numbers for everything the policy does not change (common random
//! numbers), and adding an entity or a purpose shifts nobody else's draws.
//!
//! Streams are cheap to open at any position, because ChaCha is a counter-mode
//! generator: an entity keeps no generator state between events, only the
//! occurrence it is at (often implied: the day number, the item number).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// 32-bit words reserved for one occurrence of a stream: one ChaCha8 refill
/// (four 16-word blocks), so that opening a stream costs a single refill.
pub const WORDS_PER_OCCURRENCE: u128 = 64;

/// Derives the streams of one run from the master seed and the replication.
#[derive(Debug, Clone)]
pub struct Streams {
    key: [u8; 32],
}

/// What a stream is for; the numbering is part of the reproducibility
/// contract, so variants are only ever appended (see [`Purpose::id`]).
pub trait Purpose: Copy {
    /// A number unique among purposes (16 bits).
    fn id(self) -> u16;
}

impl Purpose for u16 {
    fn id(self) -> u16 {
        self
    }
}

impl Streams {
    /// The streams of replication `replication` of a run seeded `seed`.
    pub fn new(seed: u64, replication: u32) -> Self {
        // The key is itself drawn from ChaCha, so that nearby seeds and
        // replications give unrelated keys.
        let mut base = [0u8; 32];
        base[..8].copy_from_slice(&seed.to_le_bytes());
        base[8..12].copy_from_slice(&replication.to_le_bytes());
        base[12..20].copy_from_slice(b"smssim.1");
        let mut rng = ChaCha8Rng::from_seed(base);
        let mut key = [0u8; 32];
        rand::Rng::fill_bytes(&mut rng, &mut key);
        Streams { key }
    }

    /// The stream for `purpose` and `entity`, at `occurrence`. Up to
    /// [`WORDS_PER_OCCURRENCE`] 32-bit words may be drawn before the stream
    /// runs into the next occurrence's numbers.
    pub fn open(&self, purpose: impl Purpose, entity: u64, occurrence: u64) -> ChaCha8Rng {
        debug_assert!(entity < 1 << 48, "entity index exceeds 48 bits");
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream((u64::from(purpose.id()) << 48) | entity);
        rng.set_word_pos(u128::from(occurrence) * WORDS_PER_OCCURRENCE);
        rng
    }

    /// A long sequential stream for `purpose` (e.g. one-off set-up draws
    /// over all entities); entity 2^48-1 is reserved for it.
    pub fn sequential(&self, purpose: impl Purpose) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::from_seed(self.key);
        rng.set_stream((u64::from(purpose.id()) << 48) | ((1 << 48) - 1));
        rng
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn same_inputs_same_numbers() {
        let a = Streams::new(7, 0).open(3u16, 42, 5).next_u64();
        let b = Streams::new(7, 0).open(3u16, 42, 5).next_u64();
        assert_eq!(a, b);
    }

    #[test]
    fn every_coordinate_changes_the_numbers() {
        let base = Streams::new(7, 0).open(3u16, 42, 5).next_u64();
        assert_ne!(base, Streams::new(8, 0).open(3u16, 42, 5).next_u64());
        assert_ne!(base, Streams::new(7, 1).open(3u16, 42, 5).next_u64());
        assert_ne!(base, Streams::new(7, 0).open(4u16, 42, 5).next_u64());
        assert_ne!(base, Streams::new(7, 0).open(3u16, 43, 5).next_u64());
        assert_ne!(base, Streams::new(7, 0).open(3u16, 42, 6).next_u64());
    }

    #[test]
    fn occurrences_do_not_overlap() {
        let s = Streams::new(1, 0);
        let mut first = s.open(1u16, 0, 0);
        let words: Vec<u32> = (0..WORDS_PER_OCCURRENCE)
            .map(|_| first.next_u32())
            .collect();
        // The word after the reserved block is the next occurrence's first.
        assert_eq!(first.next_u32(), s.open(1u16, 0, 1).next_u32());
        assert_ne!(words[0], s.open(1u16, 0, 1).next_u32());
    }
}
