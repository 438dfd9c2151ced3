//! A bounded per-connection cache of prepared statements, keyed by SQL text.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A word-at-a-time multiplicative hash (the "Fx" hash): keys are SQL texts kakaorm
/// renders, so flooding is not a concern, and SipHash costs more than the lookup saves.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Least-recently-used cache of at most `capacity` statements.
pub(crate) struct StmtCache<S> {
    map: HashMap<Box<str>, (S, u64), BuildHasherDefault<FxHasher>>,
    capacity: usize,
    tick: u64,
}

impl<S: Clone> StmtCache<S> {
    pub(crate) fn new(capacity: usize) -> Self {
        StmtCache { map: HashMap::default(), capacity: capacity.max(1), tick: 0 }
    }

    /// The cached statement for `sql`, marking it recently used.
    pub(crate) fn get(&mut self, sql: &str) -> Option<S> {
        self.tick += 1;
        let tick = self.tick;
        self.map.get_mut(sql).map(|(s, used)| {
            *used = tick;
            s.clone()
        })
    }

    /// Caches `stmt`, evicting the least recently used entry when full; returns the evicted one.
    pub(crate) fn insert(&mut self, sql: &str, stmt: S) -> Option<S> {
        let mut evicted = None;
        if self.map.len() >= self.capacity && !self.map.contains_key(sql) {
            let oldest = self.map.iter().min_by_key(|(_, (_, used))| *used).map(|(k, _)| k.clone());
            if let Some(key) = oldest {
                evicted = self.map.remove(&key).map(|(s, _)| s);
            }
        }
        self.tick += 1;
        self.map.insert(sql.into(), (stmt, self.tick));
        evicted
    }

    /// Drops one entry (PostgreSQL, when a cached plan went stale).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn remove(&mut self, sql: &str) {
        self.map.remove(sql);
    }

    /// Drops every entry (PostgreSQL, after DDL).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn clear(&mut self) {
        self.map.clear();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::StmtCache;

    #[test]
    fn evicts_least_recently_used() {
        let mut c = StmtCache::new(2);
        c.insert("a", 1);
        c.insert("b", 2);
        assert_eq!(c.get("a"), Some(1));
        assert_eq!(c.insert("c", 3), Some(2));
        assert_eq!(c.len(), 2);
        assert_eq!(c.get("b"), None);
        assert_eq!(c.get("a"), Some(1));
    }
}
