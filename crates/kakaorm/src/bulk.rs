//! Bulk inserts: many rows in the fewest statements, all or nothing.

use chrono::Utc;
use kakaorm_core::ast::{CopyIn, Insert, InsertUnnest};
use kakaorm_core::{ColumnType, CreateBuilder, Dialect, InsertRow, Model, Rendered, Result, Value, render};

use crate::driver::PooledConn;
use crate::executor::Executor;
use crate::write::check_row;

/// Rows sharing one column list, in input order.
struct Group {
    columns: &'static [&'static str],
    rows: Vec<Vec<Value>>,
}

/// Groups consecutive rows by column list (rows that set an auto-increment key
/// explicitly have one more column), validating each row first.
fn group<M: Model>(rows: Vec<InsertRow>) -> Result<Vec<Group>> {
    let mut groups: Vec<Group> = Vec::new();
    for row in rows {
        check_row(M::SCHEMA, row.columns, &row.values)?;
        match groups.last_mut() {
            Some(g) if g.columns == row.columns => g.rows.push(row.values),
            _ => groups.push(Group { columns: row.columns, rows: vec![row.values] }),
        }
    }
    Ok(groups)
}

/// Inserts every builder's row and returns the number of rows inserted: on PostgreSQL a
/// binary `COPY` (from [`COPY_FROM`] rows) or one `INSERT … SELECT * FROM UNNEST(…)` with an
/// array per column, elsewhere multi-row `INSERT … VALUES` statements as large as the
/// backend's parameter limit allows.
///
/// Several statements run in one transaction (the caller's, or one opened here), so a
/// failure leaves no row behind.
pub(crate) async fn bulk_insert<M: Model, E: Executor + ?Sized>(e: &E, builders: Vec<M::Create>) -> Result<u64> {
    let now = Utc::now();
    let rows = builders.into_iter().map(|b| b.into_row(now)).collect::<Result<Vec<_>>>()?;
    let groups = group::<M>(rows)?;
    let d = e.dialect();
    let mut statements = Vec::new();
    for g in groups {
        if d.supports_copy_in() && g.rows.len() >= COPY_FROM && !g.columns.is_empty() {
            statements.push(copy::<M>(g, d)?);
            continue;
        }
        if d.supports_unnest_insert() && !g.columns.is_empty() {
            statements.push(Task::One(render(unnest::<M>(g).into(), d)?));
            continue;
        }
        // A row of defaults only has no columns to list: one statement each.
        let per_statement = if g.columns.is_empty() { 1 } else { (d.max_params() / g.columns.len()).max(1) };
        let mut rows = g.rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<_> = rows.by_ref().take(per_statement).collect();
            let insert =
                Insert { table: M::SCHEMA.name, columns: g.columns.to_vec(), rows: chunk, returning: Vec::new() };
            statements.push(Task::One(render(insert.into(), d)?));
        }
    }
    let mut guard = e.acquire().await?;
    let conn = guard.conn()?;
    let own_tx = statements.len() > 1 && !conn.in_transaction();
    if own_tx {
        conn.batch(d.begin_sql()).await?;
        conn.set_in_transaction(true);
    }
    let outcome = run_all(conn, statements).await;
    if own_tx {
        finish(conn, outcome.is_ok()).await?;
    }
    outcome
}

/// The group as one array per column, for `INSERT … SELECT * FROM UNNEST(…)`.
fn unnest<M: Model>(g: Group) -> InsertUnnest {
    let mut arrays: Vec<Vec<Value>> = g.columns.iter().map(|_| Vec::with_capacity(g.rows.len())).collect();
    for row in g.rows {
        for (array, value) in arrays.iter_mut().zip(row) {
            array.push(value);
        }
    }
    let columns =
        g.columns.iter().map(|name| (*name, M::SCHEMA.column(name).map_or(ColumnType::Text, |c| c.ty))).collect();
    InsertUnnest { table: M::SCHEMA.name, columns, arrays: arrays.into_iter().map(Value::Array).collect() }
}

/// From this many rows on, PostgreSQL bulk inserts stream with binary COPY (below it,
/// COPY's extra round trip costs more than UNNEST's parsing saves).
const COPY_FROM: usize = 256;

/// One unit of work of a bulk insert.
enum Task {
    /// A statement with its parameters.
    One(Rendered),
    /// A binary COPY of rows with the given column types.
    Copy(Rendered, Vec<ColumnType>, Vec<Vec<Value>>),
}

/// The group as a binary COPY (values are checked here: COPY bypasses the renderer).
fn copy<M: Model>(g: Group, d: &dyn Dialect) -> Result<Task> {
    for value in g.rows.iter().flatten() {
        d.check_value(value)?;
    }
    let types = g.columns.iter().map(|name| M::SCHEMA.column(name).map_or(ColumnType::Text, |c| c.ty)).collect();
    let q = render(CopyIn { table: M::SCHEMA.name, columns: g.columns.to_vec() }.into(), d)?;
    Ok(Task::Copy(q, types, g.rows))
}

async fn run_all(conn: &mut PooledConn, statements: Vec<Task>) -> Result<u64> {
    let mut total = 0;
    for task in statements {
        total += match task {
            Task::One(q) => conn.execute(q).await?.rows_affected,
            Task::Copy(q, types, rows) => conn.copy_in(q, &types, rows).await?,
        };
    }
    Ok(total)
}

/// Commits or rolls back the transaction `bulk_insert` opened.
async fn finish(conn: &mut PooledConn, commit: bool) -> Result<()> {
    let res = conn.batch(if commit { "COMMIT" } else { "ROLLBACK" }).await;
    if res.is_ok() {
        conn.set_in_transaction(false);
    }
    res
}
