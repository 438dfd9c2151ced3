//! `ModelExt`: the query entry points and instance operations every model gets.

use std::future::Future;

use kakaorm_core::{ColumnValue, Columns, Cond, CreateBuilder, Model, Restorable, Result};

use crate::executor::Executor;
use crate::hooks::Hooks;
use crate::query::Query;
use crate::query::prefetch::IntoPrefetch;
use crate::write;
use kakaorm_core::validate::{Locale, locale};

/// Query entry points and instance operations, implemented for every [`Model`].
///
/// They live on a trait so that a field called `filter`, `count` or `all` (whose column
/// handle is an inherent constant `User::filter`) still works; reach the method through
/// `<User as ModelExt>::filter(...)` or `User::query().filter(...)` in that case.
pub trait ModelExt: Model {
    /// A query over every row.
    fn query() -> Query<Self> {
        Query::new()
    }

    /// This model's table under the name `name`, to read it twice in one query (a
    /// self-join, see [`Alias`](crate::Alias)). The name must be an identifier;
    /// anything else fails with [`InvalidInput`](crate::ErrorKind::InvalidInput) when the
    /// query renders.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "staff")] struct Employee { id: i64, name: String, manager_id: Option<i64> }
    /// let mgr = Employee::alias("mgr");
    /// let q = Employee::query().join_as(mgr, Employee::manager_id.qualified().eq(Employee::id)).select((Employee::name, mgr.col(Employee::name)));
    /// assert_eq!(
    ///     q.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql,
    ///     r#"SELECT "staff"."name", "mgr"."name" FROM "staff" INNER JOIN "staff" "mgr" ON "staff"."manager_id" = "mgr"."id""#
    /// );
    /// ```
    fn alias(name: &'static str) -> crate::Alias<Self> {
        crate::Alias::new(name)
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
    ) -> impl Future<Output = Result<u64>> + Send
    where
        Self: Hooks,
    {
        let prepared = crate::bulk::prepare::<Self>(rows.into_iter(), chrono::Utc::now(), e.validation_locale());
        crate::bulk::insert::<Self, E>(e, prepared)
    }

    /// The one row matching `lookup`, or, when none does, the row `create` inserts; and
    /// whether it was inserted.
    ///
    /// Safe when callers race: an insert that loses to a concurrent one (a unique
    /// violation) reads the winner's row instead, so the lookup must be covered by a unique
    /// constraint, and `create` must set the looked-up fields to the looked-up values.
    /// Inside a transaction the insert runs in a savepoint, so a lost race leaves the
    /// transaction usable (under REPEATABLE READ or SERIALIZABLE the winner's row may be
    /// invisible to it: the unique violation is then returned).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model, Debug)] #[kakaorm(table = "tags")] struct Tag { id: i64, #[kakaorm(unique)] name: String }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Tag>().await?;
    /// let (rust, created) = Tag::get_or_create(Tag::name.eq("rust"), Tag::create().name("rust"), &db).await?;
    /// assert!(created);
    /// let (again, created) = Tag::get_or_create(Tag::name.eq("rust"), Tag::create().name("rust"), &db).await?;
    /// assert_eq!((again.id, created), (rust.id, false));
    /// # Ok(()) }
    /// ```
    ///
    /// On a soft-delete model the lookup reads live rows only, but a soft-deleted row
    /// still holds its unique keys (as in Django or Rails with a soft-delete library): when
    /// the insert collides with one that matches the lookup, the error names it (see
    /// below). [`restore_or_create`](ModelExt::restore_or_create) brings such a row back
    /// instead.
    ///
    /// # Errors
    /// [`MultipleRows`](crate::ErrorKind::MultipleRows) when several rows match; the
    /// errors of `create`; on a soft-delete model,
    /// [`UniqueViolation`](crate::ErrorKind::UniqueViolation) naming the soft-deleted row
    /// that matches the lookup and holds its key (`` `Tag` has a soft-deleted row matching
    /// the lookup (id = 3), which still holds its unique key: restore it
    /// (`restore_or_create` does) or purge it ``); nothing is written.
    fn get_or_create<E: Executor>(
        lookup: Cond<Self>,
        create: Self::Create,
        e: &E,
    ) -> impl Future<Output = Result<(Self, bool)>> + Send
    where
        Self: Hooks,
    {
        crate::or_create::get_or_create(lookup, create, e)
    }

    /// As [`get_or_create`](ModelExt::get_or_create) for a soft-delete or archive model,
    /// but when no live row matches `lookup` and a deleted one does, that row is restored
    /// (its `deleted_at` cleared, or moved back from the archive, as
    /// [`restore`](crate::Query::restore) does: no hooks, no validation) and returned with
    /// `false`, instead of inserting `create`. Django's and Rails's "find the deleted
    /// record and recover it" in one call.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model, Debug)] #[kakaorm(table = "tags", soft_delete)]
    /// # struct Tag { id: i64, #[kakaorm(unique)] name: String, deleted_at: Option<DateTime<Utc>> }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Tag>().await?;
    /// let rust = Tag::create().name("rust").exec(&db).await?;
    /// rust.delete(&db).await?;
    /// let err = Tag::get_or_create(Tag::name.eq("rust"), Tag::create().name("rust"), &db).await.unwrap_err();
    /// assert_eq!(err.kind(), kakaorm::ErrorKind::UniqueViolation);
    /// let (back, created) = Tag::restore_or_create(Tag::name.eq("rust"), Tag::create().name("rust"), &db).await?;
    /// assert_eq!((back.id, back.deleted_at, created), (rust.id, None, false));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`get_or_create`](ModelExt::get_or_create); also
    /// [`MultipleRows`](crate::ErrorKind::MultipleRows) when several deleted rows match
    /// (nothing is restored).
    fn restore_or_create<E: Executor>(
        lookup: Cond<Self>,
        create: Self::Create,
        e: &E,
    ) -> impl Future<Output = Result<(Self, bool)>> + Send
    where
        Self: Hooks + Restorable,
    {
        crate::or_create::restore_or_create(lookup, create, e)
    }

    /// As [`get_or_create`](ModelExt::get_or_create), but a row that exists gets the fields
    /// set on `defaults` written to it (and its `auto_now` fields refreshed); returns the
    /// stored row and whether it was inserted.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model, Debug)] #[kakaorm(table = "tags")] struct Tag { id: i64, #[kakaorm(unique)] name: String, #[kakaorm(default = 0)] uses: i32 }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Tag>().await?;
    /// Tag::create().name("rust").uses(1).exec(&db).await?;
    /// let (tag, created) = Tag::update_or_create(Tag::name.eq("rust"), Tag::create().name("rust").uses(7), &db).await?;
    /// assert_eq!((tag.uses, created), (7, false));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`get_or_create`](ModelExt::get_or_create), and any error of the update.
    fn update_or_create<E: Executor>(
        lookup: Cond<Self>,
        defaults: Self::Create,
        e: &E,
    ) -> impl Future<Output = Result<(Self, bool)>> + Send
    where
        Self: Hooks,
    {
        crate::or_create::update_or_create(lookup, defaults, e)
    }

    /// Starts an upsert of one row: inserted, or, when its unique key is taken, updated
    /// or kept as chosen. `exec` returns the stored model.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model, Debug)] #[kakaorm(table = "users")] struct User { id: i64, #[kakaorm(unique)] email: String, name: String }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<User>().await?;
    /// let row = || User::create().email("ann@example.com");
    /// let ann = User::upsert(row().name("Ann")).on_conflict(User::email).update(User::name).exec(&db).await?;
    /// let again = User::upsert(row().name("Anne")).on_conflict(User::email).update(User::name).exec(&db).await?;
    /// assert_eq!((again.id, again.name.as_str()), (ann.id, "Anne"));
    /// # Ok(()) }
    /// ```
    fn upsert(row: Self::Create) -> crate::Upsert<Self, crate::One> {
        crate::Upsert::new(crate::bulk::group::<Self>(std::iter::once(row), chrono::Utc::now(), locale()))
    }

    /// Starts an upsert of many rows, in the fewest statements; `exec` returns the stored
    /// models (one per row, in no guaranteed order).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model, Debug)] #[kakaorm(table = "tags")] struct Tag { id: i64, #[kakaorm(unique)] name: String, uses: i32 }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Tag>().await?;
    /// Tag::create().name("rust").uses(1).exec(&db).await?;
    /// let rows = ["rust", "sql"].map(|n| Tag::create().name(n).uses(5));
    /// let tags = Tag::upsert_many(rows).on_conflict(Tag::name).do_nothing().exec(&db).await?;
    /// assert_eq!(tags.len(), 2);
    /// assert_eq!(tags.iter().find(|t| t.name == "rust").map(|t| t.uses), Some(1));
    /// # Ok(()) }
    /// ```
    fn upsert_many(rows: impl IntoIterator<Item = Self::Create>) -> crate::Upsert<Self, crate::Many> {
        crate::Upsert::new(crate::bulk::group::<Self>(rows.into_iter(), chrono::Utc::now(), locale()))
    }

    /// Writes `fields` (a column or a tuple of columns) of every model in `models` to its
    /// row, by primary key, and returns the number of rows updated. One statement per
    /// chunk: `UPDATE … FROM UNNEST(…)` on PostgreSQL (one statement for any number of
    /// rows), `UPDATE … FROM (VALUES …)` on SQLite and `UPDATE … INNER JOIN (SELECT … UNION
    /// ALL …)` on MySQL, chunked under the parameter limit (or
    /// [`batch_size`](crate::BulkUpdateOptions::batch_size), see
    /// [`bulk_update_with`](ModelExt::bulk_update_with)). Several chunks run all or nothing.
    ///
    /// As `save` does for one model: every model is validated before any SQL (a failure
    /// in the middle writes nothing, and the error lists every failing model with its
    /// `row` index); `auto_now` fields are refreshed (on the models too) and written with
    /// `fields`; a model with [hooks](crate::Hooks) gets `before_update` on every model,
    /// then the statements, then `after_update` on every model, all in one transaction
    /// (the caller's savepoint inside a transaction), so any hook error leaves nothing.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model, Debug, Clone)] #[kakaorm(table = "tags")] struct Tag { id: i64, name: String, note: Option<String> }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Tag>().await?;
    /// Tag::bulk_create(["a", "b"].map(|n| Tag::create().name(n).note("x")), &db).await?;
    /// let mut tags = Tag::all(&db).await?;
    /// for t in &mut tags {
    ///     t.name = t.name.to_uppercase();
    ///     t.note = None;
    /// }
    /// assert_eq!(Tag::bulk_update(&mut tags, (Tag::name, Tag::note), &db).await?, 2);
    /// assert_eq!(Tag::filter(Tag::note.is_null()).count(&db).await?, 2);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) for no field or the primary key;
    /// [`Validation`](crate::ErrorKind::Validation) for any rule a model breaks, or a value
    /// over `max_length` or `max_digits`/`decimal_places` (checked for every model before
    /// anything is written); a hook's error; constraint violations as their kinds.
    fn bulk_update<'a, E: Executor>(
        models: &'a mut [Self],
        fields: impl Columns<Self>,
        e: &'a E,
    ) -> impl Future<Output = Result<u64>> + Send + 'a
    where
        Self: Hooks,
    {
        crate::bulk_update::bulk_update(models, fields.names(), crate::BulkUpdateOptions::new(), e)
    }

    /// As [`bulk_update`](ModelExt::bulk_update), split into statements as `opts` says.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model, Debug, Clone)] #[kakaorm(table = "tags")] struct Tag { id: i64, uses: i32 }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Tag>().await?;
    /// Tag::bulk_create((0..5).map(|i| Tag::create().uses(i)), &db).await?;
    /// let mut tags = Tag::all(&db).await?;
    /// tags.iter_mut().for_each(|t| t.uses += 10);
    /// let opts = kakaorm::BulkUpdateOptions::new().batch_size(2);   // three statements
    /// assert_eq!(Tag::bulk_update_with(&mut tags, Tag::uses, opts, &db).await?, 5);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`bulk_update`](ModelExt::bulk_update).
    fn bulk_update_with<'a, E: Executor>(
        models: &'a mut [Self],
        fields: impl Columns<Self>,
        opts: crate::BulkUpdateOptions,
        e: &'a E,
    ) -> impl Future<Output = Result<u64>> + Send + 'a
    where
        Self: Hooks,
    {
        crate::bulk_update::bulk_update(models, fields.names(), opts, e)
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
    fn save<'a, E: Executor>(&'a mut self, e: &'a E) -> impl Future<Output = Result<()>> + Send + 'a
    where
        Self: Hooks,
    {
        async move { write::save(self, None, e).await.map(|_| ()) }
    }

    /// Deletes this model's row between the `before_delete` and `after_delete`
    /// [hooks](crate::Hooks); returns 1, or 0 when it was already gone. With a
    /// `#[kakaorm(version)]` field (on a model deleted for real), the row is deleted only if
    /// its version is still the one loaded. A soft-delete
    /// model's row gets its `deleted_at` set (the value in memory is left as it was: call
    /// [`refresh`](Self::refresh) to see it); an archive model's row moves into its archive
    /// table with every archive-model row that cascades from it, in one transaction.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// #[derive(Model)]
    /// #[kakaorm(table = "notes", soft_delete)]
    /// struct Note { id: i64, body: String, deleted_at: Option<DateTime<Utc>> }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Note>().await?;
    /// let note = Note::create().body("draft").exec(&db).await?;
    /// assert_eq!(note.delete(&db).await?, 1);
    /// assert!(Note::find(note.id, &db).await?.is_none());
    /// assert_eq!(Note::query().only_deleted().count(&db).await?, 1);
    /// note.restore(&db).await?;
    /// assert_eq!(Note::count(&db).await?, 1);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`StaleObject`](crate::ErrorKind::StaleObject) when the version changed since the
    /// model was loaded, a hook's error, and any database error (for example a
    /// foreign-key violation).
    fn delete<'a, E: Executor>(&'a self, e: &'a E) -> impl Future<Output = Result<u64>> + Send + 'a
    where
        Self: Hooks,
    {
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
            let conn = guard.conn()?;
            if let [_] = models {
                conn.note_single_load(Self::SCHEMA.model, loader.name());
            }
            crate::query::prefetch::load_all(std::slice::from_ref(&loader), models, conn, e.dialect()).await
        }
    }

    /// Brings this soft-deleted or archived model's row back (clears `deleted_at`, or moves
    /// the row out of the archive); returns 1, or 0 when it was not deleted. Does not
    /// cascade.
    ///
    /// # Errors
    /// [`ForeignKeyViolation`](crate::ErrorKind::ForeignKeyViolation) when an archived
    /// row's parent is still archived (nothing changes); any database error.
    fn restore<'a, E: Executor>(&'a self, e: &'a E) -> impl Future<Output = Result<u64>> + Send + 'a
    where
        Self: Restorable,
    {
        crate::deletion::write::restore_where(e, Self::SCHEMA, Some(write::by_key(Self::SCHEMA, self.key_value())))
    }

    /// Deletes this model's row physically, live or deleted (from the archive too);
    /// returns how many rows were removed.
    ///
    /// # Errors
    /// Any database error (for example a foreign-key violation).
    fn purge<'a, E: Executor>(&'a self, e: &'a E) -> impl Future<Output = Result<u64>> + Send + 'a
    where
        Self: Restorable,
    {
        let filter = Some(write::by_key(Self::SCHEMA, self.key_value()));
        crate::deletion::write::purge_where(e, Self::SCHEMA, filter, crate::deletion::Scope::All)
    }

    /// Reloads every field from the database (a soft-deleted row too).
    ///
    /// # Errors
    /// [`NotFound`](crate::ErrorKind::NotFound) when the row is gone.
    fn refresh<'a, E: Executor>(&'a mut self, e: &'a E) -> impl Future<Output = Result<()>> + Send + 'a {
        write::refresh(self, e)
    }
}

impl<M: Model> ModelExt for M {}

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
        self.validate_in(locale())
    }

    /// As [`validate`](CreateExt::validate), with the built-in messages in `locale`.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "people")] struct Person { id: i64, #[kakaorm(min_length = 2)] name: String }
    /// use kakaorm::validate::Locale;
    /// let err = Person::create().name("A").validate_in(Locale::Ja).unwrap_err();
    /// assert_eq!(err.message(), "`Person`: nameは2文字以上で入力してください");
    /// ```
    ///
    /// # Errors
    /// As [`validate`](CreateExt::validate).
    fn validate_in(&self, locale: Locale) -> Result<()>
    where
        Self: Clone,
    {
        let row = self.clone().into_row(chrono::Utc::now())?;
        write::validate_insert::<Self::Model>(&row, locale)
    }
}

impl<B: CreateBuilder> CreateExt for B {}
