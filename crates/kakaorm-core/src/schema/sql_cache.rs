//! Rendered SQL kept per table and dialect, for statements whose text never changes.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use crate::error::Result;

/// The statement texts cached per table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachedSql {
    /// The quoted column list of `SELECT`.
    Columns = 0,
    /// `SELECT … WHERE key = ?` (skipping soft-deleted rows).
    FindByKey,
    /// `INSERT` of every column but an auto-increment key (with RETURNING where available).
    Insert,
    /// `UPDATE … SET every writable column WHERE key = ?`.
    UpdateByKey,
    /// `DELETE … WHERE key = ?`.
    DeleteByKey,
    /// The column list qualified with the table name, for joins.
    QualifiedColumns,
    /// `SELECT … WHERE key = ?`, soft-deleted or not (`refresh`, reading back an insert).
    FindAnyByKey,
}

const KINDS: usize = 7;
const SLOTS: usize = 4;

/// Per-table storage for [`CachedSql`] texts, one slot per built-in dialect.
///
/// A repeated statement shape then costs no rendering and no allocation for its text.
/// Dialects without a slot (their `cache_slot` is `None`) render every time.
pub struct SqlCache {
    slots: [[OnceLock<Box<str>>; KINDS]; SLOTS],
}

impl SqlCache {
    /// An empty cache, for the derive's `static` schema.
    pub const fn new() -> Self {
        SqlCache { slots: [const { [const { OnceLock::new() }; KINDS] }; SLOTS] }
    }

    /// The cached text of `kind` in the dialect whose cache slot is `slot` (the dialect's
    /// `cache_slot()`), rendering it with `render` the first time. Without a slot, or with
    /// one out of range, `render` runs every time.
    ///
    /// # Errors
    /// Whatever `render` returns; nothing is cached then.
    ///
    /// ```
    /// use kakaorm_core::schema::{CachedSql, SqlCache};
    /// use kakaorm_core::{Backend, Dialect};
    /// static CACHE: SqlCache = SqlCache::new();
    /// let slot = Backend::Postgres.dialect().cache_slot();
    /// let sql = CACHE.get(slot, CachedSql::Columns, || Ok(r#""id", "name""#.to_owned()))?;
    /// assert_eq!(sql, r#""id", "name""#);
    /// # Ok::<(), kakaorm_core::Error>(())
    /// ```
    pub fn get(
        &'static self,
        slot: Option<usize>,
        kind: CachedSql,
        render: impl FnOnce() -> Result<String>,
    ) -> Result<Cow<'static, str>> {
        let Some(slot) = slot.and_then(|d| self.slots.get(d)).map(|row| &row[kind as usize]) else {
            return render().map(Cow::Owned);
        };
        if let Some(sql) = slot.get() {
            return Ok(Cow::Borrowed(sql));
        }
        let sql = render()?;
        // A concurrent first use may have stored the same text already.
        let _ = slot.set(sql.into_boxed_str());
        Ok(Cow::Borrowed(slot.get().map_or("", |s| s)))
    }
}

impl Default for SqlCache {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SqlCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SqlCache")
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::{CachedSql, SqlCache};

    static CACHE: SqlCache = SqlCache::new();

    #[test]
    fn renders_once_per_slot_and_kind() {
        let mut calls = 0;
        for _ in 0..3 {
            let sql = CACHE
                .get(Some(0), CachedSql::FindByKey, || {
                    calls += 1;
                    Ok("SELECT 1".into())
                })
                .unwrap();
            assert!(matches!(sql, Cow::Borrowed("SELECT 1")));
        }
        assert_eq!(calls, 1);
        let other = CACHE.get(Some(2), CachedSql::FindByKey, || Ok("SELECT 2".into())).unwrap();
        assert_eq!(other, "SELECT 2", "each slot is its own");
        let unslotted = CACHE.get(None, CachedSql::FindByKey, || Ok("SELECT 3".into())).unwrap();
        assert!(matches!(unslotted, Cow::Owned(_)), "dialects without a slot render every time");
        let outside = CACHE.get(Some(99), CachedSql::FindByKey, || Ok("SELECT 4".into())).unwrap();
        assert!(matches!(outside, Cow::Owned(_)), "a slot out of range renders every time");
        assert!(CACHE.get(Some(0), CachedSql::Insert, || Err(crate::Error::unsupported("x"))).is_err());
        assert_eq!(CACHE.get(Some(0), CachedSql::Insert, || Ok("INSERT".into())).unwrap(), "INSERT");
    }
}
