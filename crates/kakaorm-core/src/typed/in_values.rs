//! The right-hand side of `in_` and `not_in`: a list of values or a subquery.

use super::column::ExprArg;
use crate::ast::{BinOp, Expr};

/// What `in_` and `not_in` accept for a `T` column: any list of values (or columns) of
/// type `T`, or a query selecting one `T` column (from the `kakaorm` facade).
#[diagnostic::on_unimplemented(
    message = "a `{T}` column cannot be tested against `{Self}`",
    label = "expected a list of `{T}` values or a query selecting one `{T}` column"
)]
pub trait InValues<T> {
    /// `lhs [NOT] IN (…)`.
    fn in_expr(self, lhs: Expr, negated: bool) -> Expr;
}

impl<T, V: ExprArg<T>, I: IntoIterator<Item = V>> InValues<T> for I {
    fn in_expr(self, lhs: Expr, negated: bool) -> Expr {
        let mut list = Vec::new();
        let mut exprs = Vec::new();
        for v in self {
            match v.into_expr() {
                Expr::Value(v) => list.push(v),
                other => exprs.push(other),
            }
        }
        let base = Expr::InList { expr: Box::new(lhs.clone()), values: list, negated };
        if exprs.is_empty() {
            return base;
        }
        // Column operands cannot be bound; compare them one by one.
        let op = if negated { BinOp::Ne } else { BinOp::Eq };
        let cmp = exprs.into_iter().map(|e| Expr::Binary(Box::new(lhs.clone()), op, Box::new(e)));
        if negated { cmp.fold(base, Expr::and) } else { cmp.fold(base, Expr::or) }
    }
}
