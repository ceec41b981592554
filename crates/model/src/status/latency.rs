//! Delivery latencies as a histogram: exact seconds up to an hour, then
//! minutes, so that percentiles of millions of items cost a few kilobytes.

const EXACT_S: u64 = 3_600;
const MINUTE_BUCKETS: u64 = 20 * 24 * 60;

/// A histogram of latencies in seconds.
#[derive(Debug, Clone)]
pub struct Latency {
    buckets: Vec<u64>,
    count: u64,
}

impl Default for Latency {
    fn default() -> Self {
        Latency {
            buckets: vec![0; (EXACT_S + MINUTE_BUCKETS) as usize],
            count: 0,
        }
    }
}

impl Latency {
    /// Records a latency of `ms` milliseconds.
    pub fn add(&mut self, ms: u64) {
        let s = ms / 1000;
        let b = if s < EXACT_S {
            s
        } else {
            (EXACT_S + (s - EXACT_S) / 60).min(EXACT_S + MINUTE_BUCKETS - 1)
        };
        self.buckets[b as usize] += 1;
        self.count += 1;
    }

    /// The `q` quantile in seconds (upper edge of its bucket); 0 if empty.
    pub fn quantile_s(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let rank = ((q * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (b, &n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= rank {
                let b = b as u64;
                return if b < EXACT_S {
                    (b + 1) as f64
                } else {
                    (EXACT_S + (b - EXACT_S + 1) * 60) as f64
                };
            }
        }
        unreachable!("rank <= count")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_known_samples() {
        let mut l = Latency::default();
        assert_eq!(l.quantile_s(0.95), 0.0);
        for s in 0..100 {
            l.add(s * 1000 + 500);
        }
        assert_eq!(l.quantile_s(0.95), 95.0);
        assert_eq!(l.quantile_s(1.0), 100.0);
        l.add(30 * 3_600_000);
        assert!(l.quantile_s(1.0) >= 30.0 * 3600.0);
    }
}
