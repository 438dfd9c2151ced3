//! Common table expressions: `WITH name AS (…)` read by the main query, several of them,
//! and recursive ones walking a tree.

use std::marker::PhantomData;

use kakaorm_core::ast::{ColumnRef, Expr, Join, JoinKind, Projection, Select, SetOp, Statement, With};
use kakaorm_core::{Column, Dialect, FromRow, Model, Rendered, Result, render, render_inline};

use super::compound::{Compound, SetMember};
use super::{Query, Selected};
use crate::executor::Executor;
use crate::run;

/// A query that can be named in a `WITH`: a [`Query`] (model rows), a [`Selected`] or a
/// [`Compound`].
pub trait CteBody {
    /// The named statement.
    #[doc(hidden)]
    fn into_cte(self) -> Statement;
}

impl<M: Model> CteBody for Query<M> {
    fn into_cte(self) -> Statement {
        SetMember::<M>::into_member(self).into()
    }
}

impl<M: Model, O: FromRow> CteBody for Selected<M, O> {
    fn into_cte(self) -> Statement {
        self.into_select().into()
    }
}

impl<M, O: FromRow> CteBody for Compound<M, O> {
    fn into_cte(self) -> Statement {
        self.into_ast().into()
    }
}

/// A query over model `M` with common table expressions before it, returning rows of `O`
/// (the models, or a typed selection's rows). Built by [`Query::with_cte`] or
/// [`Selected::with_cte`]; the main query reads a CTE through [`Query::from_cte`].
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String, age: i32 }
/// let q = User::query().from_cte("adults").order_by(User::name).with_cte("adults", User::filter(User::age.ge(18)));
/// let sql = q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
/// assert_eq!(
///     sql,
///     r#"WITH "adults" AS (SELECT "id", "name", "age" FROM "users" WHERE "age" >= $1) SELECT "id", "name", "age" FROM "adults" ORDER BY "name" ASC"#
/// );
/// ```
#[must_use = "a query does nothing until it is executed"]
pub struct WithCtes<M, O = M> {
    ctes: Vec<(&'static str, Statement)>,
    recursive: bool,
    main: Select,
    _marker: PhantomData<fn() -> (M, O)>,
}

impl<M, O> Clone for WithCtes<M, O> {
    fn clone(&self) -> Self {
        WithCtes { ctes: self.ctes.clone(), recursive: self.recursive, main: self.main.clone(), _marker: PhantomData }
    }
}

impl<M, O> std::fmt::Debug for WithCtes<M, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WithCtes").field("ctes", &self.ctes).field("main", &self.main).finish()
    }
}

impl<M, O> WithCtes<M, O> {
    fn new(main: Select) -> Self {
        WithCtes { ctes: Vec::new(), recursive: false, main, _marker: PhantomData }
    }
}

impl<M: Model, O: FromRow> Selected<M, O> {
    /// Names `body` as `name` before this selection (`WITH name AS (body) …`); read it
    /// with [`Query::from_cte`] before selecting. The name must be an identifier;
    /// anything else fails with [`InvalidInput`](crate::ErrorKind::InvalidInput) when the
    /// query renders.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String, age: i32 }
    /// let q = User::query()
    ///     .from_cte("adults")
    ///     .select((User::name, User::age))
    ///     .with_cte("adults", User::filter(User::age.ge(18)));
    /// assert_eq!(
    ///     q.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql,
    ///     "WITH `adults` AS (SELECT `id`, `name`, `age` FROM `users` WHERE `age` >= ?) SELECT `name`, `age` FROM `adults`"
    /// );
    /// ```
    pub fn with_cte(self, name: &'static str, body: impl CteBody) -> WithCtes<M, O> {
        WithCtes::new(self.into_select()).with_cte(name, body)
    }
}

impl<M: Model> Query<M> {
    /// Reads the common table expression `name` instead of the model's table: its rows
    /// must have the model's columns. The name is checked when the query renders.
    /// Renders `SELECT "id", … FROM "popular" WHERE …` (with the `WITH` that
    /// [`with_cte`](Query::with_cte) adds).
    pub fn from_cte(mut self, name: &'static str) -> Self {
        self.from = Some(name);
        self
    }

    /// Names `body` as `name` before this query (`WITH name AS (body) …`). The name must be
    /// an identifier (letters, digits, `_`); anything else fails with
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when the query renders.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, views: i64 }
    /// let q = Post::query().from_cte("popular").with_cte("popular", Post::filter(Post::views.gt(100)));
    /// assert_eq!(
    ///     q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql,
    ///     r#"WITH "popular" AS (SELECT "id", "views" FROM "posts" WHERE "views" > $1) SELECT "id", "views" FROM "popular""#
    /// );
    /// ```
    pub fn with_cte(self, name: &'static str, body: impl CteBody) -> WithCtes<M> {
        WithCtes::new(self.into_select(Projection::Model(M::SCHEMA))).with_cte(name, body)
    }

    /// Names a recursive walk down a tree of `T` rows (`WITH RECURSIVE`): the rows of
    /// `seed`, then every row whose `child` column equals the `parent` column of a row
    /// already found, level after level.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "nodes")] struct Node { id: i64, parent_id: Option<i64> }
    /// let below = Node::query().from_cte("tree").with_tree("tree", Node::filter(Node::id.eq(1)), Node::parent_id, Node::id);
    /// let sql = below.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql;
    /// assert_eq!(
    ///     sql,
    ///     r#"WITH RECURSIVE "tree" AS (SELECT "nodes"."id", "nodes"."parent_id" FROM "nodes" WHERE "nodes"."id" = ? UNION ALL SELECT "nodes"."id", "nodes"."parent_id" FROM "nodes" INNER JOIN "tree" ON "nodes"."parent_id" = "tree"."id") SELECT "id", "parent_id" FROM "tree""#
    /// );
    /// ```
    pub fn with_tree<T: Model, C, P>(
        self,
        name: &'static str,
        seed: Query<T>,
        child: Column<T, C>,
        parent: Column<T, P>,
    ) -> WithCtes<M> {
        WithCtes::new(self.into_select(Projection::Model(M::SCHEMA))).with_tree(name, seed, child, parent)
    }
}

impl<M: Model, O: FromRow> WithCtes<M, O> {
    /// Names another query, which may read the ones named before it: renders
    /// `WITH "a" AS (…), "b" AS (SELECT … FROM "a" …) SELECT …`.
    pub fn with_cte(mut self, name: &'static str, body: impl CteBody) -> Self {
        self.ctes.push((name, body.into_cte()));
        self
    }

    /// Names another recursive tree walk (see [`Query::with_tree`]): renders
    /// `WITH RECURSIVE …, "tree" AS (SELECT … WHERE … UNION ALL SELECT … INNER JOIN "tree"
    /// ON "nodes"."parent_id" = "tree"."id") SELECT …`.
    pub fn with_tree<T: Model, C, P>(
        mut self,
        name: &'static str,
        seed: Query<T>,
        child: Column<T, C>,
        parent: Column<T, P>,
    ) -> Self {
        let table = T::SCHEMA.name;
        let (filter, _) = seed.qualified_parts(table);
        let mut first = Select::new(table, Projection::Models(vec![T::SCHEMA]));
        first.filter = filter;
        let mut step = Select::new(table, Projection::Models(vec![T::SCHEMA]));
        let on = child.expr().qualify(table).eq(Expr::Column(ColumnRef::new(Some(name), parent.name())));
        step.joins.push(Join::new(JoinKind::Inner, name, on));
        let mut body = kakaorm_core::ast::Compound::new(first);
        body.rest.push((SetOp::UnionAll, step));
        self.ctes.push((name, body.into()));
        self.recursive = true;
        self
    }

    fn statement(self) -> Statement {
        With::new(self.ctes, self.recursive, self.main.into()).into()
    }

    /// Renders the statement, for inspection.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) for a CTE name that is not an
    /// identifier; as rendering otherwise.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render(self.clone().statement(), dialect)
    }

    /// The SQL with its values written inline, quoted for `dialect`: for reading and logs
    /// only, never executed (queries always bind their values).
    ///
    /// # Errors
    /// As rendering.
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        render_inline(self.clone().statement(), dialect)
    }

    /// Every row of the main query.
    ///
    /// # Errors
    /// As [`to_sql`](WithCtes::to_sql), and any database or decode error.
    pub async fn all<E: Executor>(self, e: &E) -> Result<Vec<O>> {
        run::fetch(e, self.statement()).await
    }
}
