//! String functions, `COALESCE`, casts, literals and labels on typed expressions.

use std::marker::PhantomData;

use super::column::{Column, ExprArg, TextColumn};
use super::expr::SqlExpr;
use crate::ast::{Expr, Func};
use crate::row::ColumnValue;
use crate::value::{ColumnType, Value};

/// Anything with a Rust type that can stand in an expression over model `M`: a value, a
/// column of `M` or an expression over `M`. `T` is its type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value, column or expression of model `{M}`",
    label = "expected a value, a column of the model or an expression over it"
)]
pub trait Typed<M> {
    /// The Rust type of the value.
    type T;
    /// Lowers into an expression.
    fn into_typed_expr(self) -> Expr;
}

impl<M, V: ColumnValue> Typed<M> for V {
    type T = V;
    fn into_typed_expr(self) -> Expr {
        Expr::Value(self.into_value())
    }
}

impl<M> Typed<M> for &str {
    type T = String;
    fn into_typed_expr(self) -> Expr {
        Expr::Value(Value::String(self.to_owned()))
    }
}

impl<M, T> Typed<M> for Column<M, T> {
    type T = T;
    fn into_typed_expr(self) -> Expr {
        self.expr()
    }
}

impl<M, T> Typed<M> for SqlExpr<M, T> {
    type T = T;
    fn into_typed_expr(self) -> Expr {
        self.into_expr()
    }
}

/// A bound value as an expression, for selecting or computing with a constant.
///
/// ```
/// use kakaorm_core::typed::lit;
/// use kakaorm_core::SqliteDialect;
/// struct Post;
/// assert_eq!(lit::<Post, _>(7).expr_sql(&SqliteDialect), "?");
/// ```
pub fn lit<M, V: Typed<M>>(value: V) -> SqlExpr<M, V::T> {
    SqlExpr::from_expr(value.into_typed_expr())
}

/// Types an expression can be cast to portably, with the SQL type each backend casts to.
pub trait CastTarget: ColumnValue {
    /// The target type.
    const TYPE: ColumnType;
}

macro_rules! cast_target {
    ($($t:ty => $ty:ident),*) => {$(
        impl CastTarget for $t {
            const TYPE: ColumnType = ColumnType::$ty;
        }
    )*};
}
cast_target!(i16 => SmallInt, i32 => Integer, i64 => BigInt, f64 => Double, String => Text);

impl<T: CastTarget + Clone> CastTarget for Option<T> {
    const TYPE: ColumnType = T::TYPE;
}

/// A selected expression with an output column name: `Post::views.sum().label("total")`.
/// The label must be a plain identifier; anything else fails with
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) when the query renders.
pub struct Labelled<M, T> {
    pub(crate) expr: Expr,
    _marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for Labelled<M, T> {
    fn clone(&self) -> Self {
        Labelled { expr: self.expr.clone(), _marker: PhantomData }
    }
}

impl<M, T> std::fmt::Debug for Labelled<M, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.expr.fmt(f)
    }
}

impl<M, T> Labelled<M, T> {
    /// The `expr AS label` node.
    pub fn into_expr(self) -> Expr {
        self.expr
    }
}

fn call<M, T>(func: Func, args: Vec<Expr>) -> SqlExpr<M, T> {
    SqlExpr::from_expr(Expr::Func { func, args })
}

/// Functions on columns and expressions: text functions, `COALESCE`, casts and labels.
/// In the prelude; implemented by [`Column`] and [`SqlExpr`].
///
/// ```
/// use kakaorm_core::typed::{Column, ExprOps};
/// use kakaorm_core::{MysqlDialect, PostgresDialect};
/// struct User;
/// const NAME: Column<User, String> = Column::new("name");
/// const NICK: Column<User, Option<String>> = Column::new("nick");
/// let shown = NICK.coalesce(NAME).upper();
/// assert_eq!(shown.expr_sql(&PostgresDialect), r#"UPPER(COALESCE("nick", "name"))"#);
/// let tag = NAME.concat("#").concat(NAME.length().cast::<String>());
/// assert_eq!(tag.expr_sql(&MysqlDialect::MYSQL), "CONCAT(CONCAT(`name`, ?), CAST(CHAR_LENGTH(`name`) AS CHAR))");
/// ```
pub trait ExprOps<M, T>: Sized {
    /// The typed expression.
    fn typed(self) -> SqlExpr<M, T>;

    /// `LOWER(text)`.
    fn lower(self) -> SqlExpr<M, T>
    where
        T: TextColumn,
    {
        call(Func::Lower, vec![self.typed().into_expr()])
    }

    /// `UPPER(text)`.
    fn upper(self) -> SqlExpr<M, T>
    where
        T: TextColumn,
    {
        call(Func::Upper, vec![self.typed().into_expr()])
    }

    /// `TRIM(text)`: leading and trailing spaces removed.
    fn trim(self) -> SqlExpr<M, T>
    where
        T: TextColumn,
    {
        call(Func::Trim, vec![self.typed().into_expr()])
    }

    /// The length in characters (`LENGTH`; `CHAR_LENGTH` on MySQL).
    fn length(self) -> SqlExpr<M, T::Len>
    where
        T: TextColumn,
    {
        call(Func::Length, vec![self.typed().into_expr()])
    }

    /// The text followed by `other` (`a || b`; `CONCAT(a, b)` on MySQL); NULL when either is.
    fn concat(self, other: impl ExprArg<T>) -> SqlExpr<M, T>
    where
        T: TextColumn,
    {
        call(Func::Concat, vec![self.typed().into_expr(), other.into_expr()])
    }

    /// `SUBSTR(text, start, len)`: `len` characters from `start`, counted from 1.
    fn substring(self, start: i64, len: i64) -> SqlExpr<M, T>
    where
        T: TextColumn,
    {
        let args = vec![self.typed().into_expr(), Expr::Value(Value::I64(start)), Expr::Value(Value::I64(len))];
        call(Func::Substring, args)
    }

    /// `COALESCE(expr, fallback)`: `fallback` where the expression is NULL.
    fn coalesce(self, fallback: impl ExprArg<T::Base>) -> SqlExpr<M, T::Base>
    where
        T: ColumnValue,
    {
        call(Func::Coalesce, vec![self.typed().into_expr(), fallback.into_expr()])
    }

    /// `CAST(expr AS type)` to `U` (`i16`, `i32`, `i64`, `f64`, `String` or their
    /// `Option`), spelled per backend.
    fn cast<U: CastTarget>(self) -> SqlExpr<M, U> {
        SqlExpr::from_expr(Expr::Cast { expr: Box::new(self.typed().into_expr()), ty: U::TYPE })
    }

    /// Names the expression in the select list (`expr AS "label"`), for decoding into a
    /// `#[derive(FromRow)]` struct by column name.
    fn label(self, label: &'static str) -> Labelled<M, T> {
        let expr = Expr::Labelled { expr: Box::new(self.typed().into_expr()), label };
        Labelled { expr, _marker: PhantomData }
    }
}

impl<M, T> ExprOps<M, T> for Column<M, T> {
    fn typed(self) -> SqlExpr<M, T> {
        SqlExpr::from_expr(self.expr())
    }
}

impl<M, T> ExprOps<M, T> for SqlExpr<M, T> {
    fn typed(self) -> SqlExpr<M, T> {
        self
    }
}
