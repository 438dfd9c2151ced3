//! SELECT, INSERT, UPDATE and DELETE.

use super::Writer;
use super::func::check_name;
use crate::ast::{
    CopyIn, Delete, Expr, Insert, InsertSelect, InsertUnnest, Join, JoinKind, Nulls, OrderBy, Projection, Select,
    Update,
};
use crate::error::{Error, Result};
use crate::schema::{CachedSql, TableSchema};
use crate::value::{ColumnType, Value};

impl Writer<'_> {
    /// `table` or `table alias`.
    fn table_ref(&mut self, table: &str, alias: Option<&str>) {
        self.ident(table);
        if let Some(alias) = alias {
            self.push(" ");
            self.ident(alias);
        }
    }

    /// `FROM table [alias]`, or `FROM (s1 UNION ALL s2 …) name` when the rows come from a
    /// union.
    fn from(&mut self, table: &str, alias: Option<&str>, union: Vec<Select>) -> Result<()> {
        self.push(" FROM ");
        if union.is_empty() {
            self.table_ref(table, alias);
            return Ok(());
        }
        self.push("(");
        for (i, part) in union.into_iter().enumerate() {
            if i > 0 {
                self.push(" UNION ALL ");
            }
            self.select(part)?;
        }
        self.push(") ");
        self.ident(alias.unwrap_or(table));
        Ok(())
    }

    pub(crate) fn select(&mut self, mut s: Select) -> Result<()> {
        if s.from_cte {
            check_name("CTE name", s.table)?;
        }
        let sliced = s.distinct || s.limit.is_some() || s.offset.is_some();
        if let (Projection::Count(inner), true) = (&mut s.projection, sliced) {
            s.projection = std::mem::replace(inner.as_mut(), Projection::One);
            self.push("SELECT COUNT(*) FROM (");
            self.select(s)?;
            self.push(") ");
            self.ident("counted");
            return Ok(());
        }
        let Select {
            table,
            alias,
            projection,
            joins,
            filter,
            group_by,
            having,
            order_by,
            limit,
            offset,
            distinct,
            from_union,
            lock,
            from_cte: _,
        } = s;
        let inner = match projection {
            Projection::Count(_) => {
                self.push("SELECT COUNT(*)");
                self.from(table, alias, from_union)?;
                self.joins(joins)?;
                self.where_clause(filter)?;
                return self.lock(lock);
            }
            other => other,
        };
        self.push(if distinct { "SELECT DISTINCT " } else { "SELECT " });
        match inner {
            Projection::Model(schema) => self.model_columns(schema)?,
            Projection::Models(schemas) => self.list(schemas, Writer::qualified_columns)?,
            Projection::Sources(sources) => self.list(sources, Writer::source_columns)?,
            Projection::Columns(cols) => self.list(cols, Writer::expr)?,
            Projection::One | Projection::Count(_) => self.push("1"),
        }
        self.from(table, alias, from_union)?;
        self.joins(joins)?;
        self.where_clause(filter)?;
        if !group_by.is_empty() {
            self.push(" GROUP BY ");
            self.list(group_by, Writer::expr)?;
        }
        if let Some(h) = having {
            self.push(" HAVING ");
            self.expr(h)?;
        }
        self.order_by(order_by)?;
        self.limit_offset(limit, offset)?;
        self.lock(lock)
    }

    /// The quoted column list of a model, rendered once per dialect.
    fn model_columns(&mut self, schema: &'static TableSchema) -> Result<()> {
        self.cached_columns(schema, CachedSql::Columns, None)
    }

    /// `"table"."col", …` for a model, rendered once per dialect.
    fn qualified_columns(&mut self, schema: &'static TableSchema) -> Result<()> {
        self.cached_columns(schema, CachedSql::QualifiedColumns, Some(schema.name))
    }

    /// `"name"."col", …` for a model read under `name` (its table's or an alias).
    fn source_columns(&mut self, (schema, name): (&'static TableSchema, &'static str)) -> Result<()> {
        if name == schema.name {
            return self.qualified_columns(schema);
        }
        check_name("table alias", name)?;
        self.list(schema.columns, |w, c| {
            w.ident(name);
            w.push(".");
            w.ident(c.name);
            Ok(())
        })
    }

    fn cached_columns(&mut self, schema: &'static TableSchema, kind: CachedSql, table: Option<&str>) -> Result<()> {
        let d = self.d;
        let cols = schema.sql.get(d.cache_slot(), kind, || {
            let mut w = Writer::new(d);
            w.list(schema.columns, |w, c| {
                if let Some(t) = table {
                    w.ident(t);
                    w.push(".");
                }
                w.ident(c.name);
                Ok(())
            })?;
            Ok(w.sql)
        })?;
        self.push(&cols);
        Ok(())
    }

    fn joins(&mut self, joins: Vec<Join>) -> Result<()> {
        for j in joins {
            self.push(match j.kind {
                JoinKind::Inner => " INNER JOIN ",
                JoinKind::Left => " LEFT JOIN ",
                JoinKind::Right => " RIGHT JOIN ",
            });
            if let Some(alias) = j.alias {
                check_name("table alias", alias)?;
            }
            self.table_ref(j.table, j.alias);
            self.push(" ON ");
            self.expr(j.on)?;
        }
        Ok(())
    }

    fn where_clause(&mut self, filter: Option<Expr>) -> Result<()> {
        if let Some(f) = filter {
            self.push(" WHERE ");
            self.expr(f)?;
        }
        Ok(())
    }

    fn order_by(&mut self, terms: Vec<OrderBy>) -> Result<()> {
        if terms.is_empty() {
            return Ok(());
        }
        self.push(" ");
        self.order_terms(terms)
    }

    /// `ORDER BY terms`, also inside a window.
    pub(crate) fn order_terms(&mut self, terms: Vec<OrderBy>) -> Result<()> {
        self.push("ORDER BY ");
        let native_nulls = self.d.supports_nulls_order();
        self.list(terms, |w, t| {
            if let (Some(nulls), false) = (t.nulls, native_nulls) {
                // Emulation: sort on `expr IS NULL` first (false < true).
                w.operand(t.expr.clone())?;
                w.push(if nulls == Nulls::First { " IS NULL DESC, " } else { " IS NULL ASC, " });
            }
            w.operand(t.expr)?;
            w.push(if t.desc { " DESC" } else { " ASC" });
            match (t.nulls, native_nulls) {
                (Some(Nulls::First), true) => w.push(" NULLS FIRST"),
                (Some(Nulls::Last), true) => w.push(" NULLS LAST"),
                _ => {}
            }
            Ok(())
        })
    }

    pub(crate) fn limit_offset(&mut self, limit: Option<u64>, offset: Option<u64>) -> Result<()> {
        match (limit, offset, self.d.unlimited()) {
            (Some(n), _, _) => {
                self.push(" LIMIT ");
                self.bind(count_value("limit", n)?)?;
            }
            (None, Some(_), Some(all)) => {
                self.push(" LIMIT ");
                self.push(all);
            }
            _ => {}
        }
        if let Some(n) = offset {
            self.push(" OFFSET ");
            self.bind(count_value("offset", n)?)?;
        }
        Ok(())
    }

    pub(crate) fn insert(&mut self, s: Insert) -> Result<()> {
        self.push("INSERT INTO ");
        self.ident(s.table);
        let width = s.columns.len();
        if width == 0 {
            if !s.values.is_empty() {
                return Err(Error::invalid_input("an insert without columns takes no values"));
            }
            self.push(self.d.default_values());
        } else {
            self.push(" (");
            self.idents(&s.columns);
            self.push(") VALUES ");
            if s.values.is_empty() || !s.values.len().is_multiple_of(width) {
                return Err(Error::invalid_input("insert values do not fill whole rows of its column list"));
            }
            self.rows(s.values, width, "(", "), (")?;
            self.push(")");
        }
        self.on_conflict(s.on_conflict)?;
        if !s.returning.is_empty() {
            if !self.d.supports_returning() {
                return Err(Error::unsupported(format!("{} has no INSERT … RETURNING", self.d.backend().name())));
            }
            self.push(" RETURNING ");
            self.idents(&s.returning);
        }
        Ok(())
    }

    pub(crate) fn insert_select(&mut self, s: InsertSelect) -> Result<()> {
        if s.columns.is_empty() {
            return Err(Error::invalid_input(format!("an insert into `{}` from a query names no column", s.table)));
        }
        self.push("INSERT INTO ");
        self.ident(s.table);
        self.push(" (");
        self.list(s.columns.iter(), |w, c| {
            w.ident(c);
            Ok(())
        })?;
        self.push(") ");
        self.select(s.select)
    }

    pub(crate) fn insert_unnest(&mut self, s: InsertUnnest) -> Result<()> {
        if !self.d.supports_unnest_insert() || s.columns.len() != s.arrays.len() || s.columns.is_empty() {
            return Err(Error::unsupported(format!("cannot insert into `{}` from column arrays", s.table)));
        }
        self.push("INSERT INTO ");
        self.ident(s.table);
        let names: Vec<&str> = s.columns.iter().map(|(c, _)| *c).collect();
        self.push(" (");
        self.idents(&names);
        self.push(") SELECT * FROM UNNEST(");
        let types: Vec<ColumnType> = s.columns.iter().map(|(_, t)| *t).collect();
        self.list(types.into_iter().zip(s.arrays), |w, (ty, array)| w.typed_array(ty, array))?;
        self.push(")");
        Ok(())
    }

    pub(crate) fn copy_in(&mut self, s: CopyIn) -> Result<()> {
        if !self.d.supports_copy_in() || s.columns.is_empty() {
            return Err(Error::unsupported(format!("cannot COPY into `{}`", s.table)));
        }
        self.push("COPY ");
        self.ident(s.table);
        self.push(" (");
        self.idents(&s.columns);
        self.push(") FROM STDIN (FORMAT binary)");
        Ok(())
    }

    pub(crate) fn update(&mut self, s: Update) -> Result<()> {
        if s.sets.is_empty() {
            return Err(Error::invalid_input(format!("update of `{}` sets no column", s.table)));
        }
        self.push("UPDATE ");
        self.ident(s.table);
        self.push(" SET ");
        self.list(s.sets, |w, (col, value)| {
            w.ident(col);
            w.push(" = ");
            w.expr(value)
        })?;
        self.where_clause(s.filter)
    }

    pub(crate) fn delete(&mut self, s: Delete) -> Result<()> {
        self.push("DELETE FROM ");
        self.ident(s.table);
        self.where_clause(s.filter)
    }
}

fn count_value(what: &str, n: u64) -> Result<Value> {
    i64::try_from(n)
        .map(Value::I64)
        .map_err(|_| Error::invalid_input(format!("{what} must be at most {}, got {n}", i64::MAX)))
}
