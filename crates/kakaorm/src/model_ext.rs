//! `ModelExt`: the query entry points and instance operations every model gets.

use std::future::Future;

use kakaorm_core::{ColumnValue, Cond, CreateBuilder, Model, Result};

use crate::executor::Executor;
use crate::hooks::Hooks;
use crate::query::Query;
use crate::query::prefetch::IntoPrefetch;
use crate::write;

/// Query entry points and instance operations, implemented for every [`Model`].
///
/// They live on a trait so that a field called `filter`, `count` or `all` (whose column
/// handle is an inherent constant `User::filter`) still works; reach the method through
/// `<User as ModelExt>::filter(...)` or `User::query().filter(...)` in that case.
pub trait ModelExt: Model + Hooks {
    /// A query over every row.
    fn query() -> Query<Self> {
        Query::new()
    }

    /// A query over the rows matching `cond`.
    fn filter(cond: Cond<Self>) -> Query<Self> {
        Query::new().filter(cond)
    }

    /// A query over the rows not matching `cond`.
    fn exclude(cond: Cond<Self>) -> Query<Self> {
        Query::new().exclude(cond)
    }

    /// Every row.
    ///
    /// # Errors
    /// Any database or decode error.
    fn all<E: Executor>(e: &E) -> impl Future<Output = Result<Vec<Self>>> + Send {
        Query::<Self>::new().all(e)
    }

    /// The one row matching `cond`.
    ///
    /// # Errors
    /// [`NotFound`](crate::ErrorKind::NotFound) or [`MultipleRows`](crate::ErrorKind::MultipleRows).
    fn get<E: Executor>(cond: Cond<Self>, e: &E) -> impl Future<Output = Result<Self>> + Send {
        Query::new().filter(cond).get(e)
    }

    /// The row matching `cond`, if any.
    ///
    /// # Errors
    /// [`MultipleRows`](crate::ErrorKind::MultipleRows) when several rows match.
    fn get_or_none<E: Executor>(cond: Cond<Self>, e: &E) -> impl Future<Output = Result<Option<Self>>> + Send {
        Query::new().filter(cond).get_or_none(e)
    }

    /// The row with primary key `key` (a value of the key's type, or one that converts
    /// into it, such as `&str` for a `String` key), if any.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "tags")] struct Tag { id: i64, name: String }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Tag>().await?;
    /// let tag = Tag::create().name("rust").exec(&db).await?;
    /// assert_eq!(Tag::find(tag.id, &db).await?.map(|t| t.name).as_deref(), Some("rust"));
    /// assert!(Tag::find(tag.id + 1, &db).await?.is_none());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Any database or decode error.
    fn find<E: Executor>(key: impl Into<Self::Key>, e: &E) -> impl Future<Output = Result<Option<Self>>> + Send {
        write::fetch_by_key::<Self, E>(e, key.into().into_value())
    }

    /// The row with the smallest primary key.
    ///
    /// # Errors
    /// Any database or decode error.
    fn first<E: Executor>(e: &E) -> impl Future<Output = Result<Option<Self>>> + Send {
        Query::<Self>::new().first(e)
    }

    /// The row with the largest primary key.
    ///
    /// # Errors
    /// Any database or decode error.
    fn last<E: Executor>(e: &E) -> impl Future<Output = Result<Option<Self>>> + Send {
        Query::<Self>::new().last(e)
    }

    /// The number of rows.
    ///
    /// # Errors
    /// Any database error.
    fn count<E: Executor>(e: &E) -> impl Future<Output = Result<i64>> + Send {
        Query::<Self>::new().count(e)
    }

    /// Inserts many rows with the fewest statements (on PostgreSQL a binary `COPY` from 256
    /// rows, or one `UNNEST` of column arrays below that; elsewhere multi-row
    /// `INSERT … VALUES`, chunked under the backend's parameter limit) and returns how many
    /// were inserted. Defaults, `auto_now`/`auto_now_add`, validation and
    /// `max_digits`/`decimal_places` apply to every row as in `create`; every row is
    /// validated before anything is written, and the error lists the failures of every
    /// row (each entry with its `row` index). A model with [hooks](crate::Hooks) is
    /// inserted row by row, each row between its hooks, in one transaction.
    ///
    /// When it takes several statements they run in one transaction (the caller's, or one
    /// opened for the purpose), so a failure inserts nothing.
    ///
    /// # Errors
    /// [`Validation`](crate::ErrorKind::Validation) for any row over `max_length` or
    /// `max_digits`/`decimal_places`, and
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) for a value the backend cannot store
    /// (NaN on MySQL or SQLite): both are found before anything is written. Constraint
    /// violations as their kinds (nothing is written).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "tags")] struct Tag { id: i64, name: String }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Tag>().await?;
    /// let n = Tag::bulk_create(["a", "b", "c"].map(|n| Tag::create().name(n)), &db).await?;
    /// assert_eq!(n, 3);
    /// # Ok(()) }
    /// ```
    fn bulk_create<E: Executor>(
        rows: impl IntoIterator<Item = Self::Create>,
        e: &E,
    ) -> impl Future<Output = Result<u64>> + Send {
        let prepared = crate::bulk::prepare::<Self>(rows.into_iter(), chrono::Utc::now());
        crate::bulk::insert::<Self, E>(e, prepared)
    }

    /// Empties the table and resets its auto-increment counter.
    ///
    /// # Errors
    /// Any database error (on PostgreSQL and MySQL, a table referenced by a foreign key
    /// cannot be truncated).
    fn truncate<E: Executor>(e: &E) -> impl Future<Output = Result<()>> + Send {
        async move {
            let table = Self::SCHEMA;
            let has_identity = table.columns.iter().any(|c| c.auto_increment);
            let statements = e.dialect().truncate(table.name, has_identity);
            let mut guard = e.acquire().await?;
            let conn = guard.conn()?;
            for sql in statements {
                conn.batch(&sql).await?;
            }
            Ok(())
        }
    }

    /// The model as a map of **column** name to value, in schema order: what a web
    /// handler returns as JSON. Values serialize as serde would serialize the fields (see
    /// [`Value::to_json`](crate::Value::to_json): decimals as strings, timestamps in RFC
    /// 3339). `#[derive(serde::Serialize)]` keys by field name instead.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// #[derive(Model)]
    /// #[kakaorm(table = "orders")]
    /// struct Order { id: i64, #[kakaorm(column = "select")] select_: i32 }
    /// let map = Order { id: 1, select_: 2 }.to_column_map();
    /// assert_eq!(serde_json::Value::Object(map), serde_json::json!({"id": 1, "select": 2}));
    /// ```
    fn to_column_map(&self) -> serde_json::Map<String, serde_json::Value> {
        Self::SCHEMA.columns.iter().zip(self.column_values()).map(|(c, v)| (c.name.to_owned(), v.to_json())).collect()
    }

    /// Validates the model, then writes every field to its row (by primary key),
    /// refreshing `auto_now` fields first, between the `before_update` and
    /// `after_update` [hooks](crate::Hooks). `auto_now_add` fields are never rewritten. With a
    /// `#[kakaorm(version)]` field, the row is written only if its version is still the
    /// one loaded, and the version goes up by one. To write only the fields that changed,
    /// wrap the model in [`Tracked`](crate::Tracked).
    ///
    /// # Errors
    /// [`Validation`](crate::ErrorKind::Validation) listing every failed rule, or for a
    /// decimal beyond `max_digits`/`decimal_places` (nothing is written),
    /// [`StaleObject`](crate::ErrorKind::StaleObject) when the version changed since the
    /// model was loaded, [`NotFound`](crate::ErrorKind::NotFound) when the row is gone, a
    /// hook's error, and any constraint violation.
    fn save<'a, E: Executor>(&'a mut self, e: &'a E) -> impl Future<Output = Result<()>> + Send + 'a {
        async move { write::save(self, None, e).await.map(|_| ()) }
    }

    /// Deletes this model's row between the `before_delete` and `after_delete`
    /// [hooks](crate::Hooks); returns 1, or 0 when it was already gone. With a
    /// `#[kakaorm(version)]` field, the row is deleted only if its version is still the one
    /// loaded.
    ///
    /// # Errors
    /// [`StaleObject`](crate::ErrorKind::StaleObject) when the version changed since the
    /// model was loaded, a hook's error, and any database error (for example a
    /// foreign-key violation).
    fn delete<'a, E: Executor>(&'a self, e: &'a E) -> impl Future<Output = Result<u64>> + Send + 'a {
        write::delete(self, e)
    }

    /// Loads one relation of this model with one statement (plus one per nested
    /// prefetch): `post.load(Post::author, &db)`, or a refined relation
    /// (`user.load(User::posts.filter(..), &db)`). Loading again refreshes it.
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
    /// let mut ann = Author::create().name("Ann").exec(&db).await?;
    /// assert_eq!(ann.books.get().err().map(|e| e.kind()), Some(kakaorm::ErrorKind::NotLoaded));
    /// ann.load(Author::books, &db).await?;
    /// assert!(ann.books.get()?.is_empty());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// Any database or decode error.
    fn load<'a, R, E>(&'a mut self, relation: R, e: &'a E) -> impl Future<Output = Result<()>> + Send + 'a
    where
        R: IntoPrefetch<Self>,
        E: Executor,
    {
        Self::load_many(std::slice::from_mut(self), relation, e)
    }

    /// Loads one relation of every model in `models` with one statement per relation
    /// level, as a prefetch would have: for models you already hold.
    ///
    /// # Errors
    /// Any database or decode error.
    fn load_many<'a, R, E>(
        models: &'a mut [Self],
        relation: R,
        e: &'a E,
    ) -> impl Future<Output = Result<()>> + Send + 'a
    where
        R: IntoPrefetch<Self>,
        E: Executor,
    {
        let loader = relation.into_prefetch().0;
        async move {
            let mut guard = e.acquire().await?;
            loader.load(models, guard.conn()?, e.dialect()).await
        }
    }

    /// Reloads every field from the database.
    ///
    /// # Errors
    /// [`NotFound`](crate::ErrorKind::NotFound) when the row is gone.
    fn refresh<'a, E: Executor>(&'a mut self, e: &'a E) -> impl Future<Output = Result<()>> + Send + 'a {
        write::refresh(self, e)
    }
}

impl<M: Model + Hooks> ModelExt for M {}

/// Runs a generated create builder: `User::create().name("Alice").exec(&db)`.
pub trait CreateExt: CreateBuilder {
    /// Validates the row, then inserts it between the `before_insert` and `after_insert`
    /// [hooks](crate::Hooks) and returns the stored model, with its generated key, defaults
    /// and `auto_now_add` fields filled in.
    ///
    /// # Errors
    /// [`Validation`](crate::ErrorKind::Validation) listing every failed rule and every
    /// required field left unset, or for a decimal beyond `max_digits`/`decimal_places`
    /// (nothing is written); a hook's error; constraint violations (unique, foreign key,
    /// not null, check) as their kinds.
    fn exec<E: Executor>(self, e: &E) -> impl Future<Output = Result<Self::Model>> + Send
    where
        Self: Sized,
        Self::Model: Hooks,
    {
        let row = self.into_row(chrono::Utc::now());
        async move { write::create::<Self::Model, E>(e, row?).await }
    }

    /// Checks the row this builder would insert without a database: every rule of every
    /// field, every required field left unset (NOT NULL, no default), and the custom
    /// validators, collecting every failure.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// #[derive(Model)]
    /// #[kakaorm(table = "people")]
    /// struct Person { id: i64, #[kakaorm(min_length = 2)] name: String, #[kakaorm(min_value = 0)] age: i32 }
    /// let err = Person::create().age(-1).validate().unwrap_err();
    /// let failures = err.validation_errors().unwrap();
    /// let rules: Vec<_> = failures.iter().map(|f| (f.field.as_ref(), f.rule.as_ref())).collect();
    /// assert_eq!(rules, [("name", "required"), ("age", "min_value")]);
    /// assert!(Person::create().name("Al").age(3).validate().is_ok());
    /// ```
    ///
    /// # Errors
    /// [`Validation`](crate::ErrorKind::Validation), whose
    /// [`validation_errors`](crate::Error::validation_errors) list every failure.
    fn validate(&self) -> Result<()>
    where
        Self: Clone,
    {
        let row = self.clone().into_row(chrono::Utc::now())?;
        write::validate_insert::<Self::Model>(&row)
    }
}

impl<B: CreateBuilder> CreateExt for B {}
