//! Expressions.

use super::Writer;
use crate::Value;
use crate::ast::{BinOp, Expr, LIKE_ESCAPE, LikeKind};
use crate::dialect::{IlikeStyle, KeyList};
use crate::error::{Error, Result};

impl Writer<'_> {
    /// Writes an expression.
    pub(crate) fn expr(&mut self, e: Expr) -> Result<()> {
        match e {
            Expr::Column(c) => {
                if let Some(t) = c.table {
                    self.ident(t);
                    self.push(".");
                }
                self.ident(c.name);
            }
            Expr::Value(v) => self.bind(v)?,
            Expr::Bool(b) => self.push(self.d.bool_literal(b)),
            Expr::Binary(l, op, r) => {
                self.operand(*l)?;
                self.push(" ");
                self.push(if op == BinOp::IntDiv { self.d.int_div_operator() } else { op.sql() });
                self.push(" ");
                self.operand(*r)?;
            }
            Expr::And(items) => self.junction(items, " AND ", true)?,
            Expr::Or(items) => self.junction(items, " OR ", false)?,
            Expr::Not(inner) => {
                self.push("NOT (");
                self.expr(*inner)?;
                self.push(")");
            }
            Expr::IsNull { expr, negated } => {
                self.operand(*expr)?;
                self.push(if negated { " IS NOT NULL" } else { " IS NULL" });
            }
            Expr::InList { expr, values, negated } => self.in_list(*expr, values, negated)?,
            Expr::AnyOf { expr, values } => self.any_of(*expr, values)?,
            Expr::Exists { select, negated } => {
                self.push(if negated { "NOT EXISTS (" } else { "EXISTS (" });
                self.select(*select)?;
                self.push(")");
            }
            Expr::Subquery(select) => {
                self.push("(");
                self.select(*select)?;
                self.push(")");
            }
            Expr::InSelect { expr, select, negated } => {
                self.operand(*expr)?;
                self.push(if negated { " NOT IN (" } else { " IN (" });
                self.in_subquery(*select)?;
                self.push(")");
            }
            Expr::Between { expr, low, high } => {
                self.operand(*expr)?;
                self.push(" BETWEEN ");
                self.operand(*low)?;
                self.push(" AND ");
                self.operand(*high)?;
            }
            Expr::Like { expr, pattern, kind, escaped } => self.like(*expr, *pattern, kind, escaped)?,
            Expr::HasText { expr, text, position, kind } => self.has_text(*expr, text, position, kind)?,
            Expr::Is { expr, value } => {
                self.operand(*expr)?;
                self.push(if value { " IS TRUE" } else { " IS FALSE" });
            }
            Expr::CountStar => self.push("COUNT(*)"),
            Expr::Agg { func, arg } => {
                self.push(func.sql());
                self.push("(");
                self.expr(*arg)?;
                self.push(")");
            }
            Expr::Cast { expr, ty } => {
                self.push("CAST(");
                self.expr(*expr)?;
                self.push(" AS ");
                let name = self.d.cast_type(ty);
                self.push(&name);
                self.push(")");
            }
            Expr::Func { func, args } => self.func(func, args)?,
            Expr::Case { whens, otherwise } => self.case(whens, otherwise)?,
            Expr::Over { expr, window } => self.over(*expr, *window)?,
            Expr::Labelled { expr, label } => self.labelled(*expr, label)?,
        }
        Ok(())
    }

    /// Writes a sub-expression, parenthesized unless it is atomic.
    pub(crate) fn operand(&mut self, e: Expr) -> Result<()> {
        let atomic = matches!(
            e,
            Expr::Column(_)
                | Expr::Value(_)
                | Expr::Bool(_)
                | Expr::CountStar
                | Expr::Agg { .. }
                | Expr::Cast { .. }
                | Expr::Func { .. }
                | Expr::Case { .. }
                | Expr::Subquery(_)
        );
        if !atomic {
            self.push("(");
        }
        self.expr(e)?;
        if !atomic {
            self.push(")");
        }
        Ok(())
    }

    fn junction(&mut self, items: Vec<Expr>, sep: &str, empty: bool) -> Result<()> {
        if items.is_empty() {
            self.push(self.d.bool_literal(empty));
            return Ok(());
        }
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.push(sep);
            }
            if matches!(item, Expr::And(_) | Expr::Or(_)) {
                self.push("(");
                self.expr(item)?;
                self.push(")");
            } else {
                self.expr(item)?;
            }
        }
        Ok(())
    }

    fn in_list(&mut self, expr: Expr, values: Vec<crate::Value>, negated: bool) -> Result<()> {
        if values.is_empty() {
            // `x IN ()` matches nothing and `x NOT IN ()` everything, NULLs included.
            self.push(self.d.bool_literal(negated));
            return Ok(());
        }
        self.operand(expr)?;
        self.push(if negated { " NOT IN (" } else { " IN (" });
        self.list(values, |w, v| w.bind(v))?;
        self.push(")");
        Ok(())
    }

    fn any_of(&mut self, expr: Expr, mut values: Vec<crate::Value>) -> Result<()> {
        let Some(last) = values.last().cloned() else {
            self.push(self.d.bool_literal(false));
            return Ok(());
        };
        self.operand(expr)?;
        let style = self.d.key_list();
        match style {
            KeyList::Array => {
                self.push(" = ANY(");
                self.bind(crate::Value::Array(values))?;
                self.push(")");
                return Ok(());
            }
            KeyList::JsonEach if style.binds_whole(&values) => {
                let json = serde_json::Value::Array(values.iter().map(crate::Value::to_json).collect());
                self.push(" IN (SELECT value FROM json_each(");
                self.bind(crate::Value::String(json.to_string()))?;
                self.push("))");
                return Ok(());
            }
            _ => {}
        }
        values.resize(padded_len(values.len()), last);
        self.push(" IN (");
        self.list(values, |w, v| w.bind(v))?;
        self.push(")");
        Ok(())
    }

    pub(crate) fn like(&mut self, expr: Expr, pattern: Expr, kind: LikeKind, escaped: bool) -> Result<()> {
        if self.d.like_stops_at_nul() && matches!(&pattern, Expr::Value(Value::String(p)) if p.contains('\0')) {
            return Err(Error::invalid_input(format!(
                "{} LIKE stops at NUL: a pattern containing NUL cannot match exactly (use contains, starts_with or ends_with)",
                self.d.backend().name()
            )));
        }
        let lower = kind == LikeKind::CaseInsensitive && self.d.ilike_style() == IlikeStyle::Lower;
        self.lowered(expr, lower)?;
        let native_ilike = kind == LikeKind::CaseInsensitive && !lower;
        self.push(if native_ilike { " ILIKE " } else { " LIKE " });
        self.lowered(pattern, lower)?;
        if escaped {
            self.push(" ESCAPE '");
            self.sql.push(LIKE_ESCAPE);
            self.push("'");
        }
        Ok(())
    }
}

/// The length a key list is padded to: the next size on a ladder of four steps per power of
/// two (…, 8, 10, 12, 14, 16, 20, 24, …), so any number of keys uses one of a few dozen
/// statement texts and never sends more than a quarter more parameters than keys.
pub(crate) fn padded_len(n: usize) -> usize {
    if n <= 8 {
        return n.next_power_of_two();
    }
    let base = 1usize << n.ilog2();
    let step = base / 4;
    n.div_ceil(step) * step
}

#[cfg(test)]
mod padding_tests {
    use super::padded_len;

    #[test]
    fn key_lists_pad_to_a_ladder_of_sizes() {
        let got: Vec<usize> = [1, 3, 5, 8, 9, 11, 16, 17, 1000, 10_000, 16_384].into_iter().map(padded_len).collect();
        assert_eq!(got, [1, 4, 8, 8, 10, 12, 16, 20, 1024, 10_240, 16_384]);
        for n in 1..5000 {
            let p = padded_len(n);
            assert!(p >= n && (p <= 8 || p * 4 <= n * 5), "{n} -> {p}");
        }
        let sizes: std::collections::BTreeSet<usize> = (1..=65_536).map(padded_len).collect();
        assert!(sizes.len() < 64, "{} statement texts", sizes.len());
    }
}
