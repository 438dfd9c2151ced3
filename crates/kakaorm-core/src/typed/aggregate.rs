//! Aggregates over a model's columns: `COUNT`, `SUM`, `AVG`, `MIN`, `MAX`.

use super::column::Column;
use super::expr::SqlExpr;
use super::expr_func::Labelled;
use crate::ast::{AggFunc, Expr};
use crate::row::ColumnValue;
use crate::value::ColumnType;

/// A typed aggregate expression over model `M` producing `T`: a [`SqlExpr`]. Select it,
/// compare it in `having`, order by it, or run it over a window.
///
/// ```
/// use kakaorm_core::typed::{Column, count};
/// use kakaorm_core::PostgresDialect;
/// struct Post;
/// const STARS: Column<Post, i32> = Column::new("stars");
/// assert_eq!(count::<Post>().gt(5).to_sql(&PostgresDialect).unwrap().sql, "COUNT(*) > $1");
/// assert_eq!(STARS.sum().expr_sql(&PostgresDialect), "CAST(SUM(\"stars\") AS BIGINT)");
/// ```
pub type Agg<M, T> = SqlExpr<M, T>;

/// `COUNT(*)`: the number of rows (in each group).
pub fn count<M>() -> Agg<M, i64> {
    SqlExpr::from_expr(Expr::CountStar)
}

fn agg(func: AggFunc, column: Expr, cast: Option<ColumnType>) -> Expr {
    let e = Expr::Agg { func, arg: Box::new(column) };
    match cast {
        Some(ty) => Expr::Cast { expr: Box::new(e), ty },
        None => e,
    }
}

/// Column types whose values can be summed, and the type of the sum.
pub trait Summable: ColumnValue {
    /// The sum's Rust type.
    type Sum: ColumnValue + Clone;
    /// The SQL type the sum is cast to, so every backend returns the same type.
    const SUM_TYPE: Option<ColumnType>;
}

macro_rules! summable {
    ($($t:ty => $sum:ty, $cast:expr;)*) => {$(
        impl Summable for $t {
            type Sum = $sum;
            const SUM_TYPE: Option<ColumnType> = $cast;
        }
    )*};
}

summable! {
    i16 => i64, Some(ColumnType::BigInt);
    i32 => i64, Some(ColumnType::BigInt);
    i64 => i64, Some(ColumnType::BigInt);
    f32 => f64, Some(ColumnType::Double);
    f64 => f64, Some(ColumnType::Double);
    rust_decimal::Decimal => rust_decimal::Decimal, None;
}

impl<T: Summable + Clone> Summable for Option<T> {
    type Sum = T::Sum;
    const SUM_TYPE: Option<ColumnType> = T::SUM_TYPE;
}

macro_rules! aggregates {
    ($($ty:ident),*) => {$(
impl<M, T: ColumnValue> $ty<M, T> {
    /// `COUNT(expr)`: the non-NULL values.
    pub fn count(self) -> Agg<M, i64> {
        SqlExpr::from_expr(agg(AggFunc::Count, self.expr(), None))
    }

    /// `MIN(expr)`; `None` over no rows.
    pub fn min(self) -> Agg<M, Option<T::Base>> {
        SqlExpr::from_expr(agg(AggFunc::Min, self.expr(), None))
    }

    /// `MAX(expr)`; `None` over no rows.
    pub fn max(self) -> Agg<M, Option<T::Base>> {
        SqlExpr::from_expr(agg(AggFunc::Max, self.expr(), None))
    }
}

impl<M, T: Summable> $ty<M, T> {
    /// `SUM(expr)`, cast so every backend returns the same type; `None` over no rows.
    /// (On SQLite, decimals are stored as text and summed as floats.)
    pub fn sum(self) -> Agg<M, Option<T::Sum>> {
        SqlExpr::from_expr(agg(AggFunc::Sum, self.expr(), T::SUM_TYPE))
    }

    /// `AVG(expr)` as a float; `None` over no rows.
    pub fn avg(self) -> Agg<M, Option<f64>> {
        SqlExpr::from_expr(agg(AggFunc::Avg, self.expr(), Some(ColumnType::Double)))
    }
}
    )*};
}

// On columns and on expressions alike: `Post::views.sum()`, `(Post::views * 2).sum()`.
aggregates!(Column, SqlExpr);

/// What `select` accepts: a column, an aggregate, or a tuple of them. `Output` is the
/// Rust type each result row decodes into.
pub trait Selectable<M> {
    /// The decoded row.
    type Output;
    /// The selected expressions, in order.
    fn exprs(self, out: &mut Vec<Expr>);
}

impl<M, T: ColumnValue> Selectable<M> for Column<M, T> {
    type Output = T;
    fn exprs(self, out: &mut Vec<Expr>) {
        out.push(self.expr());
    }
}

impl<M, T: ColumnValue> Selectable<M> for SqlExpr<M, T> {
    type Output = T;
    fn exprs(self, out: &mut Vec<Expr>) {
        out.push(self.into_expr());
    }
}

impl<M, T: ColumnValue> Selectable<M> for Labelled<M, T> {
    type Output = T;
    fn exprs(self, out: &mut Vec<Expr>) {
        out.push(self.into_expr());
    }
}

/// Implements a selection trait `$tr` (with `type Output` and `fn exprs(self, out)`) for
/// tuples of two to six implementors, generic over `$gen` (`[M,]` or `[]`): the
/// expressions of each in order, decoded into the tuple of their outputs. Used by
/// [`Selectable`] and by kakaorm's `JoinSelectable`; not a public API.
#[doc(hidden)]
#[macro_export]
macro_rules! __selection_tuples {
    ($tr:path, [$($gen:tt)*]) => {
        $crate::__selection_tuples!(@one $tr, [$($gen)*], A, B);
        $crate::__selection_tuples!(@one $tr, [$($gen)*], A, B, C);
        $crate::__selection_tuples!(@one $tr, [$($gen)*], A, B, C, D);
        $crate::__selection_tuples!(@one $tr, [$($gen)*], A, B, C, D, E);
        $crate::__selection_tuples!(@one $tr, [$($gen)*], A, B, C, D, E, F);
    };
    (@one $tr:path, [$($gen:tt)*], $($t:ident),+) => {
        impl<$($gen)* $($t: $tr),+> $tr for ($($t,)+)
        where
            $($t::Output: $crate::ColumnValue),+
        {
            type Output = ($($t::Output,)+);
            #[allow(non_snake_case)]
            fn exprs(self, out: &mut Vec<$crate::ast::Expr>) {
                let ($($t,)+) = self;
                $($t.exprs(out);)+
            }
        }
    };
}
__selection_tuples!(Selectable<M>, [M,]);
