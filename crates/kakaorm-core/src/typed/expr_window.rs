//! Window functions: ROW_NUMBER, RANK, DENSE_RANK, LAG, LEAD, and aggregates over a
//! window.

use std::marker::PhantomData;

use super::aggregate::Selectable;
use super::column::ExprArg;
use super::expr::SqlExpr;
use super::expr_func::ExprOps;
use super::order::IntoOrder;
use crate::ast::{Expr, Frame, FrameBound, Func, Window};
use crate::row::ColumnValue;
use crate::value::Value;

/// `OVER (PARTITION BY … ORDER BY … ROWS BETWEEN …)` over the rows of model `M`.
///
/// ```
/// use kakaorm_core::typed::{over, row_number, Column, ExprOps, OffsetFns};
/// use kakaorm_core::ast::FrameBound;
/// use kakaorm_core::PostgresDialect;
/// struct Post;
/// const AUTHOR: Column<Post, String> = Column::new("author");
/// const VIEWS: Column<Post, i32> = Column::new("views");
/// let rank = row_number().over(over().partition_by(AUTHOR).order_by(VIEWS.desc()));
/// assert_eq!(rank.expr_sql(&PostgresDialect), r#"ROW_NUMBER() OVER (PARTITION BY "author" ORDER BY "views" DESC)"#);
/// let running = VIEWS.sum().over(over().order_by(VIEWS).rows(FrameBound::Preceding(1), FrameBound::CurrentRow));
/// assert_eq!(
///     running.expr_sql(&PostgresDialect),
///     r#"CAST(SUM("views") OVER (ORDER BY "views" ASC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS BIGINT)"#
/// );
/// let previous = VIEWS.lag_or(1, 0).over(over().order_by(VIEWS));
/// assert_eq!(previous.expr_sql(&PostgresDialect), r#"LAG("views", $1, $2) OVER (ORDER BY "views" ASC)"#);
/// ```
pub struct Over<M> {
    window: Window,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Over<M> {
    fn clone(&self) -> Self {
        Over { window: self.window.clone(), _model: PhantomData }
    }
}

/// An empty window, every row of the result: `OVER ()`.
pub fn over<M>() -> Over<M> {
    Over { window: Window::default(), _model: PhantomData }
}

impl<M> Over<M> {
    /// `PARTITION BY` one column or expression, or a tuple of them.
    pub fn partition_by<S: Selectable<M>>(mut self, exprs: S) -> Self {
        exprs.exprs(&mut self.window.partition_by);
        self
    }

    /// `ORDER BY` inside each partition.
    pub fn order_by(mut self, order: impl IntoOrder<M>) -> Self {
        self.window.order_by = order.into_terms();
        self
    }

    /// `ROWS BETWEEN start AND end`: the frame an aggregate covers.
    pub fn rows(mut self, start: FrameBound, end: FrameBound) -> Self {
        self.window.frame = Some(Frame::rows(start, end));
        self
    }
}

/// A window function waiting for its window: finish it with [`over`](WindowFn::over).
#[must_use = "a window function needs `.over(window)`"]
pub struct WindowFn<M, T> {
    expr: Expr,
    _marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> WindowFn<M, T> {
    fn new(func: Func, args: Vec<Expr>) -> Self {
        WindowFn { expr: Expr::Func { func, args }, _marker: PhantomData }
    }

    /// The function over `window`: `ROW_NUMBER() OVER (…)`.
    pub fn over(self, window: Over<M>) -> SqlExpr<M, T> {
        SqlExpr::from_expr(Expr::Over { expr: Box::new(self.expr), window: Box::new(window.window) })
    }
}

/// `ROW_NUMBER()`: 1, 2, 3… in the window's order.
pub fn row_number<M>() -> WindowFn<M, i64> {
    WindowFn::new(Func::RowNumber, Vec::new())
}

/// `RANK()`: ties share a rank, and leave gaps after them.
pub fn rank<M>() -> WindowFn<M, i64> {
    WindowFn::new(Func::Rank, Vec::new())
}

/// `DENSE_RANK()`: ties share a rank, without gaps.
pub fn dense_rank<M>() -> WindowFn<M, i64> {
    WindowFn::new(Func::DenseRank, Vec::new())
}

impl<M, T: ColumnValue> SqlExpr<M, T> {
    /// This aggregate over a window (`SUM(x) OVER (…)`). A cast the aggregate carries
    /// (so every backend returns one type) stays outside the window.
    pub fn over(self, window: Over<M>) -> SqlExpr<M, T> {
        let wrap = |e: Expr| Expr::Over { expr: Box::new(e), window: Box::new(window.window) };
        SqlExpr::from_expr(match self.into_expr() {
            Expr::Cast { expr, ty } => Expr::Cast { expr: Box::new(wrap(*expr)), ty },
            other => wrap(other),
        })
    }
}

fn offset_fn<M, T, U>(func: Func, e: SqlExpr<M, T>, offset: u32, default: Option<Expr>) -> WindowFn<M, U> {
    let mut args = vec![e.into_expr(), Expr::Value(Value::I64(i64::from(offset)))];
    args.extend(default);
    WindowFn::new(func, args)
}

/// `LAG` and `LEAD` on columns and expressions.
pub trait OffsetFns<M, T: ColumnValue>: ExprOps<M, T> {
    /// `LAG(expr, offset)`: the value `offset` rows before, NULL before the first.
    fn lag(self, offset: u32) -> WindowFn<M, Option<T::Base>> {
        offset_fn(Func::Lag, self.typed(), offset, None)
    }

    /// `LAG(expr, offset, default)`: `default` before the first row.
    fn lag_or(self, offset: u32, default: impl ExprArg<T>) -> WindowFn<M, T> {
        offset_fn(Func::Lag, self.typed(), offset, Some(default.into_expr()))
    }

    /// `LEAD(expr, offset)`: the value `offset` rows after, NULL after the last.
    fn lead(self, offset: u32) -> WindowFn<M, Option<T::Base>> {
        offset_fn(Func::Lead, self.typed(), offset, None)
    }

    /// `LEAD(expr, offset, default)`: `default` after the last row.
    fn lead_or(self, offset: u32, default: impl ExprArg<T>) -> WindowFn<M, T> {
        offset_fn(Func::Lead, self.typed(), offset, Some(default.into_expr()))
    }
}

impl<M, T: ColumnValue, E: ExprOps<M, T>> OffsetFns<M, T> for E {}
