//! Set operations and `WITH`.

use super::Writer;
use super::func::check_name;
use crate::ast::{Compound, Select, SetOp, Statement, With};
use crate::error::{Error, Result};

impl Writer<'_> {
    pub(crate) fn compound(&mut self, c: Compound) -> Result<()> {
        let Compound { first, rest, order_by, limit } = c;
        for (op, _) in &rest {
            if !self.d.supports_set_op(*op) {
                return Err(Error::unsupported(format!("{} has no {}", self.d.backend().name(), op.sql())));
            }
        }
        // SQL gives INTERSECT precedence over UNION and EXCEPT (but SQLite does not): an
        // INTERSECT after other operations reads them through a derived table, so every
        // backend combines left to right, as the builder reads.
        let binding = |op: SetOp| matches!(op, SetOp::Intersect | SetOp::IntersectAll);
        let wraps = rest.iter().skip(1).filter(|(op, _)| binding(*op)).count();
        for _ in 0..wraps {
            self.push("SELECT * FROM (");
        }
        self.member(first, 0)?;
        for (i, (op, s)) in rest.into_iter().enumerate() {
            if i > 0 && binding(op) {
                self.push(") ");
                self.ident(&format!("c{i}"));
            }
            self.push(" ");
            self.push(op.sql());
            self.push(" ");
            self.member(s, i + 1)?;
        }
        if !order_by.is_empty() {
            self.push(" ");
            self.order_terms(order_by)?;
        }
        self.limit_offset(limit, None)
    }

    /// One query of a set operation; one with its own order or slice is read through a
    /// derived table (SQLite allows neither inside a compound).
    fn member(&mut self, s: Select, i: usize) -> Result<()> {
        if s.order_by.is_empty() && s.limit.is_none() && s.offset.is_none() {
            return self.select(s);
        }
        self.derived(s, &format!("m{i}"))
    }

    /// The subquery of `IN (…)`: one with a limit or offset is read through a derived
    /// table where the backend refuses a slice there (MySQL and MariaDB).
    pub(crate) fn in_subquery(&mut self, s: Select) -> Result<()> {
        if self.d.limit_in_subquery() || (s.limit.is_none() && s.offset.is_none()) {
            return self.select(s);
        }
        self.derived(s, "sliced")
    }

    /// `SELECT * FROM (s) "alias"`.
    fn derived(&mut self, s: Select, alias: &str) -> Result<()> {
        self.push("SELECT * FROM (");
        self.select(s)?;
        self.push(") ");
        self.ident(alias);
        Ok(())
    }

    pub(crate) fn with(&mut self, w: With) -> Result<()> {
        self.push(if w.recursive { "WITH RECURSIVE " } else { "WITH " });
        self.list(w.ctes, |w, (name, body)| {
            check_name("CTE name", name)?;
            w.ident(name);
            w.push(" AS (");
            w.statement(body)?;
            w.push(")");
            Ok(())
        })?;
        self.push(" ");
        self.statement(*w.main)
    }

    /// Any statement that reads rows.
    pub(crate) fn statement(&mut self, s: Statement) -> Result<()> {
        match s {
            Statement::Select(s) => self.select(s),
            Statement::Compound(c) => self.compound(c),
            Statement::With(w) => self.with(w),
            _ => Err(Error::invalid_input("only a query can be named in a WITH or combined in a set operation")),
        }
    }
}
