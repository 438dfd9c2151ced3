//! SQLite through rusqlite: one dedicated thread per connection, one channel hop per query,
//! or (opted into with `DbBuilder::sqlite_inline`) the caller's own thread.
//!
//! A query travels to the connection's thread as one job, runs there, and its rows are
//! decoded there straight into the final structs; only the finished `Vec` comes back.

mod cells;
mod decimal;
mod error;
mod inline;
mod row;
mod runner;
mod url;
mod value;
mod worker;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use deadpool::managed::{self, Metrics, RecycleError, RecycleResult};
use kakaorm_core::{Dialect, Error, FromRow, Rendered, Result, SqliteDialect};

use super::ExecResult;
use super::pool::{build_pool, warm};
use super::row_batch::{RowBatch, RowValue};
use super::state::{ConnState, TxState};
use super::stream::StreamSink;
use crate::config::{ConnectOptions, SqliteTarget, Target};
use row::LiteRow;
use runner::Runner;
pub(crate) use url::parse_url;
use value::LiteValue;

pub(crate) type LitePool = managed::Pool<LiteManager>;
pub(crate) type LiteObject = managed::Object<LiteManager>;

/// Opens SQLite connections on their own threads.
pub(crate) struct LiteManager {
    target: SqliteTarget,
    cache_capacity: usize,
    /// How long a statement waits for another connection's lock.
    busy_timeout: Duration,
    /// Statements run on the caller's thread (`DbBuilder::sqlite_inline`).
    inline: bool,
}

/// One SQLite connection, owned by its worker thread.
pub(crate) struct LiteConn {
    worker: Runner,
    state: ConnState,
}

pub(crate) async fn open(opts: &ConnectOptions) -> Result<(super::Pool, &'static dyn Dialect)> {
    let Target::Sqlite(target) = &opts.target else {
        return Err(Error::config("sqlite needs a sqlite url"));
    };
    // A statement timeout also bounds the wait for another connection's lock.
    let busy_timeout = opts.statement_timeout.unwrap_or(DEFAULT_BUSY_TIMEOUT);
    let manager = LiteManager {
        target: target.clone(),
        cache_capacity: opts.statement_cache_capacity,
        busy_timeout,
        inline: opts.sqlite_inline,
    };
    let pool = build_pool(manager, opts)?;
    warm(&pool, "sqlite", opts.min_connections.min(opts.max_connections)).await?;
    Ok((super::Pool::Sqlite(pool), &SqliteDialect))
}

/// How long a statement waits for another connection's lock when no statement timeout is
/// set.
const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl managed::Manager for LiteManager {
    type Type = LiteConn;
    type Error = Error;

    async fn create(&self) -> Result<LiteConn> {
        let worker = Runner::open(self.target.clone(), self.cache_capacity, self.busy_timeout, self.inline).await?;
        Ok(LiteConn { worker, state: ConnState::default() })
    }

    async fn recycle(&self, conn: &mut LiteConn, _: &Metrics) -> RecycleResult<Error> {
        if conn.state.broken {
            return Err(RecycleError::message("connection thread stopped"));
        }
        if conn.state.tx != TxState::Idle {
            conn.reset().await.map_err(RecycleError::Backend)?;
            conn.state.recovered(TxState::Idle);
        }
        Ok(())
    }
}

/// The state of [`LiteConn::execute_each`] on the connection thread.
#[derive(Default)]
struct Run {
    total: u64,
    error: Option<Error>,
    /// The caller has gone: statements not yet run are skipped.
    cancelled: bool,
    /// Statements run, kept to be freed after the answer.
    done: Vec<Rendered>,
}

/// The time each statement of a run took and whether it succeeded, in order, as the
/// connection thread ran them (for the query log); statements not run are missing.
#[derive(Clone, Default)]
pub(crate) struct RunTimes(Arc<Mutex<Vec<(Duration, bool)>>>);

impl RunTimes {
    fn record(&self, elapsed: Duration, ok: bool) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push((elapsed, ok));
    }

    /// What was recorded so far.
    pub(crate) fn take(&self) -> Vec<(Duration, bool)> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Marks a run cancelled when its caller's future is dropped (harmless once it finished).
struct CancelOnDrop(Arc<Mutex<Run>>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).cancelled = true;
    }
}

/// Prepares (or reuses) and runs one statement on the connection thread.
fn run_execute(conn: &mut rusqlite::Connection, q: &Rendered) -> Result<ExecResult> {
    let mut stmt = conn.prepare_cached(&q.sql).map_err(error::map_error)?;
    bind(&mut stmt, &q.params).map_err(error::map_error)?;
    let rows = stmt.raw_execute().map_err(error::map_error)?;
    let id = conn.last_insert_rowid();
    Ok(ExecResult { rows_affected: rows as u64, last_insert_id: u64::try_from(id).ok() })
}

fn bind(stmt: &mut rusqlite::Statement<'_>, params: &[kakaorm_core::Value]) -> rusqlite::Result<()> {
    for (i, p) in params.iter().enumerate() {
        stmt.raw_bind_parameter(i + 1, LiteValue(p))?;
    }
    Ok(())
}

impl LiteConn {
    pub(crate) async fn fetch<T: FromRow>(&mut self, q: Rendered) -> Result<Vec<T>> {
        self.worker
            .run(move |conn| {
                let mut stmt = conn.prepare_cached(&q.sql).map_err(error::map_error)?;
                bind(&mut stmt, &q.params).map_err(error::map_error)?;
                let mut rows = stmt.raw_query();
                let mut out = Vec::new();
                while let Some(row) = rows.next().map_err(error::map_error)? {
                    out.push(T::from_row(&mut LiteRow::new(row))?);
                }
                Ok(out)
            })
            .await
    }

    pub(crate) async fn execute(&mut self, q: Rendered) -> Result<ExecResult> {
        self.worker.run(move |conn| run_execute(conn, &q)).await
    }

    /// Steps the rows of `q` on the connection thread, which copies them off the
    /// statement a batch at a time; the stream decodes them one at a time, as it takes them. The thread blocks while the consumer is a few batches behind, and stops
    /// (resetting the statement, so the connection stays clean) once the stream is dropped.
    pub(crate) async fn stream<T: FromRow>(&mut self, q: Rendered, sink: &mut StreamSink<T>) -> Result<()> {
        let (mut copy, batches) = cells::batches();
        let stepped = self.worker.start_apart(move |conn| {
            let mut stmt = conn.prepare_cached(&q.sql).map_err(error::map_error)?;
            bind(&mut stmt, &q.params).map_err(error::map_error)?;
            let mut rows = stmt.raw_query();
            while let Some(row) = rows.next().map_err(error::map_error)? {
                if !copy.push(row)? {
                    return Ok(());
                }
            }
            copy.flush();
            Ok(())
        })?;
        let decoded = sink.delegate(Box::new(cells::CellSource::new(batches))).await;
        // The stream has dropped the source: after a decoding error, the thread stops at
        // its next batch.
        self.worker.answer(stepped).await.and(decoded)
    }

    /// Queues every statement at once: the thread runs one while the caller renders the
    /// next, and keeps the running total. After a failure it skips the rest. The caller waits
    /// once, for an answer queued behind the last statement, so nothing it queued is still
    /// running when it returns; the thread frees the statements' values after answering.
    /// With `times`, the thread records how long each statement took.
    pub(crate) async fn execute_each(
        &mut self,
        statements: impl Iterator<Item = Result<Rendered>>,
        times: Option<RunTimes>,
    ) -> Result<u64> {
        let run: Arc<Mutex<Run>> = Arc::default();
        let _cancel_on_drop = CancelOnDrop(Arc::clone(&run));
        let mut rendered = Ok(());
        for q in statements {
            let q = match q {
                Ok(q) => q,
                Err(e) => {
                    rendered = Err(e);
                    break;
                }
            };
            let run = Arc::clone(&run);
            let times = times.clone();
            self.worker.submit(move |conn| {
                let mut run = run.lock().unwrap_or_else(PoisonError::into_inner);
                if run.error.is_none() && !run.cancelled {
                    let started = times.as_ref().map(|_| Instant::now());
                    let res = run_execute(conn, &q);
                    if let (Some(times), Some(started)) = (&times, started) {
                        times.record(started.elapsed(), res.is_ok());
                    }
                    match res {
                        Ok(done) => run.total += done.rows_affected,
                        Err(e) => run.error = Some(e),
                    }
                }
                run.done.push(q);
            });
        }
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.worker.submit(move |_| {
            let run = std::mem::take(&mut *run.lock().unwrap_or_else(PoisonError::into_inner));
            let _ = tx.send(run.error.map_or(Ok(run.total), Err));
            drop(run.done);
        });
        let outcome = self.worker.answer(rx).await;
        rendered.and(outcome)
    }

    /// Runs the batch's statement over its rows in one job, inside a transaction (a
    /// savepoint in the caller's) when it takes several statements. On the caller's thread
    /// (`sqlite_inline`) the values are bound where they are, borrowed ones included. A
    /// connection thread gets the rows owned: the job runs in full or, when the caller has
    /// gone before it starts, not at all, and the rows are freed after the answer.
    pub(crate) async fn run_rows<V: RowValue>(&mut self, batch: RowBatch<V>) -> Result<u64> {
        if let Some(res) = self.worker.run_here(|conn| rows_job(conn, &batch)) {
            return res;
        }
        let batch = batch.into_owned();
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.worker.submit(move |conn| {
            if tx.is_closed() {
                return;
            }
            let _ = tx.send(rows_job(conn, &batch));
            drop(batch);
        });
        self.worker.answer(rx).await
    }

    pub(crate) async fn batch(&mut self, sql: &str) -> Result<()> {
        let sql = sql.to_owned();
        self.worker.run(move |conn| conn.execute_batch(&sql).map_err(error::map_error)).await
    }

    /// Runs a transaction-control statement.
    pub(crate) async fn control(&mut self, sql: &str) -> Result<()> {
        self.batch(sql).await
    }

    /// Rolls back only what is really open: a COMMIT whose caller was cancelled may have
    /// finished, and failing here would discard the connection (and with it a whole
    /// in-memory database).
    pub(crate) async fn reset(&mut self) -> Result<()> {
        self.worker.run(rollback_if_open).await
    }

    /// Whether the connection thread has stopped.
    pub(crate) fn is_broken(&self) -> bool {
        self.state.broken
    }

    pub(crate) fn state(&self) -> &ConnState {
        &self.state
    }

    pub(crate) fn state_mut(&mut self) -> &mut ConnState {
        &mut self.state
    }

    /// After a failed statement, asks the connection whether its transaction survived:
    /// SQLite rolls it back on its own after some errors (I/O, disk full, an interrupt).
    pub(crate) async fn settle(&mut self, e: &Error) {
        match self.worker.run(|c| Ok(c.is_autocommit())).await {
            Ok(false) => {}
            Ok(true) => self.state.abort_after(TxState::Ended, e),
            Err(_) => self.state.broken = true,
        }
    }

    /// A statement outlived its deadline: interrupt it. The connection stays (closing it
    /// would lose an in-memory database); a job not yet started is skipped, since its
    /// caller has gone.
    pub(crate) fn timed_out(&mut self) {
        self.worker.interrupt();
    }
}

/// Runs the batch, in a transaction (or savepoint) when it takes several statements.
fn rows_job<V: RowValue>(conn: &mut rusqlite::Connection, batch: &RowBatch<V>) -> Result<u64> {
    match batch.several() {
        true => atomically(conn, |conn| row_runs(conn, batch)),
        false => row_runs(conn, batch),
    }
}

/// Runs the batch's statements over its rows, each prepared once; the number of rows
/// written.
fn row_runs<V: RowValue>(conn: &mut rusqlite::Connection, batch: &RowBatch<V>) -> Result<u64> {
    let (runs, rest) = batch.split();
    let mut total = repeat(conn, &batch.full, runs)?;
    if let Some(tail) = &batch.tail {
        total += repeat(conn, tail, std::iter::once(rest))?;
    }
    Ok(total)
}

/// Prepares (or reuses) `sql` and runs it once per slice of values.
fn repeat<'a, V: RowValue + 'a>(
    conn: &mut rusqlite::Connection,
    sql: &str,
    runs: impl Iterator<Item = &'a [V]>,
) -> Result<u64> {
    let mut stmt = conn.prepare_cached(sql).map_err(error::map_error)?;
    let mut total = 0;
    for values in runs {
        for (i, v) in values.iter().enumerate() {
            value::bind_param(&mut stmt, i + 1, v.param()).map_err(error::map_error)?;
        }
        total += stmt.raw_execute().map_err(error::map_error)? as u64;
    }
    Ok(total)
}

/// Runs `work` in a transaction of its own, or in a savepoint of the open one, and undoes
/// it when it fails.
fn atomically<R>(
    conn: &mut rusqlite::Connection,
    work: impl FnOnce(&mut rusqlite::Connection) -> Result<R>,
) -> Result<R> {
    let (open, done, undo) = match conn.is_autocommit() {
        true => ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"),
        false => ("SAVEPOINT kakaorm_rows", "RELEASE kakaorm_rows", "ROLLBACK TO kakaorm_rows; RELEASE kakaorm_rows"),
    };
    conn.execute_batch(open).map_err(error::map_error)?;
    let res = work(conn).and_then(|v| conn.execute_batch(done).map_err(error::map_error).map(|()| v));
    if res.is_err() {
        // SQLite may have rolled back already (after an I/O error or an interrupt).
        let _ = conn.execute_batch(undo);
    }
    res
}

fn rollback_if_open(conn: &mut rusqlite::Connection) -> Result<()> {
    match conn.is_autocommit() {
        true => Ok(()),
        false => conn.execute_batch("ROLLBACK").map_err(error::map_error),
    }
}

impl super::Abandon for LiteObject {
    /// Queues a rollback on the connection's thread; it runs before any later job, so the
    /// connection can go straight back to the pool.
    fn abandon_transaction(self) {
        if self.state.tx == TxState::Idle {
            return;
        }
        // The state stays open, so the pool checks once more before reuse.
        self.worker.submit(|conn| {
            if let Err(e) = rollback_if_open(conn) {
                tracing::warn!(target: "kakaorm::pool", error = %e, "sqlite rollback of a dropped transaction failed");
            }
        });
    }
}
