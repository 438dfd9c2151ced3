//! Archive tables: moving rows into `archive_<table>` (with every cascading archive-model
//! child, each row once) and back. Callers run these inside one transaction or savepoint
//! (`atomic::all_or_nothing`).

use std::collections::VecDeque;

use kakaorm_core::ast::{Expr, InsertSelect, OrderBy, Projection, Select, Statement};
use kakaorm_core::schema::{ARCHIVED_AT, TableSchema};
use kakaorm_core::{ColumnType, Dialect, Result, Value, render};

use super::keys;
use super::registry::cascading_children;
use crate::driver::PooledConn;
use crate::relation::{KeySet, RelKey, key_chunks};

/// The rows to move, per table, in the order their tables were reached.
struct Plan {
    tables: Vec<(&'static TableSchema, Vec<Value>, KeySet)>,
}

impl Plan {
    /// Adds the keys of `schema` not planned yet; returns the new ones.
    fn add(&mut self, schema: &'static TableSchema, keys: Vec<Value>) -> (usize, Vec<Value>) {
        let at = match self.tables.iter().position(|(s, ..)| s.name == schema.name) {
            Some(i) => i,
            None => {
                self.tables.push((schema, Vec::new(), KeySet::default()));
                self.tables.len() - 1
            }
        };
        let (_, planned, seen) = &mut self.tables[at];
        let fresh: Vec<Value> = keys.into_iter().filter(|k| RelKey::of(k).is_some_and(|k| seen.insert(k))).collect();
        planned.extend(fresh.iter().cloned());
        (at, fresh)
    }
}

/// Moves the rows of `schema` that `roots` selects into its archive table, after every
/// row of a registered archive model that references one of them (or one of those,
/// recursively) through an `ON DELETE CASCADE` key; returns how many rows of `schema`
/// `roots` selected.
///
/// Each table's rows are copied before any is deleted, so the main table's own cascade
/// only removes rows already copied.
pub(super) async fn archive(
    conn: &mut PooledConn,
    d: &'static dyn Dialect,
    schema: &'static TableSchema,
    roots: Select,
) -> Result<u64> {
    let root_keys = keys::fetch(conn, d, roots, schema).await?;
    let moved = u64::try_from(root_keys.len()).unwrap_or(u64::MAX);
    if root_keys.is_empty() {
        return Ok(0);
    }
    let plan = collect(conn, d, schema, root_keys).await?;
    let now = Value::DateTimeUtc(kakaorm_core::truncate_micros(chrono::Utc::now()));
    for (table, planned, _) in &plan.tables {
        copy(conn, d, table, planned, &now).await?;
    }
    for (table, planned, _) in plan.tables.iter().rev() {
        keys::delete(conn, d, table, table.name, planned).await?;
    }
    Ok(moved)
}

/// Every row to archive with the roots: children found level by level, each row once.
async fn collect(
    conn: &mut PooledConn,
    d: &'static dyn Dialect,
    schema: &'static TableSchema,
    roots: Vec<Value>,
) -> Result<Plan> {
    let mut plan = Plan { tables: Vec::new() };
    let (at, fresh) = plan.add(schema, roots);
    let mut work = VecDeque::from([(at, fresh)]);
    while let Some((at, parents)) = work.pop_front() {
        let parent = plan.tables[at].0;
        for (child, fk) in cascading_children(parent) {
            let mut found = Vec::new();
            for values in key_chunks(parents.clone(), d) {
                let mut select = Select::new(child.name, Projection::One);
                select.filter = Some(Expr::AnyOf { expr: Box::new(Expr::column(fk)), values });
                found.extend(keys::fetch(conn, d, select, child).await?);
            }
            let (at, fresh) = plan.add(child, found);
            if !fresh.is_empty() {
                work.push_back((at, fresh));
            }
        }
    }
    Ok(plan)
}

/// `INSERT INTO archive (cols, archived_at) SELECT cols, now FROM table WHERE pk IN keys`.
async fn copy(
    conn: &mut PooledConn,
    d: &'static dyn Dialect,
    schema: &'static TableSchema,
    keys: &[Value],
    now: &Value,
) -> Result<()> {
    let Some(archive) = schema.deletion.archive_table() else {
        return Ok(());
    };
    let mut columns: Vec<&'static str> = schema.columns.iter().map(|c| c.name).collect();
    let mut exprs: Vec<Expr> = columns.iter().map(|c| Expr::column(c)).collect();
    columns.push(ARCHIVED_AT);
    // Typed, so PostgreSQL knows the parameter's type in a SELECT list.
    exprs.push(Expr::Cast { expr: Box::new(Expr::Value(now.clone())), ty: ColumnType::TimestampTz });
    for cond in keys::matching(schema, keys, d) {
        let mut select = Select::new(schema.name, Projection::Columns(exprs.clone()));
        select.filter = Some(cond);
        let stmt = Statement::InsertSelect(InsertSelect::new(archive, columns.clone(), select));
        conn.execute(render(stmt, d)?).await?;
    }
    Ok(())
}

/// Moves the archived rows of `schema` that `select` (over the archive) returns back into
/// the main table, without cascading; returns how many. A row whose parent is still
/// archived fails the main table's foreign key. So does, on MySQL only (it checks foreign
/// keys row by row, where PostgreSQL and SQLite check at the end of the statement), a set
/// of rows that reference each other in a cycle.
pub(super) async fn restore(
    conn: &mut PooledConn,
    d: &'static dyn Dialect,
    schema: &'static TableSchema,
    select: Select,
) -> Result<u64> {
    let Some(archive) = schema.deletion.archive_table() else {
        return Ok(0);
    };
    let found = keys::fetch(conn, d, select, schema).await?;
    let columns: Vec<&'static str> = schema.columns.iter().map(|c| c.name).collect();
    for cond in keys::matching(schema, &found, d) {
        let mut select = Select::new(archive, Projection::Model(schema));
        select.filter = Some(cond);
        // Older rows first: on MySQL, which checks foreign keys row by row, a parent
        // restored with its children is usually in place before them.
        select.order_by = vec![OrderBy::new(Expr::column(schema.pk().name), false, None)];
        let stmt = Statement::InsertSelect(InsertSelect::new(schema.name, columns.clone(), select));
        conn.execute(render(stmt, d)?).await?;
    }
    keys::delete(conn, d, schema, archive, &found).await?;
    Ok(u64::try_from(found.len()).unwrap_or(u64::MAX))
}
