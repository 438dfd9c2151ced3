//! Conditions and orderings bound to a model.

use std::marker::PhantomData;
use std::ops::{BitAnd, BitOr, Not};

use crate::ast::{Expr, Nulls, OrderBy};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::render::{Rendered, render_expr};

/// A boolean condition over the columns of model `M`.
///
/// Combine conditions with `&`, `|` and `!`. `!` is SQL's `NOT`: a row where `c` is NULL
/// (it compared a NULL) matches neither `c` nor `!c`. `exclude(c)` on a query is the exact
/// complement of `filter(c)` instead (see [`Expr::complement`]).
///
/// ```
/// use kakaorm_core::typed::{Column, Cond};
/// struct User;
/// const AGE: Column<User, i32> = Column::new("age");
/// const NAME: Column<User, String> = Column::new("name");
/// let c: Cond<User> = AGE.ge(18) & !(NAME.eq("Bob") | NAME.is_null());
/// assert!(format!("{:?}", c.into_expr()).contains("Not"));
/// ```
pub struct Cond<M> {
    expr: Expr,
    _model: PhantomData<fn() -> M>,
}

impl<M> Cond<M> {
    /// Wraps an untyped expression.
    pub fn from_expr(expr: Expr) -> Self {
        Cond { expr, _model: PhantomData }
    }

    /// The untyped expression.
    pub fn into_expr(self) -> Expr {
        self.expr
    }

    /// Renders the condition alone, as it would appear after `WHERE`.
    ///
    /// # Errors
    /// As [`render`](crate::render()).
    ///
    /// ```
    /// use kakaorm_core::{Column, PostgresDialect};
    /// struct User;
    /// const AGE: Column<User, i32> = Column::new("age");
    /// assert_eq!(AGE.ge(18).to_sql(&PostgresDialect).unwrap().sql, r#""age" >= $1"#);
    /// ```
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render_expr(self.expr.clone(), dialect)
    }

    /// A condition that always holds.
    pub fn always() -> Self {
        Cond::from_expr(Expr::And(Vec::new()))
    }
}

impl<M> Clone for Cond<M> {
    fn clone(&self) -> Self {
        Cond::from_expr(self.expr.clone())
    }
}

impl<M> std::fmt::Debug for Cond<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.fmt(f)
    }
}

impl<M> BitAnd for Cond<M> {
    type Output = Cond<M>;
    fn bitand(self, rhs: Self) -> Self {
        Cond::from_expr(self.expr.and(rhs.expr))
    }
}

impl<M> BitOr for Cond<M> {
    type Output = Cond<M>;
    fn bitor(self, rhs: Self) -> Self {
        Cond::from_expr(self.expr.or(rhs.expr))
    }
}

impl<M> Not for Cond<M> {
    type Output = Cond<M>;
    fn not(self) -> Self {
        let expr = match self.expr {
            Expr::Not(inner) => *inner,
            other => Expr::Not(Box::new(other)),
        };
        Cond::from_expr(expr)
    }
}

/// One ORDER BY term over a column of model `M`.
pub struct Order<M> {
    term: OrderBy,
    _model: PhantomData<fn() -> M>,
}

impl<M> Order<M> {
    pub(crate) fn new(expr: Expr, desc: bool) -> Self {
        Order { term: OrderBy { expr, desc, nulls: None }, _model: PhantomData }
    }

    /// Puts NULLs first (emulated on MySQL).
    pub fn nulls_first(mut self) -> Self {
        self.term.nulls = Some(Nulls::First);
        self
    }

    /// Puts NULLs last (emulated on MySQL).
    pub fn nulls_last(mut self) -> Self {
        self.term.nulls = Some(Nulls::Last);
        self
    }

    /// The untyped term.
    pub fn into_term(self) -> OrderBy {
        self.term
    }
}

impl<M> Clone for Order<M> {
    fn clone(&self) -> Self {
        Order { term: self.term.clone(), _model: PhantomData }
    }
}
