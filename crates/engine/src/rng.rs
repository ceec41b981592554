//! Named random streams.
//!
//! Every random draw in a run comes from a stream chosen by
//! `(master seed, replication, purpose, entity)`, positioned at an
//! *occurrence* number. Two runs that differ only in a policy therefore draw
//! the same numbers for everything the policy does not change (common random
//! numbers), and adding an entity or a purpose shifts nobody else's draws.
//!
//! The generator is Philox4x64-10 (Salmon, Moraes, Dror and Shaw, "Parallel
//! random numbers: as easy as 1, 2, 3", SC 2011), a *counter-based*
//! generator: the `n`-th block of a stream is a keyed bijection of the
//! counter `(n, occurrence, purpose and entity, 0)`. Opening a stream at any
//! occurrence therefore costs nothing (no state to set up, no block computed
//! until a number is drawn), every occurrence has 2^64 blocks of its own, and
//! two different counters can never give the same block. An entity keeps no
//! generator state between events, only the occurrence it is at (often
//! implied: the day number, the item number). Philox4x64-10 passes
//! TestU01's BigCrush; the known-answer tests below are the reference
//! implementation's (Random123). It replaced ChaCha8 streams, which computed
//! four 64-byte blocks to open a stream for a handful of draws.

use rand::rand_core::utils::fill_bytes_via_next_word;
use std::convert::Infallible;

/// Derives the streams of one run from the master seed and the replication.
#[derive(Debug, Clone)]
pub struct Streams {
    key: [u64; 2],
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

/// The entity number reserved for [`Streams::sequential`].
const SEQUENTIAL: u64 = (1 << 48) - 1;

impl Streams {
    /// The streams of replication `replication` of a run seeded `seed`.
    pub fn new(seed: u64, replication: u32) -> Self {
        // The run's key is itself a Philox block, keyed by the seed and the
        // replication, so that nearby seeds and replications give unrelated
        // keys.
        let tag = u64::from_le_bytes(*b"smssim.2");
        let block = philox4x64_10([0, 0, tag, 0], [seed, u64::from(replication)]);
        Streams {
            key: [block[0], block[1]],
        }
    }

    /// The stream for `purpose` and `entity`, at `occurrence`. Each
    /// occurrence has 2^66 numbers of its own: no count of draws runs into
    /// the next occurrence.
    #[inline]
    pub fn open(&self, purpose: impl Purpose, entity: u64, occurrence: u64) -> Stream {
        debug_assert!(entity < SEQUENTIAL, "entity index exceeds 48 bits");
        Stream::new(
            self.key,
            (u64::from(purpose.id()) << 48) | entity,
            occurrence,
        )
    }

    /// A long sequential stream for `purpose` (e.g. one-off set-up draws
    /// over all entities); entity 2^48-1 is reserved for it.
    pub fn sequential(&self, purpose: impl Purpose) -> Stream {
        Stream::new(self.key, (u64::from(purpose.id()) << 48) | SEQUENTIAL, 0)
    }
}

/// One open stream: draws `u64`s from consecutive Philox blocks.
#[derive(Debug, Clone)]
pub struct Stream {
    key: [u64; 2],
    stream: u64,
    occurrence: u64,
    /// The next block's index within the occurrence.
    block: u64,
    buf: [u64; 4],
    /// Words of `buf` already drawn (4: none left).
    used: usize,
}

impl Stream {
    #[inline]
    fn new(key: [u64; 2], stream: u64, occurrence: u64) -> Self {
        Stream {
            key,
            stream,
            occurrence,
            block: 0,
            buf: [0; 4],
            used: 4,
        }
    }

    #[inline]
    fn word(&mut self) -> u64 {
        if self.used == 4 {
            self.buf = philox4x64_10([self.block, self.occurrence, self.stream, 0], self.key);
            self.block = self.block.wrapping_add(1);
            self.used = 0;
        }
        let w = self.buf[self.used];
        self.used += 1;
        w
    }
}

impl rand::TryRng for Stream {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        // The high half: the better-mixed bits of a multiply's product.
        Ok((self.word() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.word())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        fill_bytes_via_next_word(dst, || Ok::<u64, Infallible>(self.word()))
    }
}

const M0: u64 = 0xD2E7_470E_E14C_6C93;
const M1: u64 = 0xCA5A_8263_9512_1157;
const W0: u64 = 0x9E37_79B9_7F4A_7C15;
const W1: u64 = 0xBB67_AE85_84CA_A73B;

#[inline(always)]
fn mulhilo(a: u64, b: u64) -> (u64, u64) {
    let p = u128::from(a) * u128::from(b);
    ((p >> 64) as u64, p as u64)
}

/// One Philox4x64 block with 10 rounds.
#[inline]
pub fn philox4x64_10(mut ctr: [u64; 4], mut key: [u64; 2]) -> [u64; 4] {
    for round in 0..10 {
        if round > 0 {
            key[0] = key[0].wrapping_add(W0);
            key[1] = key[1].wrapping_add(W1);
        }
        let (hi0, lo0) = mulhilo(M0, ctr[0]);
        let (hi1, lo1) = mulhilo(M1, ctr[2]);
        ctr = [hi1 ^ ctr[1] ^ key[0], lo1, hi0 ^ ctr[3] ^ key[1], lo0];
    }
    ctr
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, RngExt};

    /// Random123's known-answer vectors for Philox4x64-10.
    #[test]
    fn philox_known_answers() {
        assert_eq!(
            philox4x64_10([0; 4], [0; 2]),
            [
                0x16554d9eca36314c,
                0xdb20fe9d672d0fdc,
                0xd7e772cee186176b,
                0x7e68b68aec7ba23b
            ]
        );
        assert_eq!(
            philox4x64_10([u64::MAX; 4], [u64::MAX; 2]),
            [
                0x87b092c3013fe90b,
                0x438c3c67be8d0224,
                0x9cc7d7c69cd777b6,
                0xa09caebf594f0ba0
            ]
        );
        assert_eq!(
            philox4x64_10(
                [
                    0x243f6a8885a308d3,
                    0x13198a2e03707344,
                    0xa4093822299f31d0,
                    0x082efa98ec4e6c89
                ],
                [0x452821e638d01377, 0xbe5466cf34e90c6c]
            ),
            [
                0xa528f45403e61d95,
                0x38c72dbd566e9788,
                0xa5a1610e72fd18b5,
                0x57bd43b5e52b7fe6
            ]
        );
    }

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
        assert_ne!(base, Streams::new(7, 0).sequential(3u16).next_u64());
    }

    #[test]
    fn an_occurrence_never_runs_into_the_next() {
        let s = Streams::new(1, 0);
        let next: Vec<u64> = {
            let mut r = s.open(1u16, 0, 1);
            (0..8).map(|_| r.next_u64()).collect()
        };
        let mut first = s.open(1u16, 0, 0);
        for _ in 0..10_000 {
            assert!(!next.contains(&first.next_u64()));
        }
    }

    #[test]
    fn u32_draws_and_bytes_come_from_the_same_words() {
        let s = Streams::new(3, 2);
        let w = s.open(9u16, 1, 1).next_u64();
        assert_eq!(s.open(9u16, 1, 1).next_u32(), (w >> 32) as u32);
        let mut bytes = [0u8; 8];
        s.open(9u16, 1, 1).fill_bytes(&mut bytes);
        assert_eq!(u64::from_le_bytes(bytes), w);
    }

    /// A coarse check that the draws are uniform: 100,000 draws into 10 bins.
    #[test]
    fn draws_are_uniform_across_entities() {
        let s = Streams::new(11, 0);
        let mut bins = [0u32; 10];
        for e in 0..100_000u64 {
            bins[s.open(2u16, e, 0).random_range(0..10usize)] += 1;
        }
        // Chi-square with 9 degrees of freedom; 27.9 is its 0.999 quantile.
        let chi2: f64 = bins
            .iter()
            .map(|&b| (f64::from(b) - 10_000.0).powi(2) / 10_000.0)
            .sum();
        assert!(chi2 < 27.9, "{bins:?} chi2={chi2}");
    }
}
