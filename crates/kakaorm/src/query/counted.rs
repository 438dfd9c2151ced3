//! `Counted<M>`: a query whose rows come with the number of their related rows, counted
//! by a correlated subquery in the same statement (no N+1, no duplicated rows).

use kakaorm_core::ast::{Expr, OrderBy};
use kakaorm_core::{Dialect, Model, Rendered, Result, render, render_inline};

use super::Query;
use super::also::{fetch_pairs, select_with};
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

impl<M: Model> Counted<M> {
    pub(super) fn new(query: Query<M>, count: Expr) -> Self {
        Counted { query, count }
    }

    /// Orders by the count (before any order the query had), most first when
    /// `descending`: renders `… ORDER BY (SELECT COUNT(*) FROM "books" WHERE …) DESC`.
    pub fn order_by_count(mut self, descending: bool) -> Self {
        let term = OrderBy::new(self.count.clone(), descending, None);
        self.query.order_by.insert(0, term);
        self
    }

    /// Renders the SELECT, for inspection: the model's columns, then the count.
    ///
    /// # Errors
    /// As rendering.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render(select_with(self.query.clone(), vec![self.count.clone()]).into(), dialect)
    }

    /// The SQL with its values written inline, quoted for `dialect`: for reading and logs
    /// only, never executed.
    ///
    /// # Errors
    /// As rendering.
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        render_inline(select_with(self.query.clone(), vec![self.count.clone()]).into(), dialect)
    }

    /// Every matching row with its count, prefetches included.
    ///
    /// # Errors
    /// Any database or decode error.
    pub async fn all<E: Executor>(self, e: &E) -> Result<Vec<(M, i64)>> {
        fetch_pairs(self.query, vec![self.count], e).await
    }
}
