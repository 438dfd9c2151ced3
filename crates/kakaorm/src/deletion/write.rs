//! Delete, restore and purge by deletion strategy, for querysets and single models.

use kakaorm_core::ast::{Delete, Expr, Projection, Select, Statement, Update};
use kakaorm_core::schema::{Deletion, TableSchema};
use kakaorm_core::{Result, Value};

use super::scope::{Scope, restrict};
use super::{archive, keys, timestamp};
use crate::atomic::all_or_nothing;
use crate::executor::Executor;
use crate::run;

/// A SELECT over the rows of `schema` matching `filter` in `scope`.
fn scoped(schema: &'static TableSchema, filter: Option<Expr>, scope: Scope) -> Select {
    let mut select = Select::new(schema.name, Projection::One);
    select.filter = filter;
    restrict(&mut select, schema, scope);
    select
}

/// `UPDATE table SET deleted_at = value WHERE <rows of scope> AND filter`.
fn mark(
    schema: &'static TableSchema,
    column: &'static str,
    value: Value,
    filter: Option<Expr>,
    scope: Scope,
) -> Statement {
    let filter = scoped(schema, filter, scope).filter;
    Statement::Update(Update::new(schema.name, vec![(column, Expr::Value(value))], filter))
}

/// Deletes the live rows of `schema` matching `filter` the model's way: `DELETE`, setting
/// `deleted_at`, or moving them (and their cascading children) into the archive in one
/// transaction. Returns how many rows of `schema` were deleted.
pub(crate) async fn delete_where<E: Executor + ?Sized>(
    e: &E,
    schema: &'static TableSchema,
    filter: Option<Expr>,
) -> Result<u64> {
    move_rows(e, schema, filter, Way::Delete).await
}

/// Brings back the deleted rows of `schema` matching `filter`: clears `deleted_at`, or
/// moves them out of the archive (all or nothing). Returns how many.
pub(crate) async fn restore_where<E: Executor + ?Sized>(
    e: &E,
    schema: &'static TableSchema,
    filter: Option<Expr>,
) -> Result<u64> {
    move_rows(e, schema, filter, Way::Restore).await
}

/// Which way [`move_rows`] moves rows: from live to deleted, or back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    Delete,
    Restore,
}

/// Moves the rows of `schema` matching `filter` from live to deleted or back, the model's
/// way; a model without deleted rows deletes physically and restores nothing.
async fn move_rows<E: Executor + ?Sized>(
    e: &E,
    schema: &'static TableSchema,
    filter: Option<Expr>,
    way: Way,
) -> Result<u64> {
    let from = match way {
        Way::Delete => Scope::Live,
        Way::Restore => Scope::Deleted,
    };
    match schema.deletion {
        Deletion::Soft { column } => {
            let value = match way {
                Way::Delete => {
                    let ty = schema.column(column).map_or(kakaorm_core::ColumnType::TimestampTz, |c| c.ty);
                    timestamp(ty, chrono::Utc::now())
                }
                Way::Restore => Value::Null,
            };
            Ok(run::execute(e, mark(schema, column, value, filter, from)).await?.rows_affected)
        }
        Deletion::Archive { .. } => {
            let d = e.dialect();
            let rows = scoped(schema, filter, from);
            let what = if way == Way::Delete { "an archive move" } else { "an archive restore" };
            let mut guard = e.acquire().await?;
            all_or_nothing(guard.conn()?, d, what, async |conn| match way {
                Way::Delete => archive::archive(conn, d, schema, rows).await,
                Way::Restore => archive::restore(conn, d, schema, rows).await,
            })
            .await
        }
        _ if way == Way::Restore => Ok(0),
        _ => Ok(run::execute(e, Statement::Delete(Delete::new(schema.name, filter))).await?.rows_affected),
    }
}

/// Physically deletes the rows of `schema` matching `filter` in `scope`, from the main
/// table and, for an archive model, from the archive. Returns how many.
pub(crate) async fn purge_where<E: Executor + ?Sized>(
    e: &E,
    schema: &'static TableSchema,
    filter: Option<Expr>,
    scope: Scope,
) -> Result<u64> {
    let Some(archive) = schema.deletion.archive_table() else {
        let filter = scoped(schema, filter, scope).filter;
        return Ok(run::execute(e, Statement::Delete(Delete::new(schema.name, filter))).await?.rows_affected);
    };
    let d = e.dialect();
    let rows = scoped(schema, filter, scope);
    let mut guard = e.acquire().await?;
    all_or_nothing(guard.conn()?, d, "a purge", async |conn| {
        let found = keys::fetch(conn, d, rows, schema).await?;
        let mut n = 0;
        if scope != Scope::Deleted {
            n += keys::delete(conn, d, schema, schema.name, &found).await?;
        }
        if scope != Scope::Live {
            n += keys::delete(conn, d, schema, archive, &found).await?;
        }
        Ok(n)
    })
    .await
}
