//! `get_or_create` and `update_or_create`: safe when callers race on the same lookup.
//!
//! Read first; when nothing matches, insert (in a savepoint inside a transaction, so a
//! failure leaves it usable); when the insert loses a race to a concurrent caller (a
//! unique violation), read again and return the winner's row. The lookup must be covered
//! by a unique constraint for the race to end in one row.
//!
//! On a soft-delete model a deleted row still holds its unique keys: an insert that loses
//! to one fails with an error naming it, and `restore_or_create` brings it back instead.

use chrono::Utc;
use kakaorm_core::ast::Expr;
use kakaorm_core::{Cond, CreateBuilder, Error, ErrorKind, InsertRow, Model, Restorable, Result, provisional};

use crate::deletion::Scope;
use crate::executor::Executor;
use crate::hooks::{self, Hooks};
use crate::query::Query;
use crate::write::{by_key, fetch_by_key, insert_hooked, insert_on, prepare_insert};

/// The query of the rows matching `lookup` in `scope`.
fn matching<M: Model>(lookup: &Expr, scope: Scope) -> Query<M> {
    Query::<M>::new().filter(Cond::from_expr(lookup.clone())).in_scope(scope)
}

/// The row matching `lookup`, or the one `create` inserts, and whether it was inserted.
pub(crate) async fn get_or_create<M: Model + Hooks, E: Executor>(
    lookup: Cond<M>,
    create: M::Create,
    e: &E,
) -> Result<(M, bool)> {
    get_or_insert(lookup, create.into_row(Utc::now())?, e).await
}

/// The row matching `lookup`, or `row` inserted (between the insert hooks of a model with
/// hooks), and whether it was inserted.
async fn get_or_insert<M: Model + Hooks, E: Executor>(lookup: Cond<M>, row: InsertRow, e: &E) -> Result<(M, bool)> {
    let lookup = lookup.into_expr();
    let find = || matching::<M>(&lookup, Scope::Live);
    if let Some(found) = find().get_or_none(e).await? {
        return Ok((found, false));
    }
    crate::write::validate_insert::<M>(&row, e.validation_locale())?;
    let inserted = match M::HAS_HOOKS {
        // A savepoint of the caller's transaction, or a transaction of its own: a lost
        // race undoes the hooks' writes with the insert.
        true => hooks::scoped(e, async |tx| insert_hooked::<M>(tx, row).await).await,
        false => {
            let d = e.dialect();
            let prepared = prepare_insert::<M>(d, row)?;
            let mut guard = e.acquire().await?;
            let conn = guard.conn()?;
            crate::atomic::contained(conn, "get_or_create", async |conn| insert_on::<M>(conn, d, prepared).await).await
        }
    };
    match inserted {
        Ok(m) => Ok((m, true)),
        // Another caller inserted it first: its row is the answer.
        Err(err) if err.kind() == ErrorKind::UniqueViolation => match find().get_or_none(e).await? {
            Some(found) => Ok((found, false)),
            None => Err(held_by_deleted::<M, E>(&lookup, err, e).await),
        },
        Err(err) => Err(err),
    }
}

/// The error of an insert that lost to no live row: when a soft-deleted row matches the
/// lookup, a unique violation that names it and says what to do; else `err` as it is.
async fn held_by_deleted<M: Model, E: Executor>(lookup: &Expr, err: Error, e: &E) -> Error {
    if M::SCHEMA.deletion.soft_column().is_none() {
        return err;
    }
    let deleted = matching::<M>(lookup, Scope::Deleted).limit(1).all(e).await;
    let Some(row) = deleted.ok().and_then(|mut rows| rows.pop()) else {
        return err;
    };
    let (model, pk) = (M::SCHEMA.model, M::SCHEMA.pk().name);
    let message = format!(
        "`{model}` has a soft-deleted row matching the lookup ({pk} = {}), which still holds its unique key: \
         restore it (`restore_or_create` does) or purge it",
        row.key_value().to_json()
    );
    let info = err.db_error().cloned();
    let named = Error::new(ErrorKind::UniqueViolation, message);
    match info {
        Some(info) => named.with_db_info(info),
        None => named,
    }
    .with_source(err)
}

/// As [`get_or_create`], but a deleted row matching `lookup` (soft-deleted, or in the
/// archive) is restored and returned (`false`: not inserted) instead of inserting.
pub(crate) async fn restore_or_create<M: Restorable + Hooks, E: Executor>(
    lookup: Cond<M>,
    create: M::Create,
    e: &E,
) -> Result<(M, bool)> {
    let expr = lookup.into_expr();
    if let Some(found) = matching::<M>(&expr, Scope::Live).get_or_none(e).await? {
        return Ok((found, false));
    }
    // At most one deleted row is restored: several matching is an error, before any write.
    if let Some(deleted) = matching::<M>(&expr, Scope::Deleted).get_or_none(e).await? {
        crate::deletion::write::restore_where(e, M::SCHEMA, Some(by_key(M::SCHEMA, deleted.key_value()))).await?;
        if let Some(found) = matching::<M>(&expr, Scope::Live).get_or_none(e).await? {
            return Ok((found, false));
        }
    }
    get_or_insert(Cond::from_expr(expr), create.into_row(Utc::now())?, e).await
}

/// As [`get_or_create`], and an existing row gets the fields set on `defaults` written as
/// `save` writes them: the model validated, its `auto_now` fields refreshed, its version
/// checked and bumped, between its update hooks.
pub(crate) async fn update_or_create<M: Model + Hooks, E: Executor>(
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
    let table = M::SCHEMA;
    let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
    let mut changed = Vec::new();
    let mut values = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let given = row.columns.iter().position(|c| c == name).filter(|_| set.contains(name));
        match given {
            Some(p) => {
                changed.push(i);
                values.push(row.values[p].clone());
            }
            None => values.push(found.column_value(i)),
        }
    }
    let mut model: M = provisional(&names, &values)?;
    crate::write::save(&mut model, Some(&changed), e).await?;
    let updated = fetch_by_key::<M, E>(e, model.key_value()).await?;
    Ok((updated.unwrap_or(model), false))
}
