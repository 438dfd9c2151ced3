//! `Counted<M>`: a query whose rows come with the number of their related rows, counted
//! by a correlated subquery in the same statement (no N+1, no duplicated rows).

use kakaorm_core::ast::{Expr, OrderBy};
use kakaorm_core::{Model, Result};

use super::Query;
use super::also::fetch_pairs;
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
    pub async fn all<E: Executor>(self, e: &E) -> Result<Vec<(M, i64)>> {
        fetch_pairs(self.query, vec![self.count], e).await
    }
}
