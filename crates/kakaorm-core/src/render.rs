//! Rendering: one walk over the AST, with dialect hooks, producing SQL text and parameters.

mod archive;
mod compound;
mod ddl;
mod expr;
mod func;
mod json_rows;
mod literal;
mod lock;
mod raw;
mod statement;
mod text;
mod write;

use std::borrow::Cow;

use crate::ast::{Expr, Statement};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::value::Value;

pub use ddl::{
    add_check, add_column, add_foreign_key, add_unique, alter_column, alter_primary_key, create_index, create_table,
    create_table_def, default_sql, drop_check, drop_column, drop_foreign_key, drop_index, drop_table, drop_unique,
    rename_column, rename_table,
};
pub use func::{MAX_NAME_LEN, check_name};
pub use json_rows::json_row_len;
pub use raw::{render_raw, render_raw_inline};

/// SQL text and its bound parameters, ready for a driver.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The statement text, with the dialect's placeholders (borrowed when cached).
    pub sql: Cow<'static, str>,
    /// Parameters, in placeholder order.
    pub params: Vec<Value>,
}

/// Renders a statement for a dialect. Values are moved out of the AST into `params`.
///
/// # Errors
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) for a value the backend cannot store or a
/// limit beyond `i64::MAX`.
///
/// ```
/// use kakaorm_core::ast::{Expr, Projection, Select};
/// use kakaorm_core::{render, Backend, Value};
/// let mut select = Select::new("users", Projection::Columns(vec![Expr::column("id")]));
/// select.filter = Some(Expr::column("age").ge(Value::I32(18)));
/// let r = render(select.into(), Backend::Postgres.dialect()).unwrap();
/// assert_eq!(r.sql, r#"SELECT "id" FROM "users" WHERE "age" >= $1"#);
/// assert_eq!(r.params, vec![Value::I32(18)]);
/// ```
pub fn render(stmt: Statement, dialect: &dyn Dialect) -> Result<Rendered> {
    let mut w = Writer::new(dialect);
    w.statement_any(stmt)?;
    Ok(Rendered { sql: Cow::Owned(w.sql), params: w.params })
}

/// Renders a statement with its values written inline as literals quoted for `dialect`:
/// for reading and logs only. Never send it to a database; [`render`] binds values.
///
/// # Errors
/// As [`render`].
///
/// ```
/// use kakaorm_core::ast::{Expr, Projection, Select};
/// use kakaorm_core::{render_inline, Backend, Value};
/// let mut select = Select::new("users", Projection::Columns(vec![Expr::column("id")]));
/// select.filter = Some(Expr::column("name").eq(Value::from("O'Brien")));
/// let sql = render_inline(select.into(), Backend::Postgres.dialect()).unwrap();
/// assert_eq!(sql, r#"SELECT "id" FROM "users" WHERE "name" = 'O''Brien'"#);
/// ```
pub fn render_inline(stmt: Statement, dialect: &dyn Dialect) -> Result<String> {
    let mut w = Writer::new(dialect);
    w.inline = true;
    w.statement_any(stmt)?;
    Ok(w.sql)
}

impl Writer<'_> {
    fn statement_any(&mut self, stmt: Statement) -> Result<()> {
        let w = self;
        match stmt {
            Statement::Select(s) => w.select(s)?,
            Statement::Insert(s) => w.insert(s)?,
            Statement::InsertUnnest(s) => w.insert_unnest(s)?,
            Statement::InsertSelect(s) => w.insert_select(s)?,
            Statement::CopyIn(s) => w.copy_in(s)?,
            Statement::Update(s) => w.update(s)?,
            Statement::Delete(s) => w.delete(s)?,
            Statement::UpdateFrom(s) => w.update_from(s)?,
            Statement::Compound(c) => w.compound(c)?,
            Statement::With(s) => w.with(s)?,
        }
        Ok(())
    }
}

/// Renders a lone expression (a WHERE condition), for inspection and tests.
///
/// # Errors
/// As [`render`].
pub fn render_expr(expr: Expr, dialect: &dyn Dialect) -> Result<Rendered> {
    let mut w = Writer::new(dialect);
    w.expr(expr)?;
    Ok(Rendered { sql: Cow::Owned(w.sql), params: w.params })
}

/// The state of one rendering walk.
pub(crate) struct Writer<'d> {
    pub(crate) d: &'d dyn Dialect,
    pub(crate) sql: String,
    pub(crate) params: Vec<Value>,
    /// Whether values are written as literals ([`render_inline`]) rather than bound.
    pub(crate) inline: bool,
}

impl<'d> Writer<'d> {
    pub(crate) fn new(d: &'d dyn Dialect) -> Self {
        Writer { d, sql: String::with_capacity(128), params: Vec::new(), inline: false }
    }

    pub(crate) fn push(&mut self, s: &str) {
        self.sql.push_str(s);
    }

    pub(crate) fn ident(&mut self, name: &str) {
        self.d.quote_ident(&mut self.sql, name);
    }

    /// Binds a value and writes its placeholder.
    pub(crate) fn bind(&mut self, value: Value) -> Result<()> {
        self.d.check_value(&value)?;
        if self.inline {
            return self.literal(value);
        }
        self.params.push(value);
        self.d.placeholder(&mut self.sql, self.params.len());
        Ok(())
    }

    /// Writes quoted identifiers separated by `", "`.
    pub(crate) fn idents(&mut self, names: &[&str]) {
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(name);
        }
    }

    /// Writes `items` separated by `", "`, each with `f`.
    pub(crate) fn list<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut f: impl FnMut(&mut Self, T) -> Result<()>,
    ) -> Result<()> {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            f(self, item)?;
        }
        Ok(())
    }
}
