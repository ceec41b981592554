//! The hold model (Jones 1986; Vaucher & Duval 1975): a queue holding `n`
//! pending events repeatedly pops the earliest and pushes one new event at
//! the popped time plus a random increment. The queue's size stays `n`, so
//! the cost per hold is the cost of one pop and one push at that size.
//!
//! Increments are drawn ahead of time from a mix that resembles the
//! simulator's: most events a few seconds to minutes ahead (copy attempts,
//! processing steps), some an hour or a day ahead (retry cycles, power
//! schedules), and many ties at the same millisecond (bursts).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use smssim_engine::queue::{
    key_time, pack, BinaryHeapQueue, CalendarQueue, EventQueue, KeyedPriorityQueue, QuadHeap,
    RadixHeap,
};
use std::hint::black_box;
use std::time::Duration;

/// An event of the simulator's size (16 bytes).
type Payload = [u32; 4];

const HOLDS_PER_ITER: usize = 1_000;
const INCREMENTS: usize = 1 << 16;

fn increments(seed: u64) -> Vec<u64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..INCREMENTS)
        .map(|_| {
            let u: f64 = rng.random();
            match rng.random_range(0..100u32) {
                0..=19 => 0,                                       // same instant
                20..=79 => (-(1.0 - u).ln() * 30_000.0) as u64,    // ~30 s
                80..=94 => (-(1.0 - u).ln() * 3_600_000.0) as u64, // ~1 h
                _ => (-(1.0 - u).ln() * 86_400_000.0) as u64,      // ~1 day
            }
        })
        .collect()
}

struct Hold<Q> {
    queue: Q,
    seq: u64,
    inc: Vec<u64>,
    next: usize,
}

impl<Q: EventQueue<Payload>> Hold<Q> {
    fn new(n: usize) -> Self {
        let inc = increments(7);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let mut queue = Q::new();
        for seq in 0..n as u64 {
            let t = rng.random_range(0..86_400_000u64);
            queue.push(pack(t, seq), [seq as u32; 4]);
        }
        Hold {
            queue,
            seq: n as u64,
            inc,
            next: 0,
        }
    }

    #[inline]
    fn hold(&mut self) {
        let (key, ev) = self.queue.pop().expect("the hold model never empties");
        let dt = self.inc[self.next & (INCREMENTS - 1)];
        self.next += 1;
        self.queue.push(pack(key_time(key) + dt, self.seq), ev);
        self.seq += 1;
    }
}

/// Pending events of the hold model: up to a million for every queue, and
/// ten million (the pending events of a ten-million-client week, whose
/// queue no longer fits the caches) for the two the simulator can use.
const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];
const SIZES_TO_10M: [usize; 4] = [1_000, 100_000, 1_000_000, 10_000_000];

fn bench_queue<Q: EventQueue<Payload>>(c: &mut Criterion, name: &str, sizes: &[usize]) {
    let mut group = c.benchmark_group("hold");
    group.throughput(Throughput::Elements(HOLDS_PER_ITER as u64));
    for &n in sizes {
        let mut h = Hold::<Q>::new(n);
        // Let the queue reach its steady shape before measuring.
        for _ in 0..n.min(200_000) {
            h.hold();
        }
        group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
            b.iter(|| {
                for _ in 0..HOLDS_PER_ITER {
                    h.hold();
                }
                black_box(h.queue.len())
            })
        });
    }
    group.finish();
}

fn queues(c: &mut Criterion) {
    bench_queue::<QuadHeap<Payload>>(c, "quad_heap", &SIZES);
    bench_queue::<BinaryHeapQueue<Payload>>(c, "std_binary_heap", &SIZES);
    bench_queue::<RadixHeap<Payload>>(c, "radix_heap", &SIZES_TO_10M);
    bench_queue::<CalendarQueue<Payload>>(c, "calendar", &SIZES_TO_10M);
    bench_queue::<KeyedPriorityQueue<Payload>>(c, "priority_queue_crate", &SIZES);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = queues
}
criterion_main!(benches);
