//! Writes of single models: insert, save, delete and refresh.
//!
//! Their statement texts depend only on the model and the dialect, so each is rendered
//! once and kept in the model's schema ([`CachedSql`]); a call then only binds values.

use chrono::Utc;
use kakaorm_core::ast::{Delete, Expr, Insert, Projection, Select, Statement, Update};
use kakaorm_core::schema::{CachedSql, ColumnSchema, Deletion, TableSchema};
use kakaorm_core::validate::{Locale, ValidationErrors};
use kakaorm_core::{
    ColumnType, Dialect, Error, ErrorKind, InsertRow, Model, Rendered, Result, Value, ValueRef, provisional, render,
    row_values, validate_row,
};
use rust_decimal::Decimal;

use crate::deletion::Scope;
use crate::deletion::scope::restrict;
use crate::driver::PooledConn;
use crate::executor::Executor;
use crate::hooks::{self, Hooks};
use crate::tx::Tx;

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

/// [`check_column`] and the dialect's [`check_value`](Dialect::check_value) for a value
/// borrowed from a model: text is checked in place, and copied only when it holds a NUL
/// (the one thing a dialect refuses in text), to be reported as an owned one would be.
pub(crate) fn check_borrowed(
    table: &TableSchema,
    col: &ColumnSchema,
    value: &mut ValueRef<'_>,
    d: &dyn Dialect,
) -> Result<()> {
    match value {
        ValueRef::Text(s) => {
            check_max_length(table, col, s)?;
            match s.contains('\0') {
                true => d.check_value(&Value::String((*s).to_owned())),
                false => Ok(()),
            }
        }
        // No column rule or dialect limit applies to bytes.
        ValueRef::Bytes(_) => Ok(()),
        ValueRef::Value(v) => {
            check_column(table, col, v)?;
            d.check_value(v)
        }
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

/// Validates the row of a create builder, before any SQL, with messages in `locale`.
pub(crate) fn validate_insert<M: Model>(row: &InsertRow, locale: Locale) -> Result<()> {
    let mut errors = ValidationErrors::in_locale(M::SCHEMA.model, locale);
    validate_row::<M>(row.columns, &row.values, None, &mut errors)?;
    errors.into_result()
}

/// Validates and inserts one row, with the model's hooks around it when it has any.
pub(crate) async fn create<M: Model + Hooks, E: Executor + ?Sized>(e: &E, row: InsertRow) -> Result<M> {
    validate_insert::<M>(&row, e.validation_locale())?;
    if !M::HAS_HOOKS {
        return insert_one::<M, E>(e, row).await;
    }
    hooks::scoped(e, async |tx| insert_hooked::<M>(tx, row).await).await
}

/// Inserts one validated row inside `tx` between `before_insert` and `after_insert`.
pub(crate) async fn insert_hooked<M: Model + Hooks>(tx: &Tx, row: InsertRow) -> Result<M> {
    let mut model: M = provisional(row.columns, &row.values)?;
    model.before_insert(tx).await?;
    let values = row_values(&model, row.columns);
    let mut stored = insert_one::<M, Tx>(tx, InsertRow { columns: row.columns, values }).await?;
    stored.after_insert(tx).await?;
    Ok(stored)
}

/// Validates the model, then writes its columns (`changed`, or every column `save`
/// writes), with the model's hooks around the write when it has any.
pub(crate) async fn save<M: Model + Hooks, E: Executor + ?Sized>(
    model: &mut M,
    changed: Option<&[usize]>,
    e: &E,
) -> Result<bool> {
    model.validate_in(e.validation_locale())?;
    if !M::HAS_HOOKS {
        return update_row(model, changed, e).await;
    }
    hooks::scoped(e, async |tx| {
        model.before_update(tx).await?;
        let wrote = update_row(model, changed, tx).await?;
        model.after_update(tx).await?;
        Ok(wrote)
    })
    .await
}

/// `key = ?`, and `version = ?` for a model with a version column.
fn by_key_and_version(table: &TableSchema) -> Expr {
    let key = by_key(table, Value::Null);
    match table.version_column() {
        Some(v) => key.and(Expr::column(table.columns[v].name).eq(Value::Null)),
        None => key,
    }
}

/// The version after `v`, wrapping as `bump_version` does.
fn next_version(v: &Value) -> Value {
    match v {
        Value::I16(i) => Value::I16(i.wrapping_add(1)),
        Value::I32(i) => Value::I32(i.wrapping_add(1)),
        Value::I64(i) => Value::I64(i.wrapping_add(1)),
        other => other.clone(),
    }
}

/// Writes the columns `save` writes (only those in `changed` when given, with `auto_now`
/// and the version always), refreshing `auto_now` first; checks and bumps the version.
/// Returns whether a statement was sent (not when nothing changed).
async fn update_row<M: Model, E: Executor + ?Sized>(model: &mut M, changed: Option<&[usize]>, e: &E) -> Result<bool> {
    let table = M::SCHEMA;
    let version = table.version_column();
    let written = |i: usize, col: &ColumnSchema| {
        saved(col) && changed.is_none_or(|c| c.contains(&i) || col.auto_now || col.version)
    };
    if changed.is_some_and(<[usize]>::is_empty) {
        return Ok(false);
    }
    model.touch_auto_now(Utc::now());
    let mut params = Vec::with_capacity(table.columns.len() + 1);
    for (i, col) in table.columns.iter().enumerate() {
        if written(i, col) {
            let mut value = model.column_value(i);
            if col.version {
                value = next_version(&value);
            }
            check_column(table, col, &mut value)?;
            params.push(value);
        }
    }
    params.push(model.key_value());
    params.extend(version.map(|v| model.column_value(v)));
    let build = || {
        let sets = (table.columns.iter().enumerate())
            .filter(|(i, c)| written(*i, c))
            .map(|(_, c)| (c.name, Expr::Value(Value::Null)))
            .collect();
        Statement::Update(Update::new(table.name, sets, Some(by_key_and_version(table))))
    };
    let q = match changed {
        None => cached(e.dialect(), table, CachedSql::UpdateByKey, build, params)?,
        Some(_) => with_params(build(), params, e)?,
    };
    let affected = {
        let mut guard = e.acquire().await?;
        guard.conn()?.execute(q).await?.rows_affected
    };
    if affected == 0 {
        return Err(stale_or(model, Error::not_found(table.name), e).await);
    }
    model.bump_version();
    Ok(true)
}

/// A statement rendered now, with `params` bound in placeholder order in place of its
/// NULL placeholders.
fn with_params<E: Executor + ?Sized>(stmt: Statement, params: Vec<Value>, e: &E) -> Result<Rendered> {
    let d = e.dialect();
    let sql = render(stmt, d)?.sql.into_owned();
    for p in &params {
        d.check_value(p)?;
    }
    Ok(Rendered { sql: sql.into(), params })
}

/// Why a write by key and version touched no row: [`StaleObject`](ErrorKind::StaleObject)
/// when the row is still there (its version moved on), else `gone`.
async fn stale_or<M: Model, E: Executor + ?Sized>(model: &M, gone: Error, e: &E) -> Error {
    let table = M::SCHEMA;
    if table.version_column().is_none() {
        return gone;
    }
    match fetch_by_key::<M, E>(e, model.key_value()).await {
        Ok(Some(_)) => Error::new(
            ErrorKind::StaleObject,
            format!(
                "`{}` row {:?} was changed since it was loaded; reload it and retry",
                table.model,
                model.key_value()
            ),
        ),
        Ok(None) => gone,
        Err(err) => err,
    }
}

/// Deletes the model's row, with its hooks around the delete when it has any; returns the
/// number of rows deleted (0 or 1).
pub(crate) async fn delete<M: Model + Hooks, E: Executor + ?Sized>(model: &M, e: &E) -> Result<u64> {
    if !M::HAS_HOOKS {
        return delete_row(model, e).await;
    }
    hooks::scoped(e, async |tx| {
        model.before_delete(tx).await?;
        let n = delete_row(model, tx).await?;
        if n > 0 {
            model.after_delete(tx).await?;
        }
        Ok(n)
    })
    .await
}

/// Deletes the model's row, checking its version when it has one. A soft-delete or
/// archive model's row is deleted its way.
async fn delete_row<M: Model, E: Executor + ?Sized>(model: &M, e: &E) -> Result<u64> {
    let table = M::SCHEMA;
    if table.deletion != Deletion::Hard {
        return crate::deletion::write::delete_where(e, table, Some(by_key(table, model.key_value()))).await;
    }
    let build = || Statement::Delete(Delete::new(table.name, Some(by_key_and_version(table))));
    let mut params = vec![model.key_value()];
    params.extend(table.version_column().map(|v| model.column_value(v)));
    let q = cached(e.dialect(), table, CachedSql::DeleteByKey, build, params)?;
    let n = {
        let mut guard = e.acquire().await?;
        guard.conn()?.execute(q).await?.rows_affected
    };
    if n == 0 && table.version_column().is_some() {
        let gone = Error::not_found(table.name);
        let err = stale_or(model, gone, e).await;
        return if err.kind() == ErrorKind::NotFound { Ok(0) } else { Err(err) };
    }
    Ok(n)
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
