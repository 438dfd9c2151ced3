//! Writes of single models: insert, save, delete and refresh.
//!
//! Their statement texts depend only on the model and the dialect, so each is rendered
//! once and kept in the model's schema ([`CachedSql`]); a call then only binds values.

use chrono::Utc;
use kakaorm_core::ast::{Delete, Expr, Insert, Projection, Select, Statement, Update};
use kakaorm_core::schema::{CachedSql, ColumnSchema, Deletion, TableSchema};
use kakaorm_core::{ColumnType, Dialect, Error, InsertRow, Model, Rendered, Result, Value, render};
use rust_decimal::Decimal;

use crate::deletion::Scope;
use crate::deletion::scope::restrict;
use crate::driver::PooledConn;
use crate::executor::Executor;

/// Checks a value against its column before anything is written: a string against
/// `max_length`, a decimal against `max_digits`/`decimal_places` (then brought to the
/// declared scale, so every backend stores and returns the same digits).
pub(crate) fn check_column(table: &TableSchema, col: &ColumnSchema, value: &mut Value) -> Result<()> {
    match (value, col.ty) {
        (Value::String(s), _) => check_max_length(table, col, s),
        (Value::Decimal(d), ColumnType::Decimal { precision, scale }) => {
            *d = fit_decimal(*d, precision, scale).map_err(|why| {
                Error::validation(format!(
                    "{}.{}: {why} (max_digits {precision}, decimal_places {scale})",
                    table.model, col.field
                ))
            })?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Rejects a string longer than its column's `max_length`.
fn check_max_length(table: &TableSchema, col: &ColumnSchema, s: &str) -> Result<()> {
    // A string has at most as many characters as bytes: only a long one needs counting.
    if let Some(max) = col.max_length
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

/// `d` at `scale` decimal places, when it has at most `scale` significant decimal places
/// and at most `precision - scale` digits before the point.
fn fit_decimal(d: Decimal, precision: u8, scale: u8) -> std::result::Result<Decimal, String> {
    let mut n = d.normalize();
    if n.scale() > u32::from(scale) {
        return Err(format!("{} decimal places exceed {scale}", n.scale()));
    }
    let whole = n.trunc().mantissa().unsigned_abs();
    let digits = whole.checked_ilog10().map_or(0, |l| l + 1);
    let allowed = u32::from(precision.saturating_sub(scale));
    if digits > allowed {
        return Err(format!("{digits} digits before the decimal point exceed {allowed}"));
    }
    // Exact: the scale only grows (rust_decimal keeps the largest scale it can hold).
    n.rescale(u32::from(scale));
    Ok(n)
}

pub(crate) fn check_row(table: &TableSchema, columns: &[&str], values: &mut [Value]) -> Result<()> {
    for (name, value) in columns.iter().zip(values) {
        if let Some(col) = table.column(name) {
            check_column(table, col, value)?;
        }
    }
    Ok(())
}

fn all_columns(table: &TableSchema) -> Vec<&'static str> {
    table.columns.iter().map(|c| c.name).collect()
}

pub(crate) fn by_key(table: &TableSchema, key: Value) -> Expr {
    Expr::column(table.pk().name).eq(key)
}

/// The statement `build` makes, with its text from the schema's cache (rendered with
/// NULL placeholders the first time) and `params` bound in placeholder order.
fn cached(
    d: &dyn Dialect,
    table: &'static TableSchema,
    kind: CachedSql,
    build: impl FnOnce() -> Statement,
    params: Vec<Value>,
) -> Result<Rendered> {
    let sql = table.sql.get(d.cache_slot(), kind, || render(build(), d).map(|r| r.sql.into_owned()))?;
    for p in &params {
        d.check_value(p)?;
    }
    Ok(Rendered { sql, params })
}

/// `SELECT every column FROM table WHERE key = ?`, of the rows of `scope`.
fn find_statement(table: &'static TableSchema, key: Value, scope: Scope) -> Statement {
    let mut select = Select::new(table.name, Projection::Model(table));
    select.filter = Some(by_key(table, key));
    restrict(&mut select, table, scope);
    select.into()
}

/// One INSERT, rendered and ready to run on a connection.
pub(crate) struct PreparedInsert {
    q: Rendered,
    /// The key the row sets itself, if any.
    explicit_key: Option<Value>,
    returning: bool,
}

/// Checks the row and renders its INSERT: with RETURNING where the backend has it.
pub(crate) fn prepare_insert<M: Model>(d: &dyn Dialect, mut row: InsertRow) -> Result<PreparedInsert> {
    let table = M::SCHEMA;
    check_row(table, row.columns, &mut row.values)?;
    let pk = table.pk();
    let explicit_key = row.columns.iter().position(|c| *c == pk.name).and_then(|i| row.values.get(i).cloned());
    let returning = d.supports_returning();
    let InsertRow { columns, values } = row;
    let build = |values: Vec<Value>| {
        let mut insert = Insert::new(table.name, columns.to_vec(), values);
        if returning {
            insert.returning = all_columns(table);
        }
        insert
    };
    // Only the usual shape (every column but a generated key) has a fixed text.
    let q = if explicit_key.is_none() && pk.auto_increment {
        let width = values.len();
        cached(d, table, CachedSql::Insert, || build(vec![Value::Null; width]).into(), values)?
    } else {
        render(build(values).into(), d)?
    };
    Ok(PreparedInsert { q, explicit_key, returning })
}

/// Inserts one row and returns the stored model.
pub(crate) async fn insert_one<M: Model, E: Executor + ?Sized>(e: &E, row: InsertRow) -> Result<M> {
    let d = e.dialect();
    let prepared = prepare_insert::<M>(d, row)?;
    let mut guard = e.acquire().await?;
    insert_on::<M>(guard.conn()?, d, prepared).await
}

/// Runs a prepared INSERT on `conn` and returns the stored model: through RETURNING where
/// the backend has it, otherwise by reading the row back by its key.
pub(crate) async fn insert_on<M: Model>(conn: &mut PooledConn, d: &dyn Dialect, p: PreparedInsert) -> Result<M> {
    let table = M::SCHEMA;
    if p.returning {
        let mut rows: Vec<M> = conn.fetch(p.q).await?;
        return rows.pop().ok_or_else(|| Error::not_found(table.name));
    }
    let result = conn.execute(p.q).await?;
    let key = match (p.explicit_key, result.last_insert_id) {
        (Some(k), _) => k,
        (None, Some(id)) => {
            Value::I64(i64::try_from(id).map_err(|_| Error::decode(table.pk().name, "generated id out of range"))?)
        }
        (None, None) => {
            return Err(Error::unsupported(format!("cannot read back the `{}` row just inserted", table.name)));
        }
    };
    fetch_on::<M>(conn, d, key, true).await?.ok_or_else(|| Error::not_found(table.name))
}

/// Loads the row with primary key `key`, unless it is soft-deleted.
pub(crate) async fn fetch_by_key<M: Model, E: Executor + ?Sized>(e: &E, key: Value) -> Result<Option<M>> {
    let mut guard = e.acquire().await?;
    fetch_on::<M>(guard.conn()?, e.dialect(), key, false).await
}

/// Loads the row with primary key `key` on `conn` from the main table (an archived row is
/// gone), soft-deleted or not as `include_deleted` says.
pub(crate) async fn fetch_on<M: Model>(
    conn: &mut PooledConn,
    d: &dyn Dialect,
    key: Value,
    include_deleted: bool,
) -> Result<Option<M>> {
    let table = M::SCHEMA;
    let (kind, scope) = match include_deleted && table.deletion.archive_table().is_none() {
        true => (CachedSql::FindAnyByKey, Scope::All),
        false => (CachedSql::FindByKey, Scope::Live),
    };
    let q = cached(d, table, kind, || find_statement(table, Value::Null, scope), vec![key])?;
    let mut rows: Vec<M> = conn.fetch(q).await?;
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
    for (col, mut value) in table.columns.iter().zip(model.column_values()) {
        if saved(col) {
            check_column(table, col, &mut value)?;
            params.push(value);
        }
    }
    params.push(model.key_value());
    let build = || {
        let sets = table.columns.iter().filter(|c| saved(c)).map(|c| (c.name, Expr::Value(Value::Null))).collect();
        Statement::Update(Update::new(table.name, sets, Some(by_key(table, Value::Null))))
    };
    let q = cached(e.dialect(), table, CachedSql::UpdateByKey, build, params)?;
    let mut guard = e.acquire().await?;
    match guard.conn()?.execute(q).await?.rows_affected {
        0 => Err(Error::not_found(table.name)),
        _ => Ok(()),
    }
}

/// Deletes the model's row; returns the number of rows deleted (0 or 1). A soft-delete or
/// archive model's row is deleted its way.
pub(crate) async fn delete<M: Model, E: Executor + ?Sized>(model: &M, e: &E) -> Result<u64> {
    let table = M::SCHEMA;
    if table.deletion != Deletion::Hard {
        return crate::deletion::write::delete_where(e, table, Some(by_key(table, model.key_value()))).await;
    }
    let build = || Statement::Delete(Delete::new(table.name, Some(by_key(table, Value::Null))));
    let q = cached(e.dialect(), table, CachedSql::DeleteByKey, build, vec![model.key_value()])?;
    let mut guard = e.acquire().await?;
    Ok(guard.conn()?.execute(q).await?.rows_affected)
}

/// Reloads every field from the database.
pub(crate) async fn refresh<M: Model, E: Executor + ?Sized>(model: &mut M, e: &E) -> Result<()> {
    let mut guard = e.acquire().await?;
    let row = fetch_on::<M>(guard.conn()?, e.dialect(), model.key_value(), true).await?;
    *model = row.ok_or_else(|| Error::not_found(M::SCHEMA.name))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::fit_decimal;
    use rust_decimal::Decimal;

    fn fit(s: &str, precision: u8, scale: u8) -> Result<String, String> {
        fit_decimal(Decimal::from_str(s).unwrap(), precision, scale).map(|d| d.to_string())
    }

    #[test]
    fn decimals_fit_their_declared_digits() {
        assert_eq!(fit("12.5", 4, 2).as_deref(), Ok("12.50"));
        assert_eq!(fit("-99.99", 4, 2).as_deref(), Ok("-99.99"));
        assert_eq!(fit("1.2300", 3, 2).as_deref(), Ok("1.23"));
        assert_eq!(fit("0.5", 1, 1).as_deref(), Ok("0.5"));
        assert!(fit("100", 4, 2).is_err());
        assert!(fit("1.005", 4, 2).is_err());
        assert!(fit("0.5", 1, 0).is_err());
        let wide = "-123456789012345678.0123456789";
        assert_eq!(fit(wide, 28, 10).as_deref(), Ok(wide));
        assert_eq!(fit("5", 28, 10).as_deref(), Ok("5.0000000000"));
    }
}
