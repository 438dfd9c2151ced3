//! `UpdateQuery<M>`: a bulk UPDATE over the rows a query matches.

use std::marker::PhantomData;

use kakaorm_core::ast::{Expr, Statement, Update};
use kakaorm_core::typed::SetValue;
use kakaorm_core::{Column, Dialect, Error, Model, Rendered, Result, render};

use crate::executor::Executor;
use crate::run;
use crate::write::check_column;

/// A bulk UPDATE built from [`Query::update`](crate::Query::update).
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String, age: i32 }
/// let upd = User::filter(User::age.lt(0)).update().set(User::age, 0);
/// let sql = upd.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
/// assert_eq!(sql, r#"UPDATE "users" SET "age" = $1 WHERE "age" < $2"#);
/// ```
#[must_use = "an update does nothing until `exec` is awaited"]
pub struct UpdateQuery<M> {
    filter: Option<Expr>,
    sets: Vec<(&'static str, Expr)>,
    /// Why the update cannot run (a limit, archived rows), reported by `exec`.
    refusal: Option<String>,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for UpdateQuery<M> {
    fn clone(&self) -> Self {
        UpdateQuery {
            filter: self.filter.clone(),
            sets: self.sets.clone(),
            refusal: self.refusal.clone(),
            _model: PhantomData,
        }
    }
}

impl<M: Model> UpdateQuery<M> {
    pub(crate) fn new(filter: Option<Expr>, refusal: Option<String>) -> Self {
        UpdateQuery { filter, sets: Vec::new(), refusal, _model: PhantomData }
    }

    /// Sets `column` to `value`: a value of the column's type, another column of the
    /// model, or an expression over the model (arithmetic, a CASE, a scalar subquery).
    ///
    /// Right-hand sides read the row as it was before the update on PostgreSQL and SQLite;
    /// MySQL applies assignments left to right, so a later one sees the columns set before
    /// it.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, title: String, views: i32 }
    /// let upd = Post::filter(Post::id.eq(1)).update().set(Post::views, Post::views + 1).set(Post::title, Post::title.trim());
    /// let sql = upd.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert_eq!(sql, r#"UPDATE "posts" SET "views" = "views" + $1, "title" = TRIM("title") WHERE "id" = $2"#);
    /// ```
    pub fn set<T>(mut self, column: Column<M, T>, value: impl SetValue<M, T>) -> Self {
        self.sets.push((column.name(), value.into_set_expr()));
        self
    }

    fn statement(self) -> Result<Statement> {
        if let Some(why) = self.refusal {
            return Err(Error::invalid_input(why));
        }
        let mut sets = self.sets;
        for (name, value) in &mut sets {
            if let (Some(col), Expr::Value(v)) = (M::SCHEMA.column(name), value) {
                check_column(M::SCHEMA, col, v)?;
            }
        }
        Ok(Statement::Update(Update::new(M::SCHEMA.name, sets, self.filter)))
    }

    /// Renders the UPDATE, for inspection.
    ///
    /// # Errors
    /// As [`exec`](UpdateQuery::exec), before anything is sent.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render(self.clone().statement()?, dialect)
    }

    /// Runs the UPDATE and returns the number of rows it matched.
    ///
    /// # Errors
    /// [`Validation`](crate::ErrorKind::Validation) for a string over `max_length` or a
    /// decimal beyond `max_digits`/`decimal_places`,
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when nothing is set or the query had
    /// a limit, or reads archived rows (restore them first), and any database error. On a
    /// soft-delete model it updates the rows the query reads (live ones by default).
    pub async fn exec<E: Executor>(self, e: &E) -> Result<u64> {
        let stmt = self.statement()?;
        Ok(run::execute(e, stmt).await?.rows_affected)
    }
}
