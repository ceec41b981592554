//! A small discrete-event engine that knows nothing of what it simulates.
//!
//! - [`time`]: integer virtual time in milliseconds and a [`Duration`] that
//!   reads `90s`, `15m`, `6h`, `3d`.
//! - [`queue`]: the future-event queue over packed `(time, sequence)` keys,
//!   so that equal times pop first-scheduled-first: a calendar queue
//!   ([`queue::DefaultQueue`]). The `bench-queues` feature adds three
//!   other queues (and the `priority-queue` dependency) for the
//!   benchmarks to compare; the simulator builds without it.
//! - [`Scheduler`] and [`run`]: the calendar and the run loop, with progress.
//! - [`Streams`]: named counter-based (Philox) random streams derived from
//!   `(seed, replication, purpose, entity)`, for common random numbers.
//! - [`alloc::HugePages`]: the system allocator with transparent huge
//!   pages advised for large allocations (the binary's global allocator).
//! - [`Fingerprint`]: a hash over the events of a run, for fingerprint tests.
//! - [`Timer`]: a cancellable timer by generation (lazy cancellation), four
//!   bytes kept in the record of the entity it belongs to.
//!
//! ```
//! use smssim_engine::{run, Model, NoProgress, Scheduler};
//!
//! struct Ping(u32);
//! impl Model for Ping {
//!     type Event = ();
//!     fn handle(&mut self, _: (), s: &mut Scheduler<()>) {
//!         self.0 += 1;
//!         s.schedule_in(1_000, ());
//!     }
//! }
//! let mut sched = Scheduler::new(10_000).unwrap();
//! sched.schedule(0, ());
//! let mut ping = Ping(0);
//! run(&mut ping, &mut sched, &mut NoProgress);
//! assert_eq!(ping.0, 11); // at 0 s, 1 s, ..., 10 s
//! ```
#![deny(missing_docs)]

pub mod alloc;
mod fingerprint;
pub mod hint;
pub mod queue;
pub mod rng;
mod scheduler;
pub mod time;
mod timer;

pub use fingerprint::Fingerprint;
pub use rng::Streams;
pub use scheduler::{run, HorizonTooFar, Model, NoProgress, Progress, Scheduler};
pub use time::{Duration, SimTime, DAY, HOUR, MINUTE, SECOND};
pub use timer::{Generation, Timer};
