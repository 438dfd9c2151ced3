//! Primary keys of rows, read and matched whatever their type: archive moves and cascades
//! work on the keys of the rows they move, in chunks the backend can bind.

use kakaorm_core::ast::{Delete, Expr, Projection, Select, Statement};
use kakaorm_core::schema::TableSchema;
use kakaorm_core::{ColumnType, ColumnValue, Dialect, Error, Result, Value, render};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::driver::PooledConn;
use crate::relation::key_chunks;

/// The primary keys of the rows `select` (over `schema`'s table) returns.
///
/// # Errors
/// [`Unsupported`](kakaorm_core::ErrorKind::Unsupported) for a key type other than an
/// integer, text, UUID, decimal or date; any database error.
pub(super) async fn fetch(
    conn: &mut PooledConn,
    d: &'static dyn Dialect,
    mut select: Select,
    schema: &'static TableSchema,
) -> Result<Vec<Value>> {
    let pk = schema.pk();
    select.projection = Projection::Columns(vec![Expr::column(pk.name)]);
    let q = render(Statement::Select(select), d)?;
    async fn values<K: ColumnValue>(conn: &mut PooledConn, q: kakaorm_core::Rendered) -> Result<Vec<Value>> {
        Ok(conn.fetch::<K>(q).await?.into_iter().map(ColumnValue::into_value).collect())
    }
    match pk.ty {
        ColumnType::SmallInt => values::<i16>(conn, q).await,
        ColumnType::Integer => values::<i32>(conn, q).await,
        ColumnType::BigInt => values::<i64>(conn, q).await,
        ColumnType::Text | ColumnType::Varchar(_) => values::<String>(conn, q).await,
        ColumnType::Uuid => values::<Uuid>(conn, q).await,
        ColumnType::Decimal { .. } => values::<Decimal>(conn, q).await,
        ColumnType::Date => values::<chrono::NaiveDate>(conn, q).await,
        other => Err(Error::unsupported(format!(
            "cannot archive or restore `{}` rows by a {other:?} primary key",
            schema.name
        ))),
    }
}

/// `pk IN (keys)` conditions over `schema`'s key, one per chunk the backend binds.
pub(super) fn matching(
    schema: &TableSchema,
    keys: &[Value],
    d: &'static dyn Dialect,
) -> impl Iterator<Item = Expr> + use<> {
    let pk = schema.pk().name;
    key_chunks(keys.to_vec(), d).map(move |values| Expr::AnyOf { expr: Box::new(Expr::column(pk)), values })
}

/// Deletes the rows of `table` (keyed like `schema`) with these keys; returns how many.
pub(super) async fn delete(
    conn: &mut PooledConn,
    d: &'static dyn Dialect,
    schema: &TableSchema,
    table: &'static str,
    keys: &[Value],
) -> Result<u64> {
    let mut n = 0;
    for cond in matching(schema, keys, d) {
        let q = render(Statement::Delete(Delete::new(table, Some(cond))), d)?;
        n += conn.execute(q).await?.rows_affected;
    }
    Ok(n)
}
