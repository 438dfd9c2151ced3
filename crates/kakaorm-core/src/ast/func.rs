//! Function calls, CASE, window functions and labels: the expression nodes of computed
//! selections.

use super::expr::Expr;
use super::statement::OrderBy;

/// A scalar or window function kakaorm knows how to spell on every backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Func {
    /// `LOWER(text)`.
    Lower,
    /// `UPPER(text)`.
    Upper,
    /// The length of a text in characters (`LENGTH`, `CHAR_LENGTH` on MySQL).
    Length,
    /// Concatenation; NULL when any operand is NULL (`a || b`, `CONCAT(a, b)` on MySQL).
    Concat,
    /// `TRIM(text)`: leading and trailing spaces removed.
    Trim,
    /// `SUBSTR(text, start, length)`, `start` counting from 1.
    Substring,
    /// `COALESCE(a, b, …)`: the first operand that is not NULL.
    Coalesce,
    /// `ROW_NUMBER()`.
    RowNumber,
    /// `RANK()`.
    Rank,
    /// `DENSE_RANK()`.
    DenseRank,
    /// `LAG(expr, offset, default)`.
    Lag,
    /// `LEAD(expr, offset, default)`.
    Lead,
}

impl Func {
    /// The standard SQL name of the function.
    pub fn sql(self) -> &'static str {
        match self {
            Func::Lower => "LOWER",
            Func::Upper => "UPPER",
            Func::Length => "LENGTH",
            Func::Concat => "CONCAT",
            Func::Trim => "TRIM",
            Func::Substring => "SUBSTR",
            Func::Coalesce => "COALESCE",
            Func::RowNumber => "ROW_NUMBER",
            Func::Rank => "RANK",
            Func::DenseRank => "DENSE_RANK",
            Func::Lag => "LAG",
            Func::Lead => "LEAD",
        }
    }
}

/// One end of a window frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameBound {
    /// `UNBOUNDED PRECEDING`: the partition's first row.
    UnboundedPreceding,
    /// `n PRECEDING`.
    Preceding(u32),
    /// `CURRENT ROW`.
    CurrentRow,
    /// `n FOLLOWING`.
    Following(u32),
    /// `UNBOUNDED FOLLOWING`: the partition's last row.
    UnboundedFollowing,
}

/// `ROWS BETWEEN start AND end`: the rows of a partition an aggregate window covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Frame {
    /// The first row.
    pub start: FrameBound,
    /// The last row.
    pub end: FrameBound,
}

impl Frame {
    /// `ROWS BETWEEN start AND end`.
    pub const fn rows(start: FrameBound, end: FrameBound) -> Self {
        Frame { start, end }
    }
}

/// `OVER (PARTITION BY … ORDER BY … frame)`.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Window {
    /// `PARTITION BY`.
    pub partition_by: Vec<Expr>,
    /// `ORDER BY`.
    pub order_by: Vec<OrderBy>,
    /// The frame, when not the default.
    pub frame: Option<Frame>,
}

impl Expr {
    /// The same node with `f` applied to each direct child expression: the traversal the
    /// function, CASE, window and label nodes share with [`Expr::qualify`] and the column
    /// rewrites.
    #[must_use]
    pub fn map_children(self, f: &mut dyn FnMut(Expr) -> Expr) -> Expr {
        match self {
            Expr::Func { func, args } => Expr::Func { func, args: each(args, f) },
            Expr::Case { whens, otherwise } => Expr::Case {
                whens: whens.into_iter().map(|(c, v)| (f(c), f(v))).collect(),
                otherwise: otherwise.map(|e| Box::new(f(*e))),
            },
            Expr::Over { expr, window } => {
                let Window { partition_by, order_by, frame } = *window;
                let partition_by = each(partition_by, f);
                let order_by = order_by.into_iter().map(|o| o.map_expr(&mut *f)).collect();
                Expr::Over { expr: Box::new(f(*expr)), window: Box::new(Window { partition_by, order_by, frame }) }
            }
            Expr::Labelled { expr, label } => Expr::Labelled { expr: Box::new(f(*expr)), label },
            other => other,
        }
    }
}

fn each(items: Vec<Expr>, f: &mut dyn FnMut(Expr) -> Expr) -> Vec<Expr> {
    items.into_iter().map(f).collect()
}
