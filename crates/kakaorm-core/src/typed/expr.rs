//! `SqlExpr<M, T>`: a typed expression over the columns of model `M` producing `T`, with
//! arithmetic through the std operators.

use std::marker::PhantomData;
use std::ops::{Add, Div, Mul, Sub};

use super::column::{Column, ExprArg};
use super::cond::{Cond, Order};
use crate::ast::{BinOp, Expr};
use crate::row::ColumnValue;

/// A typed expression over model `M` producing `T`: arithmetic on columns, a function
/// call, an aggregate, a CASE, a window function or a scalar subquery. Select it, compare
/// it, order by it, group by it, or set a column to it in an update.
///
/// ```
/// use kakaorm_core::typed::{Column, ExprOps};
/// use kakaorm_core::PostgresDialect;
/// struct Post;
/// const VIEWS: Column<Post, i32> = Column::new("views");
/// const LIKES: Column<Post, i32> = Column::new("likes");
/// let score = (VIEWS + LIKES * 2) / 3;
/// assert_eq!(score.expr_sql(&PostgresDialect), r#"("views" + ("likes" * $1)) / $2"#);
/// assert_eq!((VIEWS + 1).gt(10).to_sql(&PostgresDialect).unwrap().sql, r#"("views" + $1) > $2"#);
/// ```
pub struct SqlExpr<M, T> {
    expr: Expr,
    _marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for SqlExpr<M, T> {
    fn clone(&self) -> Self {
        SqlExpr::from_expr(self.expr.clone())
    }
}

impl<M, T> std::fmt::Debug for SqlExpr<M, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.fmt(f)
    }
}

impl<M, T> SqlExpr<M, T> {
    /// Wraps an untyped expression whose value has Rust type `T`.
    pub fn from_expr(expr: Expr) -> Self {
        SqlExpr { expr, _marker: PhantomData }
    }

    /// The untyped expression.
    pub fn expr(&self) -> Expr {
        self.expr.clone()
    }

    /// The untyped expression, consuming the handle.
    pub fn into_expr(self) -> Expr {
        self.expr
    }

    /// The expression's SQL text alone (for inspection; empty if it cannot render).
    pub fn expr_sql(&self, dialect: &dyn crate::Dialect) -> String {
        crate::render::render_expr(self.expr(), dialect).map(|r| r.sql.into_owned()).unwrap_or_default()
    }

    /// Ascending order: the expression followed by `ASC`.
    pub fn asc(self) -> Order<M> {
        Order::new(self.expr, false)
    }

    /// Descending order: the expression followed by `DESC`.
    pub fn desc(self) -> Order<M> {
        Order::new(self.expr, true)
    }

    /// `expr IS NULL`.
    pub fn is_null(self) -> Cond<M> {
        Cond::from_expr(Expr::IsNull { expr: Box::new(self.expr), negated: false })
    }

    /// `expr IS NOT NULL`.
    pub fn is_not_null(self) -> Cond<M> {
        Cond::from_expr(Expr::IsNull { expr: Box::new(self.expr), negated: true })
    }
}

macro_rules! expr_comparisons {
    ($($name:ident => $op:ident, $doc:literal;)*) => {
        impl<M, T: ColumnValue> SqlExpr<M, T> {
            $(
                #[doc = $doc]
                pub fn $name(self, value: impl ExprArg<T::Base>) -> Cond<M> {
                    Cond::from_expr(Expr::Binary(Box::new(self.expr), BinOp::$op, Box::new(value.into_expr())))
                }
            )*
        }
    };
}

expr_comparisons! {
    eq => Eq, "`expr = value` (a value, a column or an expression of the same type).";
    ne => Ne, "`expr <> value`.";
    lt => Lt, "`expr < value`.";
    le => Le, "`expr <= value`.";
    gt => Gt, "`expr > value`.";
    ge => Ge, "`expr >= value`.";
}

impl<M, T> ExprArg<T> for SqlExpr<M, T> {
    fn into_expr(self) -> Expr {
        self.expr
    }
}

impl<M, T: ColumnValue + Clone> ExprArg<Option<T>> for SqlExpr<M, T> {
    fn into_expr(self) -> Expr {
        self.expr
    }
}

/// A nullable expression against a non-null column (a nullable foreign key in a join's
/// ON condition): where it is NULL, nothing matches.
impl<M, T: ColumnValue + Clone> ExprArg<T> for SqlExpr<M, Option<T>> {
    fn into_expr(self) -> Expr {
        self.expr
    }
}

/// Column types that support arithmetic, and whether `/` divides integers.
///
/// Decimals are left out: SQLite stores them as exact text, and arithmetic on them there
/// would go through floats.
pub trait Numeric: ColumnValue {
    /// Whether the type is an integer (`/` truncates toward zero, `DIV` on MySQL).
    const INTEGER: bool;
}

macro_rules! numeric {
    ($($t:ty => $int:literal),*) => {$(
        impl Numeric for $t {
            const INTEGER: bool = $int;
        }
    )*};
}
numeric!(i16 => true, i32 => true, i64 => true, f32 => false, f64 => false);

impl<T: Numeric + Clone> Numeric for Option<T> {
    const INTEGER: bool = T::INTEGER;
}

fn arith<M, T: Numeric>(lhs: Expr, op: BinOp, rhs: Expr) -> SqlExpr<M, T> {
    let op = if op == BinOp::Div && T::INTEGER { BinOp::IntDiv } else { op };
    SqlExpr::from_expr(Expr::Binary(Box::new(lhs), op, Box::new(rhs)))
}

macro_rules! arithmetic {
    ($($trait:ident $method:ident => $op:ident),*) => {$(
        impl<M, T: Numeric, R: ExprArg<T>> $trait<R> for Column<M, T> {
            type Output = SqlExpr<M, T>;
            fn $method(self, rhs: R) -> SqlExpr<M, T> {
                arith(self.expr(), BinOp::$op, rhs.into_expr())
            }
        }

        impl<M, T: Numeric, R: ExprArg<T>> $trait<R> for SqlExpr<M, T> {
            type Output = SqlExpr<M, T>;
            fn $method(self, rhs: R) -> SqlExpr<M, T> {
                arith(self.expr, BinOp::$op, rhs.into_expr())
            }
        }
    )*};
}
arithmetic!(Add add => Add, Sub sub => Sub, Mul mul => Mul, Div div => Div);
