//! `Counted<M>`: a query whose rows come with the number of their related rows, counted
//! by a correlated subquery in the same statement (no N+1, no duplicated rows).

use kakaorm_core::ast::{ColumnRef, Expr, OrderBy, Projection};
use kakaorm_core::{ColumnValue, FromRow, Model, Result, RowReader, render};

use super::Query;
use crate::executor::Executor;

/// What [`Query::with_count`] accepts: a relation handle (`Article::tags`).
pub trait IntoCount<P> {
    /// `(SELECT COUNT(*) FROM … WHERE <related to the outer row>)`.
    #[doc(hidden)]
    fn count_expr(&self) -> Expr;
}

/// A query over `M` whose rows come with a count of related rows. Built by
/// [`Query::with_count`].
#[must_use = "a query does nothing until it is executed"]
pub struct Counted<M> {
    query: Query<M>,
    count: Expr,
}

/// A model row followed by one count column.
struct WithCount<M>(M, i64);

impl<M: Model> FromRow for WithCount<M> {
    fn from_row<R: RowReader + ?Sized>(row: &mut R) -> Result<Self> {
        let model = M::from_row(row)?;
        Ok(WithCount(model, i64::decode(row, M::SCHEMA.columns.len())?))
    }
}

impl<M: Model> Counted<M> {
    pub(super) fn new(query: Query<M>, count: Expr) -> Self {
        Counted { query, count }
    }

    /// Orders by the count (before any order the query had), most first when
    /// `descending`.
    pub fn order_by_count(mut self, descending: bool) -> Self {
        let term = OrderBy::new(self.count.clone(), descending, None);
        self.query.order_by.insert(0, term);
        self
    }

    /// Every matching row with its count, prefetches included.
    ///
    /// # Errors
    /// Any database or decode error.
    pub async fn all<E: Executor>(mut self, e: &E) -> Result<Vec<(M, i64)>> {
        let loaders = std::mem::take(&mut self.query.prefetch);
        let table = M::SCHEMA.name;
        let mut columns: Vec<Expr> =
            M::SCHEMA.columns.iter().map(|c| Expr::Column(ColumnRef::new(Some(table), c.name))).collect();
        columns.push(self.count);
        let dialect = e.dialect();
        let q = render(self.query.into_select(Projection::Columns(columns)).into(), dialect)?;
        let mut guard = e.acquire().await?;
        let conn = guard.conn()?;
        let rows: Vec<WithCount<M>> = conn.fetch(q).await?;
        let (mut models, counts): (Vec<M>, Vec<i64>) = rows.into_iter().map(|WithCount(m, n)| (m, n)).unzip();
        super::prefetch::load_all(&loaders, &mut models, conn, dialect).await?;
        Ok(models.into_iter().zip(counts).collect())
    }
}
