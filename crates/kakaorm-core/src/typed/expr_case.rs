//! `CASE WHEN … THEN … ELSE … END` as a typed expression.

use std::marker::PhantomData;

use super::column::ExprArg;
use super::cond::Cond;
use super::expr::SqlExpr;
use super::expr_func::{Typed, typed_value};
use crate::ast::Expr;
use crate::row::ColumnValue;

/// A CASE being built: `case_when(cond, value).when(cond, value)…`, finished with
/// [`otherwise`](Case::otherwise) (an `ELSE`) or [`end`](Case::end) (NULL when nothing
/// matched).
#[must_use = "finish the CASE with `otherwise` or `end`"]
pub struct Case<M, T> {
    whens: Vec<(Expr, Expr)>,
    _marker: PhantomData<fn() -> (M, T)>,
}

/// Starts a CASE: `value` where `cond` holds. The value's type (a value, a column or an
/// expression) is the type of the whole CASE; every other branch must have it too.
///
/// ```
/// use kakaorm_core::typed::{case_when, Column};
/// use kakaorm_core::PostgresDialect;
/// struct Post;
/// const VIEWS: Column<Post, i32> = Column::new("views");
/// let tier = case_when(VIEWS.ge(100), "hot").when(VIEWS.ge(10), "warm").otherwise("cold");
/// assert_eq!(
///     tier.expr_sql(&PostgresDialect),
///     r#"CASE WHEN "views" >= $1 THEN CAST($2 AS TEXT) WHEN "views" >= $3 THEN CAST($4 AS TEXT) ELSE CAST($5 AS TEXT) END"#
/// );
/// ```
pub fn case_when<M, V: Typed<M>>(cond: Cond<M>, value: V) -> Case<M, V::T>
where
    V::T: ColumnValue,
{
    let value = typed_value::<V::T>(value.into_typed_expr());
    Case { whens: vec![(cond.into_expr(), value)], _marker: PhantomData }
}

impl<M, T: ColumnValue> Case<M, T> {
    /// Another branch, tried after the earlier ones: `… WHEN cond THEN value`.
    pub fn when(mut self, cond: Cond<M>, value: impl ExprArg<T>) -> Self {
        self.whens.push((cond.into_expr(), typed_value::<T>(value.into_expr())));
        self
    }

    /// `ELSE value END`: the value where no condition holds.
    pub fn otherwise(self, value: impl ExprArg<T>) -> SqlExpr<M, T> {
        let otherwise = Some(Box::new(typed_value::<T>(value.into_expr())));
        SqlExpr::from_expr(Expr::Case { whens: self.whens, otherwise })
    }

    /// `END` without `ELSE`: NULL where no condition holds.
    pub fn end(self) -> SqlExpr<M, Option<T::Base>> {
        SqlExpr::from_expr(Expr::Case { whens: self.whens, otherwise: None })
    }
}
