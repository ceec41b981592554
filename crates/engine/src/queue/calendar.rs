//! A calendar queue: a ring of time buckets in front of a small heap.
//!
//! Time is cut into buckets of `2^width_bits` ms. The bucket being worked
//! through (the *current* one) is held sorted, with a 4-ary heap beside it
//! for the events scheduled into it after it was sorted (a copy attempt a
//! few seconds ahead, a tie at the same millisecond). Every later bucket
//! within the ring's reach is an unsorted `Vec` that events are appended
//! to; a bitmap says which are non-empty. When the current bucket runs
//! out, the next non-empty one is sorted and becomes current. Events beyond
//! the ring's reach (only in runs longer than it) wait in a second 4-ary
//! heap and enter the ring as it comes within reach.
//!
//! So an event is appended once, moved once (into the sorted current
//! bucket), and compared only with events of its own few seconds: no item
//! travels down 64 buckets as in a radix heap, and the heap that does
//! compare keys stays small enough for the first-level cache. The
//! benchmark and the choice of bucket width are in `docs/performance.md`.
//!
//! Like the radix heap it needs monotone keys: every key pushed is at least
//! the last key popped, which the scheduler guarantees.

use super::quad::QuadHeap;
use super::{EventQueue, AHEAD, SEQ_BITS};
use crate::time::SimTime;

/// Bucket width of the simulator's queue: 2^13 ms = 8.2 s (measured
/// against 2^10..2^17 in `docs/performance.md`).
pub const WIDTH_BITS: u32 = 13;
/// Emptied bucket allocations kept for reuse.
const SPARE: usize = 64;
/// Most buckets in the ring: 2^17 buckets of 8.2 s reach 12.4 days.
pub const MAX_RING_BITS: u32 = 17;

/// A calendar queue over packed `(time, sequence)` keys.
#[derive(Debug, Clone)]
pub struct CalendarQueue<E> {
    /// Right shift from a key to its bucket number.
    shift: u32,
    /// `ring.len() - 1` (the ring's length is a power of two).
    mask: u64,
    /// The current bucket's number.
    cur: u64,
    /// The current bucket, sorted by descending key (the next is last).
    sorted: Vec<(u64, E)>,
    /// Events pushed into the current bucket after it was sorted.
    late: QuadHeap<E>,
    /// Buckets `cur + 1 .. cur + ring.len()`, at `number & mask`.
    ring: Vec<Vec<(u64, E)>>,
    /// Bit `slot` set when `ring[slot]` is non-empty.
    occupied: Vec<u64>,
    /// Events at bucket `cur + ring.len()` or later.
    far: QuadHeap<E>,
    /// Emptied bucket allocations, handed to buckets that receive their
    /// first event: a bucket's memory is given back once it has been worked
    /// through (a week's ring would otherwise keep an allocation for every
    /// event of the run) without allocating anew for every bucket.
    spare: Vec<Vec<(u64, E)>>,
    len: usize,
    /// The last key popped (checked against pushes in debug builds).
    #[cfg(debug_assertions)]
    floor: u64,
}

impl<E> CalendarQueue<E> {
    /// A queue with buckets of `2^width_bits` ms and a ring of
    /// `2^ring_bits` buckets.
    pub fn with_shape(width_bits: u32, ring_bits: u32) -> Self {
        assert!(width_bits < super::TIME_BITS && (6..=24).contains(&ring_bits));
        let n = 1usize << ring_bits;
        CalendarQueue {
            shift: SEQ_BITS + width_bits,
            mask: n as u64 - 1,
            cur: 0,
            sorted: Vec::new(),
            late: QuadHeap::new(),
            ring: (0..n).map(|_| Vec::new()).collect(),
            occupied: vec![0; n / 64],
            far: QuadHeap::new(),
            spare: Vec::new(),
            len: 0,
            #[cfg(debug_assertions)]
            floor: 0,
        }
    }

    #[inline]
    fn number(&self, key: u64) -> u64 {
        key >> self.shift
    }

    #[inline]
    fn reach(&self) -> u64 {
        self.cur + self.mask + 1
    }

    #[inline]
    fn file_in_ring(&mut self, n: u64, key: u64, event: E) {
        let slot = (n & self.mask) as usize;
        self.occupied[slot / 64] |= 1 << (slot % 64);
        let bucket = &mut self.ring[slot];
        if bucket.capacity() == 0 {
            if let Some(v) = self.spare.pop() {
                *bucket = v;
            }
        }
        bucket.push((key, event));
        // The bucket's next append writes the slot past its end, usually
        // in the line this append just wrote but for its last bytes: start
        // fetching the line of its last byte now, so that the write does
        // not wait for memory when it comes (thousands of appends to other
        // buckets later).
        let next_slot = bucket.as_ptr().wrapping_add(bucket.len());
        let last_byte = next_slot.wrapping_add(1).cast::<u8>().wrapping_sub(1);
        crate::hint::prefetch_write(last_byte);
    }

    /// The number of the first non-empty ring bucket after `cur`.
    fn next_in_ring(&self) -> Option<u64> {
        let n = self.ring.len();
        let start = ((self.cur + 1) & self.mask) as usize;
        let words = self.occupied.len();
        // The first word, from `start` on; then whole words, wrapping, and
        // the first word's bits before `start` last.
        let (w0, b0) = (start / 64, start % 64);
        let first = self.occupied[w0] & (u64::MAX << b0);
        let found = if first != 0 {
            Some(w0 * 64 + first.trailing_zeros() as usize)
        } else {
            (1..=words).find_map(|i| {
                let w = (w0 + i) % words;
                let mut bits = self.occupied[w];
                if i == words {
                    bits &= !(u64::MAX << b0);
                }
                (bits != 0).then(|| w * 64 + bits.trailing_zeros() as usize)
            })
        }?;
        let ahead = (found + n - start) % n;
        Some(self.cur + 1 + ahead as u64)
    }

    /// Makes the next non-empty bucket current; false when none is left.
    fn advance(&mut self) -> bool {
        debug_assert!(self.sorted.is_empty() && self.late.is_empty());
        let next = match self.next_in_ring() {
            Some(n) => n,
            None => match self.far.peek_key() {
                Some(k) => self.number(k),
                None => return false,
            },
        };
        self.cur = next;
        // Events of the far heap that the ring now reaches join it.
        let reach = self.reach();
        while self.far.peek_key().is_some_and(|k| self.number(k) < reach) {
            let (key, event) = self.far.pop().expect("peeked");
            self.file_in_ring(self.number(key), key, event);
        }
        let slot = (next & self.mask) as usize;
        self.occupied[slot / 64] &= !(1 << (slot % 64));
        let done = std::mem::replace(&mut self.sorted, std::mem::take(&mut self.ring[slot]));
        if self.spare.len() < SPARE {
            self.spare.push(done);
        }
        self.sorted.sort_unstable_by_key(|x| std::cmp::Reverse(x.0));
        true
    }
}

impl<E> EventQueue<E> for CalendarQueue<E> {
    fn new() -> Self {
        Self::with_shape(WIDTH_BITS, MAX_RING_BITS)
    }

    /// A ring just long enough for `horizon` (at most `2^MAX_RING_BITS`
    /// buckets), so that a short run does not set up a week's buckets.
    fn for_horizon(horizon: SimTime) -> Self {
        let buckets = (horizon >> WIDTH_BITS) + 2;
        let bits = (64 - (buckets - 1).leading_zeros()).clamp(6, MAX_RING_BITS);
        Self::with_shape(WIDTH_BITS, bits)
    }

    #[inline]
    fn push(&mut self, key: u64, event: E) {
        let n = self.number(key);
        // A key below the current bucket is possible after `peek_key_mut`
        // made a later bucket current; it goes to the small heap, which
        // pops in key order with the current bucket.
        #[cfg(debug_assertions)]
        debug_assert!(key >= self.floor, "calendar queue needs monotone keys");
        self.len += 1;
        if n <= self.cur {
            self.late.push(key, event);
        } else if n < self.reach() {
            self.file_in_ring(n, key, event);
        } else {
            self.far.push(key, event);
        }
    }

    #[inline]
    fn pop(&mut self) -> Option<(u64, E)> {
        loop {
            let from_late = match (self.sorted.last(), self.late.peek_key()) {
                (Some(s), Some(l)) => l < s.0,
                (Some(_), None) => false,
                (None, Some(_)) => true,
                (None, None) => {
                    if self.advance() {
                        continue;
                    }
                    return None;
                }
            };
            self.len -= 1;
            let next = if from_late {
                self.late.pop()
            } else {
                self.sorted.pop()
            };
            #[cfg(debug_assertions)]
            if let Some((k, _)) = &next {
                self.floor = *k;
            }
            return next;
        }
    }

    /// The current bucket's next events, with the small heap's first
    /// merged in at its place.
    #[inline]
    fn peek_ahead(&self) -> [Option<&E>; AHEAD] {
        let mut out = [None; AHEAD];
        let mut late = self.late.peek();
        let mut sorted = self.sorted.iter().rev();
        let mut s = sorted.next();
        for slot in &mut out {
            *slot = match (s, late) {
                (Some(a), Some(l)) if l.0 < a.0 => {
                    late = None;
                    Some(&l.1)
                }
                (Some(a), _) => {
                    s = sorted.next();
                    Some(&a.1)
                }
                (None, Some(l)) => {
                    late = None;
                    Some(&l.1)
                }
                (None, None) => None,
            };
        }
        out
    }

    /// Makes the next non-empty bucket current if the current one is
    /// used up, so that peeking is as cheap as popping.
    #[inline]
    fn peek_key_mut(&mut self) -> Option<u64> {
        if self.sorted.is_empty() && self.late.is_empty() && !self.advance() {
            return None;
        }
        self.peek_key()
    }

    fn peek_key(&self) -> Option<u64> {
        let current = match (self.sorted.last(), self.late.peek_key()) {
            (Some(s), Some(l)) => Some(s.0.min(l)),
            (Some(s), None) => Some(s.0),
            (None, l) => l,
        };
        if current.is_some() {
            return current;
        }
        if let Some(n) = self.next_in_ring() {
            return self.ring[(n & self.mask) as usize]
                .iter()
                .map(|x| x.0)
                .min();
        }
        self.far.peek_key()
    }

    fn len(&self) -> usize {
        self.len
    }

    fn drain_all(&mut self) -> Vec<(u64, E)> {
        let mut out = Vec::with_capacity(self.len);
        out.append(&mut self.sorted);
        out.append(&mut self.late.drain_all());
        for b in &mut self.ring {
            out.append(b);
        }
        self.occupied.fill(0);
        out.append(&mut self.far.drain_all());
        self.len = 0;
        out
    }
}
