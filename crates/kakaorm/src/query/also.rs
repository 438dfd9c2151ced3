//! `AlsoSelected<M, O>`: a query whose model rows come with extra selected expressions,
//! decoded alongside each model in the same statement.

use std::marker::PhantomData;

use kakaorm_core::ast::{ColumnRef, Expr, Projection};
use kakaorm_core::{Dialect, FromRow, Model, OffsetRow, Rendered, Result, RowReader, render, render_inline};

use super::Query;
use crate::executor::Executor;

/// A query over `M` whose rows come with the values of extra expressions, decoded into
/// `O` (a value, a tuple or a `#[derive(FromRow)]` struct). Built by
/// [`Query::also_select`].
#[must_use = "a query does nothing until it is executed"]
pub struct AlsoSelected<M, O> {
    query: Query<M>,
    extra: Vec<Expr>,
    _out: PhantomData<fn() -> O>,
}

/// A model row followed by the extra columns.
struct WithExtra<M, O>(M, O);

impl<M: Model, O: FromRow> FromRow for WithExtra<M, O> {
    fn from_row<R: RowReader + ?Sized>(row: &mut R) -> Result<Self> {
        let model = M::from_row(row)?;
        let extra = O::from_row(&mut OffsetRow::new(row, M::SCHEMA.columns.len()))?;
        Ok(WithExtra(model, extra))
    }
}

impl<M: Model, O: FromRow> AlsoSelected<M, O> {
    pub(super) fn new(query: Query<M>, extra: Vec<Expr>) -> Self {
        AlsoSelected { query, extra, _out: PhantomData }
    }

    /// Decodes the extra values into `R` instead: a `#[derive(FromRow)]` struct whose
    /// fields are read from the columns of their names (label the expressions). The SQL
    /// is unchanged: `SELECT "posts"."id", …, ("views" * $1) AS "double" FROM "posts"`.
    pub fn decode_as<R: FromRow>(self) -> AlsoSelected<M, R> {
        AlsoSelected::new(self.query, self.extra)
    }

    /// Renders the SELECT, for inspection.
    ///
    /// # Errors
    /// As rendering.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render(select_with(self.query.clone(), self.extra.clone()).into(), dialect)
    }

    /// The SQL with its values written inline, quoted for `dialect`: for reading and logs
    /// only, never executed (queries always bind their values).
    ///
    /// # Errors
    /// As rendering.
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        render_inline(select_with(self.query.clone(), self.extra.clone()).into(), dialect)
    }

    /// Every matching row with its extra values, prefetches included.
    ///
    /// # Errors
    /// Any database or decode error.
    pub async fn all<E: Executor>(self, e: &E) -> Result<Vec<(M, O)>> {
        fetch_pairs(self.query, self.extra, e).await
    }
}

/// The model's columns, qualified by its table, then `extra`.
pub(super) fn select_with<M: Model>(query: Query<M>, extra: Vec<Expr>) -> kakaorm_core::ast::Select {
    let table = M::SCHEMA.name;
    let mut columns: Vec<Expr> =
        M::SCHEMA.columns.iter().map(|c| Expr::Column(ColumnRef::new(Some(table), c.name))).collect();
    columns.extend(extra);
    query.into_select(Projection::Columns(columns))
}

/// Runs `query` selecting its model's columns and `extra`, and loads its prefetches.
pub(super) async fn fetch_pairs<M: Model, O: FromRow, E: Executor>(
    mut query: Query<M>,
    extra: Vec<Expr>,
    e: &E,
) -> Result<Vec<(M, O)>> {
    let loaders = std::mem::take(&mut query.prefetch);
    let dialect = e.dialect();
    let q = render(select_with(query, extra).into(), dialect)?;
    let mut guard = e.acquire().await?;
    let conn = guard.conn()?;
    let rows: Vec<WithExtra<M, O>> = conn.fetch(q).await?;
    let (mut models, extras): (Vec<M>, Vec<O>) = rows.into_iter().map(|WithExtra(m, o)| (m, o)).unzip();
    super::prefetch::load_all(&loaders, &mut models, conn, dialect).await?;
    Ok(models.into_iter().zip(extras).collect())
}
