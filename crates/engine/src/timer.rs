//! Timer cancellation by generation: an entity's pending timer event carries
//! the generation it was armed with, and a handler ignores an event whose
//! generation is no longer current. Cancelling costs one increment and leaves
//! the stale event in the queue, to be skipped when it comes up (lazy
//! cancellation), so the queue never has to search.

/// The generation an armed timer event carries.
pub type Generation = u32;

/// One cancellable timer per slot (e.g. per client or per site).
#[derive(Debug, Clone, Default)]
pub struct TimerSlots {
    current: Vec<Generation>,
}

impl TimerSlots {
    /// `n` slots, none armed.
    pub fn new(n: usize) -> Self {
        TimerSlots {
            current: vec![0; n],
        }
    }

    /// Arms slot `i`, cancelling any timer armed before; the returned
    /// generation goes into the scheduled event.
    #[inline]
    pub fn arm(&mut self, i: usize) -> Generation {
        let g = &mut self.current[i];
        *g = g.wrapping_add(1);
        *g
    }

    /// Cancels the timer of slot `i`, if any.
    #[inline]
    pub fn cancel(&mut self, i: usize) {
        self.arm(i);
    }

    /// Whether an event armed with `generation` is still the live timer of
    /// slot `i`; a live timer is consumed (it fires once).
    #[inline]
    pub fn fire(&mut self, i: usize, generation: Generation) -> bool {
        if self.current[i] == generation {
            self.arm(i);
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rearming_cancels_the_older_timer() {
        let mut t = TimerSlots::new(2);
        let g1 = t.arm(0);
        let g2 = t.arm(0);
        assert!(!t.fire(0, g1));
        assert!(t.fire(0, g2));
        assert!(!t.fire(0, g2), "a timer fires once");
        let g3 = t.arm(1);
        t.cancel(1);
        assert!(!t.fire(1, g3));
    }
}
