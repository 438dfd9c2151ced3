//! `ModelExt`: the query entry points and instance operations every model gets.

use std::future::Future;

use kakaorm_core::{Cond, CreateBuilder, ExprArg, Model, Result};

use crate::executor::Executor;
use crate::query::Query;
use crate::write;

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
    fn get<E: Executor>(e: &E, cond: Cond<Self>) -> impl Future<Output = Result<Self>> + Send {
        Query::new().filter(cond).get(e)
    }

    /// The row matching `cond`, if any.
    ///
    /// # Errors
    /// [`MultipleRows`](crate::ErrorKind::MultipleRows) when several rows match.
    fn get_or_none<E: Executor>(e: &E, cond: Cond<Self>) -> impl Future<Output = Result<Option<Self>>> + Send {
        Query::new().filter(cond).get_or_none(e)
    }

    /// The row with primary key `key`, if any.
    ///
    /// # Errors
    /// Any database or decode error.
    fn find<E: Executor>(e: &E, key: impl ExprArg<Self::Key>) -> impl Future<Output = Result<Option<Self>>> + Send {
        let key = key.into_expr();
        async move {
            let kakaorm_core::ast::Expr::Value(key) = key else {
                return Err(kakaorm_core::Error::invalid_input("find takes a key value, not a column"));
            };
            write::fetch_by_key::<Self, E>(e, key).await
        }
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
    fn count<E: Executor>(e: &E) -> impl Future<Output = Result<u64>> + Send {
        Query::<Self>::new().count(e)
    }

    /// Inserts many rows with the fewest statements (on PostgreSQL a binary `COPY` from 256
    /// rows, or one `UNNEST` of column arrays below that; elsewhere multi-row
    /// `INSERT … VALUES`, chunked under the backend's parameter limit) and returns how many
    /// were inserted. Defaults,
    /// `auto_now`/`auto_now_add`, `max_length` and `max_digits`/`decimal_places` apply to
    /// every row as in `create`.
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
    /// let n = Tag::bulk_create(&db, ["a", "b", "c"].map(|n| Tag::create().name(n))).await?;
    /// assert_eq!(n, 3);
    /// # Ok(()) }
    /// ```
    fn bulk_create<E: Executor>(
        e: &E,
        rows: impl IntoIterator<Item = Self::Create>,
    ) -> impl Future<Output = Result<u64>> + Send {
        let now = chrono::Utc::now();
        let groups = crate::bulk::group::<Self>(rows.into_iter(), now);
        crate::bulk::bulk_insert::<Self, E>(e, groups)
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

    /// Writes every field to this model's row (by primary key), refreshing `auto_now`
    /// fields first. `auto_now_add` fields are never rewritten.
    ///
    /// # Errors
    /// [`Validation`](crate::ErrorKind::Validation) for a string over `max_length` or a
    /// decimal beyond `max_digits`/`decimal_places` (nothing is written),
    /// [`NotFound`](crate::ErrorKind::NotFound) when the row is gone, and any
    /// constraint violation.
    fn save<'a, E: Executor>(&'a mut self, e: &'a E) -> impl Future<Output = Result<()>> + Send + 'a {
        write::save(self, e)
    }

    /// Deletes this model's row; returns 1, or 0 when it was already gone.
    ///
    /// # Errors
    /// Any database error (for example a foreign-key violation).
    fn delete<'a, E: Executor>(&'a self, e: &'a E) -> impl Future<Output = Result<u64>> + Send + 'a {
        write::delete(self, e)
    }

    /// Reloads every field from the database.
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
    /// Inserts the row and returns the stored model, with its generated key, defaults and
    /// `auto_now_add` fields filled in.
    ///
    /// # Errors
    /// [`Validation`](crate::ErrorKind::Validation) for a string over `max_length` or a
    /// decimal beyond `max_digits`/`decimal_places` (nothing is written); constraint violations (unique, foreign key, not null, check) as their
    /// kinds.
    fn exec<E: Executor>(self, e: &E) -> impl Future<Output = Result<Self::Model>> + Send
    where
        Self: Sized,
    {
        let row = self.into_row(chrono::Utc::now());
        async move { write::insert_one::<Self::Model, E>(e, row?).await }
    }
}

impl<B: CreateBuilder> CreateExt for B {}
