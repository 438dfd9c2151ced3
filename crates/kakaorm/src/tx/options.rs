//! `TransactionOptions`: isolation, access mode and the retry policy of a transaction.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use kakaorm_core::{Dialect, IsolationLevel, Result};

/// How a transaction begins and how often [`Db::transaction_with`](crate::Db::transaction_with)
/// retries it.
///
/// The defaults: the server's isolation level, read-write, 3 attempts, backoff from 10 ms
/// doubling up to 500 ms, each pause jittered (between half and all of it) so that
/// transactions that collided do not collide again in step.
///
/// ```
/// use std::time::Duration;
/// use kakaorm::{IsolationLevel, TransactionOptions};
/// let opts = TransactionOptions::new()
///     .isolation(IsolationLevel::Serializable)
///     .max_attempts(5)
///     .backoff(Duration::from_millis(5), Duration::from_millis(200));
/// assert_eq!(opts.max_attempts, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransactionOptions {
    /// The isolation level; `None` keeps the server's default.
    pub isolation: Option<IsolationLevel>,
    /// Whether the transaction may only read (PostgreSQL and MySQL; SQLite refuses it).
    pub read_only: bool,
    /// How many times the closure runs at most (1: no retry).
    pub max_attempts: u32,
    /// The pause before the first retry; it doubles for each retry after that.
    pub initial_backoff: Duration,
    /// The longest pause between two attempts.
    pub max_backoff: Duration,
}

impl Default for TransactionOptions {
    fn default() -> Self {
        TransactionOptions {
            isolation: None,
            read_only: false,
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(500),
        }
    }
}

impl TransactionOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs at `level`.
    #[must_use]
    pub fn isolation(mut self, level: IsolationLevel) -> Self {
        self.isolation = Some(level);
        self
    }

    /// Makes the transaction read-only: a write in it fails.
    #[must_use]
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    /// Runs the closure at most `n` times (at least once).
    #[must_use]
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Pauses `initial` before the first retry, doubling up to `max`.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The statements that open the transaction in `d`.
    pub(crate) fn begin_statements(&self, d: &dyn Dialect) -> Result<Vec<String>> {
        d.begin_statements(self.isolation, self.read_only)
    }

    /// The pause after failed attempt `attempt` (1-based): the doubled backoff, capped,
    /// then a random point between half of it and all of it.
    pub(crate) fn pause(&self, attempt: u32) -> Duration {
        let doubled = self.initial_backoff.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let full = doubled.min(self.max_backoff);
        let random = RandomState::new().hash_one(attempt);
        // A fraction in [0, 1) from the top 24 bits, exact in f64.
        let fraction = f64::from(u32::try_from(random >> 40).unwrap_or(0)) / f64::from(1u32 << 24);
        full / 2 + full.mul_f64(fraction / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_cap_with_jitter() {
        let opts = TransactionOptions::new().backoff(Duration::from_millis(10), Duration::from_millis(35));
        for (attempt, full) in [(1, 10), (2, 20), (3, 35), (9, 35)] {
            let pause = opts.pause(attempt);
            let full = Duration::from_millis(full);
            assert!(
                pause >= full / 2 && pause <= full,
                "attempt {attempt}: {pause:?} outside [{:?}, {full:?}]",
                full / 2
            );
        }
        assert_eq!(TransactionOptions::new().max_attempts(0).max_attempts, 1);
    }
}
