//! What a queryset update may set a column of type `T` of model `M` to.

use super::column::Column;
use super::expr::SqlExpr;
use crate::ast::Expr;
use crate::row::ColumnValue;
use crate::value::Value;

/// A value an update may assign to a `T` column of model `M`: a value of the column's
/// type, a column of the same model and type, or an expression over the same model
/// (arithmetic, CASE, a scalar subquery).
#[diagnostic::on_unimplemented(
    message = "a `{T}` column of `{M}` cannot be set to `{Self}`",
    label = "expected a `{T}` value, or a `{T}` column or expression of the same model",
    note = "an update sets a model's columns from values and expressions over that model only"
)]
pub trait SetValue<M, T> {
    /// Lowers into the assigned expression.
    fn into_set_expr(self) -> Expr;
}

impl<M, T: ColumnValue> SetValue<M, T> for T {
    fn into_set_expr(self) -> Expr {
        Expr::Value(self.into_value())
    }
}

impl<M, T: ColumnValue + Clone> SetValue<M, Option<T>> for T {
    fn into_set_expr(self) -> Expr {
        Expr::Value(self.into_value())
    }
}

impl<M> SetValue<M, String> for &str {
    fn into_set_expr(self) -> Expr {
        Expr::Value(Value::String(self.to_owned()))
    }
}

impl<M> SetValue<M, Option<String>> for &str {
    fn into_set_expr(self) -> Expr {
        Expr::Value(Value::String(self.to_owned()))
    }
}

impl<M, T> SetValue<M, T> for Column<M, T> {
    fn into_set_expr(self) -> Expr {
        self.expr()
    }
}

impl<M, T: ColumnValue + Clone> SetValue<M, Option<T>> for Column<M, T> {
    fn into_set_expr(self) -> Expr {
        self.expr()
    }
}

impl<M, T> SetValue<M, T> for SqlExpr<M, T> {
    fn into_set_expr(self) -> Expr {
        self.into_expr()
    }
}

impl<M, T: ColumnValue + Clone> SetValue<M, Option<T>> for SqlExpr<M, T> {
    fn into_set_expr(self) -> Expr {
        self.into_expr()
    }
}
