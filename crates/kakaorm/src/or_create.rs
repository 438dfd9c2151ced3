//! `get_or_create` and `update_or_create`: safe when callers race on the same lookup.
//!
//! Read first; when nothing matches, insert (in a savepoint inside a transaction, so a
//! failure leaves it usable); when the insert loses a race to a concurrent caller (a
//! unique violation), read again and return the winner's row. The lookup must be covered
//! by a unique constraint for the race to end in one row.

use chrono::Utc;
use kakaorm_core::{Cond, CreateBuilder, ErrorKind, InsertRow, Model, Result, provisional};

use crate::executor::Executor;
use crate::hooks::{self, Hooks};
use crate::query::Query;
use crate::write::{fetch_by_key, insert_hooked, insert_on, prepare_insert};

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
    let find = || Query::<M>::new().filter(Cond::from_expr(lookup.clone()));
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
            None => Err(err),
        },
        Err(err) => Err(err),
    }
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
