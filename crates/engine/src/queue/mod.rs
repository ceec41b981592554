//! Future-event queues ordered by a packed `(time, sequence)` key.
//!
//! Every event carries a `u64` key: the virtual time in the high
//! [`TIME_BITS`] bits and an insertion sequence number in the low
//! [`SEQ_BITS`] bits. Comparing keys as plain integers therefore orders events
//! by time and, among equal times, first-scheduled-first (FIFO). The
//! [`Scheduler`](crate::Scheduler) renumbers sequence numbers (keeping their
//! order) before they overflow, so the FIFO guarantee has no event-count limit.
//!
//! [`CalendarQueue`] (a ring of time buckets in front of a small 4-ary
//! heap, [`QuadHeap`]) is the [`DefaultQueue`]; [`RadixHeap`], the default
//! before it, stays for comparison. The `bench-queues` feature adds two
//! more structures for comparison only (`BinaryHeapQueue`, and
//! `KeyedPriorityQueue` over the `priority-queue` crate): `benches/` turns
//! it on to measure them all, and `docs/performance.md` records why the
//! calendar queue is the default. The simulator's build leaves those two,
//! and `priority-queue`, out.

#[cfg(feature = "bench-queues")]
mod binary;
mod calendar;
#[cfg(feature = "bench-queues")]
mod keyed;
mod quad;
mod radix;

#[cfg(feature = "bench-queues")]
pub use binary::BinaryHeapQueue;
pub use calendar::CalendarQueue;
#[cfg(feature = "bench-queues")]
pub use keyed::KeyedPriorityQueue;
pub use quad::QuadHeap;
pub use radix::RadixHeap;

use crate::time::SimTime;
pub use crate::time::{MAX_TIME, TIME_BITS};

/// How many upcoming events [`EventQueue::peek_ahead`] gives.
pub const AHEAD: usize = 3;

/// Bits of the key that hold the insertion sequence number.
pub const SEQ_BITS: u32 = 64 - TIME_BITS;
/// The largest sequence number a key can hold.
pub const MAX_SEQ: u64 = (1 << SEQ_BITS) - 1;

/// Packs a time and a sequence number into one ordered key.
#[inline]
pub fn pack(time: SimTime, seq: u64) -> u64 {
    debug_assert!(time <= MAX_TIME && seq <= MAX_SEQ);
    (time << SEQ_BITS) | seq
}

/// The time part of a packed key.
#[inline]
pub fn key_time(key: u64) -> SimTime {
    key >> SEQ_BITS
}

/// A priority queue of events keyed by packed `(time, sequence)` keys, popping
/// the smallest key first. Keys pushed are unique.
pub trait EventQueue<E> {
    /// An empty queue.
    fn new() -> Self;
    /// An empty queue for a run that ends at `horizon` (a queue may size
    /// itself by it).
    fn for_horizon(horizon: SimTime) -> Self
    where
        Self: Sized,
    {
        let _ = horizon;
        Self::new()
    }
    /// Adds an event.
    fn push(&mut self, key: u64, event: E);
    /// Removes and returns the event with the smallest key.
    fn pop(&mut self) -> Option<(u64, E)>;
    /// The smallest key, if any.
    fn peek_key(&self) -> Option<u64>;
    /// The smallest key, if any, doing whatever work makes the next
    /// [`pop`](Self::pop) cheap (a calendar queue makes its next bucket
    /// current): for a caller that peeks before every pop.
    #[inline]
    fn peek_key_mut(&mut self) -> Option<u64> {
        self.peek_key()
    }
    /// The next events, as far as the queue can tell without work, soonest
    /// first (for prefetching what they will touch; a hint, which may miss
    /// an event or include a later one). Empty by default.
    #[inline]
    fn peek_ahead(&self) -> [Option<&E>; AHEAD] {
        [None; AHEAD]
    }
    /// Number of pending events.
    fn len(&self) -> usize;
    /// Whether no event is pending.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Removes every event, in no particular order.
    fn drain_all(&mut self) -> Vec<(u64, E)>;
}

/// The queue the simulator uses unless told otherwise (chosen by whole-run
/// measurements, `docs/performance.md`).
pub type DefaultQueue<E> = CalendarQueue<E>;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// What a queue is observed to do under a run of the discrete-event
    /// pattern (pop the earliest, push later ones): every key popped, and
    /// the smallest key and length after each step.
    type Trace = Vec<(Option<u64>, Option<u64>, usize)>;

    /// The behaviour every queue must have, from an ordered set of the
    /// (unique) keys.
    fn reference(start: &[u64], steps: &[(u64, usize)]) -> Trace {
        let mut q = BTreeSet::new();
        let mut seq = 0u64;
        let mut now = 0;
        for &t in start {
            q.insert(pack(t, seq));
            seq += 1;
        }
        let mut out = Vec::new();
        for &(dt, pushes) in steps {
            let k = q.pop_first();
            now = k.map(key_time).unwrap_or(now);
            for _ in 0..pushes {
                q.insert(pack(now + dt, seq));
                seq += 1;
            }
            out.push((k, q.first().copied(), q.len()));
        }
        out
    }

    fn hold<Q: EventQueue<u64>>(start: &[u64], steps: &[(u64, usize)]) -> Trace {
        let mut q = Q::new();
        let mut seq = 0u64;
        let mut now = 0;
        for &t in start {
            q.push(pack(t, seq), seq);
            seq += 1;
        }
        let mut out = Vec::new();
        for &(dt, pushes) in steps {
            let k = q.pop().map(|(k, e)| {
                assert_eq!(
                    k & MAX_SEQ,
                    e,
                    "the event popped is the one pushed with the key"
                );
                k
            });
            now = k.map(key_time).unwrap_or(now);
            for _ in 0..pushes {
                q.push(pack(now + dt, seq), seq);
                seq += 1;
            }
            out.push((k, q.peek_key(), q.len()));
        }
        out
    }

    fn drain_order<Q: EventQueue<u32>>(keys: &[u64]) -> Vec<u64> {
        let mut q = Q::new();
        for (i, &k) in keys.iter().enumerate() {
            q.push(k, i as u32);
        }
        let mut out = Vec::new();
        while let Some((k, _)) = q.pop() {
            out.push(k);
        }
        out
    }

    fn keys(times: &[u64]) -> (Vec<u64>, Vec<u64>) {
        let keys: Vec<u64> = times
            .iter()
            .enumerate()
            .map(|(i, &t)| pack(t, i as u64))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        (keys, sorted)
    }

    proptest! {
        /// The status lane's pattern: peek (which may make a later bucket
        /// current), then push events due before the peeked one (world
        /// events it follows schedule them), then pop.
        #[test]
        fn default_queue_pops_in_key_order_when_peeking_before_pushing(
            start in proptest::collection::vec(0u64..200_000, 1..100),
            steps in proptest::collection::vec((0u64..100_000, 0usize..3), 1..300),
        ) {
            let mut q = DefaultQueue::<u64>::new();
            let mut reference = BTreeSet::new();
            let mut seq = 0u64;
            for &t in &start {
                q.push(pack(t, seq), seq);
                reference.insert(pack(t, seq));
                seq += 1;
            }
            let mut now = 0;
            for &(dt, pushes) in &steps {
                prop_assert_eq!(q.peek_key_mut(), reference.first().copied());
                for _ in 0..pushes {
                    q.push(pack(now + dt, seq), seq);
                    reference.insert(pack(now + dt, seq));
                    seq += 1;
                }
                let k = q.pop().map(|(k, _)| k);
                prop_assert_eq!(k, reference.pop_first());
                now = k.map(key_time).unwrap_or(now);
            }
        }

        #[test]
        fn default_queue_pops_in_key_order(times in proptest::collection::vec(0u64..1000, 0..300)) {
            let (keys, sorted) = keys(&times);
            prop_assert_eq!(drain_order::<DefaultQueue<u32>>(&keys), sorted);
        }

        #[test]
        fn default_queue_agrees_with_the_reference_under_hold(
            start in proptest::collection::vec(0u64..500, 1..200),
            steps in proptest::collection::vec((0u64..300, 0usize..3), 0..600),
        ) {
            prop_assert_eq!(hold::<DefaultQueue<u64>>(&start, &steps), reference(&start, &steps));
        }
    }

    /// A calendar queue with tiny buckets and a short ring, so that the
    /// tests' few hundred milliseconds cross many buckets, wrap the ring and
    /// pass through its far heap.
    #[derive(Debug)]
    struct TinyCalendar<E>(CalendarQueue<E>);

    impl<E> EventQueue<E> for TinyCalendar<E> {
        fn new() -> Self {
            TinyCalendar(CalendarQueue::with_shape(2, 6))
        }
        fn push(&mut self, key: u64, event: E) {
            self.0.push(key, event)
        }
        fn pop(&mut self) -> Option<(u64, E)> {
            self.0.pop()
        }
        fn peek_key(&self) -> Option<u64> {
            self.0.peek_key()
        }
        fn len(&self) -> usize {
            self.0.len()
        }
        fn drain_all(&mut self) -> Vec<(u64, E)> {
            self.0.drain_all()
        }
    }

    proptest! {
        #[test]
        fn calendar_pops_in_key_order(times in proptest::collection::vec(0u64..100_000, 0..300)) {
            let (keys, sorted) = keys(&times);
            prop_assert_eq!(drain_order::<TinyCalendar<u32>>(&keys), sorted.clone());
            prop_assert_eq!(drain_order::<CalendarQueue<u32>>(&keys), sorted);
        }

        #[test]
        fn calendar_agrees_with_the_reference_under_hold(
            start in proptest::collection::vec(0u64..500, 1..200),
            steps in proptest::collection::vec((0u64..300, 0usize..3), 0..600),
        ) {
            prop_assert_eq!(hold::<TinyCalendar<u64>>(&start, &steps), reference(&start, &steps));
        }

        /// Steps far beyond the ring's reach, and back within it.
        #[test]
        fn calendar_agrees_with_the_reference_across_its_far_heap(
            start in proptest::collection::vec(0u64..5_000, 1..100),
            steps in proptest::collection::vec((prop_oneof![0u64..8, 200u64..2_000], 0usize..3), 0..600),
        ) {
            prop_assert_eq!(hold::<TinyCalendar<u64>>(&start, &steps), reference(&start, &steps));
        }
    }

    #[test]
    fn calendar_keeps_order_across_a_drain_and_refill() {
        let mut q: TinyCalendar<u32> = TinyCalendar::new();
        for (i, t) in [5u64, 900, 3, 70, 70, 4_000].iter().enumerate() {
            q.push(pack(*t, i as u64), i as u32);
        }
        assert_eq!(q.pop().map(|x| x.1), Some(2));
        let mut all = q.drain_all();
        assert_eq!(q.len(), 0);
        all.sort_unstable_by_key(|x| x.0);
        for (seq, (k, e)) in all.into_iter().enumerate() {
            q.push(pack(key_time(k), seq as u64), e);
        }
        let order: Vec<u32> = std::iter::from_fn(|| q.pop().map(|x| x.1)).collect();
        assert_eq!(order, vec![0, 3, 4, 1, 5]);
    }

    /// The comparison queues, which exist only with the `bench-queues`
    /// feature (on under `cargo test --workspace`, through `benches`).
    #[cfg(feature = "bench-queues")]
    mod every_queue {
        use super::*;

        proptest! {
            #[test]
            fn every_queue_pops_in_key_order(times in proptest::collection::vec(0u64..1000, 0..300)) {
                let (keys, sorted) = keys(&times);
                prop_assert_eq!(&drain_order::<QuadHeap<u32>>(&keys), &sorted);
                prop_assert_eq!(&drain_order::<BinaryHeapQueue<u32>>(&keys), &sorted);
                prop_assert_eq!(&drain_order::<KeyedPriorityQueue<u32>>(&keys), &sorted);
                prop_assert_eq!(&drain_order::<RadixHeap<u32>>(&keys), &sorted);
            }

            /// The discrete-event pattern: every queue behaves as the
            /// reference, hence as every other.
            #[test]
            fn every_queue_agrees_under_hold(
                start in proptest::collection::vec(0u64..500, 1..200),
                steps in proptest::collection::vec((0u64..300, 0usize..3), 0..600),
            ) {
                let want = reference(&start, &steps);
                prop_assert_eq!(&hold::<QuadHeap<u64>>(&start, &steps), &want);
                prop_assert_eq!(&hold::<BinaryHeapQueue<u64>>(&start, &steps), &want);
                prop_assert_eq!(&hold::<KeyedPriorityQueue<u64>>(&start, &steps), &want);
                prop_assert_eq!(&hold::<RadixHeap<u64>>(&start, &steps), &want);
            }
        }
    }

    #[test]
    fn packing_orders_time_then_sequence() {
        assert!(pack(1, MAX_SEQ) < pack(2, 0));
        assert!(pack(5, 1) < pack(5, 2));
        assert_eq!(key_time(pack(MAX_TIME, 7)), MAX_TIME);
    }
}
