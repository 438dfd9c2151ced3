//! `bulk_update`: chosen fields of many models, one statement per chunk, all or nothing.

use kakaorm_core::ast::{Statement, UpdateFrom};
use kakaorm_core::schema::ColumnSchema;
use kakaorm_core::{BulkUpdateStyle, Dialect, Error, Model, Result, render};

use crate::executor::Executor;
use crate::write::check_column;

/// Writes `fields` of every model to its row (by primary key) and returns the number of
/// rows updated.
pub(crate) async fn bulk_update<M: Model, E: Executor>(models: &[M], fields: Vec<&'static str>, e: &E) -> Result<u64> {
    let d = e.dialect();
    let statements = plan(models, &fields, d)?;
    if statements.is_empty() {
        return Ok(0);
    }
    let count = statements.len();
    let mut guard = e.acquire().await?;
    let conn = guard.conn()?;
    let run = async |conn: &mut crate::driver::PooledConn| {
        conn.execute_each(statements.into_iter().map(|s| render(s, d))).await
    };
    match count {
        1 => run(conn).await,
        _ => crate::atomic::all_or_nothing(conn, d, "a bulk update", run).await,
    }
}

/// Rows per statement under the parameter limit, for rows of `width` values.
fn rows_per_statement(d: &dyn Dialect, width: usize) -> usize {
    (d.max_params() / width).max(1)
}

/// The UPDATE statements, every value checked first.
fn plan<M: Model>(models: &[M], fields: &[&'static str], d: &dyn Dialect) -> Result<Vec<Statement>> {
    let table = M::SCHEMA;
    let columns: Vec<(usize, &ColumnSchema)> = fields
        .iter()
        .map(|f| {
            table.columns.iter().enumerate().find(|(_, c)| c.name == *f && !c.primary_key).ok_or_else(|| {
                Error::invalid_input(format!("{}: bulk_update cannot write `{f}`, the primary key", table.model))
            })
        })
        .collect::<Result<_>>()?;
    if columns.is_empty() {
        return Err(Error::invalid_input(format!("{}: bulk_update needs at least one field", table.model)));
    }
    let width = columns.len() + 1;
    let mut values = Vec::with_capacity(models.len() * width);
    for m in models {
        values.push(m.key_value());
        for (i, col) in &columns {
            let mut v = m.column_value(*i);
            check_column(table, col, &mut v)?;
            d.check_value(&v)?;
            values.push(v);
        }
    }
    let pk = table.pk();
    let typed: Vec<_> = columns.iter().map(|(_, c)| (c.name, c.ty)).collect();
    let per_statement = match d.bulk_update_style() {
        BulkUpdateStyle::Unnest => values.len().max(1),
        _ => rows_per_statement(d, width) * width,
    };
    let mut statements = Vec::new();
    while !values.is_empty() {
        let rest = values.split_off(per_statement.min(values.len()));
        statements.push(UpdateFrom::new(table.name, (pk.name, pk.ty), typed.clone(), values).into());
        values = rest;
    }
    Ok(statements)
}
