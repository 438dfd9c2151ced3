//! A small seeded PRNG (SplitMix64), so a failing run can be replayed from its seed.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded from `KAKAORM_FAULTS_SEED` or the clock; prints the seed with `label`.
    pub fn seeded(label: &str) -> Rng {
        let seed = match std::env::var("KAKAORM_FAULTS_SEED") {
            Ok(s) => s.trim().parse().unwrap_or_else(|_| panic!("KAKAORM_FAULTS_SEED={s} is not a u64")),
            Err(_) => {
                let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
                now.as_nanos() as u64 ^ u64::from(std::process::id()).rotate_left(32)
            }
        };
        eprintln!("[{label}] seed {seed} (replay with KAKAORM_FAULTS_SEED={seed})");
        Rng(seed)
    }

    /// A generator of its own for a task, derived from this one.
    pub fn fork(&mut self) -> Rng {
        Rng(self.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A duration between 1 µs and about 8 ms, spread evenly over its powers of two, so
    /// microsecond and millisecond deadlines are equally likely.
    pub fn short_deadline(&mut self) -> Duration {
        let exp = self.below(13);
        Duration::from_micros((1 << exp) + self.below(1 << exp))
    }
}
