//! `bulk_update`: chosen fields of many models, one statement per chunk, all or nothing;
//! every model validated first, `auto_now` refreshed, hooks around the write.

use chrono::Utc;
use kakaorm_core::ast::{Statement, UpdateFrom};
use kakaorm_core::schema::ColumnSchema;
use kakaorm_core::{BulkUpdateStyle, Dialect, Error, Model, Result, render, validate_models};

use crate::executor::Executor;
use crate::hooks::{self, Hooks};
use crate::write::check_column;

/// How `bulk_update_with` splits its rows into statements.
///
/// ```
/// let opts = kakaorm::BulkUpdateOptions::new().batch_size(500);
/// # let _ = opts;
/// ```
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct BulkUpdateOptions {
    batch_size: Option<usize>,
}

impl BulkUpdateOptions {
    /// The defaults: as many rows per statement as the backend's parameter limit allows
    /// (on PostgreSQL, every row in one statement).
    pub fn new() -> Self {
        Self::default()
    }

    /// At most `rows` rows per statement (at least one; the parameter limit still caps it).
    pub fn batch_size(mut self, rows: usize) -> Self {
        self.batch_size = Some(rows.max(1));
        self
    }
}

/// Validates every model, runs `before_update` on each (a model with hooks), refreshes
/// their `auto_now` fields, writes `fields` (and the `auto_now` columns) to every row by
/// primary key, then runs `after_update` on each; returns the number of rows updated.
pub(crate) async fn bulk_update<M: Model + Hooks, E: Executor>(
    models: &mut [M],
    fields: Vec<&'static str>,
    opts: BulkUpdateOptions,
    e: &E,
) -> Result<u64> {
    let fields = with_auto_now::<M>(fields);
    // A field list that cannot work is refused before the models are looked at.
    columns::<M>(&fields)?;
    let locale = e.validation_locale();
    validate_models(models, locale)?;
    if !M::HAS_HOOKS {
        return write(models, &fields, opts, e).await;
    }
    hooks::scoped(e, async |tx| {
        for m in models.iter_mut() {
            m.before_update(tx).await?;
        }
        // A hook may have changed what is written: checked again before any write.
        validate_models(models, locale)?;
        let n = write(models, &fields, opts, tx).await?;
        for m in models.iter_mut() {
            m.after_update(tx).await?;
        }
        Ok(n)
    })
    .await
}

/// `fields` and the model's `auto_now` columns, which every write refreshes.
fn with_auto_now<M: Model>(mut fields: Vec<&'static str>) -> Vec<&'static str> {
    for c in M::SCHEMA.columns.iter().filter(|c| c.auto_now) {
        if !fields.contains(&c.name) {
            fields.push(c.name);
        }
    }
    fields
}

/// Refreshes `auto_now` and writes `fields` of every model, all or nothing.
async fn write<M: Model, E: Executor + ?Sized>(
    models: &mut [M],
    fields: &[&'static str],
    opts: BulkUpdateOptions,
    e: &E,
) -> Result<u64> {
    let d = e.dialect();
    let now = Utc::now();
    for m in models.iter_mut() {
        m.touch_auto_now(now);
    }
    let statements = plan(models, fields, opts, d)?;
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

/// The columns `fields` name, with their places in the schema: at least one, and not the
/// primary key.
fn columns<M: Model>(fields: &[&'static str]) -> Result<Vec<(usize, &'static ColumnSchema)>> {
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
    Ok(columns)
}

/// Rows per statement under the parameter limit, for rows of `width` values.
fn rows_per_statement(d: &dyn Dialect, width: usize) -> usize {
    (d.max_params() / width).max(1)
}

/// The UPDATE statements, every value checked first.
fn plan<M: Model>(
    models: &[M],
    fields: &[&'static str],
    opts: BulkUpdateOptions,
    d: &dyn Dialect,
) -> Result<Vec<Statement>> {
    let table = M::SCHEMA;
    let columns = columns::<M>(fields)?;
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
    let rows = match d.bulk_update_style() {
        BulkUpdateStyle::Unnest => models.len().max(1),
        _ => rows_per_statement(d, width),
    };
    let per_statement = opts.batch_size.map_or(rows, |b| b.min(rows)) * width;
    let mut statements = Vec::new();
    while !values.is_empty() {
        let rest = values.split_off(per_statement.min(values.len()));
        statements.push(UpdateFrom::new(table.name, (pk.name, pk.ty), typed.clone(), values).into());
        values = rest;
    }
    Ok(statements)
}
