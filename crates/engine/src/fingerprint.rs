//! Fingerprints of a run, after OMNeT++'s: a hash over the sequence of
//! events a run handles, so that a test can hold a model's behaviour fixed
//! while its code is rearranged. Any change of order, time, kind or entity
//! of any event changes the fingerprint.
//!
//! The hash is 64-bit FNV-1a: fixed by definition, the same on every
//! machine and in every Rust release (unlike `std`'s `DefaultHasher`).

use crate::time::SimTime;

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// A running FNV-1a hash over events (or any bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(OFFSET)
    }
}

impl Fingerprint {
    /// An empty fingerprint.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes.
    #[inline]
    pub fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }

    /// Adds one event: its time, its kind and the entity it concerns.
    #[inline]
    pub fn event(&mut self, t: SimTime, kind: &str, entity: u64) {
        self.bytes(&t.to_le_bytes());
        self.bytes(kind.as_bytes());
        // A separator, so that kind "ab" + entity differs from "a" + "b…".
        self.bytes(&[0xff]);
        self.bytes(&entity.to_le_bytes());
    }

    /// The hash so far.
    pub fn value(&self) -> u64 {
        self.0
    }

    /// The hash as 16 hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_of_known_inputs() {
        // Reference values of 64-bit FNV-1a.
        assert_eq!(Fingerprint::new().value(), 0xcbf2_9ce4_8422_2325);
        let mut f = Fingerprint::new();
        f.bytes(b"a");
        assert_eq!(f.value(), 0xaf63_dc4c_8601_ec8c);
        let mut f = Fingerprint::new();
        f.bytes(b"foobar");
        assert_eq!(f.value(), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn order_time_kind_and_entity_all_count() {
        let one = |evs: &[(SimTime, &str, u64)]| {
            let mut f = Fingerprint::new();
            for &(t, k, e) in evs {
                f.event(t, k, e);
            }
            f.value()
        };
        let base = one(&[(1, "A", 1), (2, "B", 2)]);
        assert_ne!(base, one(&[(2, "B", 2), (1, "A", 1)]));
        assert_ne!(base, one(&[(1, "A", 1), (3, "B", 2)]));
        assert_ne!(base, one(&[(1, "A", 1), (2, "C", 2)]));
        assert_ne!(base, one(&[(1, "A", 1), (2, "B", 3)]));
        assert_eq!(base, one(&[(1, "A", 1), (2, "B", 2)]));
    }
}
