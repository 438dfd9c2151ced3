//! Two-valued conditions: the exact complement of a WHERE condition despite NULLs.
//!
//! SQL conditions have three values. A row whose condition is NULL (it compared a NULL)
//! matches neither `c` nor `NOT c`. The complement rewrites each comparison so it cannot
//! be NULL, guarding it with `IS NOT NULL` tests on the columns it reads (as Django does),
//! so the result stays a plain predicate over columns that indexes can serve.

use super::expr::{ColumnRef, Expr};

impl Expr {
    /// The exact complement of a WHERE condition: holds wherever `self` does not hold,
    /// that is where it is FALSE or NULL. `filter(c)` and `exclude(c)` together then return
    /// every row, and never the same row twice.
    ///
    /// ```
    /// use kakaorm_core::ast::Expr;
    /// use kakaorm_core::{render_expr, Backend, Value};
    /// let c = Expr::column("email").eq(Value::from("x")).complement();
    /// let sql = render_expr(c, Backend::Postgres.dialect()).unwrap().sql;
    /// assert_eq!(sql, r#"NOT ("email" = $1 AND "email" IS NOT NULL)"#);
    /// ```
    pub fn complement(self) -> Expr {
        Expr::Not(Box::new(self.holds(true)))
    }

    /// A condition that is TRUE where `self` is `want`, FALSE elsewhere, and never NULL.
    fn holds(self, want: bool) -> Expr {
        let each = |items: Vec<Expr>, want: bool| items.into_iter().map(|e| e.holds(want)).collect();
        match self {
            Expr::And(items) if want => Expr::And(each(items, true)),
            Expr::And(items) => Expr::Or(each(items, false)),
            Expr::Or(items) if want => Expr::Or(each(items, true)),
            Expr::Or(items) => Expr::And(each(items, false)),
            Expr::Not(inner) => inner.holds(!want),
            Expr::Bool(b) => Expr::Bool(b == want),
            // `x IN ()` renders as a constant, NULLs included.
            Expr::InList { values, negated, .. } if values.is_empty() => Expr::Bool(negated == want),
            // Never NULL: negation is the complement.
            e @ (Expr::IsNull { .. } | Expr::Is { .. } | Expr::Exists { .. }) if want => e,
            e @ (Expr::IsNull { .. } | Expr::Is { .. } | Expr::Exists { .. }) => Expr::Not(Box::new(e)),
            leaf => match leaf.null_sources() {
                Some(columns) => {
                    let tested = if want { leaf } else { Expr::Not(Box::new(leaf)) };
                    columns
                        .into_iter()
                        .fold(tested, |e, c| e.and(Expr::IsNull { expr: Box::new(Expr::Column(c)), negated: true }))
                }
                None => Expr::Is { expr: Box::new(leaf), value: want },
            },
        }
    }

    /// The columns a predicate reads, when only they can make it NULL (its other operands
    /// are values other than NULL); `None` for any other expression.
    fn null_sources(&self) -> Option<Vec<ColumnRef>> {
        let operands: Vec<&Expr> = match self {
            Expr::Binary(l, op, r) if op.is_comparison() => vec![l, r],
            Expr::Between { expr, low, high } => vec![expr, low, high],
            Expr::InList { expr, values, .. } if !values.iter().any(|v| v.is_null()) => vec![expr],
            Expr::Like { expr, pattern, .. } => vec![expr, pattern],
            Expr::HasText { expr, .. } => vec![expr],
            _ => return None,
        };
        let mut columns: Vec<ColumnRef> = Vec::new();
        for operand in operands {
            match operand {
                Expr::Column(c) if !columns.contains(c) => columns.push(*c),
                Expr::Column(_) => {}
                Expr::Value(v) if !v.is_null() => {}
                _ => return None,
            }
        }
        Some(columns)
    }
}

#[cfg(test)]
mod tests {
    use crate::ast::Expr;
    use crate::{Backend, Value, render_expr};

    fn sql(e: Expr) -> String {
        render_expr(e, Backend::Postgres.dialect()).unwrap().sql.into_owned()
    }

    #[test]
    fn compound_conditions_are_rewritten_leaf_by_leaf() {
        let a = Expr::column("a").ge(Value::I32(1));
        let b = Expr::column("b").null_test();
        let c = Expr::Not(Box::new(Expr::column("c").eq(Expr::column("d"))));
        let got = sql(a.or(b.and(c)).complement());
        let want = r#"NOT (("a" >= $1 AND "a" IS NOT NULL) OR ("b" IS NULL AND (NOT ("c" = "d") AND "c" IS NOT NULL AND "d" IS NOT NULL)))"#;
        assert_eq!(got, want);
    }

    #[test]
    fn what_cannot_be_guarded_is_tested_for_truth() {
        let sum = Expr::column("a").binary(crate::ast::BinOp::Add, Value::I32(1));
        let got = sql(Expr::Not(Box::new(sum.ge(Value::I32(3)))).complement());
        assert_eq!(got, r#"NOT ((("a" + $1) >= $2) IS FALSE)"#);
        let with_null = Expr::InList { expr: Box::new(Expr::column("a")), values: vec![Value::Null], negated: false };
        assert_eq!(sql(with_null.complement()), r#"NOT (("a" IN ($1)) IS TRUE)"#);
    }

    impl Expr {
        fn null_test(self) -> Expr {
            Expr::IsNull { expr: Box::new(self), negated: false }
        }
    }
}
