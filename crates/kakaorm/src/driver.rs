//! The thin adapters over each backend's driver, and the enums that dispatch to them.
//!
//! Every backend offers the same four operations on one connection: fetch rows decoded
//! into `T`, execute with a row count, run parameterless SQL (DDL, transaction control),
//! and roll back without awaiting when a transaction is dropped.

#![cfg_attr(
    not(any(feature = "postgres", feature = "mysql", feature = "sqlite")),
    allow(unreachable_code, unused_variables, dead_code)
)]

/// The integer getters of a `RowReader` whose row type has `int(idx, expected)` (the cell
/// as an `i64`) and `narrow(idx, expected)` (range-checked into a smaller integer).
#[cfg(any(feature = "mysql", feature = "sqlite"))]
macro_rules! integer_getters {
    () => {
        fn get_bool(&mut self, idx: usize) -> Result<bool> {
            self.int(idx, "bool").map(|v| v != 0)
        }

        fn get_i16(&mut self, idx: usize) -> Result<i16> {
            self.narrow(idx, "i16")
        }

        fn get_i32(&mut self, idx: usize) -> Result<i32> {
            self.narrow(idx, "i32")
        }

        #[inline]
        fn get_i64(&mut self, idx: usize) -> Result<i64> {
            self.int(idx, "i64")
        }
    };
}

#[cfg(feature = "mysql")]
pub(crate) mod mysql;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;
#[cfg(any(feature = "postgres", feature = "mysql"))]
mod stmt_cache;

use std::convert::Infallible;
use std::time::Instant;

use kakaorm_core::{ColumnType, Dialect, Error, FromRow, Rendered, Result, Value};

use crate::config::ConnectOptions;

/// Turns an impossible value into any type (for the variants that exist only so that
/// matches stay exhaustive when no backend feature is enabled).
trait Absurd {
    fn absurd<T>(self) -> T;
}

impl Absurd for Infallible {
    fn absurd<T>(self) -> T {
        match self {}
    }
}

impl Absurd for &Infallible {
    fn absurd<T>(self) -> T {
        match *self {}
    }
}

impl Absurd for &mut Infallible {
    fn absurd<T>(self) -> T {
        match *self {}
    }
}

/// What an INSERT, UPDATE or DELETE reports.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ExecResult {
    pub(crate) rows_affected: u64,
    pub(crate) last_insert_id: Option<u64>,
}

/// A pool of one backend's connections.
#[derive(Clone)]
pub(crate) enum Pool {
    /// Keeps the enum inhabited-in-type when no backend feature is enabled.
    #[allow(dead_code)]
    None(Infallible),
    #[cfg(feature = "postgres")]
    Postgres(postgres::PgPool),
    #[cfg(feature = "mysql")]
    Mysql(mysql::MyPool),
    #[cfg(feature = "sqlite")]
    Sqlite(sqlite::LitePool),
}

/// One connection checked out of a pool; it goes back when dropped.
#[doc(hidden)]
pub struct PooledConn(ConnInner);

pub(crate) enum ConnInner {
    /// Keeps matches exhaustive when no backend feature is enabled.
    #[allow(dead_code)]
    None(Infallible),
    #[cfg(feature = "postgres")]
    Postgres(postgres::PgObject),
    #[cfg(feature = "mysql")]
    Mysql(mysql::MyObject),
    #[cfg(feature = "sqlite")]
    Sqlite(sqlite::LiteObject),
}

macro_rules! dispatch {
    ($self:expr, $conn:ident => $body:expr) => {
        match $self {
            ConnInner::None(never) => never.absurd(),
            #[cfg(feature = "postgres")]
            ConnInner::Postgres($conn) => $body,
            #[cfg(feature = "mysql")]
            ConnInner::Mysql($conn) => $body,
            #[cfg(feature = "sqlite")]
            ConnInner::Sqlite($conn) => $body,
        }
    };
}

impl Pool {
    /// Opens a pool and checks one connection out, so a bad URL or an unreachable server
    /// fails here, within the connect timeout. Returns the dialect the server speaks.
    pub(crate) async fn open(opts: &ConnectOptions) -> Result<(Pool, &'static dyn Dialect)> {
        match opts.backend {
            #[cfg(feature = "postgres")]
            kakaorm_core::Backend::Postgres => postgres::open(opts).await,
            #[cfg(feature = "mysql")]
            kakaorm_core::Backend::Mysql => mysql::open(opts).await,
            #[cfg(feature = "sqlite")]
            kakaorm_core::Backend::Sqlite => sqlite::open(opts).await,
            #[allow(unreachable_patterns)]
            other => Err(Error::config(format!("kakaorm was built without the `{}` feature", other.name()))),
        }
    }

    /// Checks a connection out, waiting at most the acquire timeout.
    pub(crate) async fn get(&self) -> Result<PooledConn> {
        match self {
            Pool::None(never) => never.absurd(),
            #[cfg(feature = "postgres")]
            Pool::Postgres(p) => postgres::get(p).await.map(|c| PooledConn(ConnInner::Postgres(c))),
            #[cfg(feature = "mysql")]
            Pool::Mysql(p) => mysql::get(p).await.map(|c| PooledConn(ConnInner::Mysql(c))),
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(p) => sqlite::get(p).await.map(|c| PooledConn(ConnInner::Sqlite(c))),
        }
    }

    /// Closes the pool: idle connections are dropped and later checkouts fail.
    pub(crate) async fn close(&self) {
        match self {
            Pool::None(never) => never.absurd(),
            #[cfg(feature = "postgres")]
            Pool::Postgres(p) => p.close(),
            #[cfg(feature = "mysql")]
            Pool::Mysql(p) => p.close(),
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(p) => p.close(),
        }
    }
}

impl PooledConn {
    /// Runs a query and decodes every row into `T`.
    pub(crate) async fn fetch<T: FromRow>(&mut self, q: Rendered) -> Result<Vec<T>> {
        let started = log_start();
        let sql_len = q.params.len();
        let (sql, res) = dispatch!(&mut self.0, c => {
            let sql = log_sql(&q.sql);
            (sql, c.fetch::<T>(q).await)
        });
        log_end(started, sql, sql_len, &res);
        res
    }

    /// Runs a statement and reports the rows it affected.
    pub(crate) async fn execute(&mut self, q: Rendered) -> Result<ExecResult> {
        let started = log_start();
        let sql_len = q.params.len();
        let (sql, res) = dispatch!(&mut self.0, c => {
            let sql = log_sql(&q.sql);
            (sql, c.execute(q).await)
        });
        log_end(started, sql, sql_len, &res);
        res
    }

    /// Runs statements in order and returns the rows they affected in all; the first failure
    /// ends the run. SQLite queues each statement on its connection thread as soon as it is
    /// rendered, so rendering the next overlaps running this one.
    pub(crate) async fn execute_each(&mut self, statements: impl Iterator<Item = Result<Rendered>>) -> Result<u64> {
        #[cfg(feature = "sqlite")]
        if let ConnInner::Sqlite(c) = &mut self.0 {
            let started = log_start();
            let mut logged = Vec::new();
            let statements = statements.inspect(|q| {
                if let (Some(_), Ok(q)) = (started, q) {
                    logged.push((log_sql(&q.sql), q.params.len()));
                }
            });
            let res = c.execute_each(statements).await;
            for (sql, params) in logged {
                log_end(started, sql, params, &res);
            }
            return res;
        }
        let mut total = 0;
        for q in statements {
            total += self.execute(q?).await?.rows_affected;
        }
        Ok(total)
    }

    /// Streams rows with binary COPY; only PostgreSQL has it.
    pub(crate) async fn copy_in(&mut self, q: Rendered, types: &[ColumnType], values: Vec<Value>) -> Result<u64> {
        let started = log_start();
        let logged = log_sql(&q.sql);
        let n = values.len();
        let res = match &mut self.0 {
            #[cfg(feature = "postgres")]
            ConnInner::Postgres(c) => c.copy_in(&q.sql, types, values).await,
            _ => {
                let _ = (types, values);
                Err(Error::unsupported("only PostgreSQL has binary COPY"))
            }
        };
        log_end(started, logged, n, &res);
        res
    }

    /// Runs parameterless SQL (DDL, BEGIN, COMMIT) through the simple protocol.
    pub(crate) async fn batch(&mut self, sql: &str) -> Result<()> {
        let started = log_start();
        let res = dispatch!(&mut self.0, c => c.batch(sql).await);
        log_end(started, log_sql(sql), 0, &res);
        res
    }

    /// Marks whether a transaction is open, so a connection returned to the pool with one
    /// still open is rolled back before reuse.
    pub(crate) fn set_in_transaction(&mut self, open: bool) {
        dispatch!(&mut self.0, c => c.set_in_transaction(open))
    }

    /// Whether a transaction is open on this connection.
    pub(crate) fn in_transaction(&mut self) -> bool {
        dispatch!(&mut self.0, c => c.in_tx)
    }

    /// Rolls back an open transaction without awaiting (used when a `Tx` is dropped).
    pub(crate) fn abandon_transaction(self) {
        dispatch!(self.0, c => c.abandon_transaction())
    }
}

/// Rolls back an open transaction of a dropped `Tx` without awaiting.
pub(crate) trait Abandon {
    fn abandon_transaction(self);
}

fn log_start() -> Option<Instant> {
    tracing::enabled!(target: "kakaorm::query", tracing::Level::DEBUG).then(Instant::now)
}

fn log_sql(sql: &str) -> Option<String> {
    tracing::enabled!(target: "kakaorm::query", tracing::Level::DEBUG).then(|| sql.to_owned())
}

fn log_end<T>(started: Option<Instant>, sql: Option<String>, params: usize, res: &Result<T>) {
    let (Some(started), Some(sql)) = (started, sql) else { return };
    let elapsed_us = started.elapsed().as_micros() as u64;
    match res {
        Ok(_) => tracing::debug!(target: "kakaorm::query", %sql, elapsed_us, "query ok ({params} params hidden)"),
        Err(e) => {
            tracing::debug!(target: "kakaorm::query", %sql, elapsed_us, error = %e, "query failed ({params} params hidden)")
        }
    }
}
