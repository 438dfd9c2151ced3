//! Subqueries and the names columns go by: renaming a table to an alias throughout an
//! expression, and measuring how deeply subqueries nest.

use super::expr::{ColumnRef, Expr};
use super::statement::{Join, OrderBy, Projection, Select};

impl Expr {
    /// Rewrites every column qualified by table `from` to be qualified by `to`, inside
    /// subqueries too: how a condition over a table becomes a condition over that table
    /// under an alias.
    ///
    /// ```
    /// use kakaorm_core::ast::{ColumnRef, Expr};
    /// use kakaorm_core::{render_expr, Backend, Value};
    /// let c = Expr::Column(ColumnRef::new(Some("posts"), "id")).eq(Value::I64(1));
    /// let sql = render_expr(c.rename_table("posts", "p"), Backend::Sqlite.dialect()).unwrap().sql;
    /// assert_eq!(sql, r#""p"."id" = ?"#);
    /// ```
    #[must_use]
    pub fn rename_table(self, from: &str, to: &'static str) -> Expr {
        self.map_columns(&mut |c| if c.table == Some(from) { ColumnRef { table: Some(to), ..c } } else { c })
    }

    /// How deeply subqueries nest inside this expression: 0 without any.
    pub fn subquery_depth(&self) -> usize {
        match self {
            Expr::Exists { select, .. } | Expr::Subquery(select) => 1 + select_depth(select),
            Expr::InSelect { expr, select, .. } => expr.subquery_depth().max(1 + select_depth(select)),
            Expr::Binary(l, _, r) => l.subquery_depth().max(r.subquery_depth()),
            Expr::And(items) | Expr::Or(items) => items.iter().map(Expr::subquery_depth).max().unwrap_or(0),
            Expr::Not(e) => e.subquery_depth(),
            _ => 0,
        }
    }

    /// Applies `f` to every column, subqueries included.
    fn map_columns(self, f: &mut dyn FnMut(ColumnRef) -> ColumnRef) -> Expr {
        self.map_columns_in(f, true)
    }

    /// The names qualifying this expression's columns, in order, leaving out columns inside
    /// subqueries (which name the subquery's own alias): what a joined query checks
    /// against the tables it reads.
    ///
    /// ```
    /// use kakaorm_core::ast::{ColumnRef, Expr};
    /// let c = Expr::Column(ColumnRef::new(Some("posts"), "id")).eq(Expr::Column(ColumnRef::new(Some("users"), "id")));
    /// assert_eq!(c.column_tables(), ["posts", "users"]);
    /// ```
    pub fn column_tables(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        self.clone().map_columns_in(
            &mut |c| {
                out.extend(c.table);
                c
            },
            false,
        );
        out
    }

    /// Applies `f` to every column, inside subqueries too when `deep`.
    fn map_columns_in(self, f: &mut dyn FnMut(ColumnRef) -> ColumnRef, deep: bool) -> Expr {
        let b = |e: Box<Expr>, f: &mut dyn FnMut(ColumnRef) -> ColumnRef| Box::new(e.map_columns_in(f, deep));
        let s = |select: Box<Select>, f: &mut dyn FnMut(ColumnRef) -> ColumnRef| {
            if deep { Box::new(select.map_columns(f)) } else { select }
        };
        match self {
            Expr::Column(c) => Expr::Column(f(c)),
            Expr::Binary(l, op, r) => {
                let l = b(l, f);
                Expr::Binary(l, op, b(r, f))
            }
            Expr::And(items) => Expr::And(items.into_iter().map(|e| e.map_columns_in(f, deep)).collect()),
            Expr::Or(items) => Expr::Or(items.into_iter().map(|e| e.map_columns_in(f, deep)).collect()),
            Expr::Not(e) => Expr::Not(b(e, f)),
            Expr::IsNull { expr, negated } => Expr::IsNull { expr: b(expr, f), negated },
            Expr::InList { expr, values, negated } => Expr::InList { expr: b(expr, f), values, negated },
            Expr::AnyOf { expr, values } => Expr::AnyOf { expr: b(expr, f), values },
            Expr::Exists { select, negated } => Expr::Exists { select: s(select, f), negated },
            Expr::Subquery(select) => Expr::Subquery(s(select, f)),
            Expr::InSelect { expr, select, negated } => {
                let expr = b(expr, f);
                Expr::InSelect { expr, select: s(select, f), negated }
            }
            Expr::Between { expr, low, high } => {
                let (expr, low) = (b(expr, f), b(low, f));
                Expr::Between { expr, low, high: b(high, f) }
            }
            Expr::Like { expr, pattern, kind, escaped } => {
                let expr = b(expr, f);
                Expr::Like { expr, pattern: b(pattern, f), kind, escaped }
            }
            Expr::HasText { expr, text, position, kind } => Expr::HasText { expr: b(expr, f), text, position, kind },
            Expr::Is { expr, value } => Expr::Is { expr: b(expr, f), value },
            Expr::Agg { func, arg } => Expr::Agg { func, arg: b(arg, f) },
            Expr::Cast { expr, ty } => Expr::Cast { expr: b(expr, f), ty },
            e @ (Expr::Func { .. } | Expr::Case { .. } | Expr::Over { .. } | Expr::Labelled { .. }) => {
                e.map_children(&mut |c| c.map_columns_in(f, deep))
            }
            other @ (Expr::Value(_) | Expr::Bool(_) | Expr::CountStar) => other,
        }
    }
}

/// How deeply subqueries nest inside a subquery's own conditions.
fn select_depth(select: &Select) -> usize {
    let filter = select.filter.as_ref().map_or(0, Expr::subquery_depth);
    let having = select.having.as_ref().map_or(0, Expr::subquery_depth);
    filter.max(having)
}

/// The aliases subqueries take, by nesting depth.
const SUBQUERY_ALIASES: [&str; 8] = ["sq1", "sq2", "sq3", "sq4", "sq5", "sq6", "sq7", "sq8"];

impl Select {
    /// This query as a subquery: its table renamed to an alias (`sq1`, `sq2`, … by how
    /// deeply subqueries nest inside it) and its unqualified columns qualified by that
    /// alias, so a column qualified by a table name (a correlated reference) names the
    /// enclosing row, even when both read the same table.
    ///
    /// ```
    /// use kakaorm_core::ast::{ColumnRef, Expr, Projection, Select};
    /// use kakaorm_core::{render_expr, Backend};
    /// let mut sub = Select::new("posts", Projection::One);
    /// sub.filter = Some(Expr::column("user_id").eq(Expr::Column(ColumnRef::new(Some("users"), "id"))));
    /// let e = Expr::Exists { select: Box::new(sub.into_subquery()), negated: false };
    /// let sql = render_expr(e, Backend::Postgres.dialect()).unwrap().sql;
    /// assert_eq!(sql, r#"EXISTS (SELECT 1 FROM "posts" "sq1" WHERE "sq1"."user_id" = "users"."id")"#);
    /// ```
    #[must_use]
    pub fn into_subquery(self) -> Select {
        let depth = select_depth(&self);
        let alias = SUBQUERY_ALIASES[depth.min(SUBQUERY_ALIASES.len() - 1)];
        let own = self.alias.unwrap_or(self.table);
        let mut s =
            self.map_columns(&mut |c| if c.table.is_none() { ColumnRef { table: Some(alias), ..c } } else { c });
        // Orderings name the query's own table (they are qualified to stay clear of output
        // names); in its conditions that name is the enclosing query's row.
        s.order_by = s.order_by.into_iter().map(|o| o.map_expr(|e| e.rename_table(own, alias))).collect();
        s.alias = Some(alias);
        s
    }

    fn map_columns(self, f: &mut dyn FnMut(ColumnRef) -> ColumnRef) -> Select {
        let each = |items: Vec<Expr>, f: &mut dyn FnMut(ColumnRef) -> ColumnRef| {
            items.into_iter().map(|e| e.map_columns(f)).collect::<Vec<_>>()
        };
        let projection = match self.projection {
            Projection::Columns(cols) => Projection::Columns(each(cols, f)),
            other => other,
        };
        let joins = self.joins.into_iter().map(|j| Join { on: j.on.map_columns(f), ..j }).collect();
        let filter = self.filter.map(|e| e.map_columns(f));
        let group_by = each(self.group_by, f);
        let having = self.having.map(|e| e.map_columns(f));
        let order_by = self.order_by.into_iter().map(|o| OrderBy { expr: o.expr.map_columns(f), ..o }).collect();
        Select { projection, joins, filter, group_by, having, order_by, ..self }
    }
}
