//! A bounded per-connection cache of prepared statements, keyed by SQL text.

use std::num::NonZeroUsize;

use lru::LruCache;

/// Least-recently-used cache of at most `capacity` statements (at least one).
pub(crate) struct StmtCache<S>(LruCache<Box<str>, S>);

impl<S: Clone> StmtCache<S> {
    pub(crate) fn new(capacity: usize) -> Self {
        StmtCache(LruCache::new(NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN)))
    }

    /// The cached statement for `sql`, marking it recently used.
    pub(crate) fn get(&mut self, sql: &str) -> Option<S> {
        self.0.get(sql).cloned()
    }

    /// Caches `stmt` and returns the statement it displaced, if any: the least recently used
    /// one when the cache was full, or an older statement for the same text. The caller
    /// closes it where the driver does not do so on drop.
    pub(crate) fn insert(&mut self, sql: &str, stmt: S) -> Option<S> {
        self.0.push(sql.into(), stmt).map(|(_, displaced)| displaced)
    }

    /// Drops one entry (PostgreSQL, when a cached plan went stale).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn remove(&mut self, sql: &str) {
        self.0.pop(sql);
    }

    /// Drops every entry (PostgreSQL, after DDL).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::StmtCache;

    #[test]
    fn evicts_least_recently_used() {
        let mut c = StmtCache::new(2);
        assert_eq!(c.insert("a", 1), None);
        assert_eq!(c.insert("b", 2), None);
        assert_eq!(c.get("a"), Some(1));
        assert_eq!(c.insert("c", 3), Some(2), "b was used least recently");
        assert_eq!(c.len(), 2);
        assert_eq!(c.get("b"), None);
        assert_eq!(c.get("a"), Some(1));
        assert_eq!(c.insert("a", 4), Some(1), "a statement replaced for the same text is handed back");
        c.remove("a");
        assert_eq!((c.get("a"), c.len()), (None, 1));
        c.clear();
        assert_eq!(c.len(), 0);
    }

    #[test]
    fn capacity_zero_keeps_one() {
        let mut c = StmtCache::new(0);
        assert_eq!(c.insert("a", 1), None);
        assert_eq!(c.insert("b", 2), Some(1));
        assert_eq!((c.get("b"), c.len()), (Some(2), 1));
    }
}
