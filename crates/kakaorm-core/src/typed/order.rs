//! What `order_by` accepts: columns, expressions, terms and tuples of them.

use super::column::Column;
use super::cond::Order;
use super::expr::SqlExpr;
use crate::ast::OrderBy;

/// Orderings accepted by `order_by` (of queries and windows): one column, expression or
/// term, or a tuple of them.
pub trait IntoOrder<M> {
    /// The terms, in priority order.
    fn into_terms(self) -> Vec<OrderBy>;
}

impl<M> IntoOrder<M> for Order<M> {
    fn into_terms(self) -> Vec<OrderBy> {
        vec![self.into_term()]
    }
}

impl<M, T> IntoOrder<M> for Column<M, T> {
    fn into_terms(self) -> Vec<OrderBy> {
        vec![self.asc().into_term()]
    }
}

impl<M, T> IntoOrder<M> for SqlExpr<M, T> {
    fn into_terms(self) -> Vec<OrderBy> {
        vec![self.asc().into_term()]
    }
}

impl<M> IntoOrder<M> for Vec<Order<M>> {
    fn into_terms(self) -> Vec<OrderBy> {
        self.into_iter().map(Order::into_term).collect()
    }
}

macro_rules! order_tuple {
    ($($t:ident),+) => {
        impl<M, $($t: IntoOrder<M>),+> IntoOrder<M> for ($($t,)+) {
            #[allow(non_snake_case)]
            fn into_terms(self) -> Vec<OrderBy> {
                let ($($t,)+) = self;
                let mut v = Vec::new();
                $(v.extend($t.into_terms());)+
                v
            }
        }
    };
}
order_tuple!(A, B);
order_tuple!(A, B, C);
order_tuple!(A, B, C, D);
order_tuple!(A, B, C, D, E);
