//! `Executor`: what every operation runs on — the pool, a transaction or one connection.

mod ddl;

pub use ddl::{ModelSet, dialect_of, execute_ddl};

use std::future::Future;

use kakaorm_core::validate::Locale;
use kakaorm_core::{Dialect, Error, ErrorKind, FromRow, Model, Rendered, Result, Value};
use tokio::sync::MutexGuard;

use crate::driver::PooledConn;
use crate::driver::state::TxState;

pub(crate) mod sealed {
    use std::future::Future;

    use kakaorm_core::validate::Locale;
    use kakaorm_core::{Dialect, Result};

    use super::ConnGuard;

    /// Only kakaorm's own types are executors. The connection plumbing lives here, out of
    /// reach of users (a public trait method would collide with their own `acquire` or
    /// `dialect` methods wherever `Executor` is in scope).
    pub trait Sealed {
        /// The dialect the connection speaks.
        fn dialect(&self) -> &'static dyn Dialect;

        /// The language of the validation messages of writes run here.
        fn validation_locale(&self) -> Locale;

        /// Checks a connection out (or borrows the held one).
        fn acquire(&self) -> impl Future<Output = Result<ConnGuard<'_>>> + Send;
    }
}

/// A connection checked out for one operation: owned from the pool, or borrowed from a
/// transaction or a held connection.
#[doc(hidden)]
pub enum ConnGuard<'a> {
    /// Checked out of the pool for this operation; returned on drop, rolled back first
    /// when the operation was cancelled inside a transaction of its own.
    Pooled(Checkout),
    /// Borrowed from a `Tx` or `Connection`.
    Held(MutexGuard<'a, Option<PooledConn>>),
}

impl ConnGuard<'_> {
    pub(crate) fn pooled(conn: PooledConn) -> Self {
        ConnGuard::Pooled(Checkout(Some(conn)))
    }

    /// Takes the connection out, to lend it to a scope; [`ConnGuard::put`] gives it back.
    pub(crate) fn take(&mut self) -> Result<PooledConn> {
        let conn = match self {
            ConnGuard::Pooled(c) => c.0.take(),
            ConnGuard::Held(g) => g.take(),
        };
        conn.ok_or_else(|| Error::new(ErrorKind::Connection, "the transaction has already finished"))
    }

    /// Puts back a connection taken with [`ConnGuard::take`].
    pub(crate) fn put(&mut self, conn: PooledConn) {
        match self {
            ConnGuard::Pooled(c) => c.0 = Some(conn),
            ConnGuard::Held(g) => **g = Some(conn),
        }
    }

    /// The connection.
    pub(crate) fn conn(&mut self) -> Result<&mut PooledConn> {
        let conn = match self {
            ConnGuard::Pooled(c) => c.0.as_mut(),
            ConnGuard::Held(g) => g.as_mut(),
        };
        conn.ok_or_else(|| Error::new(ErrorKind::Connection, "the transaction has already finished"))
    }
}

/// A connection checked out of the pool for one operation.
#[doc(hidden)]
pub struct Checkout(Option<PooledConn>);

impl Drop for Checkout {
    fn drop(&mut self) {
        if let Some(conn) = self.0.take()
            && conn.tx_state() != TxState::Idle
        {
            conn.abandon_transaction();
        }
    }
}

/// Something queries can run on: [`Db`](crate::Db) (the pool), [`Tx`](crate::Tx) (a
/// transaction) or [`Connection`](crate::Connection) (one checked-out connection). Every
/// operation takes `&impl Executor`, so the same call works on all three.
///
/// The schema helpers live here too, so they work inside a transaction as well.
pub trait Executor: Send + Sync + sealed::Sealed {
    /// Runs raw SQL with bound parameters and returns the number of rows affected.
    /// Parameters use the backend's placeholder syntax (`$1` on PostgreSQL, `?` elsewhere)
    /// and are checked like any value before the statement is sent.
    ///
    /// # Errors
    /// Any database error, mapped to its [`ErrorKind`]; [`InvalidInput`](ErrorKind::InvalidInput)
    /// or [`Unsupported`](ErrorKind::Unsupported) for a parameter the backend cannot store
    /// (see [`Dialect::check_value`]).
    fn execute_raw(&self, sql: &str, params: Vec<Value>) -> impl Future<Output = Result<u64>> + Send {
        let q = raw(self.dialect(), sql, params);
        async move {
            let q = q?;
            let mut guard = self.acquire().await?;
            Ok(guard.conn()?.execute(q).await?.rows_affected)
        }
    }

    /// Runs a raw query with bound parameters and decodes every row into `T`, any
    /// [`FromRow`] type: a model (its columns in field order), one column value (`i64`,
    /// `String`, `Option<f64>`, … read from the first column), a tuple of up to six column
    /// values (`(i64, String)`, read from the columns in order), or `()`.
    ///
    /// # Errors
    /// Any database error; [`Decode`](ErrorKind::Decode) when a column does not fit;
    /// parameters are checked as by [`execute_raw`](Executor::execute_raw).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// use kakaorm::{Executor, Value};
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// let n: Vec<i64> = db.fetch_raw("SELECT ? + 1", vec![Value::I64(41)]).await?;
    /// assert_eq!(n, [42]);
    /// let pairs: Vec<(i64, String)> = db.fetch_raw("SELECT 7, 'seven'", vec![]).await?;
    /// assert_eq!(pairs, [(7, "seven".to_owned())]);
    /// # Ok(()) }
    /// ```
    fn fetch_raw<T: FromRow>(&self, sql: &str, params: Vec<Value>) -> impl Future<Output = Result<Vec<T>>> + Send {
        let q = raw(self.dialect(), sql, params);
        async move {
            let q = q?;
            let mut guard = self.acquire().await?;
            guard.conn()?.fetch(q).await
        }
    }

    /// Creates the table of `M` with its constraints and indexes (and its archive table,
    /// for an `#[kakaorm(archive)]` model, which this also [registers](crate::register)
    /// for archive cascades).
    ///
    /// # Errors
    /// The database's error if the table exists; [`Unsupported`](ErrorKind::Unsupported)
    /// when the backend cannot express part of the schema.
    fn create_table<M: Model>(&self) -> impl Future<Output = Result<()>> + Send {
        ddl::create_all(self, vec![M::SCHEMA], false)
    }

    /// Creates the table of `M` unless it exists.
    ///
    /// # Errors
    /// As [`create_table`](Executor::create_table), without the error for an existing table.
    fn create_table_if_not_exists<M: Model>(&self) -> impl Future<Output = Result<()>> + Send {
        ddl::create_all(self, vec![M::SCHEMA], true)
    }

    /// Creates the tables of several models, `(User, Post)`, referenced tables first.
    ///
    /// # Errors
    /// As [`create_table`](Executor::create_table); also
    /// [`Unsupported`](ErrorKind::Unsupported) for a foreign-key cycle.
    fn create_tables<S: ModelSet>(&self) -> impl Future<Output = Result<()>> + Send {
        ddl::create_all(self, S::schemas(), false)
    }

    /// Creates the tables of several models that do not exist yet.
    ///
    /// # Errors
    /// As [`create_tables`](Executor::create_tables).
    fn create_tables_if_not_exists<S: ModelSet>(&self) -> impl Future<Output = Result<()>> + Send {
        ddl::create_all(self, S::schemas(), true)
    }

    /// Drops the table of `M` (and its archive table, if there is one).
    ///
    /// # Errors
    /// The database's error if the table is missing or still referenced.
    fn drop_table<M: Model>(&self) -> impl Future<Output = Result<()>> + Send {
        ddl::drop_one(self, M::SCHEMA, false)
    }

    /// Drops the table of `M` if it exists.
    ///
    /// # Errors
    /// The database's error if the table is still referenced.
    fn drop_table_if_exists<M: Model>(&self) -> impl Future<Output = Result<()>> + Send {
        ddl::drop_one(self, M::SCHEMA, true)
    }
}

/// A raw statement whose parameters passed the checks every bound value gets.
fn raw(dialect: &dyn Dialect, sql: &str, params: Vec<Value>) -> Result<Rendered> {
    params.iter().try_for_each(|p| dialect.check_value(p))?;
    Ok(Rendered { sql: sql.to_owned().into(), params })
}

impl<E: Executor> Executor for &E {}

/// A shared executor: the `Arc<Tx>` a [`Db::transaction`](crate::Db::transaction) closure
/// gets.
impl<E: Executor> Executor for std::sync::Arc<E> {}

impl<E: Executor> sealed::Sealed for std::sync::Arc<E> {
    fn dialect(&self) -> &'static dyn Dialect {
        (**self).dialect()
    }

    fn validation_locale(&self) -> Locale {
        (**self).validation_locale()
    }

    fn acquire(&self) -> impl Future<Output = Result<ConnGuard<'_>>> + Send {
        (**self).acquire()
    }
}

impl<E: Executor> sealed::Sealed for &E {
    fn dialect(&self) -> &'static dyn Dialect {
        (**self).dialect()
    }

    fn validation_locale(&self) -> Locale {
        (**self).validation_locale()
    }

    fn acquire(&self) -> impl Future<Output = Result<ConnGuard<'_>>> + Send {
        (**self).acquire()
    }
}
