//! Rendered SQL kept per table and dialect, for statements whose text never changes.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use crate::dialect::Dialect;
use crate::error::Result;

/// The statement texts cached per table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachedSql {
    /// The quoted column list of `SELECT`.
    Columns = 0,
    /// `SELECT … WHERE key = ?`.
    FindByKey,
    /// `INSERT` of every column but an auto-increment key (with RETURNING where available).
    Insert,
    /// `UPDATE … SET every writable column WHERE key = ?`.
    UpdateByKey,
    /// `DELETE … WHERE key = ?`.
    DeleteByKey,
    /// The column list qualified with the table name, for joins.
    QualifiedColumns,
}

const KINDS: usize = 6;
const SLOTS: usize = 4;

/// Per-table storage for [`CachedSql`] texts, one slot per built-in dialect.
///
/// A repeated statement shape then costs no rendering and no allocation for its text.
/// Dialects without a slot (see [`Dialect::cache_slot`]) render every time.
pub struct SqlCache {
    slots: [[OnceLock<Box<str>>; KINDS]; SLOTS],
}

impl SqlCache {
    /// An empty cache, for the derive's `static` schema.
    pub const fn new() -> Self {
        SqlCache { slots: [const { [const { OnceLock::new() }; KINDS] }; SLOTS] }
    }

    /// The cached text of `kind` for `dialect`, rendering it with `render` the first time.
    ///
    /// # Errors
    /// Whatever `render` returns; nothing is cached then.
    pub fn get(
        &'static self,
        dialect: &dyn Dialect,
        kind: CachedSql,
        render: impl FnOnce() -> Result<String>,
    ) -> Result<Cow<'static, str>> {
        let Some(slot) = dialect.cache_slot().and_then(|d| self.slots.get(d)).map(|row| &row[kind as usize]) else {
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
    use crate::dialect::{Backend, Dialect, PostgresDialect};

    static CACHE: SqlCache = SqlCache::new();

    /// A dialect of its own, without a cache slot.
    #[derive(Debug)]
    struct Custom;

    impl crate::dialect::sealed::Sealed for Custom {}

    impl Dialect for Custom {
        fn backend(&self) -> Backend {
            Backend::Postgres
        }
        fn ident_quote(&self) -> char {
            '"'
        }
        fn placeholder(&self, out: &mut String, n: usize) {
            PostgresDialect.placeholder(out, n);
        }
        fn type_name(&self, ty: crate::ColumnType) -> String {
            PostgresDialect.type_name(ty)
        }
        fn auto_increment_pk(&self, ty: crate::ColumnType) -> String {
            PostgresDialect.auto_increment_pk(ty)
        }
        fn supports_returning(&self) -> bool {
            true
        }
        fn truncate(&self, table: &str, has_identity: bool) -> Vec<String> {
            PostgresDialect.truncate(table, has_identity)
        }
    }

    #[test]
    fn renders_once_per_dialect_and_kind() {
        let mut calls = 0;
        for _ in 0..3 {
            let sql = CACHE
                .get(&PostgresDialect, CachedSql::FindByKey, || {
                    calls += 1;
                    Ok("SELECT 1".into())
                })
                .unwrap();
            assert!(matches!(sql, Cow::Borrowed("SELECT 1")));
        }
        assert_eq!(calls, 1);
        let other = CACHE.get(Backend::Sqlite.dialect(), CachedSql::FindByKey, || Ok("SELECT 2".into())).unwrap();
        assert_eq!(other, "SELECT 2", "each dialect has its own slot");
        let custom = CACHE.get(&Custom, CachedSql::FindByKey, || Ok("SELECT 3".into())).unwrap();
        assert!(matches!(custom, Cow::Owned(_)), "dialects without a slot render every time");
        assert!(CACHE.get(&PostgresDialect, CachedSql::Insert, || Err(crate::Error::unsupported("x"))).is_err());
        assert_eq!(CACHE.get(&PostgresDialect, CachedSql::Insert, || Ok("INSERT".into())).unwrap(), "INSERT");
    }
}
