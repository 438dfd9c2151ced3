//! `get_or_create` and `update_or_create`: safe when callers race on the same lookup.
//!
//! Read first; when nothing matches, insert (in a savepoint inside a transaction, so a
//! failure leaves it usable); when the insert loses a race to a concurrent caller (a
//! unique violation), read again and return the winner's row. The lookup must be covered
//! by a unique constraint for the race to end in one row.

use chrono::Utc;
use kakaorm_core::ast::{Expr, Statement, Update};
use kakaorm_core::{Cond, CreateBuilder, ErrorKind, InsertRow, Model, Result, render};

use crate::executor::Executor;
use crate::query::Query;
use crate::write::{check_column, fetch_by_key, insert_on, prepare_insert};

/// The row matching `lookup`, or the one `create` inserts, and whether it was inserted.
pub(crate) async fn get_or_create<M: Model, E: Executor>(
    lookup: Cond<M>,
    create: M::Create,
    e: &E,
) -> Result<(M, bool)> {
    get_or_insert(lookup, create.into_row(Utc::now())?, e).await
}

/// The row matching `lookup`, or `row` inserted, and whether it was inserted.
async fn get_or_insert<M: Model, E: Executor>(lookup: Cond<M>, row: InsertRow, e: &E) -> Result<(M, bool)> {
    let lookup = lookup.into_expr();
    let find = || Query::<M>::new().filter(Cond::from_expr(lookup.clone()));
    if let Some(found) = find().get_or_none(e).await? {
        return Ok((found, false));
    }
    crate::write::validate_insert::<M>(&row)?;
    let d = e.dialect();
    let prepared = prepare_insert::<M>(d, row)?;
    let inserted = {
        let mut guard = e.acquire().await?;
        let conn = guard.conn()?;
        crate::atomic::contained(conn, "get_or_create", async |conn| insert_on::<M>(conn, d, prepared).await).await
    };
    match inserted {
        Ok(m) => Ok((m, true)),
        // Another caller inserted it first: its row is the answer.
        Err(err) if err.kind() == ErrorKind::UniqueViolation => match find().get_or_none(e).await? {
            Some(found) => Ok((found, false)),
            None => Err(err),
        },
        Err(err) => Err(err),
    }
}

/// As [`get_or_create`], and an existing row gets the fields set on `defaults` (and its
/// `auto_now` fields refreshed).
pub(crate) async fn update_or_create<M: Model, E: Executor>(
    lookup: Cond<M>,
    defaults: M::Create,
    e: &E,
) -> Result<(M, bool)> {
    let set = defaults.explicit_columns();
    let row = defaults.into_row(Utc::now())?;
    let (found, created) = get_or_insert(lookup, row.clone(), e).await?;
    if created {
        return Ok((found, true));
    }
    crate::write::validate_update::<M>(&row)?;
    let table = M::SCHEMA;
    let mut sets = Vec::new();
    for (name, mut value) in row.columns.iter().zip(row.values) {
        let Some(col) = table.column(name) else { continue };
        if col.primary_key || col.auto_now_add || !(col.auto_now || set.contains(name)) {
            continue;
        }
        check_column(table, col, &mut value)?;
        sets.push((col.name, Expr::Value(value)));
    }
    let key = found.key_value();
    if !sets.is_empty() {
        let filter = Expr::column(table.pk().name).eq(key.clone());
        let q = render(Statement::Update(Update::new(table.name, sets, Some(filter))), e.dialect())?;
        let mut guard = e.acquire().await?;
        guard.conn()?.execute(q).await?;
    }
    let updated = fetch_by_key::<M, E>(e, key).await?;
    Ok((updated.unwrap_or(found), false))
}
