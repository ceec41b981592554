//! Timer cancellation by generation: an entity's pending timer event carries
//! the generation it was armed with, and a handler ignores an event whose
//! generation is no longer current. Cancelling costs one increment and leaves
//! the stale event in the queue, to be skipped when it comes up (lazy
//! cancellation), so the queue never has to search.
//!
//! A [`Timer`] is four bytes and `Copy`, so that it lives inside the
//! entity's own record (beside the rest of the state an event of that entity
//! touches) rather than in a table of its own.

/// The generation an armed timer event carries.
pub type Generation = u32;

/// One cancellable timer of one entity (a client, a retry entry, a job).
///
/// The generation and the armed state share one counter: an odd value is
/// the generation of the live timer, an even value means nothing is armed.
/// Arming moves to the next odd value, so every event it schedules carries a
/// generation no earlier event of this timer carries; cancelling and firing
/// move to the next even value, so no pending event matches. The counter
/// wraps: an event could be mistaken for the live timer only if it were still
/// pending after 2^31 later arms of the same timer.
///
/// ```
/// use smssim_engine::Timer;
///
/// let mut t = Timer::new();
/// let old = t.arm();
/// let new = t.arm(); // re-arming cancels `old`
/// assert!(!t.fire(old));
/// assert!(t.fire(new));
/// assert!(!t.fire(new)); // a timer fires once
/// assert!(!t.is_armed());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timer(Generation);

impl Timer {
    /// A timer that is not armed.
    #[inline]
    pub const fn new() -> Self {
        Timer(0)
    }

    /// Arms the timer, cancelling the event armed before if any; the
    /// returned generation goes into the event scheduled for it.
    #[inline]
    pub fn arm(&mut self) -> Generation {
        // Even (idle) g becomes g + 1, odd (armed) g becomes g + 2.
        self.0 = self.0.wrapping_add(1) | 1;
        self.0
    }

    /// Cancels the armed timer; harmless when none is armed.
    #[inline]
    pub fn cancel(&mut self) {
        self.0 = self.0.wrapping_add(self.0 & 1);
    }

    /// Whether an event armed with `generation` is the live timer; if it is,
    /// the timer is consumed (it fires once) and is no longer armed.
    #[inline]
    pub fn fire(&mut self, generation: Generation) -> bool {
        if self.is_armed() && self.0 == generation {
            self.0 = self.0.wrapping_add(1);
            true
        } else {
            false
        }
    }

    /// Whether an event armed with this timer is pending (armed, neither
    /// cancelled nor fired since).
    #[inline]
    pub const fn is_armed(&self) -> bool {
        self.0 & 1 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const _: () = assert!(std::mem::size_of::<Timer>() == 4);

    #[test]
    fn rearming_cancels_the_older_timer() {
        let mut t = Timer::new();
        let g1 = t.arm();
        let g2 = t.arm();
        assert_ne!(g1, g2);
        assert!(t.is_armed());
        assert!(!t.fire(g1));
        assert!(t.is_armed(), "a stale event leaves the live timer armed");
        assert!(t.fire(g2));
    }

    #[test]
    fn a_timer_fires_once() {
        let mut t = Timer::new();
        let g = t.arm();
        assert!(t.fire(g));
        assert!(!t.is_armed());
        assert!(!t.fire(g));
        let g2 = t.arm();
        assert_ne!(g, g2, "a new arming never reuses the generation that fired");
        assert!(!t.fire(g));
        assert!(t.fire(g2));
    }

    #[test]
    fn cancel_disarms_and_is_harmless_when_idle() {
        let mut t = Timer::new();
        t.cancel();
        assert_eq!(t, Timer::new());
        assert!(!t.is_armed());
        let g = t.arm();
        t.cancel();
        assert!(!t.is_armed());
        assert!(!t.fire(g));
        let before = t;
        t.cancel();
        assert_eq!(t, before, "a second cancel changes nothing");
        assert!(!t.fire(g));
    }

    #[test]
    fn an_idle_timer_fires_for_nothing() {
        let mut t = Timer::new();
        for g in [0, 1, 2, Generation::MAX] {
            assert!(!t.fire(g));
            assert!(!t.is_armed());
        }
    }

    #[test]
    fn wraps_around() {
        // Armed at the largest generation: the next arm wraps past zero.
        let mut t = Timer(Generation::MAX - 1);
        let last = t.arm();
        assert_eq!(last, Generation::MAX);
        let first = t.arm();
        assert_eq!(first, 1);
        assert!(!t.fire(last));
        assert!(t.fire(first));
        // Firing (and cancelling) at the largest generation wraps to idle.
        let mut t = Timer(Generation::MAX - 1);
        let g = t.arm();
        assert!(t.fire(g));
        assert_eq!(t, Timer::new());
        let mut t = Timer(Generation::MAX - 1);
        let g = t.arm();
        t.cancel();
        assert!(!t.is_armed());
        assert!(!t.fire(g));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Arm,
        Cancel,
        /// Fire the event of the `k`-th arming so far (modulo their number).
        Fire(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            Just(Op::Arm),
            Just(Op::Cancel),
            any::<usize>().prop_map(Op::Fire),
        ]
    }

    proptest! {
        /// Against a model that never wraps: each arming is a fresh
        /// event, and an event fires iff it is the latest arming and
        /// nothing cancelled or fired it since.
        #[test]
        fn matches_a_model_of_fresh_events(
            start in prop_oneof![Just(0u32), Just(Generation::MAX - 7), any::<u32>()],
            ops in proptest::collection::vec(op(), 0..200),
        ) {
            let mut t = Timer(start & !1);
            let mut events: Vec<Generation> = Vec::new();
            let mut live: Option<usize> = None;
            for op in ops {
                match op {
                    Op::Arm => {
                        events.push(t.arm());
                        live = Some(events.len() - 1);
                    }
                    Op::Cancel => {
                        t.cancel();
                        live = None;
                    }
                    Op::Fire(k) if !events.is_empty() => {
                        let k = k % events.len();
                        let want = live == Some(k);
                        prop_assert_eq!(t.fire(events[k]), want);
                        if want {
                            live = None;
                        }
                    }
                    Op::Fire(_) => {}
                }
                prop_assert_eq!(t.is_armed(), live.is_some());
            }
        }
    }
}
