//! PostgreSQL through tokio-postgres, pooled by deadpool.

mod error;
mod numeric;
mod params;
mod row;
mod tls;
mod value;

use std::time::Duration;

use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};
use kakaorm_core::{ColumnType, Dialect, Error, ErrorKind, FromRow, PostgresDialect, Rendered, Result, Value};
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::Type;
use tokio_postgres::{Client, Row, Statement};

use super::ExecResult;
use super::pipelined::RowSink;
use super::pool::{build_pool, warm};
use super::state::{ConnState, TxState};
use super::stmt_cache::StmtCache;
use super::stream::{RowSource, StreamSink};
use crate::config::{ConnectOptions, Target};
use error::map_connect_error;
pub(crate) use error::map_error;
use params::PgParams;
pub(crate) use params::URL_RULES;
use row::PgRow;
use tls::PgTls;
use value::PgValue;

pub(crate) type PgPool = managed::Pool<PgManager>;
pub(crate) type PgObject = managed::Object<PgManager>;

/// Creates and recycles PostgreSQL connections.
pub(crate) struct PgManager {
    config: tokio_postgres::Config,
    tls: PgTls,
    connect_timeout: Duration,
    cache_capacity: usize,
}

/// One PostgreSQL connection and its statement cache, boxed: the pool moves connections
/// several times per checkout, and a pointer moves faster than the whole client.
pub(crate) struct PgConn(Box<PgState>);

pub(crate) struct PgState {
    client: Client,
    cache: StmtCache<Statement>,
    state: ConnState,
    /// How long a rollback or a cancel request may take on a server that went silent.
    patience: Duration,
    /// How cancel requests reach the server.
    tls: PgTls,
}

impl std::ops::Deref for PgConn {
    type Target = PgState;
    fn deref(&self) -> &PgState {
        &self.0
    }
}

impl std::ops::DerefMut for PgConn {
    fn deref_mut(&mut self) -> &mut PgState {
        &mut self.0
    }
}

pub(crate) async fn open(opts: &ConnectOptions) -> Result<(super::Pool, &'static dyn Dialect)> {
    let Target::Server(t) = &opts.target else {
        return Err(Error::config("postgres needs a server url"));
    };
    let mut config = tokio_postgres::Config::new();
    config
        .host(&t.host)
        .port(t.port)
        .user(&t.user)
        .connect_timeout(opts.connect_timeout)
        .keepalives(true)
        .keepalives_idle(opts.tcp_keepalive)
        .keepalives_interval(opts.tcp_keepalive)
        .keepalives_retries(3);
    if let Some(pw) = &t.password {
        config.password(pw);
    }
    if let Some(db) = &t.database {
        config.dbname(db);
    }
    let params = PgParams::parse(&t.params).map_err(Error::config)?;
    if let Some(name) = &params.application_name {
        config.application_name(name);
    }
    if let Some(options) = &params.options {
        config.options(options);
    }
    let (tls, ssl_mode) = PgTls::new(&params.tls)?;
    config.ssl_mode(ssl_mode);
    let manager =
        PgManager { config, tls, connect_timeout: opts.connect_timeout, cache_capacity: opts.statement_cache_capacity };
    let pool = build_pool(manager, opts)?;
    // Fail fast on a bad server or credentials.
    warm(&pool, "postgres", opts.min_connections.min(opts.max_connections)).await?;
    Ok((super::Pool::Postgres(pool), &PostgresDialect))
}

impl managed::Manager for PgManager {
    type Type = PgConn;
    type Error = Error;

    async fn create(&self) -> Result<PgConn> {
        let client = tokio::time::timeout(self.connect_timeout, self.tls.connect(&self.config))
            .await
            .map_err(|_| {
                Error::new(ErrorKind::Connection, format!("postgres: no connection within {:?}", self.connect_timeout))
            })?
            .map_err(map_connect_error)?;
        let cache = StmtCache::new(self.cache_capacity);
        let state = ConnState::default();
        let tls = self.tls.clone();
        Ok(PgConn(Box::new(PgState { client, cache, state, patience: self.connect_timeout, tls })))
    }

    async fn recycle(&self, conn: &mut PgConn, _: &Metrics) -> RecycleResult<Error> {
        if conn.is_broken() {
            return Err(RecycleError::message("connection lost"));
        }
        if conn.state.tx != TxState::Idle {
            let rollback = tokio::time::timeout(conn.patience, conn.reset());
            rollback.await.map_err(|_| RecycleError::message("rollback timed out"))?.map_err(RecycleError::Backend)?;
            conn.state.recovered(TxState::Idle);
        }
        Ok(())
    }
}

/// The wire type of a column, for binary COPY.
fn pg_type(ty: ColumnType) -> Type {
    match ty {
        ColumnType::SmallInt => Type::INT2,
        ColumnType::Integer => Type::INT4,
        ColumnType::BigInt => Type::INT8,
        ColumnType::Real => Type::FLOAT4,
        ColumnType::Double => Type::FLOAT8,
        ColumnType::Boolean => Type::BOOL,
        ColumnType::Text => Type::TEXT,
        ColumnType::Varchar(_) => Type::VARCHAR,
        ColumnType::Date => Type::DATE,
        ColumnType::Time => Type::TIME,
        ColumnType::Timestamp => Type::TIMESTAMP,
        ColumnType::TimestampTz => Type::TIMESTAMPTZ,
        ColumnType::Decimal { .. } => Type::NUMERIC,
        ColumnType::Uuid => Type::UUID,
        ColumnType::Json => Type::JSONB,
        ColumnType::Bytes => Type::BYTEA,
    }
}

/// PostgreSQL invalidates a cached plan when a table's shape changes under it.
fn is_stale_plan(e: &Error) -> bool {
    e.db_error().is_some_and(|d| d.code == "0A000" && d.message.contains("cached plan"))
}

/// Decodes one row into `T`.
#[inline]
pub(crate) fn decode_row<T: FromRow>(row: &Row) -> Result<T> {
    T::from_row(&mut PgRow::new(row))
}

impl PgState {
    async fn prepare(&mut self, sql: &str) -> Result<Statement> {
        if let Some(stmt) = self.cache.get(sql) {
            return Ok(stmt);
        }
        let stmt = self.client.prepare(sql).await.map_err(map_error)?;
        self.cache.insert(sql, stmt.clone());
        Ok(stmt)
    }

    pub(crate) async fn fetch<T: FromRow>(&mut self, q: Rendered) -> Result<Vec<T>> {
        match self.try_fetch(&q).await {
            Err(e) if is_stale_plan(&e) => {
                self.cache.remove(&q.sql);
                self.try_fetch(&q).await
            }
            other => other,
        }
    }

    async fn try_fetch<T: FromRow>(&mut self, q: &Rendered) -> Result<Vec<T>> {
        let stmt = self.prepare(&q.sql).await?;
        let stream = self.client.query_raw(&stmt, q.params.iter().map(PgValue)).await.map_err(map_error)?;
        let mut stream = std::pin::pin!(stream);
        let mut out = Vec::new();
        while let Some(row) = std::future::poll_fn(|cx| futures_core::Stream::poll_next(stream.as_mut(), cx)).await {
            let row = row.map_err(map_error)?;
            out.push(T::from_row(&mut PgRow::new(&row))?);
        }
        Ok(out)
    }

    /// Hands tokio-postgres's row stream of `q` to `sink`'s stream, which decodes each row
    /// as it is taken. The connection task reads the socket only as fast as the rows are
    /// taken; a stream dropped midway leaves the rest to be read and discarded by that task,
    /// so the connection stays clean.
    pub(crate) async fn stream<T: FromRow>(&mut self, q: Rendered, sink: &mut StreamSink<T>) -> Result<()> {
        let stmt = self.prepare(&q.sql).await?;
        let rows = match self.client.query_raw(&stmt, q.params.iter().map(PgValue)).await.map_err(map_error) {
            Err(e) if is_stale_plan(&e) => {
                self.cache.remove(&q.sql);
                let stmt = self.prepare(&q.sql).await?;
                self.client.query_raw(&stmt, q.params.iter().map(PgValue)).await.map_err(map_error)?
            }
            other => other?,
        };
        sink.delegate(Box::new(PgSource(Box::pin(rows)))).await
    }

    /// Runs `qs` pipelined: every statement is sent before the first answer is read, so
    /// they cost one round trip together. The rows of `qs[i]` go to `sinks[i]`.
    pub(crate) async fn fetch_pipelined(&mut self, qs: &[Rendered], sinks: &mut [&mut dyn RowSink]) -> Result<()> {
        match self.try_fetch_pipelined(qs, sinks).await {
            Err(e) if is_stale_plan(&e) => {
                for (q, sink) in qs.iter().zip(sinks.iter_mut()) {
                    self.cache.remove(&q.sql);
                    sink.clear();
                }
                self.try_fetch_pipelined(qs, sinks).await
            }
            other => other,
        }
    }

    async fn try_fetch_pipelined(&mut self, qs: &[Rendered], sinks: &mut [&mut dyn RowSink]) -> Result<()> {
        let mut stmts = Vec::with_capacity(qs.len());
        for q in qs {
            stmts.push(self.prepare(&q.sql).await?);
        }
        let client = &self.client;
        let each = qs.iter().zip(&stmts).zip(sinks.iter_mut()).map(|((q, stmt), sink)| async move {
            let stream = client.query_raw(stmt, q.params.iter().map(PgValue)).await.map_err(map_error)?;
            let mut stream = std::pin::pin!(stream);
            while let Some(row) = std::future::poll_fn(|cx| futures_core::Stream::poll_next(stream.as_mut(), cx)).await
            {
                sink.push_pg(&row.map_err(map_error)?)?;
            }
            Ok(())
        });
        futures_util::future::join_all(each).await.into_iter().collect()
    }

    pub(crate) async fn execute(&mut self, q: Rendered) -> Result<ExecResult> {
        let stmt = self.prepare(&q.sql).await?;
        let rows = self.client.execute_raw(&stmt, q.params.iter().map(PgValue)).await.map_err(map_error)?;
        Ok(ExecResult { rows_affected: rows, last_insert_id: None })
    }

    /// Streams rows through binary `COPY … FROM STDIN`: `values` row after row, one per
    /// column of `types`.
    pub(crate) async fn copy_in(&mut self, sql: &str, types: &[ColumnType], values: Vec<Value>) -> Result<u64> {
        let stmt = self.prepare(sql).await?;
        let sink = self.client.copy_in::<_, bytes::Bytes>(&stmt).await.map_err(map_error)?;
        let types: Vec<Type> = types.iter().map(|t| pg_type(*t)).collect();
        let writer = BinaryCopyInWriter::new(sink, &types);
        let mut writer = std::pin::pin!(writer);
        // One buffer serves every row.
        let mut row: Vec<PgValue<'_>> = Vec::with_capacity(types.len());
        for chunk in values.chunks(types.len().max(1)) {
            row.extend(chunk.iter().map(PgValue));
            writer.as_mut().write_raw(row.drain(..)).await.map_err(map_error)?;
        }
        writer.finish().await.map_err(map_error)
    }

    /// Runs DDL, after which cached statements may return other columns.
    pub(crate) async fn batch(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).await.map_err(map_error)?;
        self.cache.clear();
        Ok(())
    }

    /// Runs a transaction-control statement; cached statements stay valid.
    pub(crate) async fn control(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).await.map_err(map_error)
    }

    /// Rolls back whatever may be open (ROLLBACK outside a transaction only warns).
    pub(crate) async fn reset(&mut self) -> Result<()> {
        self.control("ROLLBACK").await
    }

    /// Whether the connection must be discarded: lost, or abandoned after a timeout.
    pub(crate) fn is_broken(&self) -> bool {
        self.state.broken || self.client.is_closed()
    }

    pub(crate) fn state(&self) -> &ConnState {
        &self.state
    }

    pub(crate) fn state_mut(&mut self) -> &mut ConnState {
        &mut self.state
    }

    /// After a failed statement the server refuses everything until a rollback.
    pub(crate) async fn settle(&mut self, e: &Error) {
        if e.db_error().is_some() {
            self.state.abort_after(TxState::Failed, e);
        }
    }

    /// A statement outlived its deadline: ask the server to cancel it (over a connection of
    /// its own, in the background) and never reuse this connection.
    pub(crate) fn timed_out(&mut self) {
        self.state.broken = true;
        let token = self.client.cancel_token();
        let patience = self.patience;
        let tls = self.tls.clone();
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                let _ = tokio::time::timeout(patience, tls.cancel(token)).await;
            });
        }
    }
}

impl super::Abandon for PgObject {
    /// Rolls back in a background task, then returns the connection to the pool. A broken
    /// connection, a rollback that fails or one that outlasts the connect timeout (a silent
    /// server), and a drop outside a runtime all detach the connection from the pool and
    /// close it, which frees its slot and makes the server roll back.
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

/// A query's rows, read by the [`RowStream`](crate::RowStream) itself.
struct PgSource(std::pin::Pin<Box<tokio_postgres::RowStream>>);

impl<T: FromRow> RowSource<T> for PgSource {
    #[inline]
    fn poll_row(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Result<T>>> {
        futures_core::Stream::poll_next(self.0.as_mut(), cx)
            .map(|row| row.map(|row| T::from_row(&mut PgRow::new(&row.map_err(map_error)?))))
    }
}
