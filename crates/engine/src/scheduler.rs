//! The event calendar and the run loop.

use crate::queue::{self, DefaultQueue, EventQueue};
use crate::time::SimTime;

/// The future-event list of one run: the clock, the pending events, and the
/// horizon beyond which nothing is scheduled.
///
/// Ties are broken first-scheduled-first: each event's key packs its time
/// with a sequence number that grows with every [`schedule`](Self::schedule).
#[derive(Debug)]
pub struct Scheduler<E, Q = DefaultQueue<E>> {
    now: SimTime,
    horizon: SimTime,
    next_seq: u64,
    queue: Q,
    executed: u64,
    dropped: u64,
    _event: std::marker::PhantomData<E>,
}

/// The horizon is beyond the largest time a key can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a horizon of {horizon} ms exceeds the engine's limit of {max} ms (about 795 days)")]
pub struct HorizonTooFar {
    /// The horizon asked for.
    pub horizon: SimTime,
    /// The largest horizon possible.
    pub max: SimTime,
}

impl<E, Q: EventQueue<E>> Scheduler<E, Q> {
    /// An empty calendar at time 0 that runs until `horizon` (inclusive).
    pub fn new(horizon: SimTime) -> Result<Self, HorizonTooFar> {
        if horizon > queue::MAX_TIME {
            return Err(HorizonTooFar {
                horizon,
                max: queue::MAX_TIME,
            });
        }
        Ok(Scheduler {
            now: 0,
            horizon,
            next_seq: 0,
            queue: Q::for_horizon(horizon),
            executed: 0,
            dropped: 0,
            _event: std::marker::PhantomData,
        })
    }

    /// The current virtual time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The last instant of the run.
    #[inline]
    pub fn horizon(&self) -> SimTime {
        self.horizon
    }

    /// Schedules `event` at `at` (not before now). An event past the horizon
    /// would never run, so it is dropped and `false` returned.
    #[inline]
    pub fn schedule(&mut self, at: SimTime, event: E) -> bool {
        debug_assert!(at >= self.now, "event scheduled in the past");
        let at = at.max(self.now);
        if at > self.horizon {
            self.dropped += 1;
            return false;
        }
        if self.next_seq > queue::MAX_SEQ {
            self.renumber();
        }
        self.queue.push(queue::pack(at, self.next_seq), event);
        self.next_seq += 1;
        true
    }

    /// Schedules `event` `delay` milliseconds from now.
    #[inline]
    pub fn schedule_in(&mut self, delay: u64, event: E) -> bool {
        self.schedule(self.now.saturating_add(delay), event)
    }

    /// Takes the next event and advances the clock to it.
    #[inline]
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        let (key, event) = self.queue.pop()?;
        self.now = queue::key_time(key);
        self.executed += 1;
        Some((self.now, event))
    }

    /// Takes the next event if it is due before `limit`, and advances the
    /// clock to it; `None` if nothing is pending before `limit`.
    #[inline]
    pub fn pop_before(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
        let key = self.queue.peek_key_mut()?;
        if queue::key_time(key) >= limit {
            return None;
        }
        self.pop()
    }

    /// Advances the clock to `t` (not before now) without taking an event:
    /// for a model that also handles events from outside this calendar
    /// at `t` (the world's changes, on the status lane).
    #[inline]
    pub fn advance_to(&mut self, t: SimTime) {
        debug_assert!(t >= self.now, "the clock goes back");
        self.now = self.now.max(t);
    }

    /// The next few events, as far as the queue can tell at no cost
    /// (a hint: see [`EventQueue::peek_ahead`]).
    #[inline]
    pub fn peek_ahead(&self) -> [Option<&E>; queue::AHEAD] {
        self.queue.peek_ahead()
    }

    /// The time of the next pending event, if any.
    pub fn peek_time(&self) -> Option<SimTime> {
        self.queue.peek_key().map(queue::key_time)
    }

    /// Events still pending.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Events taken from the calendar so far.
    pub fn executed(&self) -> u64 {
        self.executed
    }

    /// Events that were not scheduled because they fell past the horizon.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Gives the pending events new sequence numbers `0..n` in their current
    /// order, so that the FIFO order survives any number of events.
    fn renumber(&mut self) {
        let mut all = self.queue.drain_all();
        all.sort_unstable_by_key(|e| e.0);
        for (seq, (key, event)) in all.into_iter().enumerate() {
            self.queue
                .push(queue::pack(queue::key_time(key), seq as u64), event);
        }
        self.next_seq = self.queue.len() as u64;
    }

    #[cfg(test)]
    fn force_seq(&mut self, seq: u64) {
        self.next_seq = seq;
    }
}

/// What a model does with each event.
pub trait Model {
    /// The closed set of events of this model.
    type Event;
    /// Handles one event at the scheduler's current time.
    fn handle(&mut self, event: Self::Event, sched: &mut Scheduler<Self::Event>);

    /// Called, before the current event is handled, with the events
    /// expected after it (soonest first, as far as the queue can tell at no
    /// cost), so that the model can ask the processor to start loading the
    /// memory they will touch while it handles the current one: a pipeline
    /// in which the third event's first lookup, the second's second and the
    /// next one's last are loading at once. A hint only: it must not change
    /// the model's state.
    #[inline]
    fn prefetch(&self, _ahead: [Option<&Self::Event>; queue::AHEAD]) {}
}

/// Progress of a run, reported every [`Progress::every_events`] events.
pub trait Progress {
    /// How often to report, in events.
    fn every_events(&self) -> u64 {
        1 << 16
    }
    /// Called with the current time, the horizon and the events so far.
    fn report(&mut self, now: SimTime, horizon: SimTime, events: u64);
}

/// A progress sink that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn every_events(&self) -> u64 {
        u64::MAX
    }
    fn report(&mut self, _: SimTime, _: SimTime, _: u64) {}
}

/// Runs `model` until no event is pending (events past the horizon are never
/// scheduled). Returns the number of events handled.
pub fn run<M: Model>(
    model: &mut M,
    sched: &mut Scheduler<M::Event>,
    progress: &mut dyn Progress,
) -> u64 {
    let every = progress.every_events().max(1);
    let mut next_report = every;
    while let Some((_, event)) = sched.pop() {
        model.prefetch(sched.peek_ahead());
        model.handle(event, sched);
        if sched.executed() >= next_report {
            progress.report(sched.now(), sched.horizon(), sched.executed());
            next_report = next_report.saturating_add(every);
        }
    }
    progress.report(sched.horizon(), sched.horizon(), sched.executed());
    sched.executed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_times_pop_first_scheduled_first() {
        let mut s: Scheduler<u32> = Scheduler::new(100).unwrap();
        for i in 0..10 {
            s.schedule(5, i);
        }
        s.schedule(1, 99);
        let order: Vec<u32> = std::iter::from_fn(|| s.pop().map(|e| e.1)).collect();
        assert_eq!(order, vec![99, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }

    #[test]
    fn pop_before_stops_at_the_limit_and_events_below_a_peeked_bucket_come_first() {
        let mut s: Scheduler<u32> = Scheduler::new(1_000_000).unwrap();
        s.schedule(100_000, 1);
        // Nothing is due before 50 s: the calendar has looked at 100 s.
        assert!(s.pop_before(50_000).is_none());
        s.advance_to(50_000);
        assert_eq!(s.now(), 50_000);
        s.schedule_in(10, 2);
        assert_eq!(s.pop_before(100_000), Some((50_010, 2)));
        assert!(s.pop_before(100_000).is_none());
        assert_eq!(s.pop_before(100_001), Some((100_000, 1)));
        assert_eq!(s.executed(), 2);
    }

    #[test]
    fn events_past_the_horizon_are_dropped() {
        let mut s: Scheduler<u32> = Scheduler::new(10).unwrap();
        assert!(s.schedule(10, 1));
        assert!(!s.schedule(11, 2));
        assert_eq!(s.pending(), 1);
        assert_eq!(s.dropped(), 1);
    }

    #[test]
    fn renumbering_keeps_fifo_order() {
        let mut s: Scheduler<u32> = Scheduler::new(100).unwrap();
        s.force_seq(queue::MAX_SEQ - 2);
        for i in 0..6 {
            s.schedule(7, i);
        }
        s.schedule(3, 100);
        let order: Vec<u32> = std::iter::from_fn(|| s.pop().map(|e| e.1)).collect();
        assert_eq!(order, vec![100, 0, 1, 2, 3, 4, 5]);
    }

    #[test]
    fn horizon_beyond_key_range_is_an_error() {
        assert!(Scheduler::<u32>::new(queue::MAX_TIME + 1).is_err());
    }

    struct Countdown(u32);
    impl Model for Countdown {
        type Event = u32;
        fn handle(&mut self, n: u32, sched: &mut Scheduler<u32>) {
            self.0 += 1;
            if n > 0 {
                sched.schedule_in(10, n - 1);
            }
        }
    }

    #[test]
    fn run_drains_the_calendar() {
        let mut s = Scheduler::new(1_000).unwrap();
        s.schedule(0, 50);
        let mut m = Countdown(0);
        let n = run(&mut m, &mut s, &mut NoProgress);
        // 0, 10, ..., 500: 51 events.
        assert_eq!(n, 51);
        assert_eq!(m.0, 51);
    }
}
