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

mod conn;
#[cfg(feature = "mysql")]
pub(crate) mod mysql;
mod pipelined;
#[cfg(any(feature = "postgres", feature = "mysql", feature = "sqlite"))]
mod pool;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
mod query_log;
mod row_batch;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;
pub(crate) mod state;
#[cfg(any(feature = "postgres", feature = "mysql"))]
mod stmt_cache;
pub(crate) mod stream;
#[cfg(any(feature = "postgres", feature = "mysql"))]
mod tls;

pub(crate) use conn::PooledConn;
pub(crate) use pipelined::{Decoded, RowSink};
pub(crate) use row_batch::{RowBatch, RowValue};

use std::convert::Infallible;

use kakaorm_core::{Backend, Dialect, Error, Result};

use crate::config::{ConnectOptions, SqliteTarget};

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

/// Checks a URL's query parameters; `Err` says what is wrong.
pub(crate) type CheckParams = fn(&[(String, String)]) -> std::result::Result<(), String>;

/// What a server backend's URLs may say beyond host, credentials and database.
pub(crate) struct UrlRules {
    pub(crate) default_port: u16,
    pub(crate) default_user: &'static str,
    /// Checks the query string's parameters; the message says what is wrong.
    pub(crate) check_params: CheckParams,
}

/// The URL rules of a server backend's driver.
pub(crate) fn server_url_rules(backend: Backend) -> Result<&'static UrlRules> {
    match backend {
        #[cfg(feature = "postgres")]
        Backend::Postgres => Ok(&postgres::URL_RULES),
        #[cfg(feature = "mysql")]
        Backend::Mysql => Ok(&mysql::URL_RULES),
        #[allow(unreachable_patterns)]
        other => Err(missing_feature(other)),
    }
}

/// Reads what follows `sqlite:` (`alias`: the scheme had a `+driver` suffix).
#[cfg(feature = "sqlite")]
pub(crate) fn parse_sqlite_url(rest: &str, alias: bool) -> std::result::Result<SqliteTarget, String> {
    sqlite::parse_url(rest, alias)
}

/// Reads what follows `sqlite:`: nothing without the SQLite driver.
#[cfg(not(feature = "sqlite"))]
pub(crate) fn parse_sqlite_url(_rest: &str, _alias: bool) -> std::result::Result<SqliteTarget, String> {
    Err(missing_feature(Backend::Sqlite).message().to_owned())
}

fn missing_feature(backend: Backend) -> Error {
    Error::config(format!("kakaorm was built without the `{}` feature", backend.name()))
}

/// A driver error's message followed by each cause it wraps that adds something, so that
/// "error connecting to server" also says "Connection refused".
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(crate) fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !more.is_empty() && !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
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
            other => Err(missing_feature(other)),
        }
    }

    /// Checks a connection out, waiting at most the acquire timeout; its statements run
    /// under the statement timeout of `opts` and are logged as `opts` says.
    pub(crate) async fn get(&self, timeout: Option<std::time::Duration>, log_parameters: bool) -> Result<PooledConn> {
        let inner = match self {
            Pool::None(never) => never.absurd(),
            #[cfg(feature = "postgres")]
            Pool::Postgres(p) => ConnInner::Postgres(pool::get_object(p, "postgres").await?),
            #[cfg(feature = "mysql")]
            Pool::Mysql(p) => ConnInner::Mysql(pool::get_object(p, "mysql").await?),
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(p) => ConnInner::Sqlite(pool::get_object(p, "sqlite").await?),
        };
        Ok(PooledConn::new(inner, timeout, log_parameters))
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

/// Rolls back an open transaction of a dropped `Tx` without awaiting, or discards a
/// broken connection.
pub(crate) trait Abandon {
    fn abandon_transaction(self);
}
