//! Opening a random stream for an entity and drawing from it, as the model
//! does for every copy attempt and every client-day: the generator the
//! engine uses (Philox4x64-10, counter-based) against the one it replaced
//! (a ChaCha8 stream keyed and positioned per occurrence).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use smssim_engine::Streams;
use std::hint::black_box;
use std::time::Duration;

/// Streams opened per measured iteration.
const OPENS: u64 = 1_000;

fn open_and_draw(c: &mut Criterion) {
    let mut group = c.benchmark_group("stream");
    group.throughput(Throughput::Elements(OPENS));
    for draws in [1usize, 4] {
        let streams = Streams::new(7, 0);
        group.bench_function(format!("philox/open+{draws}"), |b| {
            b.iter(|| {
                let mut acc = 0u64;
                for e in 0..OPENS {
                    let mut r = streams.open(17u16, black_box(e), 3);
                    for _ in 0..draws {
                        acc = acc.wrapping_add(r.random_range(1_000..=5_000u64));
                    }
                }
                acc
            })
        });
        let key = [7u8; 32];
        group.bench_function(format!("chacha8/open+{draws}"), |b| {
            b.iter(|| {
                let mut acc = 0u64;
                for e in 0..OPENS {
                    let mut r = ChaCha8Rng::from_seed(key);
                    r.set_stream((17 << 48) | black_box(e));
                    r.set_word_pos(3 * 64);
                    for _ in 0..draws {
                        acc = acc.wrapping_add(r.random_range(1_000..=5_000u64));
                    }
                }
                acc
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = open_and_draw
}
criterion_main!(benches);
