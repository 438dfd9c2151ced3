//! Soft-delete and archive models: reading deleted rows, restoring them and purging them.

use kakaorm_core::ast::Expr;
use kakaorm_core::{Model, Restorable, Result};

use super::Query;
use crate::deletion::{Scope, scope, write};
use crate::executor::Executor;

impl<M: Model> Query<M> {
    /// The rows the query reads: live, deleted or all.
    pub(crate) fn scope(&self) -> Scope {
        self.scope
    }

    /// The query over the rows of `scope` (for any model: a model without deleted rows
    /// reads none).
    pub(crate) fn in_scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }

    /// The filter with the `deleted_at` condition of the query's scope AND-ed in, for
    /// statements over the main table only (updates, many-to-many loads).
    pub(crate) fn scoped_filter(&self) -> Option<Expr> {
        match (scope::condition(M::SCHEMA, self.scope), self.filter.clone()) {
            (Some(c), Some(f)) => Some(c.and(f)),
            (c, f) => c.or(f),
        }
    }
}

impl<M: Restorable> Query<M> {
    /// Reads deleted rows too: soft-deleted ones, or for an archive model the archive
    /// table as well (`UNION ALL` of both, under the model's table name).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// #[derive(Model)]
    /// #[kakaorm(table = "notes", archive)]
    /// struct Note { id: i64, body: String }
    /// let sql = Note::query().include_deleted().to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert_eq!(
    ///     sql,
    ///     r#"SELECT "id", "body" FROM (SELECT "id", "body" FROM "notes" UNION ALL SELECT "id", "body" FROM "archive_notes") "notes""#
    /// );
    /// ```
    pub fn include_deleted(mut self) -> Self {
        self.scope = Scope::All;
        self
    }

    /// Reads deleted rows only: those whose `deleted_at` is set, or for an archive model
    /// the rows of its archive table.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// #[derive(Model)]
    /// #[kakaorm(table = "notes", soft_delete)]
    /// struct Note { id: i64, body: String, deleted_at: Option<DateTime<Utc>> }
    /// let sql = Note::query().only_deleted().to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql;
    /// assert_eq!(sql, r#"SELECT "id", "body", "deleted_at" FROM "notes" WHERE "deleted_at" IS NOT NULL"#);
    /// ```
    pub fn only_deleted(mut self) -> Self {
        self.scope = Scope::Deleted;
        self
    }

    /// Brings back the deleted rows matching the query's filter (whatever its scope):
    /// clears their `deleted_at`, or moves them out of the archive table, all or nothing.
    /// Restoring does not cascade: restore parents before their children. Returns how
    /// many rows came back.
    ///
    /// SQL: a soft-delete model runs `UPDATE "posts" SET "deleted_at" = NULL WHERE … AND
    /// "deleted_at" IS NOT NULL`; an archive model, in one transaction, `INSERT INTO
    /// "posts" (…) SELECT … FROM "archive_posts" WHERE …` and `DELETE FROM
    /// "archive_posts" WHERE …` by the keys it moved.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when the query has a limit or
    /// offset; [`ForeignKeyViolation`](crate::ErrorKind::ForeignKeyViolation) (nothing is
    /// restored) when an archived row's parent is still archived; any database error.
    pub async fn restore<E: Executor>(self, e: &E) -> Result<u64> {
        self.check_unsliced("restore")?;
        write::restore_where(e, M::SCHEMA, self.filter).await
    }

    /// Physically deletes the rows the query reads: by default the live ones, with
    /// [`only_deleted`](Self::only_deleted) the deleted ones (emptying an archive), with
    /// [`include_deleted`](Self::include_deleted) both. Returns how many rows were
    /// removed.
    ///
    /// SQL: `DELETE FROM "posts" WHERE …` (with the soft-delete condition of the read
    /// mode); for an archive model, in one transaction, the matching keys are read and
    /// `DELETE FROM "posts"` and/or `DELETE FROM "archive_posts"` run by those keys.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when the query has a limit or
    /// offset; any database error.
    pub async fn purge<E: Executor>(self, e: &E) -> Result<u64> {
        self.check_unsliced("purge")?;
        write::purge_where(e, M::SCHEMA, self.filter, self.scope).await
    }

    fn check_unsliced(&self, what: &str) -> Result<()> {
        if self.is_sliced() {
            let msg = format!("cannot {what} `{}` rows with limit or offset", M::SCHEMA.name);
            return Err(kakaorm_core::Error::invalid_input(msg));
        }
        Ok(())
    }
}
