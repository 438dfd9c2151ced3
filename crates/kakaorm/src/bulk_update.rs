//! `bulk_update`: chosen fields of many models, one statement per chunk, all or nothing;
//! every model validated first, `auto_now` refreshed, hooks around the write.

use chrono::Utc;
use kakaorm_core::ast::{Statement, UpdateFrom};
use kakaorm_core::render::json_row_len;
use kakaorm_core::schema::ColumnSchema;
use kakaorm_core::{
    BulkUpdateStyle, ColumnType, Dialect, Error, Model, Result, Value, ValueRef, render, validate_models,
};

use crate::driver::RowBatch;
use crate::executor::Executor;
use crate::hooks::{self, Hooks};
use crate::write::check_borrowed;

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
    /// The defaults: as many rows per statement as the backend's parameter limit allows (on
    /// PostgreSQL, every row in one statement; on MySQL 8 and MariaDB 10.6, whose rows
    /// travel as one JSON document, as many as fit in half the connection's
    /// `max_allowed_packet`; on SQLite, 64 rows per run of one prepared statement).
    pub fn new() -> Self {
        Self::default()
    }

    /// At most `rows` rows per statement (at least one; the parameter or size limit still
    /// caps it).
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
    if models.is_empty() {
        return Ok(0);
    }
    let mut guard = e.acquire().await?;
    let conn = guard.conn()?;
    let budget = json_budget(conn.packet_limit().await?);
    let statements = match plan(&*models, fields, opts, budget, d)? {
        Plan::Statements(s) => s,
        Plan::Rows(batch) => return conn.run_rows(batch).await,
    };
    let count = statements.len();
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

/// The most bytes of JSON one `JsonTable` statement carries when the connection states no
/// packet limit.
const JSON_DOCUMENT_BYTES: usize = 4 << 20;

/// The most bytes of JSON one `JsonTable` statement carries on a connection whose packets
/// hold at most `packet` bytes: half of it. The server refuses a longer statement (and a
/// string function result longer than the limit), and the document is but one part of the
/// statement; half leaves room for the packet and parameter headers, and for the escapes
/// the server's own copies of the text may add.
fn json_budget(packet: Option<usize>) -> usize {
    packet.map_or(JSON_DOCUMENT_BYTES, |p| (p / 2).max(1))
}

/// Rows per statement under the parameter limit, for rows of `width` values.
fn rows_per_statement(d: &dyn Dialect, width: usize) -> usize {
    (d.max_params() / width).max(1)
}

/// How a bulk update reaches the database.
enum Plan<'m> {
    /// Statements rendered with their values.
    Statements(Vec<Statement>),
    /// One statement run over slices of every row (see
    /// [`Dialect::repeated_update_rows`](kakaorm_core::Dialect::repeated_update_rows)), its
    /// text and bytes borrowed from the models.
    Rows(RowBatch<ValueRef<'m>>),
}

/// The number of rows of each statement, in order: at most `most` each, and no more than
/// one statement carries (for a JSON document, `budget` bytes).
fn chunk_rows(values: &[Value], types: &[ColumnType], most: usize, budget: usize, d: &dyn Dialect) -> Vec<usize> {
    let width = types.len();
    let rows = values.len() / width;
    let even = |per: usize| {
        let per = per.min(most).max(1);
        (0..rows.div_ceil(per)).map(|i| per.min(rows - i * per)).collect()
    };
    match d.bulk_update_style() {
        BulkUpdateStyle::Unnest => even(rows),
        BulkUpdateStyle::JsonTable => by_bytes(values, types, most, budget),
        _ => even(rows_per_statement(d, width)),
    }
}

/// Rows per statement with at most `most` rows and `budget` bytes of JSON each (a larger
/// row alone).
fn by_bytes(values: &[Value], types: &[ColumnType], most: usize, budget: usize) -> Vec<usize> {
    let mut chunks = Vec::new();
    let (mut rows, mut bytes) = (0, 0);
    for row in values.chunks(types.len()) {
        let len = json_row_len(row, types);
        if rows > 0 && (rows == most || bytes + len > budget) {
            chunks.push(rows);
            (rows, bytes) = (0, 0);
        }
        rows += 1;
        bytes += len;
    }
    if rows > 0 {
        chunks.push(rows);
    }
    chunks
}

/// The UPDATE statements, every value checked first; a JSON document carries at most
/// `budget` bytes.
fn plan<'m, M: Model>(
    models: &'m [M],
    fields: &[&'static str],
    opts: BulkUpdateOptions,
    budget: usize,
    d: &dyn Dialect,
) -> Result<Plan<'m>> {
    let table = M::SCHEMA;
    let columns = columns::<M>(fields)?;
    let width = columns.len() + 1;
    let pk = table.pk();
    let typed: Vec<_> = columns.iter().map(|(_, c)| (c.name, c.ty)).collect();
    let update = |values| UpdateFrom::new(table.name, (pk.name, pk.ty), typed.clone(), values);
    let mut values = Vec::with_capacity(models.len() * width);
    for m in models {
        values.push(ValueRef::Value(m.key_value()));
        for (i, col) in &columns {
            let mut v = m.column_value_ref(*i);
            check_borrowed(table, col, &mut v, d)?;
            values.push(v);
        }
    }
    if let Some(rows) = d.repeated_update_rows(width).filter(|_| !values.is_empty()) {
        let rows = opts.batch_size.map_or(rows, |b| b.min(rows));
        let batch = RowBatch::new(values, width, rows, |rows| {
            render(update(vec![Value::Null; rows * width]).into(), d).map(|q| q.sql.into_owned())
        })?;
        return Ok(Plan::Rows(batch));
    }
    let mut values: Vec<Value> = values.into_iter().map(ValueRef::into_owned).collect();
    let types: Vec<ColumnType> = std::iter::once(pk.ty).chain(typed.iter().map(|c| c.1)).collect();
    let chunks = chunk_rows(&values, &types, opts.batch_size.unwrap_or(usize::MAX), budget, d);
    let mut statements = Vec::with_capacity(chunks.len());
    for rows in chunks {
        let rest = values.split_off(rows * width);
        statements.push(update(values).into());
        values = rest;
    }
    Ok(Plan::Statements(statements))
}
