//! `Joins<S>`: a query over any number of joined models (three and more, the same table
//! under aliases), with ON conditions of any shape.

use std::marker::PhantomData;

use kakaorm_core::ast::{Expr, Join, JoinKind, OrderBy, Projection, Select};
use kakaorm_core::schema::TableSchema;
use kakaorm_core::{Column, Cond, Dialect, Error, FromRow, Model, Rendered, Result, render, render_inline};

use super::alias::Alias;
use super::join_row::{Append, Decoded, JoinRow, Opt, Req};
use super::join_select::{JoinSelectable, JoinSelected};
use super::{IntoOrder, Query};
use crate::deletion::{Scope, scope};
use crate::executor::Executor;
use crate::run;

/// Models joined one after another, each row decoded into a tuple of them (`Req`
/// models as themselves, `Opt` ones, from left joins, as `Option`). Start from a query
/// with [`Query::join`] and chain [`join`](Joins::join), [`left_join`](Joins::left_join),
/// [`join_on`](Joins::join_on) (any ON condition) or [`join_as`](Joins::join_as) (the
/// same table again under an alias).
///
/// Filters, orders and selections take columns of any joined model; each is qualified
/// by its model's table (or written through an [`Alias`]). A column of a model the query
/// does not read fails with [`InvalidInput`](crate::ErrorKind::InvalidInput).
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
/// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, views: i32 }
/// # #[derive(Model)] #[kakaorm(table = "comments")] struct Comment { id: i64, post_id: i64, body: String }
/// let q = Comment::query()
///     .join(Post::id, Comment::post_id)
///     .left_join(User::id, Post::user_id)
///     .filter(Post::views.gt(10))
///     .order_by(User::name.desc());
/// assert_eq!(
///     q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql,
///     r#"SELECT "comments"."id", "comments"."post_id", "comments"."body", "posts"."id", "posts"."user_id", "posts"."views", "users"."id", "users"."name" FROM "comments" INNER JOIN "posts" ON "posts"."id" = "comments"."post_id" LEFT JOIN "users" ON "users"."id" = "posts"."user_id" WHERE "posts"."views" > $1 ORDER BY "users"."name" DESC"#
/// );
/// ```
#[must_use = "a query does nothing until it is executed"]
pub struct Joins<S> {
    select: Select,
    /// Each model's table and the name it goes by, in row order.
    sources: Vec<(&'static TableSchema, &'static str)>,
    _shape: PhantomData<fn() -> S>,
}

impl<S> Clone for Joins<S> {
    fn clone(&self) -> Self {
        Joins { select: self.select.clone(), sources: self.sources.clone(), _shape: PhantomData }
    }
}

impl<S> std::fmt::Debug for Joins<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.select.fmt(f)
    }
}

/// The base query's SELECT with its filter and order qualified by its table, ready for
/// joins.
pub(crate) fn join_base<M: Model>(q: Query<M>) -> Select {
    let mut select = q.into_select(Projection::Model(M::SCHEMA));
    select.filter = select.filter.map(|f| f.qualify(M::SCHEMA.name));
    select.order_by = qualify_terms(std::mem::take(&mut select.order_by), M::SCHEMA.name);
    select
}

/// `on`, and the joined model's row not soft-deleted.
pub(crate) fn with_live(schema: &TableSchema, name: &'static str, on: Expr) -> Expr {
    match scope::condition(schema, Scope::Live) {
        Some(live) => on.and(live.qualify(name)),
        None => on,
    }
}

pub(crate) fn qualify_terms(terms: Vec<OrderBy>, table: &'static str) -> Vec<OrderBy> {
    terms.into_iter().map(|t| t.map_expr(|e| e.qualify(table))).collect()
}

/// Sorts `select` by `order` over model `X` (qualified by its table): replacing the
/// current order, or after it (`then`).
pub(crate) fn order_joined<X: Model>(select: &mut Select, order: impl IntoOrder<X>, then: bool) {
    let terms = qualify_terms(order.into_terms(), X::SCHEMA.name);
    match then {
        true => select.order_by.extend(terms),
        false => select.order_by = terms,
    }
}

/// `limit` and `offset` of a builder with `fn select_mut(&mut self) -> &mut Select`;
/// `$rows` names what it returns.
macro_rules! limit_offset {
    ($rows:literal) => {
        #[doc = concat!("Returns at most `n` ", $rows, ": renders `… LIMIT $1`.")]
        pub fn limit(mut self, n: u64) -> Self {
            self.select_mut().limit = Some(n);
            self
        }

        #[doc = concat!("Skips the first `n` ", $rows, ": renders `… OFFSET $1` (after a LIMIT; MySQL and")]
        /// SQLite write a limit of "all rows" when there is none).
        pub fn offset(mut self, n: u64) -> Self {
            self.select_mut().offset = Some(n);
            self
        }
    };
}
pub(crate) use limit_offset;

impl<S> Joins<S> {
    pub(crate) fn new(select: Select, sources: Vec<(&'static TableSchema, &'static str)>) -> Self {
        Joins { select, sources, _shape: PhantomData }
    }

    /// The same query with another row shape.
    pub(crate) fn reshape<T>(self) -> Joins<T> {
        Joins { select: self.select, sources: self.sources, _shape: PhantomData }
    }

    fn push<P>(
        mut self,
        kind: JoinKind,
        schema: &'static TableSchema,
        alias: Option<&'static str>,
        on: Expr,
    ) -> Joins<S::Out>
    where
        S: Append<P>,
    {
        let name = alias.unwrap_or(schema.name);
        let on = with_live(schema, name, on.qualify(name));
        self.select.joins.push(match alias {
            Some(a) => Join::aliased(kind, schema.name, a, on),
            None => Join::new(kind, schema.name, on),
        });
        self.sources.push((schema, name));
        self.reshape()
    }

    pub(crate) fn and_where(&mut self, e: Expr) {
        self.select.filter = Some(match self.select.filter.take() {
            Some(f) => f.and(e),
            None => e,
        });
    }

    pub(crate) fn and_having(&mut self, e: Expr) {
        self.select.having = Some(match self.select.having.take() {
            Some(h) => h.and(e),
            None => e,
        });
    }

    pub(crate) fn select_mut(&mut self) -> &mut Select {
        &mut self.select
    }

    /// The SELECT (selecting every model's columns when `models`), after checking that
    /// each name is read once and that every column names a table the query reads.
    pub(crate) fn checked(&self, models: bool) -> Result<Select> {
        let names: Vec<&'static str> = self.sources.iter().map(|(_, n)| *n).collect();
        if let Some((_, twice)) = names.iter().enumerate().find(|(i, n)| names[..*i].contains(n)) {
            return Err(Error::invalid_input(format!(
                "`{twice}` is read twice in this join: read the table again through an alias (`Model::alias`)"
            )));
        }
        let mut s = self.select.clone();
        if models {
            s.projection = Projection::Sources(self.sources.clone());
        }
        let mut used = Vec::new();
        let exprs = s.filter.iter().chain(&s.having).chain(&s.group_by).chain(s.joins.iter().map(|j| &j.on));
        for e in exprs.chain(s.order_by.iter().map(|o| &o.expr)) {
            used.extend(e.column_tables());
        }
        if let Projection::Columns(cols) = &s.projection {
            used.extend(cols.iter().flat_map(Expr::column_tables));
        }
        if let Some(stranger) = used.into_iter().find(|t| !names.contains(t)) {
            return Err(Error::invalid_input(format!(
                "a column of `{stranger}` is used, but this join reads only {}",
                names.join(", ")
            )));
        }
        Ok(s)
    }
}

impl<S: JoinRow + 'static> Joins<S> {
    /// Inner-joins model `C` where `C.on_c = X.on_other`, `X` being a model already in the
    /// query; each row gains a `C`.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64 }
    /// # #[derive(Model)] #[kakaorm(table = "comments")] struct Comment { id: i64, post_id: i64 }
    /// let q = Comment::query().join(Post::id, Comment::post_id).join(User::id, Post::user_id);
    /// let sql = q.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql;
    /// assert!(sql.ends_with(r#"INNER JOIN "posts" ON "posts"."id" = "comments"."post_id" INNER JOIN "users" ON "users"."id" = "posts"."user_id""#));
    /// ```
    pub fn join<C: Model, X: Model, T>(self, on_c: Column<C, T>, on_other: Column<X, T>) -> Joins<S::Out>
    where
        S: Append<Req<C>>,
    {
        let on = on_c.expr().eq(on_other.qualified().into_expr());
        self.push::<Req<C>>(JoinKind::Inner, C::SCHEMA, None, on)
    }

    /// Left-joins model `C` where `C.on_c = X.on_other`: every row so far, with `None` for
    /// `C` where nothing matches.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64 }
    /// # #[derive(Model)] #[kakaorm(table = "comments")] struct Comment { id: i64, post_id: i64 }
    /// let q = Comment::query().join(Post::id, Comment::post_id).left_join(User::id, Post::user_id);
    /// let sql = q.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert!(sql.ends_with("LEFT JOIN `users` ON `users`.`id` = `posts`.`user_id`"));
    /// ```
    pub fn left_join<C: Model, X: Model, T>(self, on_c: Column<C, T>, on_other: Column<X, T>) -> Joins<S::Out>
    where
        S: Append<Opt<C>>,
    {
        let on = on_c.expr().eq(on_other.qualified().into_expr());
        self.push::<Opt<C>>(JoinKind::Left, C::SCHEMA, None, on)
    }

    /// Inner-joins model `C` on any condition over `C`'s columns; columns of the models
    /// already joined are written [`qualified`](Column::qualified).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, views: i32 }
    /// let q = User::query().join_on(Post::user_id.eq(User::id.qualified()) & Post::views.gt(10));
    /// let sql = q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert!(sql.ends_with(r#"INNER JOIN "posts" ON "posts"."user_id" = "users"."id" AND "posts"."views" > $1"#));
    /// ```
    pub fn join_on<C: Model>(self, on: Cond<C>) -> Joins<S::Out>
    where
        S: Append<Req<C>>,
    {
        self.push::<Req<C>>(JoinKind::Inner, C::SCHEMA, None, on.into_expr())
    }

    /// Left-joins model `C` on any condition over `C`'s columns (see
    /// [`join_on`](Joins::join_on)).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, views: i32 }
    /// let q = User::query().left_join_on(Post::user_id.eq(User::id.qualified()) & Post::views.ge(100));
    /// let sql = q.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert!(sql.ends_with("LEFT JOIN `posts` ON `posts`.`user_id` = `users`.`id` AND `posts`.`views` >= ?"));
    /// ```
    pub fn left_join_on<C: Model>(self, on: Cond<C>) -> Joins<S::Out>
    where
        S: Append<Opt<C>>,
    {
        self.push::<Opt<C>>(JoinKind::Left, C::SCHEMA, None, on.into_expr())
    }

    /// Inner-joins `C`'s table under `alias`, on a condition whose unqualified columns are
    /// the aliased table's; every other column is written qualified (a self-join).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "staff")] struct Employee { id: i64, name: String, manager_id: Option<i64> }
    /// let boss = Employee::alias("boss");
    /// let q = Employee::query().join_as(boss, Employee::manager_id.qualified().eq(Employee::id));
    /// let sql = q.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql;
    /// assert!(sql.ends_with(r#"FROM "staff" INNER JOIN "staff" "boss" ON "staff"."manager_id" = "boss"."id""#));
    /// ```
    pub fn join_as<C: Model>(self, alias: Alias<C>, on: Cond<C>) -> Joins<S::Out>
    where
        S: Append<Req<C>>,
    {
        self.push::<Req<C>>(JoinKind::Inner, C::SCHEMA, Some(alias.name()), on.into_expr())
    }

    /// Left-joins `C`'s table under `alias` (see [`join_as`](Joins::join_as)): `None` for
    /// it where nothing matches.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "staff")] struct Employee { id: i64, name: String, manager_id: Option<i64> }
    /// let mgr = Employee::alias("mgr");
    /// let q = Employee::query().left_join_as(mgr, Employee::manager_id.qualified().eq(Employee::id));
    /// let sql = q.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert!(sql.ends_with("LEFT JOIN `staff` `mgr` ON `staff`.`manager_id` = `mgr`.`id`"));
    /// ```
    pub fn left_join_as<C: Model>(self, alias: Alias<C>, on: Cond<C>) -> Joins<S::Out>
    where
        S: Append<Opt<C>>,
    {
        self.push::<Opt<C>>(JoinKind::Left, C::SCHEMA, Some(alias.name()), on.into_expr())
    }

    /// Keeps rows matching `cond`, over the columns of any joined model `X` (AND-ed with
    /// earlier filters).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, views: i32 }
    /// let q = User::query().join_on(Post::user_id.eq(User::id.qualified())).filter(Post::views.gt(1)).filter(User::name.ne("x"));
    /// let sql = q.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql;
    /// assert!(sql.ends_with(r#"WHERE "posts"."views" > ? AND "users"."name" <> ?"#));
    /// ```
    pub fn filter<X: Model>(mut self, cond: Cond<X>) -> Self {
        self.and_where(cond.into_expr().qualify(X::SCHEMA.name));
        self
    }

    /// Sorts by columns of joined model `X`, replacing any earlier order.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, views: i32 }
    /// let q = User::query().join_on(Post::user_id.eq(User::id.qualified())).order_by(Post::views.desc()).then_order_by(User::name);
    /// let sql = q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert!(sql.ends_with(r#"ORDER BY "posts"."views" DESC, "users"."name" ASC"#));
    /// ```
    pub fn order_by<X: Model>(mut self, order: impl IntoOrder<X>) -> Self {
        order_joined(&mut self.select, order, false);
        self
    }

    /// Adds sort terms over columns of joined model `X` after the current ones (the
    /// example of [`order_by`](Joins::order_by) ends in `, "users"."name" ASC`).
    pub fn then_order_by<X: Model>(mut self, order: impl IntoOrder<X>) -> Self {
        order_joined(&mut self.select, order, true);
        self
    }

    limit_offset!("rows");

    /// Returns chosen columns and aggregates of any joined models instead of the models,
    /// decoded into a value or a tuple (or a `FromRow` struct with
    /// [`decode_as`](JoinSelected::decode_as)); group with
    /// [`group_by`](JoinSelected::group_by).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, views: i32 }
    /// let q = User::query().join_on(Post::user_id.eq(User::id.qualified())).select((User::name, Post::views));
    /// let sql = q.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert_eq!(sql, "SELECT `users`.`name`, `posts`.`views` FROM `users` INNER JOIN `posts` ON `posts`.`user_id` = `users`.`id`");
    /// ```
    pub fn select<Sel: JoinSelectable>(self, selection: Sel) -> JoinSelected<Sel::Output>
    where
        Sel::Output: FromRow,
    {
        let mut columns = Vec::new();
        selection.exprs(&mut columns);
        JoinSelected::new(self.reshape(), columns)
    }

    /// Renders the SELECT, for inspection.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) for a table read twice without an
    /// alias, a column of a model the query does not read, or an alias that is not an
    /// identifier; otherwise as rendering.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render(self.checked(true)?.into(), dialect)
    }

    /// The SQL with its values written inline, quoted for `dialect`: for reading and logs
    /// only, never executed (queries always bind their values).
    ///
    /// # Errors
    /// As [`to_sql`](Joins::to_sql).
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        render_inline(self.checked(true)?.into(), dialect)
    }

    /// Every row, as a tuple of the joined models.
    ///
    /// # Errors
    /// As [`to_sql`](Joins::to_sql), and any database or decode error.
    pub async fn all<E: Executor>(self, e: &E) -> Result<Vec<S::Output>> {
        let select = self.checked(true)?;
        let rows: Vec<Decoded<S>> = run::fetch(e, select.into()).await?;
        Ok(rows.into_iter().map(|d| d.0).collect())
    }
}

/// The methods that start a [`Joins`] from a query or a two-model join: `$shape` is the
/// row shape so far, `self.into_joins()` the conversion.
macro_rules! start_joins {
    ($shape:ty) => {
        /// Inner-joins model `C` on any condition over its columns, the others written
        /// [`qualified`](kakaorm_core::Column::qualified); see [`Joins::join_on`] for the
        /// SQL.
        pub fn join_on<C: Model>(self, on: Cond<C>) -> Joins<<$shape as Append<Req<C>>>::Out>
        where
            $shape: Append<Req<C>>,
        {
            self.into_joins().join_on(on)
        }

        /// Left-joins model `C` on any condition over its columns; see
        /// [`Joins::left_join_on`] for the SQL.
        pub fn left_join_on<C: Model>(self, on: Cond<C>) -> Joins<<$shape as Append<Opt<C>>>::Out>
        where
            $shape: Append<Opt<C>>,
        {
            self.into_joins().left_join_on(on)
        }

        /// Inner-joins `C`'s table under `alias` (a self-join); see [`Joins::join_as`] for
        /// the SQL.
        pub fn join_as<C: Model>(self, alias: Alias<C>, on: Cond<C>) -> Joins<<$shape as Append<Req<C>>>::Out>
        where
            $shape: Append<Req<C>>,
        {
            self.into_joins().join_as(alias, on)
        }

        /// Left-joins `C`'s table under `alias` (a self-join); see [`Joins::left_join_as`]
        /// for the SQL.
        pub fn left_join_as<C: Model>(self, alias: Alias<C>, on: Cond<C>) -> Joins<<$shape as Append<Opt<C>>>::Out>
        where
            $shape: Append<Opt<C>>,
        {
            self.into_joins().left_join_as(alias, on)
        }
    };
}
pub(crate) use start_joins;
