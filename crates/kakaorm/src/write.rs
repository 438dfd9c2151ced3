//! Writes of single models: insert, save, delete and refresh.
//!
//! Their statement texts depend only on the model and the dialect, so each is rendered
//! once and kept in the model's schema ([`CachedSql`]); a call then only binds values.

use chrono::Utc;
use kakaorm_core::ast::{Delete, Expr, Insert, Projection, Select, Statement, Update};
use kakaorm_core::schema::{CachedSql, ColumnSchema, TableSchema};
use kakaorm_core::{Error, InsertRow, Model, Rendered, Result, Value, render};

use crate::executor::Executor;

/// Rejects a string longer than its column's `max_length`, before anything is written.
pub(crate) fn check_max_length(table: &TableSchema, col: &ColumnSchema, value: &Value) -> Result<()> {
    // A string has at most as many characters as bytes: only a long one needs counting.
    if let (Some(max), Value::String(s)) = (col.max_length, value)
        && s.len() > max as usize
    {
        let len = s.chars().count();
        if len > max as usize {
            return Err(Error::validation(format!(
                "{}.{}: {len} characters exceed max_length {max}",
                table.model, col.field
            )));
        }
    }
    Ok(())
}

pub(crate) fn check_row(table: &TableSchema, columns: &[&str], values: &[Value]) -> Result<()> {
    for (name, value) in columns.iter().zip(values) {
        if let Some(col) = table.column(name) {
            check_max_length(table, col, value)?;
        }
    }
    Ok(())
}

fn all_columns(table: &TableSchema) -> Vec<&'static str> {
    table.columns.iter().map(|c| c.name).collect()
}

fn by_key(table: &TableSchema, key: Value) -> Expr {
    Expr::column(table.pk().name).eq(key)
}

/// The statement `build` makes, with its text from the schema's cache (rendered with
/// NULL placeholders the first time) and `params` bound in placeholder order.
fn cached<E: Executor + ?Sized>(
    e: &E,
    table: &'static TableSchema,
    kind: CachedSql,
    build: impl FnOnce() -> Statement,
    params: Vec<Value>,
) -> Result<Rendered> {
    let d = e.dialect();
    let sql = table.sql.get(d.cache_slot(), kind, || render(build(), d).map(|r| r.sql.into_owned()))?;
    for p in &params {
        d.check_value(p)?;
    }
    Ok(Rendered { sql, params })
}

/// `SELECT every column FROM table WHERE key = ?`.
fn find_statement(table: &'static TableSchema, key: Value) -> Statement {
    let mut select = Select::new(table.name, Projection::Model(table));
    select.filter = Some(by_key(table, key));
    select.into()
}

/// Inserts one row and returns the stored model: through RETURNING where the backend has
/// it, otherwise by reading the row back by its key.
pub(crate) async fn insert_one<M: Model, E: Executor + ?Sized>(e: &E, row: InsertRow) -> Result<M> {
    let table = M::SCHEMA;
    check_row(table, row.columns, &row.values)?;
    let pk = table.pk();
    let explicit_key = row.columns.iter().position(|c| *c == pk.name).and_then(|i| row.values.get(i).cloned());
    let returning = e.dialect().supports_returning();
    let InsertRow { columns, values } = row;
    let build = |values: Vec<Value>| Insert {
        table: table.name,
        columns: columns.to_vec(),
        values,
        returning: if returning { all_columns(table) } else { Vec::new() },
    };
    // Only the usual shape (every column but a generated key) has a fixed text.
    let q = if explicit_key.is_none() && pk.auto_increment {
        let width = values.len();
        cached(e, table, CachedSql::Insert, || build(vec![Value::Null; width]).into(), values)?
    } else {
        render(build(values).into(), e.dialect())?
    };
    let mut guard = e.acquire().await?;
    let conn = guard.conn()?;
    if returning {
        let mut rows: Vec<M> = conn.fetch(q).await?;
        return rows.pop().ok_or_else(|| Error::not_found(table.name));
    }
    let result = conn.execute(q).await?;
    drop(guard);
    let key = match (explicit_key, result.last_insert_id) {
        (Some(k), _) => k,
        (None, Some(id)) => {
            Value::I64(i64::try_from(id).map_err(|_| Error::decode(pk.name, "generated id out of range"))?)
        }
        (None, None) => {
            return Err(Error::unsupported(format!("cannot read back the `{}` row just inserted", table.name)));
        }
    };
    fetch_by_key::<M, E>(e, key).await?.ok_or_else(|| Error::not_found(table.name))
}

/// Loads the row with primary key `key`.
pub(crate) async fn fetch_by_key<M: Model, E: Executor + ?Sized>(e: &E, key: Value) -> Result<Option<M>> {
    let table = M::SCHEMA;
    let q = cached(e, table, CachedSql::FindByKey, || find_statement(table, Value::Null), vec![key])?;
    let mut guard = e.acquire().await?;
    let mut rows: Vec<M> = guard.conn()?.fetch(q).await?;
    Ok(rows.pop())
}

/// The columns `save` writes: all but the key and `auto_now_add` ones.
fn saved(col: &ColumnSchema) -> bool {
    !col.primary_key && !col.auto_now_add
}

/// Writes every column except the key and `auto_now_add` ones; refreshes `auto_now` first.
pub(crate) async fn save<M: Model, E: Executor + ?Sized>(model: &mut M, e: &E) -> Result<()> {
    let table = M::SCHEMA;
    model.touch_auto_now(Utc::now());
    let mut params = Vec::with_capacity(table.columns.len());
    for (col, value) in table.columns.iter().zip(model.column_values()) {
        if saved(col) {
            check_max_length(table, col, &value)?;
            params.push(value);
        }
    }
    params.push(model.key_value());
    let build = || {
        let sets = table.columns.iter().filter(|c| saved(c)).map(|c| (c.name, Expr::Value(Value::Null))).collect();
        Statement::Update(Update { table: table.name, sets, filter: Some(by_key(table, Value::Null)) })
    };
    let q = cached(e, table, CachedSql::UpdateByKey, build, params)?;
    let mut guard = e.acquire().await?;
    match guard.conn()?.execute(q).await?.rows_affected {
        0 => Err(Error::not_found(table.name)),
        _ => Ok(()),
    }
}

/// Deletes the model's row; returns the number of rows deleted (0 or 1).
pub(crate) async fn delete<M: Model, E: Executor + ?Sized>(model: &M, e: &E) -> Result<u64> {
    let table = M::SCHEMA;
    let build = || Statement::Delete(Delete { table: table.name, filter: Some(by_key(table, Value::Null)) });
    let q = cached(e, table, CachedSql::DeleteByKey, build, vec![model.key_value()])?;
    let mut guard = e.acquire().await?;
    Ok(guard.conn()?.execute(q).await?.rows_affected)
}

/// Reloads every field from the database.
pub(crate) async fn refresh<M: Model, E: Executor + ?Sized>(model: &mut M, e: &E) -> Result<()> {
    *model = fetch_by_key::<M, E>(e, model.key_value()).await?.ok_or_else(|| Error::not_found(M::SCHEMA.name))?;
    Ok(())
}
