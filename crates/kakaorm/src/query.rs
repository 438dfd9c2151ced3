//! `Query<M>`: a lazy, composable, clonable SELECT over one model.

mod alias;
mod also;
mod compound;
mod counted;
mod cte;
mod deleted;
mod display;
mod insert_into;
mod join;
mod join_row;
mod join_select;
mod joins;
mod lock;
mod order_text;
mod page;
pub(crate) mod prefetch;
mod select;
mod subquery;
mod update;

use std::marker::PhantomData;
use std::sync::Arc;

use kakaorm_core::ast::{Expr, JoinKind, OrderBy, Projection, RowLock, Select};
use kakaorm_core::typed::Selectable;
use kakaorm_core::{Column, Cond, Dialect, Error, FromRow, Model, Rendered, Result, render, render_inline};

use crate::deletion::{Scope, scope};
use crate::executor::Executor;
use crate::run;
pub use alias::Alias;
pub use also::AlsoSelected;
pub use compound::{Compound, SetMember};
pub use counted::{Counted, IntoCount};
pub use cte::{CteBody, WithCtes};
pub use display::DISPLAY_BACKEND;
pub use insert_into::{Fill, InsertInto, InsertMapping, fill};
pub use join::{InnerRow, Joined, LeftRow, PairRow, RightRow};
pub use join_row::{Append, JoinPart, JoinRow, Opt, PairShape, Req};
pub use join_select::{JoinSelectable, JoinSelected};
pub use joins::Joins;
pub use kakaorm_core::typed::IntoOrder;
pub use page::{Page, Paginated};
use prefetch::{IntoPrefetch, Loader};
pub use select::Selected;
pub use subquery::{IntoSubquery, exists, not_exists};
pub use update::UpdateQuery;

/// A lazy query over model `M`. Nothing runs until an executing method (`all`, `get`,
/// `count`, ...) is awaited. Builder methods consume and return the query; clone it to
/// reuse a base query.
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model, Debug)]
/// # #[kakaorm(table = "users")]
/// # struct User { id: i64, name: String, age: i32 }
/// let q = User::filter(User::age.ge(18) & !User::name.like("A%"))
///     .order_by(User::age.desc())
///     .limit(10);
/// let sql = q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
/// assert_eq!(sql, r#"SELECT "id", "name", "age" FROM "users" WHERE "age" >= $1 AND NOT ("name" LIKE $2) ORDER BY "age" DESC LIMIT $3"#);
/// ```
#[must_use = "a query does nothing until it is executed"]
pub struct Query<M> {
    filter: Option<Expr>,
    order_by: Vec<OrderBy>,
    limit: Option<u64>,
    offset: Option<u64>,
    distinct: bool,
    /// A common table expression read instead of the model's table.
    from: Option<&'static str>,
    /// `FOR UPDATE` / `FOR SHARE`.
    lock: Option<RowLock>,
    /// Relations to load for the rows, in order.
    prefetch: Vec<Arc<dyn Loader<M>>>,
    /// Live, deleted or all rows (soft-delete and archive models).
    scope: Scope,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Query<M> {
    fn clone(&self) -> Self {
        Query {
            filter: self.filter.clone(),
            order_by: self.order_by.clone(),
            limit: self.limit,
            offset: self.offset,
            distinct: self.distinct,
            from: self.from,
            lock: self.lock,
            prefetch: self.prefetch.clone(),
            scope: self.scope,
            _model: PhantomData,
        }
    }
}

impl<M> std::fmt::Debug for Query<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Query")
            .field("filter", &self.filter)
            .field("order_by", &self.order_by)
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .field("distinct", &self.distinct)
            .field("lock", &self.lock)
            .field("prefetch", &self.prefetch.len())
            .field("scope", &self.scope)
            .finish()
    }
}

impl<M: Model> Default for Query<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: Model> Query<M> {
    /// A query over every row of `M`.
    pub fn new() -> Self {
        Query {
            filter: None,
            order_by: Vec::new(),
            limit: None,
            offset: None,
            distinct: false,
            from: None,
            lock: None,
            prefetch: Vec::new(),
            scope: Scope::Live,
            _model: PhantomData,
        }
    }

    /// Keeps rows matching `cond` (AND-ed with earlier filters).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String, age: i32 }
    /// let q = User::query().filter(User::age.ge(18)).filter(User::name.ne("root"));
    /// let sql = q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert!(sql.ends_with(r#"WHERE "age" >= $1 AND "name" <> $2"#));
    /// ```
    pub fn filter(mut self, cond: Cond<M>) -> Self {
        let e = cond.into_expr();
        self.filter = Some(match self.filter.take() {
            Some(f) => f.and(e),
            None => e,
        });
        self
    }

    /// Drops rows matching `cond`, and keeps every other row: `exclude(c)` is the exact
    /// complement of `filter(c)`, as in Django. A row where `c` is NULL (it compared a NULL
    /// column) does not match `c`, so `exclude` keeps it, where SQL's `NOT (c)` would drop
    /// it too. Each comparison is guarded with `IS NOT NULL` on the columns it reads.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String, age: Option<i32> }
    /// let sql = User::query().exclude(User::age.lt(18)).to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql;
    /// assert!(sql.ends_with(r#"WHERE NOT ("age" < ? AND "age" IS NOT NULL)"#));
    /// ```
    pub fn exclude(self, cond: Cond<M>) -> Self {
        self.filter(Cond::from_expr(cond.into_expr().complement()))
    }

    /// Sorts by one term or a tuple of terms, replacing any earlier order.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String, age: i32 }
    /// let q = User::query().order_by((User::age.desc(), User::name));
    /// let sql = q.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql;
    /// assert!(sql.ends_with(r#"ORDER BY "age" DESC, "name" ASC"#));
    /// ```
    pub fn order_by(mut self, order: impl IntoOrder<M>) -> Self {
        self.order_by = order.into_terms();
        self
    }

    /// Returns at most `n` rows.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String, age: i32 }
    /// let sql = User::query().limit(5).to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert!(sql.ends_with("LIMIT $1"));
    /// ```
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Skips the first `n` rows.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// let sql = User::query().offset(20).to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert_eq!(sql, "SELECT `id`, `name` FROM `users` LIMIT 18446744073709551615 OFFSET ?");
    /// ```
    pub fn offset(mut self, n: u64) -> Self {
        self.offset = Some(n);
        self
    }

    /// Drops duplicate rows (`SELECT DISTINCT`).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String, age: i32 }
    /// let sql = User::query().distinct().to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert!(sql.starts_with("SELECT DISTINCT `id`"));
    /// ```
    pub fn distinct(mut self) -> Self {
        self.distinct = true;
        self
    }

    /// The SELECT of this query: the one place a model's query becomes SQL, and so where
    /// its [`Scope`] (soft-deleted rows left out, archive rows read) applies.
    fn into_select(self, projection: Projection) -> Select {
        let mut select = Select::new(self.from.unwrap_or(M::SCHEMA.name), projection);
        select.from_cte = self.from.is_some();
        select.filter = self.filter;
        select.order_by = self.order_by;
        select.limit = self.limit;
        select.offset = self.offset;
        select.distinct = self.distinct;
        scope::restrict(&mut select, M::SCHEMA, self.scope);
        select.lock = self.lock;
        select
    }

    /// Renders the SELECT this query runs, for inspection.
    ///
    /// # Errors
    /// As rendering: a limit beyond `i64::MAX`, or a value the backend cannot store.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render(self.clone().into_select(Projection::Model(M::SCHEMA)).into(), dialect)
    }

    /// The SQL with its values written inline, quoted for `dialect`: for reading and logs
    /// only, never executed (queries always bind their values).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// let q = User::filter(User::name.eq("O'Brien")).limit(1);
    /// let sql = q.debug_sql(kakaorm::Backend::Mysql.dialect()).unwrap();
    /// assert_eq!(sql, "SELECT `id`, `name` FROM `users` WHERE `name` = 'O''Brien' LIMIT 1");
    /// ```
    ///
    /// # Errors
    /// As rendering.
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        render_inline(self.clone().into_select(Projection::Model(M::SCHEMA)).into(), dialect)
    }

    /// Loads `relation` for every row the query returns, with one more statement per
    /// relation level (PostgreSQL binds every key as one array, `= ANY($1)`, SQLite as one
    /// JSON array; MySQL sends padded `IN` lists, in chunks under its parameter limit),
    /// never one per row. Takes a relation handle (`User::posts`) or one refined
    /// with a filter, an order or nested prefetches
    /// (`User::posts.filter(..).prefetch(Post::comments)`).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # use kakaorm::relation::{BelongsTo, HasMany};
    /// #[derive(Model, Clone)]
    /// #[kakaorm(table = "authors")]
    /// struct Author { id: i64, name: String, #[kakaorm(has_many)] books: HasMany<Book> }
    /// #[derive(Model, Clone)]
    /// #[kakaorm(table = "books")]
    /// struct Book {
    ///     id: i64,
    ///     #[kakaorm(references = Author)]
    ///     author_id: i64,
    ///     title: String,
    ///     #[kakaorm(belongs_to)]
    ///     author: BelongsTo<Author>,
    /// }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_tables::<(Author, Book)>().await?;
    /// let ann = Author::create().name("Ann").exec(&db).await?;
    /// Book::create().author_id(ann.id).title("Dune").exec(&db).await?;
    /// let authors = Author::query().prefetch(Author::books).all(&db).await?;
    /// assert_eq!(authors[0].books.get()?[0].title, "Dune");
    /// let books = Book::query().prefetch(Book::author).all(&db).await?;
    /// assert_eq!(books[0].author.get()?.name, "Ann");
    /// # Ok(()) }
    /// ```
    pub fn prefetch(mut self, relation: impl IntoPrefetch<M>) -> Self {
        self.prefetch.push(relation.into_prefetch().0);
        self
    }

    /// The rows with the number of their related rows through `relation`, counted in
    /// the same statement by a correlated subquery: `Article::query().with_count(Article::tags)`
    /// gives `(Article, i64)` pairs, and `.order_by_count(true)` puts the largest counts
    /// first.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # use kakaorm::relation::HasMany;
    /// #[derive(Model)]
    /// #[kakaorm(table = "authors")]
    /// struct Author { id: i64, name: String, #[kakaorm(has_many)] books: HasMany<Book> }
    /// #[derive(Model)]
    /// #[kakaorm(table = "books")]
    /// struct Book { id: i64, #[kakaorm(references = Author)] author_id: i64, title: String }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_tables::<(Author, Book)>().await?;
    /// let ann = Author::create().name("Ann").exec(&db).await?;
    /// Author::create().name("Bob").exec(&db).await?;
    /// Book::create().author_id(ann.id).title("Dune").exec(&db).await?;
    /// let counted = Author::query().with_count(Author::books).order_by_count(true).all(&db).await?;
    /// let view: Vec<(&str, i64)> = counted.iter().map(|(a, n)| (a.name.as_str(), *n)).collect();
    /// assert_eq!(view, [("Ann", 1), ("Bob", 0)]);
    /// # Ok(()) }
    /// ```
    pub fn with_count(self, relation: impl IntoCount<M>) -> Counted<M> {
        let count = relation.count_expr();
        Counted::new(self, count)
    }

    /// Every matching row. Renders the query's SELECT (see [`to_sql`](Query::to_sql)):
    /// `SELECT "id", … FROM "users" WHERE … ORDER BY … LIMIT $n`.
    ///
    /// # Errors
    /// Any database or decode error.
    pub async fn all<E: Executor>(mut self, e: &E) -> Result<Vec<M>> {
        if self.prefetch.is_empty() {
            return run::fetch(e, self.into_select(Projection::Model(M::SCHEMA)).into()).await;
        }
        let loaders = std::mem::take(&mut self.prefetch);
        let dialect = e.dialect();
        let q = render(self.into_select(Projection::Model(M::SCHEMA)).into(), dialect)?;
        let mut guard = e.acquire().await?;
        let conn = guard.conn()?;
        let mut rows: Vec<M> = conn.fetch(q).await?;
        prefetch::load_all(&loaders, &mut rows, conn, dialect).await?;
        Ok(rows)
    }

    /// The rows one at a time as the database sends them, in constant memory, as a
    /// [`RowStream`](crate::RowStream) (a `futures::Stream` of `Result<M>`); see there.
    /// Prefetches need every row at once: a query with one streams a single
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) error.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, age: i32 }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// # let db = kakaorm::connect("sqlite::memory:").await?;
    /// # db.create_table::<User>().await?;
    /// # User::create().age(30).exec(&db).await?;
    /// let mut adults = User::filter(User::age.ge(18)).stream(&db);
    /// while let Some(user) = adults.next().await {
    ///     assert!(user?.age >= 18);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn stream<E: Executor>(self, e: &E) -> crate::RowStream<'_, M> {
        let q = if self.prefetch.is_empty() {
            render(self.into_select(Projection::Model(M::SCHEMA)).into(), e.dialect())
        } else {
            Err(Error::invalid_input("a streamed query cannot prefetch relations: load them per batch of rows"))
        };
        crate::RowStream::new(e, q)
    }

    /// Whether the query has a limit or an offset.
    pub(crate) fn is_sliced(&self) -> bool {
        self.limit.is_some() || self.offset.is_some()
    }

    /// The prefetches of this query.
    pub(crate) fn loaders(&self) -> &[Arc<dyn Loader<M>>] {
        &self.prefetch
    }

    /// The filter and order of this query with every column qualified by `table`, for a
    /// statement that joins another table.
    pub(crate) fn qualified_parts(self, table: &'static str) -> (Option<Expr>, Vec<OrderBy>) {
        let filter = self.scoped_filter().map(|f| f.qualify(table));
        let order = self.order_by.into_iter().map(|o| o.map_expr(|e| e.qualify(table))).collect();
        (filter, order)
    }

    /// The SELECT of this query with `extra` AND-ed to its filter.
    pub(crate) fn filtered_select(self, extra: Expr, projection: Projection) -> Select {
        let mut select = self.into_select(projection);
        select.filter = Some(match select.filter.take() {
            Some(f) => extra.and(f),
            None => extra,
        });
        select
    }

    /// The first row in the query's order, or by primary key when unordered. Renders
    /// `SELECT … ORDER BY "id" ASC LIMIT $1` (the query's own order when it has one).
    ///
    /// # Errors
    /// Any database or decode error; no row is `Ok(None)`.
    pub async fn first<E: Executor>(mut self, e: &E) -> Result<Option<M>> {
        if self.order_by.is_empty() {
            self.order_by.push(pk_order(M::SCHEMA, false));
        }
        Ok(self.limit(1).all(e).await?.into_iter().next())
    }

    /// The last row in the query's order, or by primary key when unordered. Renders
    /// `SELECT … ORDER BY "id" DESC LIMIT $1` (the query's own order, each term reversed,
    /// when it has one).
    ///
    /// # Errors
    /// Any database or decode error; no row is `Ok(None)`.
    pub async fn last<E: Executor>(mut self, e: &E) -> Result<Option<M>> {
        self.order_by = if self.order_by.is_empty() {
            vec![pk_order(M::SCHEMA, true)]
        } else {
            self.order_by.into_iter().map(OrderBy::reversed).collect()
        };
        Ok(self.limit(1).all(e).await?.into_iter().next())
    }

    /// Exactly one row. Renders `SELECT … LIMIT $1` with a limit of 2, to tell one row
    /// from several.
    ///
    /// # Errors
    /// [`NotFound`](crate::ErrorKind::NotFound) when no row matches and
    /// [`MultipleRows`](crate::ErrorKind::MultipleRows) when several do.
    pub async fn get<E: Executor>(self, e: &E) -> Result<M> {
        self.get_or_none(e).await?.ok_or_else(|| Error::not_found(M::SCHEMA.name))
    }

    /// One row or none. Renders `SELECT … LIMIT $1` with a limit of 2.
    ///
    /// # Errors
    /// [`MultipleRows`](crate::ErrorKind::MultipleRows) when several rows match.
    pub async fn get_or_none<E: Executor>(mut self, e: &E) -> Result<Option<M>> {
        self.limit = Some(self.limit.map_or(2, |n| n.min(2)));
        let mut rows = self.all(e).await?;
        if rows.len() > 1 {
            return Err(Error::multiple_rows(M::SCHEMA.name));
        }
        Ok(rows.pop())
    }

    /// The number of matching rows (after DISTINCT, LIMIT and OFFSET), as SQL's `COUNT`
    /// gives it: an `i64`, the same type as the [`count`](crate::typed::count) aggregate.
    /// Renders `SELECT COUNT(*) FROM "users" WHERE …`, or
    /// `SELECT COUNT(*) FROM (SELECT 1 FROM "users" … LIMIT $1) "counted"` for a sliced or
    /// distinct query.
    ///
    /// # Errors
    /// Any database error.
    pub async fn count<E: Executor>(self, e: &E) -> Result<i64> {
        let rows: Vec<i64> =
            run::fetch(e, self.into_select(Projection::Count(Box::new(Projection::Model(M::SCHEMA)))).into()).await?;
        Ok(rows.into_iter().next().unwrap_or(0))
    }

    /// Whether any row matches. Renders `SELECT 1 FROM "users" WHERE … LIMIT $1`.
    ///
    /// # Errors
    /// Any database error.
    pub async fn exists<E: Executor>(mut self, e: &E) -> Result<bool> {
        self.order_by.clear();
        self.limit = Some(self.limit.map_or(1, |n| n.min(1)));
        let rows: Vec<()> = run::fetch(e, self.into_select(Projection::One).into()).await?;
        Ok(!rows.is_empty())
    }

    /// Returns chosen columns and aggregates instead of models: a column, an aggregate
    /// (`count()`, `col.sum()`, `col.avg()`, `col.min()`, `col.max()`, `col.count()`) or a
    /// tuple of them, decoded into the matching Rust value or tuple. Add
    /// [`group_by`](Selected::group_by) and [`having`](Selected::having) for grouped results.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String, age: i32 }
    /// let q = User::filter(User::age.ge(18)).select((User::age.min(), User::age.max()));
    /// let sql = q.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert_eq!(sql, "SELECT MIN(`age`), MAX(`age`) FROM `users` WHERE `age` >= ?");
    /// ```
    pub fn select<S: Selectable<M>>(self, selection: S) -> Selected<M, S::Output>
    where
        S::Output: FromRow,
    {
        let mut columns = Vec::new();
        selection.exprs(&mut columns);
        Selected::new(self.into_select(Projection::Model(M::SCHEMA)), columns)
    }

    /// Adds expressions to the model's columns: each row comes back as the model and the
    /// extra values, decoded into the selection's type (a value or a tuple).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, title: String, views: i32 }
    /// let q = Post::query().also_select((Post::views * 2, Post::title.upper().label("shout")));
    /// let sql = q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert_eq!(sql, r#"SELECT "posts"."id", "posts"."title", "posts"."views", "views" * $1, UPPER("title") AS "shout" FROM "posts""#);
    /// ```
    pub fn also_select<S: Selectable<M>>(self, selection: S) -> AlsoSelected<M, S::Output>
    where
        S::Output: FromRow,
    {
        let mut extra = Vec::new();
        selection.exprs(&mut extra);
        AlsoSelected::new(self, extra)
    }

    /// Inner-joins model `B` where `B.on_b = M.on_self`, returning `(M, B)` pairs.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64 }
    /// let sql = User::query().join(Post::user_id, User::id).to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert!(sql.contains(r#"INNER JOIN "posts" ON "posts"."user_id" = "users"."id""#));
    /// ```
    pub fn join<B: Model, T>(self, on_b: Column<B, T>, on_self: Column<M, T>) -> Joined<M, B, InnerRow<M, B>> {
        let on = join_on::<M, B, T>(on_b, on_self);
        Joined::new(joins::join_base(self), JoinKind::Inner, on)
    }

    /// Left-joins model `B`: every row of `M`, with `None` where no `B` matches.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64 }
    /// let sql = User::query().left_join(Post::user_id, User::id).to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert!(sql.contains("LEFT JOIN `posts` ON `posts`.`user_id` = `users`.`id`"));
    /// ```
    pub fn left_join<B: Model, T>(self, on_b: Column<B, T>, on_self: Column<M, T>) -> Joined<M, B, LeftRow<M, B>> {
        let on = join_on::<M, B, T>(on_b, on_self);
        Joined::new(joins::join_base(self), JoinKind::Left, on)
    }

    /// Right-joins model `B`: every row of `B`, with `None` where no `M` matches.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64 }
    /// let sql = User::query().right_join(Post::user_id, User::id).to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql;
    /// assert!(sql.contains(r#"RIGHT JOIN "posts" ON "posts"."user_id" = "users"."id""#));
    /// ```
    pub fn right_join<B: Model, T>(self, on_b: Column<B, T>, on_self: Column<M, T>) -> Joined<M, B, RightRow<M, B>> {
        let on = join_on::<M, B, T>(on_b, on_self);
        Joined::new(joins::join_base(self), JoinKind::Right, on)
    }

    /// This query as the first model of a [`Joins`].
    fn into_joins(self) -> Joins<(Req<M>,)> {
        Joins::new(joins::join_base(self), vec![(M::SCHEMA, M::SCHEMA.name)])
    }

    joins::start_joins!((Req<M>,));

    /// Starts a bulk UPDATE of the matching rows.
    pub fn update(self) -> UpdateQuery<M> {
        let refusal = if self.is_sliced() {
            Some(format!("cannot update `{}` rows with limit or offset", M::SCHEMA.name))
        } else if M::SCHEMA.deletion.archive_table().is_some() && self.scope != Scope::Live {
            Some(format!("cannot update archived `{}` rows: restore them first", M::SCHEMA.name))
        } else {
            None
        };
        UpdateQuery::new(self.scoped_filter(), refusal)
    }

    /// Deletes every matching row and returns how many were deleted. A soft-delete model's
    /// rows get their `deleted_at` set instead; an archive model's rows move into its
    /// archive table, with the rows of archive models that cascade from them, in one
    /// transaction (a savepoint inside yours). Either way only live rows are deleted.
    /// Renders `DELETE FROM "users" WHERE "age" < $1` (a soft-delete model:
    /// `UPDATE "users" SET "deleted_at" = $1 WHERE …`).
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when the query has a limit or offset;
    /// any database error (for example a foreign-key violation).
    pub async fn delete<E: Executor>(self, e: &E) -> Result<u64> {
        if self.is_sliced() {
            return Err(Error::invalid_input(format!("cannot delete `{}` rows with limit or offset", M::SCHEMA.name)));
        }
        crate::deletion::write::delete_where(e, M::SCHEMA, self.filter).await
    }
}

/// `"b"."col" = "m"."col"`, and B's row not soft-deleted.
fn join_on<M: Model, B: Model, T>(on_b: Column<B, T>, on_self: Column<M, T>) -> Expr {
    let on = on_b.qualified().into_expr().eq(on_self.qualified().into_expr());
    joins::with_live(B::SCHEMA, B::SCHEMA.name, on)
}

fn pk_order(schema: &kakaorm_core::schema::TableSchema, desc: bool) -> OrderBy {
    OrderBy::new(Expr::column(schema.pk().name), desc, None)
}
