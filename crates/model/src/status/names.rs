//! The 8-character file names Copy Queue Manager gives the files it copies
//! to a CAP inbox (`61949725.SVF`), and the two ways of choosing them.
//!
//! - `clock_seeded` (legacy): the sequence is seeded by the client's clock
//!   truncated to a tick. Every client whose clock reads the same tick walks
//!   the same sequence of names; that is why "clients acting in the same
//!   clock tick" collide (Q301352: the fixed algorithm "is not sensitive to
//!   time synchronization"). The sequence is a full-period linear
//!   congruential generator over the name space, so the names of one
//!   sequence are distinct for its first 10^8 steps.
//! - `unique` (hotfix): each try draws a name uniformly from the client's
//!   own random stream.

/// Names are eight decimal digits, as in the articles' `Item 61949725`.
pub const NAME_SPACE: u64 = 100_000_000;

// Hull–Dobell: C coprime to 10^8, A - 1 divisible by 2, 5 and 4, so the
// generator visits every name once per period.
const A: u64 = 24_691_341;
const C: u64 = 907_633;

/// The first name of the sequence a clock tick seeds.
pub fn clock_seeded_start(tick: u64) -> u32 {
    (splitmix(tick) % NAME_SPACE) as u32
}

/// The name after `name` in a clock-seeded sequence.
pub fn clock_seeded_next(name: u32) -> u32 {
    ((A * u64::from(name) + C) % NAME_SPACE) as u32
}

/// The text of a name with its inbox's extension: `61949725.SVF`.
pub fn file_name(name: u32, ext: &str) -> String {
    format!("{name:08}.{ext}")
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn one_tick_one_sequence_of_distinct_names() {
        let mut seen = HashSet::new();
        let mut n = clock_seeded_start(1_234);
        for _ in 0..10_000 {
            assert!((u64::from(n)) < NAME_SPACE);
            assert!(seen.insert(n), "name {n} repeated within a sequence");
            n = clock_seeded_next(n);
        }
        assert_eq!(clock_seeded_start(1_234), clock_seeded_start(1_234));
        assert_ne!(clock_seeded_start(1_234), clock_seeded_start(1_235));
    }

    #[test]
    fn names_print_as_eight_digits() {
        assert_eq!(file_name(42, "SVF"), "00000042.SVF");
        assert_eq!(file_name(61_949_725, "DDR"), "61949725.DDR");
    }
}
