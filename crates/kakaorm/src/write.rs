//! Writes of single models: insert, save, delete and refresh.

use chrono::Utc;
use kakaorm_core::ast::{Delete, Expr, Insert, Projection, Select, Statement, Update};
use kakaorm_core::schema::{ColumnSchema, TableSchema};
use kakaorm_core::{Error, InsertRow, Model, Result, Value};

use crate::executor::Executor;
use crate::run;

/// Rejects a string longer than its column's `max_length`, before anything is written.
pub(crate) fn check_max_length(table: &TableSchema, col: &ColumnSchema, value: &Value) -> Result<()> {
    if let (Some(max), Value::String(s)) = (col.max_length, value) {
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

fn check_row(table: &TableSchema, columns: &[&str], values: &[Value]) -> Result<()> {
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

fn by_pk(table: &TableSchema, key: Value) -> Expr {
    Expr::column(table.pk().name).eq(key)
}

/// Inserts one row and returns the stored model: through RETURNING where the backend has
/// it, otherwise by reading the row back by its key.
pub(crate) async fn insert_one<M: Model, E: Executor + ?Sized>(e: &E, row: InsertRow) -> Result<M> {
    let table = M::SCHEMA;
    check_row(table, &row.columns, &row.values)?;
    let explicit_key = row.columns.iter().position(|c| *c == table.pk().name).map(|i| row.values[i].clone());
    let returning = e.dialect().supports_returning();
    let insert = Insert {
        table: table.name,
        columns: row.columns,
        rows: vec![row.values],
        returning: if returning { all_columns(table) } else { Vec::new() },
    };
    if returning {
        let mut rows: Vec<M> = run::fetch(e, insert.into()).await?;
        return rows.pop().ok_or_else(|| Error::not_found(table.name));
    }
    let result = run::execute(e, insert.into()).await?;
    let key = match (explicit_key, result.last_insert_id) {
        (Some(k), _) => k,
        (None, Some(id)) => {
            Value::I64(i64::try_from(id).map_err(|_| Error::decode(table.pk().name, "generated id out of range"))?)
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
    let mut select =
        Select::new(table.name, Projection::Columns(all_columns(table).into_iter().map(Expr::column).collect()));
    select.filter = Some(by_pk(table, key));
    let mut rows: Vec<M> = run::fetch(e, select.into()).await?;
    Ok(rows.pop())
}

/// Writes every column except the key and `auto_now_add` ones; refreshes `auto_now` first.
pub(crate) async fn save<M: Model, E: Executor + ?Sized>(model: &mut M, e: &E) -> Result<()> {
    let table = M::SCHEMA;
    model.touch_auto_now(Utc::now());
    let values = model.column_values();
    let mut sets = Vec::new();
    for (col, value) in table.columns.iter().zip(values) {
        if col.primary_key || col.auto_now_add {
            continue;
        }
        check_max_length(table, col, &value)?;
        sets.push((col.name, Expr::Value(value)));
    }
    let key = model.key_value();
    let update = Update { table: table.name, sets, filter: Some(by_pk(table, key)) };
    match run::execute(e, Statement::Update(update)).await?.rows_affected {
        0 => Err(Error::not_found(table.name)),
        _ => Ok(()),
    }
}

/// Deletes the model's row; returns the number of rows deleted (0 or 1).
pub(crate) async fn delete<M: Model, E: Executor + ?Sized>(model: &M, e: &E) -> Result<u64> {
    let table = M::SCHEMA;
    let stmt = Statement::Delete(Delete { table: table.name, filter: Some(by_pk(table, model.key_value())) });
    Ok(run::execute(e, stmt).await?.rows_affected)
}

/// Reloads every field from the database.
pub(crate) async fn refresh<M: Model, E: Executor + ?Sized>(model: &mut M, e: &E) -> Result<()> {
    *model = fetch_by_key::<M, E>(e, model.key_value()).await?.ok_or_else(|| Error::not_found(M::SCHEMA.name))?;
    Ok(())
}
