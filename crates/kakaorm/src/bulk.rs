//! Bulk inserts: many rows in the fewest statements, all or nothing.

use chrono::{DateTime, Utc};
use kakaorm_core::ast::{CopyIn, Insert, InsertUnnest, Statement};
use kakaorm_core::schema::ColumnSchema;
use kakaorm_core::validate::{Locale, ValidationErrors};
use kakaorm_core::{
    ColumnType, CreateBuilder, Dialect, InsertRow, Model, Rendered, Result, Value, render, validate_row,
    validate_row_of,
};

use crate::driver::{PooledConn, RowBatch};
use crate::executor::Executor;
use crate::hooks::Hooks;
use crate::write::check_column;

/// Rows sharing one column list, in input order, their values in one buffer.
pub(crate) struct Group {
    pub(crate) columns: &'static [&'static str],
    /// Row after row, `columns.len()` values each.
    pub(crate) values: Vec<Value>,
    pub(crate) rows: usize,
}

/// Turns builders into groups of consecutive rows with the same column list (rows that set
/// an auto-increment key explicitly have one more column), validating every row and
/// reporting every failure of every row together.
pub(crate) fn group<M: Model>(
    builders: impl Iterator<Item = M::Create>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Vec<Group>> {
    let table = M::SCHEMA;
    let mut errors = ValidationErrors::in_locale(table.model, locale);
    let mut groups: Vec<Group> = Vec::new();
    // Room for every row the iterator announces: the buffer does not grow row by row.
    let mut values = Vec::with_capacity(builders.size_hint().0.saturating_mul(table.columns.len()));
    // The schema of each column of the current group, looked up once per group.
    let mut schemas: Vec<Option<&'static ColumnSchema>> = Vec::new();
    for (index, builder) in builders.enumerate() {
        let start = values.len();
        let columns = builder.write_row(now, &mut values)?;
        // The derive returns one static list per column set: comparing addresses is enough
        // most of the time.
        if groups.last().is_none_or(|g| !std::ptr::eq(g.columns, columns) && g.columns != columns) {
            // The row opens a group: the values before it close the previous one (the
            // first group keeps the buffer).
            if let Some(g) = groups.last_mut() {
                let row = values.split_off(start);
                g.values = std::mem::replace(&mut values, row);
            }
            schemas = columns.iter().map(|name| table.column(name)).collect();
            groups.push(Group { columns, values: Vec::new(), rows: 0 });
        }
        let row = values.len() - columns.len();
        validate_row_of::<M>(&schemas, columns, &values[row..], Some(index), &mut errors)?;
        if !errors.is_empty() {
            // The call fails: the remaining rows are only validated.
            continue;
        }
        for (col, value) in schemas.iter().zip(&mut values[row..]) {
            if let Some(col) = col {
                check_column(table, col, value)?;
            }
        }
        if let Some(g) = groups.last_mut() {
            g.rows += 1;
        }
    }
    if let Some(g) = groups.last_mut() {
        g.values = values;
    }
    errors.into_result()?;
    Ok(groups)
}

/// The rows of a bulk insert, validated and ready to send.
pub(crate) enum Prepared {
    /// Grouped for multi-row statements.
    Grouped(Vec<Group>),
    /// One by one, for a model with hooks.
    Rows(Vec<InsertRow>),
}

/// Builds and validates every row: grouped, or one by one for a model with hooks.
pub(crate) fn prepare<M: Model>(
    builders: impl Iterator<Item = M::Create>,
    now: DateTime<Utc>,
    locale: Locale,
) -> Result<Prepared> {
    if !M::HAS_HOOKS {
        return group::<M>(builders, now, locale).map(Prepared::Grouped);
    }
    let mut errors = ValidationErrors::in_locale(M::SCHEMA.model, locale);
    let mut rows = Vec::new();
    for (index, builder) in builders.enumerate() {
        let row = builder.into_row(now)?;
        validate_row::<M>(row.columns, &row.values, Some(index), &mut errors)?;
        rows.push(row);
    }
    errors.into_result()?;
    Ok(Prepared::Rows(rows))
}

/// Inserts prepared rows: see [`bulk_insert`], and for a model with hooks, row by row in
/// one transaction, each between its `before_insert` and `after_insert` hooks (which need
/// the generated key).
pub(crate) async fn insert<M: Model + Hooks, E: Executor + ?Sized>(e: &E, prepared: Result<Prepared>) -> Result<u64> {
    let rows = match prepared? {
        Prepared::Grouped(groups) => return bulk_insert::<M, E>(e, groups).await,
        Prepared::Rows(rows) => rows,
    };
    crate::hooks::scoped(e, async |tx| {
        let mut n = 0;
        for row in rows {
            crate::write::insert_hooked::<M>(tx, row).await?;
            n += 1;
        }
        Ok(n)
    })
    .await
}

/// Inserts every group's rows and returns the number of rows inserted: on PostgreSQL a
/// binary `COPY` (from [`COPY_FROM`] rows) or one `INSERT … SELECT * FROM UNNEST(…)` with an
/// array per column, on SQLite one prepared multi-row `INSERT … VALUES` run over every
/// slice of the rows in one job on the connection (in a transaction of its own or a
/// savepoint, when it takes several runs), elsewhere multi-row `INSERT … VALUES` statements
/// as large as the backend's parameter limit allows, each rendered just before it is sent.
///
/// Every value is checked before anything is written. Several statements run in a
/// transaction opened here, or in a savepoint of the caller's transaction, so a failure
/// leaves no row behind, and so does a cancelled call: a transaction of its own is rolled
/// back, and the caller's transaction can no longer commit.
async fn bulk_insert<M: Model, E: Executor + ?Sized>(e: &E, groups: Vec<Group>) -> Result<u64> {
    let d = e.dialect();
    let tasks = plan::<M>(groups, d)?;
    let mut guard = e.acquire().await?;
    let conn = guard.conn()?;
    if tasks.len() <= 1 {
        return run_all(conn, tasks, d).await;
    }
    crate::atomic::all_or_nothing(conn, d, "a bulk insert", async |conn| run_all(conn, tasks, d).await).await
}

/// One unit of work of a bulk insert.
enum Task {
    /// A statement, rendered when its turn comes (boxed: a statement is several times the
    /// size of a COPY task).
    Statement(Box<Statement>),
    /// A binary COPY of rows with the given column types (values row after row).
    Copy(Rendered, Vec<ColumnType>, Vec<Value>),
    /// One statement run over slices of one buffer of rows.
    Rows(RowBatch),
}

/// Splits the groups into statements, checking every value on the way.
fn plan<M: Model>(groups: Vec<Group>, d: &'static dyn Dialect) -> Result<Vec<Task>> {
    let mut tasks = Vec::new();
    for g in groups {
        for value in &g.values {
            d.check_value(value)?;
        }
        let width = g.columns.len();
        if width == 0 {
            // A row of defaults only has no columns to list: one statement each.
            let defaults = || Insert::new(M::SCHEMA.name, Vec::new(), Vec::new());
            tasks.extend((0..g.rows).map(|_| Task::Statement(Box::new(defaults().into()))));
        } else if d.supports_copy_in() && g.rows >= COPY_FROM {
            tasks.push(copy::<M>(g, d)?);
        } else if d.supports_unnest_insert() {
            tasks.push(Task::Statement(Box::new(unnest::<M>(g).into())));
        } else if let Some(per_statement) = d.repeated_insert_rows(width) {
            tasks.push(Task::Rows(batch::<M>(g, per_statement, d)?));
        } else {
            let per_statement = (d.max_params() / width).max(1) * width;
            let mut values = g.values;
            while !values.is_empty() {
                let rest = values.split_off(per_statement.min(values.len()));
                let insert = Insert::new(M::SCHEMA.name, g.columns.to_vec(), values);
                tasks.push(Task::Statement(Box::new(insert.into())));
                values = rest;
            }
        }
    }
    Ok(tasks)
}

/// The group as one array per column, for `INSERT … SELECT * FROM UNNEST(…)`.
fn unnest<M: Model>(g: Group) -> InsertUnnest {
    let width = g.columns.len();
    let mut arrays: Vec<Vec<Value>> = g.columns.iter().map(|_| Vec::with_capacity(g.rows)).collect();
    for (i, value) in g.values.into_iter().enumerate() {
        arrays[i % width].push(value);
    }
    InsertUnnest::new(M::SCHEMA.name, typed::<M>(g.columns), arrays.into_iter().map(Value::Array).collect())
}

/// Each column with its type.
fn typed<M: Model>(columns: &[&'static str]) -> Vec<(&'static str, ColumnType)> {
    columns.iter().map(|name| (*name, M::SCHEMA.column(name).map_or(ColumnType::Text, |c| c.ty))).collect()
}

/// From this many rows on, PostgreSQL bulk inserts stream with binary COPY (below it,
/// COPY's extra round trip costs more than UNNEST's parsing saves).
const COPY_FROM: usize = 256;

/// The group as a binary COPY.
fn copy<M: Model>(g: Group, d: &dyn Dialect) -> Result<Task> {
    let types = typed::<M>(g.columns).into_iter().map(|(_, ty)| ty).collect();
    let q = render(CopyIn::new(M::SCHEMA.name, g.columns.to_vec()).into(), d)?;
    Ok(Task::Copy(q, types, g.values))
}

/// The group as one batch of rows, with the text of its statements rendered once.
fn batch<M: Model>(g: Group, per_statement: usize, d: &dyn Dialect) -> Result<RowBatch> {
    let width = g.columns.len();
    RowBatch::new(g.values, width, per_statement, |rows| {
        let insert = Insert::new(M::SCHEMA.name, g.columns.to_vec(), vec![Value::Null; rows * width]);
        render(insert.into(), d).map(|q| q.sql.into_owned())
    })
}

/// Runs the tasks in order; consecutive statements go to the connection as one run.
async fn run_all(conn: &mut PooledConn, tasks: Vec<Task>, d: &'static dyn Dialect) -> Result<u64> {
    let mut total = 0;
    let mut tasks = tasks.into_iter().peekable();
    while let Some(task) = tasks.next() {
        total += match task {
            Task::Copy(q, types, values) => conn.copy_in(q, &types, values).await?,
            Task::Rows(batch) => conn.run_rows(batch).await?,
            Task::Statement(first) => {
                let more = std::iter::from_fn(|| match tasks.next_if(|t| matches!(t, Task::Statement(_))) {
                    Some(Task::Statement(s)) => Some(s),
                    _ => None,
                });
                conn.execute_each(std::iter::once(first).chain(more).map(|s| render(*s, d))).await?
            }
        };
    }
    Ok(total)
}
