//! MySQL and MariaDB through mysql_async, pooled by deadpool like the other backends.
//!
//! Each connection keeps its own bounded cache of prepared statements (mysql_async's is
//! switched off): a cached `Statement` executes without re-parsing the SQL text, and
//! statements evicted from the cache are closed on the server.

mod error;
mod params;
mod row;
mod stream;
mod value;

use std::time::Duration;

use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};
use kakaorm_core::{Dialect, Error, ErrorKind, FromRow, MysqlDialect, Rendered, Result};
use mysql_async::consts::StatusFlags;
use mysql_async::prelude::Queryable;
use mysql_async::{BinaryProtocol, DriverError, OptsBuilder, QueryResult, Statement};

use super::ExecResult;
use super::pool::{build_pool, get_object, warm};
use super::state::{ConnState, TxState};
use super::stmt_cache::StmtCache;
use super::stream::StreamSink;
#[cfg(feature = "tls")]
use super::tls::TlsMode;
use crate::config::{ConnectOptions, Target};
pub(crate) use error::map_error;
use params::MyParams;
pub(crate) use params::URL_RULES;
use row::MyRow;
use value::to_params;

pub(crate) type MyPool = managed::Pool<MyManager>;
pub(crate) type MyObject = managed::Object<MyManager>;

/// Session settings applied to every connection: strict mode (bad values are errors,
/// never silently truncated), UTC, and English server messages (the constraint and column
/// names of an error are read from the message text, whatever the server's
/// `lc_messages`).
const SESSION_SETUP: &str = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00', lc_messages = 'en_US'";

/// Creates and recycles MySQL connections.
pub(crate) struct MyManager {
    opts: mysql_async::Opts,
    /// `ssl-mode=PREFERRED`: the plain options to use when the server offers no TLS.
    plain: Option<mysql_async::Opts>,
    connect_timeout: Duration,
    cache_capacity: usize,
    /// The client's own packet limit (`max_allowed_packet` in the URL).
    max_packet: Option<usize>,
}

/// One MySQL connection, boxed so the pool moves a pointer.
pub(crate) struct MyConn(Box<MyState>);

pub(crate) struct MyState {
    /// The connection; lent to a stream's row source while it reads (and lost with it if
    /// the stream is dropped midway, the connection then being left mid-result).
    conn: Option<mysql_async::Conn>,
    cache: StmtCache<Statement>,
    state: ConnState,
    /// An exchange with the server is under way. A future dropped mid-exchange leaves this
    /// set: the protocol state is then unknown, so the connection is never used again.
    busy: bool,
    /// How long a rollback may take on a server that went silent.
    patience: Duration,
    /// The most bytes a packet may hold: the client's limit, until the server's has been
    /// read (see [`MyState::packet_limit`]).
    max_packet: Option<usize>,
    /// Whether `max_packet` includes the server's limit.
    packet_read: bool,
}

impl std::ops::Deref for MyConn {
    type Target = MyState;
    fn deref(&self) -> &MyState {
        &self.0
    }
}

impl std::ops::DerefMut for MyConn {
    fn deref_mut(&mut self) -> &mut MyState {
        &mut self.0
    }
}

fn interrupted() -> Error {
    Error::new(
        ErrorKind::Connection,
        "mysql: an earlier operation on this connection was cancelled mid-exchange; the connection is closed and its transaction rolled back",
    )
}

pub(crate) async fn open(opts: &ConnectOptions) -> Result<(super::Pool, &'static dyn Dialect)> {
    let Target::Server(t) = &opts.target else {
        return Err(Error::config("mysql needs a server url"));
    };
    let params = MyParams::parse(&t.params).map_err(Error::config)?;
    let builder = OptsBuilder::default()
        .ip_or_hostname(t.host.clone())
        .tcp_port(t.port)
        .user(Some(t.user.clone()))
        .pass(t.password.clone())
        .db_name(t.database.clone())
        .client_found_rows(true)
        .prefer_socket(false)
        .tcp_keepalive(Some(opts.tcp_keepalive))
        .stmt_cache_size(0)
        .max_allowed_packet(params.max_packet)
        .setup(vec![SESSION_SETUP]);
    let (tls_opts, plain) = with_tls(builder, &params)?;
    let manager = MyManager {
        opts: tls_opts,
        plain,
        connect_timeout: opts.connect_timeout,
        cache_capacity: opts.statement_cache_capacity,
        max_packet: params.max_packet,
    };
    let pool = build_pool(manager, opts)?;
    let mut first = get_object(&pool, "mysql").await?;
    let version = first.fetch_text("SELECT VERSION()").await?;
    let dialect: &'static dyn Dialect = MysqlDialect::for_version(version.first().map_or("", String::as_str));
    drop(first);
    warm(&pool, "mysql", opts.min_connections.min(opts.max_connections)).await?;
    Ok((super::Pool::Mysql(pool), dialect))
}

impl managed::Manager for MyManager {
    type Type = MyConn;
    type Error = Error;

    async fn create(&self) -> Result<MyConn> {
        let conn = tokio::time::timeout(self.connect_timeout, self.connect())
            .await
            .map_err(|_| {
                Error::new(ErrorKind::Connection, format!("mysql: no connection within {:?}", self.connect_timeout))
            })?
            .map_err(map_error)?;
        let cache = StmtCache::new(self.cache_capacity);
        let state = ConnState::default();
        Ok(MyConn(Box::new(MyState {
            conn: Some(conn),
            cache,
            state,
            busy: false,
            patience: self.connect_timeout,
            max_packet: self.max_packet,
            packet_read: false,
        })))
    }

    async fn recycle(&self, conn: &mut MyConn, _: &Metrics) -> RecycleResult<Error> {
        if conn.is_broken() {
            return Err(RecycleError::message("connection lost or interrupted mid-exchange"));
        }
        if conn.state.tx != TxState::Idle {
            let rollback = tokio::time::timeout(conn.patience, conn.reset());
            rollback.await.map_err(|_| RecycleError::message("rollback timed out"))?.map_err(RecycleError::Backend)?;
            conn.state.recovered(TxState::Idle);
        }
        Ok(())
    }
}

/// The connection options for `params`, and for `ssl-mode=PREFERRED` the plain options to
/// fall back on.
///
/// # Errors
/// `Config` when the CA file cannot serve.
#[cfg(feature = "tls")]
fn with_tls(builder: OptsBuilder, params: &MyParams) -> Result<(mysql_async::Opts, Option<mysql_async::Opts>)> {
    let plain = (params.tls.mode == TlsMode::Prefer).then(|| builder.clone().into());
    Ok((builder.ssl_opts(params.ssl_opts()?).into(), plain))
}

/// Without TLS support, every accepted mode (`DISABLED`, `PREFERRED`) is plain text.
#[cfg(not(feature = "tls"))]
fn with_tls(builder: OptsBuilder, _: &MyParams) -> Result<(mysql_async::Opts, Option<mysql_async::Opts>)> {
    Ok((builder.into(), None))
}

impl MyManager {
    /// Opens a connection; with `PREFERRED`, in plain text when the server offers no TLS.
    async fn connect(&self) -> std::result::Result<mysql_async::Conn, mysql_async::Error> {
        match (mysql_async::Conn::new(self.opts.clone()).await, &self.plain) {
            (Err(mysql_async::Error::Driver(DriverError::NoClientSslFlagFromServer)), Some(plain)) => {
                mysql_async::Conn::new(plain.clone()).await
            }
            (res, _) => res,
        }
    }
}

impl MyState {
    /// Marks the connection busy for one exchange.
    fn start(&mut self) -> Result<()> {
        if self.busy {
            return Err(interrupted());
        }
        self.busy = true;
        Ok(())
    }

    /// The connection, unless a stream dropped midway took it away.
    fn link(&mut self) -> Result<&mut mysql_async::Conn> {
        self.conn.as_mut().ok_or_else(interrupted)
    }

    /// The prepared statement for `sql`, from the cache or prepared now.
    async fn prepare(&mut self, sql: &str) -> Result<Statement> {
        if let Some(stmt) = self.cache.get(sql) {
            return Ok(stmt);
        }
        let stmt = self.link()?.prep(sql).await.map_err(map_error)?;
        if let Some(evicted) = self.cache.insert(sql, stmt.clone()) {
            self.link()?.close(evicted).await.map_err(map_error)?;
        }
        Ok(stmt)
    }

    async fn fetch_rows<T: FromRow>(&mut self, q: Rendered) -> Result<Vec<T>> {
        let params = to_params(q.params)?;
        let stmt = self.prepare(&q.sql).await?;
        let mut result = self.link()?.exec_iter(&stmt, params).await.map_err(map_error)?;
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

    async fn execute_on(&mut self, q: Rendered) -> Result<ExecResult> {
        if q.params.is_empty() {
            // The text protocol also runs statements MySQL cannot prepare (KILL, LOCK ...).
            self.link()?.query_drop(q.sql.as_ref()).await.map_err(map_error)?;
        } else {
            let params = to_params(q.params)?;
            let stmt = self.prepare(&q.sql).await?;
            self.link()?.exec_drop(&stmt, params).await.map_err(map_error)?;
        }
        let conn = self.link()?;
        Ok(ExecResult { rows_affected: conn.affected_rows(), last_insert_id: conn.last_insert_id() })
    }

    /// Text-protocol query returning one text column (server metadata).
    async fn fetch_text(&mut self, sql: &str) -> Result<Vec<String>> {
        self.start()?;
        let res = self.link()?.query(sql).await.map_err(map_error);
        self.busy = false;
        res
    }

    /// The most bytes one packet to the server may hold: the server's
    /// `max_allowed_packet` (read once per connection, the first time it is asked for: the
    /// session value is read-only), or the client's limit if that is smaller.
    pub(crate) async fn packet_limit(&mut self) -> Result<usize> {
        if !self.packet_read {
            let server = self.fetch_text("SELECT @@max_allowed_packet").await?;
            let server = server
                .first()
                .and_then(|v| v.parse::<usize>().ok())
                .ok_or_else(|| Error::new(ErrorKind::Decode, "mysql: @@max_allowed_packet is not a number of bytes"))?;
            self.max_packet = Some(self.max_packet.map_or(server, |client| client.min(server)));
            self.packet_read = true;
        }
        Ok(self.max_packet.unwrap_or(usize::MAX))
    }

    pub(crate) async fn fetch<T: FromRow>(&mut self, q: Rendered) -> Result<Vec<T>> {
        self.start()?;
        let res = self.fetch_rows(q).await;
        self.busy = false;
        res
    }

    /// Runs `q` and lends the connection to `sink`'s stream, which reads the rows
    /// unbuffered (mysql_async reads each row off the socket as it is asked for) and
    /// decodes them as they are taken. A stream dropped midway keeps the connection, left
    /// mid-result: this one is then marked busy and missing, so it is discarded.
    pub(crate) async fn stream<T: FromRow>(&mut self, q: Rendered, sink: &mut StreamSink<T>) -> Result<()> {
        self.start()?;
        let res = self.stream_rows(q, sink).await;
        if self.conn.is_some() {
            self.busy = false;
        }
        res
    }

    async fn stream_rows<T: FromRow>(&mut self, q: Rendered, sink: &mut StreamSink<T>) -> Result<()> {
        let params = to_params(q.params)?;
        let stmt = self.prepare(&q.sql).await?;
        // The result stays pending on the connection, where the source reads it.
        drop(self.link()?.exec_iter(&stmt, params).await.map_err(map_error)?);
        let (conn, back) = (self.conn.take().ok_or_else(interrupted)?, stream::GivenBack::default());
        let outcome = sink.delegate(Box::new(stream::source(conn, back.clone()))).await;
        // The stream read the result through, or stopped at its first error.
        self.conn = stream::take_back(&back);
        let conn = self.link()?;
        if outcome.is_err() && !conn.is_disconnected() {
            // Leave the connection ready for the next statement.
            QueryResult::<'_, 'static, BinaryProtocol>::new(conn).drop_result().await.map_err(map_error)?;
        }
        outcome
    }

    pub(crate) async fn execute(&mut self, q: Rendered) -> Result<ExecResult> {
        self.start()?;
        let res = self.execute_on(q).await;
        self.busy = false;
        res
    }

    /// Runs DDL; MySQL re-prepares cached statements itself when a table changes.
    pub(crate) async fn batch(&mut self, sql: &str) -> Result<()> {
        self.start()?;
        let res = self.link()?.query_drop(sql).await.map_err(map_error);
        self.busy = false;
        res
    }

    /// Runs a transaction-control statement.
    pub(crate) async fn control(&mut self, sql: &str) -> Result<()> {
        self.batch(sql).await
    }

    /// Rolls back whatever may be open (ROLLBACK outside a transaction does nothing).
    pub(crate) async fn reset(&mut self) -> Result<()> {
        self.batch("ROLLBACK").await
    }

    pub(crate) fn state(&self) -> &ConnState {
        &self.state
    }

    pub(crate) fn state_mut(&mut self) -> &mut ConnState {
        &mut self.state
    }

    /// Whether the connection must be discarded: lost, or left mid-exchange.
    pub(crate) fn is_broken(&self) -> bool {
        self.state.broken || self.busy || self.conn.as_ref().is_none_or(mysql_async::Conn::is_disconnected)
    }

    /// After a failed statement, asks the server whether the transaction survived: a
    /// deadlock (and some other errors) roll it back, after which statements would run in
    /// autocommit. A no-op statement's OK packet carries the server's transaction flag.
    pub(crate) async fn settle(&mut self, e: &Error) {
        if self.is_broken() {
            self.state.broken = true;
            return;
        }
        let probe = self.batch("DO 0").await;
        let open = self
            .conn
            .as_ref()
            .and_then(mysql_async::Conn::last_ok_packet)
            .is_some_and(|ok| ok.status_flags().contains(StatusFlags::SERVER_STATUS_IN_TRANS));
        match probe {
            Ok(()) if open => {}
            Ok(()) => self.state.abort_after(TxState::Ended, e),
            Err(_) => self.state.broken = true,
        }
    }

    /// A statement outlived its deadline mid-exchange: the connection is never reused.
    pub(crate) fn timed_out(&mut self) {
        self.state.broken = true;
    }
}

impl super::Abandon for MyObject {
    /// Rolls back in a background task, then returns the connection to the pool. A broken
    /// connection, a rollback that fails or outlasts the connect timeout, and a drop
    /// outside a runtime all detach the connection from the pool and close it, which frees
    /// its slot and makes the server roll back.
    fn abandon_transaction(mut self) {
        if self.state.tx == TxState::Idle {
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(rt) if !self.is_broken() => {
                rt.spawn(async move {
                    let patience = self.patience;
                    match tokio::time::timeout(patience, self.reset()).await {
                        Ok(Ok(())) => self.state.recovered(TxState::Idle),
                        _ => drop(managed::Object::take(self)),
                    }
                });
            }
            _ => drop(managed::Object::take(self)),
        }
    }
}
