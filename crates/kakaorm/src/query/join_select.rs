//! `JoinSelected<O>`: chosen columns and aggregates of several joined models, optionally
//! grouped.

use std::marker::PhantomData;

use kakaorm_core::ast::{Expr, Projection, Select};
use kakaorm_core::typed::{Labelled, SqlExpr};
use kakaorm_core::{Column, ColumnValue, Cond, Dialect, FromRow, Model, Rendered, Result, render, render_inline};

use super::IntoOrder;
use super::joins::{Joins, limit_offset, order_joined};
use crate::executor::Executor;
use crate::run;

/// What a joined query's `select` and `group_by` accept: a column or expression of any
/// joined model (qualified by its model's table, or written through an
/// [`Alias`](crate::Alias)), or a tuple of them. Aggregates without a column name
/// their model: `count::<Post>()`.
pub trait JoinSelectable {
    /// The decoded row.
    type Output;
    /// The selected expressions, in order, qualified.
    fn exprs(self, out: &mut Vec<Expr>);
}

impl<M: Model, T: ColumnValue> JoinSelectable for Column<M, T> {
    type Output = T;
    fn exprs(self, out: &mut Vec<Expr>) {
        out.push(self.qualified().into_expr());
    }
}

impl<M: Model, T: ColumnValue> JoinSelectable for SqlExpr<M, T> {
    type Output = T;
    fn exprs(self, out: &mut Vec<Expr>) {
        out.push(self.into_expr().qualify(M::SCHEMA.name));
    }
}

impl<M: Model, T: ColumnValue> JoinSelectable for Labelled<M, T> {
    type Output = T;
    fn exprs(self, out: &mut Vec<Expr>) {
        out.push(self.into_expr().qualify(M::SCHEMA.name));
    }
}

kakaorm_core::__selection_tuples!(JoinSelectable, []);

/// A joined query returning rows of `O`: the columns and aggregates given to
/// [`Joins::select`], decoded into a value, a tuple or (with
/// [`decode_as`](JoinSelected::decode_as)) a `FromRow` struct.
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
/// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, views: i32 }
/// let per_author = User::query()
///     .join_on(Post::user_id.eq(User::id.qualified()))
///     .select((User::name, count::<Post>(), Post::views.sum()))
///     .group_by(User::name)
///     .having(count::<Post>().gt(1))
///     .order_by(User::name);
/// assert_eq!(
///     per_author.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql,
///     r#"SELECT "users"."name", COUNT(*), CAST(SUM("posts"."views") AS BIGINT) FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" GROUP BY "users"."name" HAVING COUNT(*) > $1 ORDER BY "users"."name" ASC"#
/// );
/// ```
#[must_use = "a query does nothing until it is executed"]
pub struct JoinSelected<O> {
    joins: Joins<()>,
    _out: PhantomData<fn() -> O>,
}

impl<O> Clone for JoinSelected<O> {
    fn clone(&self) -> Self {
        JoinSelected { joins: self.joins.clone(), _out: PhantomData }
    }
}

impl<O> std::fmt::Debug for JoinSelected<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.joins.fmt(f)
    }
}

impl<O: FromRow> JoinSelected<O> {
    pub(crate) fn new(mut joins: Joins<()>, columns: Vec<Expr>) -> Self {
        joins.select_mut().projection = Projection::Columns(columns);
        JoinSelected { joins, _out: PhantomData }
    }

    /// Groups rows by columns or expressions of any joined models (`GROUP BY`).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, views: i32 }
    /// let q = User::query().join_on(Post::user_id.eq(User::id.qualified())).select((User::id, User::name, count::<Post>())).group_by((User::id, User::name));
    /// assert!(q.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql.ends_with(r#"GROUP BY "users"."id", "users"."name""#));
    /// ```
    pub fn group_by<G: JoinSelectable>(mut self, columns: G) -> Self {
        columns.exprs(&mut self.joins.select_mut().group_by);
        self
    }

    /// Keeps rows (or groups) matching `cond` over the columns of joined model `X`
    /// (`WHERE`, AND-ed with earlier filters).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, views: i32 }
    /// let q = User::query().join_on(Post::user_id.eq(User::id.qualified())).select(User::name).filter(Post::views.gt(3));
    /// assert!(q.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql.ends_with("WHERE `posts`.`views` > ?"));
    /// ```
    pub fn filter<X: Model>(mut self, cond: Cond<X>) -> Self {
        self.joins.and_where(cond.into_expr().qualify(X::SCHEMA.name));
        self
    }

    /// Keeps groups matching `cond`, usually over aggregates of joined model `X`
    /// (`HAVING`).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, views: i32 }
    /// let q = User::query().join_on(Post::user_id.eq(User::id.qualified())).select(User::name).group_by(User::name).having(Post::views.sum().ge(10));
    /// assert!(q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql.ends_with(r#"HAVING CAST(SUM("posts"."views") AS BIGINT) >= $1"#));
    /// ```
    pub fn having<X: Model>(mut self, cond: Cond<X>) -> Self {
        self.joins.and_having(cond.into_expr().qualify(X::SCHEMA.name));
        self
    }

    /// Sorts by columns or expressions of joined model `X`, replacing any earlier order:
    /// `ORDER BY "posts"."views" DESC`.
    pub fn order_by<X: Model>(mut self, order: impl IntoOrder<X>) -> Self {
        order_joined(self.select_mut(), order, false);
        self
    }

    /// Adds sort terms over joined model `X` after the current ones:
    /// `ORDER BY "posts"."views" DESC, "users"."name" ASC`.
    pub fn then_order_by<X: Model>(mut self, order: impl IntoOrder<X>) -> Self {
        order_joined(self.select_mut(), order, true);
        self
    }

    limit_offset!("rows");

    fn select_mut(&mut self) -> &mut Select {
        self.joins.select_mut()
    }

    /// Decodes each row into `R` instead: a struct with `#[derive(FromRow)]` whose fields
    /// are read from the columns of their names (label the selected expressions).
    pub fn decode_as<R: FromRow>(self) -> JoinSelected<R> {
        JoinSelected { joins: self.joins, _out: PhantomData }
    }

    /// Renders the SELECT, for inspection.
    ///
    /// # Errors
    /// As [`Joins::to_sql`].
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render(self.joins.checked(false)?.into(), dialect)
    }

    /// The SQL with its values written inline, quoted for `dialect`: for reading and logs
    /// only, never executed.
    ///
    /// # Errors
    /// As [`Joins::to_sql`].
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        render_inline(self.joins.checked(false)?.into(), dialect)
    }

    /// Every result row.
    ///
    /// # Errors
    /// As [`Joins::to_sql`], and any database or decode error.
    pub async fn all<E: Executor>(self, e: &E) -> Result<Vec<O>> {
        let select = self.joins.checked(false)?;
        run::fetch(e, select.into()).await
    }
}
