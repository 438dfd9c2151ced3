//! Aggregates over a model's columns: `COUNT`, `SUM`, `AVG`, `MIN`, `MAX`.

use std::marker::PhantomData;

use super::column::{Column, ExprArg};
use super::cond::{Cond, Order};
use crate::ast::{AggFunc, BinOp, Expr};
use crate::row::ColumnValue;
use crate::value::ColumnType;

/// A typed aggregate expression over model `M` producing `T`. Select it, compare it in
/// `having`, or order by it.
///
/// ```
/// use kakaorm_core::typed::{Column, count};
/// use kakaorm_core::PostgresDialect;
/// struct Post;
/// const STARS: Column<Post, i32> = Column::new("stars");
/// assert_eq!(count::<Post>().gt(5).to_sql(&PostgresDialect).unwrap().sql, "COUNT(*) > $1");
/// assert_eq!(STARS.sum().expr_sql(&PostgresDialect), "CAST(SUM(\"stars\") AS BIGINT)");
/// ```
pub struct Agg<M, T> {
    expr: Expr,
    _marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for Agg<M, T> {
    fn clone(&self) -> Self {
        Agg { expr: self.expr.clone(), _marker: PhantomData }
    }
}

impl<M, T> std::fmt::Debug for Agg<M, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.fmt(f)
    }
}

impl<M, T> Agg<M, T> {
    fn new(expr: Expr) -> Self {
        Agg { expr, _marker: PhantomData }
    }

    /// The untyped expression.
    pub fn expr(&self) -> Expr {
        self.expr.clone()
    }

    /// The aggregate's SQL text alone (for inspection).
    pub fn expr_sql(&self, dialect: &dyn crate::Dialect) -> String {
        crate::render::render_expr(self.expr(), dialect).map(|r| r.sql.into_owned()).unwrap_or_default()
    }

    fn compare<V>(self, op: BinOp, value: V) -> Cond<M>
    where
        V: ExprArg<<T as ColumnValue>::Base>,
        T: ColumnValue,
    {
        Cond::from_expr(Expr::Binary(Box::new(self.expr), op, Box::new(value.into_expr())))
    }

    /// Ascending order.
    pub fn asc(self) -> Order<M> {
        Order::new(self.expr, false)
    }

    /// Descending order.
    pub fn desc(self) -> Order<M> {
        Order::new(self.expr, true)
    }
}

macro_rules! agg_comparisons {
    ($($name:ident => $op:ident, $doc:literal;)*) => {
        impl<M, T: ColumnValue> Agg<M, T> {
            $(
                #[doc = $doc]
                pub fn $name(self, value: impl ExprArg<T::Base>) -> Cond<M> {
                    self.compare(BinOp::$op, value)
                }
            )*
        }
    };
}

agg_comparisons! {
    eq => Eq, "`aggregate = value`, for `having`.";
    ne => Ne, "`aggregate <> value`.";
    lt => Lt, "`aggregate < value`.";
    le => Le, "`aggregate <= value`.";
    gt => Gt, "`aggregate > value`.";
    ge => Ge, "`aggregate >= value`.";
}

/// `COUNT(*)`: the number of rows (in each group).
pub fn count<M>() -> Agg<M, i64> {
    Agg::new(Expr::CountStar)
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

impl<M, T: ColumnValue> Column<M, T> {
    /// `COUNT(column)`: the non-NULL values.
    pub fn count(self) -> Agg<M, i64> {
        Agg::new(agg(AggFunc::Count, self.expr(), None))
    }

    /// `MIN(column)`; `None` over no rows.
    pub fn min(self) -> Agg<M, Option<T::Base>> {
        Agg::new(agg(AggFunc::Min, self.expr(), None))
    }

    /// `MAX(column)`; `None` over no rows.
    pub fn max(self) -> Agg<M, Option<T::Base>> {
        Agg::new(agg(AggFunc::Max, self.expr(), None))
    }
}

impl<M, T: Summable> Column<M, T> {
    /// `SUM(column)`, cast so every backend returns the same type; `None` over no rows.
    /// (On SQLite, decimals are stored as text and summed as floats.)
    pub fn sum(self) -> Agg<M, Option<T::Sum>> {
        Agg::new(agg(AggFunc::Sum, self.expr(), T::SUM_TYPE))
    }

    /// `AVG(column)` as a float; `None` over no rows.
    pub fn avg(self) -> Agg<M, Option<f64>> {
        Agg::new(agg(AggFunc::Avg, self.expr(), Some(ColumnType::Double)))
    }
}

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

impl<M, T: ColumnValue> Selectable<M> for Agg<M, T> {
    type Output = T;
    fn exprs(self, out: &mut Vec<Expr>) {
        out.push(self.expr);
    }
}

macro_rules! selectable_tuple {
    ($($t:ident),+) => {
        impl<M, $($t: Selectable<M>),+> Selectable<M> for ($($t,)+)
        where
            $($t::Output: ColumnValue),+
        {
            type Output = ($($t::Output,)+);
            #[allow(non_snake_case)]
            fn exprs(self, out: &mut Vec<Expr>) {
                let ($($t,)+) = self;
                $($t.exprs(out);)+
            }
        }
    };
}
selectable_tuple!(A, B);
selectable_tuple!(A, B, C);
selectable_tuple!(A, B, C, D);
selectable_tuple!(A, B, C, D, E);
selectable_tuple!(A, B, C, D, E, F);
