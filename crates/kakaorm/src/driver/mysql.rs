//! MySQL and MariaDB through mysql_async and its pool.

mod error;
mod row;
mod value;

use std::time::Duration;

use kakaorm_core::{Dialect, Error, ErrorKind, FromRow, MysqlDialect, Rendered, Result};
use mysql_async::prelude::Queryable;
use mysql_async::{OptsBuilder, PoolConstraints, PoolOpts};

use super::ExecResult;
use crate::config::{ConnectOptions, Target};
pub(crate) use error::map_error;
use row::MyRow;
use value::to_params;

/// mysql_async's pool with kakaorm's timeouts.
#[derive(Clone)]
pub(crate) struct MyPool {
    pool: mysql_async::Pool,
    acquire_timeout: Duration,
}

/// One MySQL connection; it returns to the pool when dropped.
pub(crate) struct MyConn {
    /// Always `Some` until dropped or abandoned.
    conn: Option<mysql_async::Conn>,
    /// A transaction is open: dropping the connection must roll it back first.
    in_tx: bool,
    /// An exchange with the server is under way. A future dropped mid-exchange leaves this
    /// set: the protocol state is then unknown, so the connection is never used again.
    busy: bool,
}

fn gone() -> Error {
    Error::new(ErrorKind::Connection, "mysql: the connection was already released")
}

fn interrupted() -> Error {
    Error::new(
        ErrorKind::Connection,
        "mysql: an earlier operation on this connection was cancelled mid-exchange; the connection is closed and its transaction rolled back",
    )
}

async fn fetch_rows<T: FromRow>(conn: &mut mysql_async::Conn, q: Rendered) -> Result<Vec<T>> {
    let mut result = conn.exec_iter(q.sql.as_ref(), to_params(q.params)).await.map_err(map_error)?;
    let mut out = Vec::new();
    while let Some(row) = result.next().await.map_err(map_error)? {
        match T::from_row(&mut MyRow::new(row)) {
            Ok(v) => out.push(v),
            Err(e) => {
                // Leave the connection ready for the next statement.
                result.drop_result().await.map_err(map_error)?;
                return Err(e);
            }
        }
    }
    Ok(out)
}

async fn execute_on(conn: &mut mysql_async::Conn, q: Rendered) -> Result<ExecResult> {
    if q.params.is_empty() {
        // The text protocol also runs statements MySQL cannot prepare (KILL, LOCK ...).
        conn.query_drop(q.sql.as_ref()).await.map_err(map_error)?;
    } else {
        conn.exec_drop(q.sql.as_ref(), to_params(q.params)).await.map_err(map_error)?;
    }
    Ok(ExecResult { rows_affected: conn.affected_rows(), last_insert_id: conn.last_insert_id() })
}

/// Session settings applied to every connection: strict mode (bad values are errors,
/// never silently truncated) and UTC.
const SESSION_SETUP: &str = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'";

pub(crate) async fn open(opts: &ConnectOptions) -> Result<(super::Pool, &'static dyn Dialect)> {
    let Target::Server(t) = &opts.target else {
        return Err(Error::config("mysql needs a server url"));
    };
    let constraints = PoolConstraints::new(opts.min_connections.min(opts.max_connections), opts.max_connections)
        .ok_or_else(|| Error::config("max_connections must be at least 1"))?;
    let builder = OptsBuilder::default()
        .ip_or_hostname(t.host.clone())
        .tcp_port(t.port)
        .user(Some(t.user.clone()))
        .pass(t.password.clone())
        .db_name(t.database.clone())
        .client_found_rows(true)
        .prefer_socket(false)
        .stmt_cache_size(opts.statement_cache_capacity)
        .setup(vec![SESSION_SETUP])
        .pool_opts(PoolOpts::default().with_constraints(constraints).with_reset_connection(false));
    let pool = MyPool { pool: mysql_async::Pool::new(builder), acquire_timeout: opts.acquire_timeout };
    let mut first = tokio::time::timeout(opts.connect_timeout, pool.pool.get_conn())
        .await
        .map_err(|_| {
            Error::new(ErrorKind::Connection, format!("mysql: no connection within {:?}", opts.connect_timeout))
        })?
        .map_err(map_error)?;
    let version: Option<String> = first.query_first("SELECT VERSION()").await.map_err(map_error)?;
    let dialect: &'static dyn Dialect =
        if version.is_some_and(|v| v.contains("MariaDB")) { &MysqlDialect::MARIADB } else { &MysqlDialect::MYSQL };
    drop(first);
    Ok((super::Pool::Mysql(pool), dialect))
}

impl MyPool {
    pub(crate) async fn get(&self) -> Result<MyConn> {
        let conn = tokio::time::timeout(self.acquire_timeout, self.pool.get_conn())
            .await
            .map_err(|_| {
                Error::new(ErrorKind::PoolTimeout, "mysql: no pooled connection became free within the acquire timeout")
            })?
            .map_err(map_error)?;
        Ok(MyConn { conn: Some(conn), in_tx: false, busy: false })
    }

    pub(crate) async fn close(&self) {
        if let Err(e) = self.pool.clone().disconnect().await {
            tracing::warn!(target: "kakaorm::pool", error = %e, "mysql pool did not close cleanly");
        }
    }
}

impl MyConn {
    /// The connection, marked busy for one exchange.
    fn start(&mut self) -> Result<&mut mysql_async::Conn> {
        if self.busy {
            return Err(interrupted());
        }
        self.busy = true;
        self.conn.as_mut().ok_or_else(gone)
    }

    pub(crate) async fn fetch<T: FromRow>(&mut self, q: Rendered) -> Result<Vec<T>> {
        let res = fetch_rows(self.start()?, q).await;
        self.busy = false;
        res
    }

    pub(crate) async fn execute(&mut self, q: Rendered) -> Result<ExecResult> {
        let res = execute_on(self.start()?, q).await;
        self.busy = false;
        res
    }

    pub(crate) async fn batch(&mut self, sql: &str) -> Result<()> {
        let res = self.start()?.query_drop(sql).await.map_err(map_error);
        self.busy = false;
        res
    }

    pub(crate) fn set_in_transaction(&mut self, open: bool) {
        self.in_tx = open;
    }
}

impl Drop for MyConn {
    /// A connection interrupted mid-exchange is closed (the server then rolls back anything
    /// open); one released with a transaction still open is rolled back before it can serve
    /// anyone else. Both happen in a background task.
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else { return };
        let (busy, in_tx) = (self.busy, self.in_tx);
        if !busy && !in_tx {
            return; // back to the pool
        }
        let Ok(rt) = tokio::runtime::Handle::try_current() else {
            tracing::warn!(target: "kakaorm::pool", "mysql connection released outside a runtime in an unknown state");
            return;
        };
        rt.spawn(async move {
            let outcome = if busy { conn.disconnect().await } else { conn.query_drop("ROLLBACK").await };
            if let Err(e) = outcome {
                tracing::warn!(target: "kakaorm::pool", error = %e, "mysql cleanup of a released connection failed");
            }
        });
    }
}

impl super::Abandon for MyConn {
    /// Marks the transaction open; `Drop` then rolls it back in a background task.
    fn abandon_transaction(mut self) {
        self.in_tx = true;
    }
}
