//! What one user of an SQLite pool holds: a checked-out connection, or (for the
//! statements of one `Db` operation) nothing but a place in the shared queue.
//!
//! A `Db` operation's autocommit statements go to the pool's shared queue, where any free
//! connection thread runs them, with no checkout. Anything that needs the same connection
//! across several jobs (a transaction, a stream, a run of statements) checks a connection
//! out first, which takes its thread out of the shared queue until it is given back.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use kakaorm_core::{Error, FromRow, Rendered, Result};

use super::threads::Threads;
use super::worker::answered;
use super::{LiteConn, LiteObject, LitePool, RunTimes, run_execute, run_fetch};
use crate::driver::pool::get_object;
use crate::driver::state::ConnState;
use crate::driver::stream::StreamSink;
use crate::driver::{ExecResult, RowBatch};

/// A connection checked out of the pool, or the shared queue of its threads.
pub(crate) enum LiteLease {
    Pinned(Pinned),
    Shared(Shared),
}

/// A checked-out connection, whose thread takes no shared jobs until it is dropped.
pub(crate) struct Pinned(LiteObject);

impl Pinned {
    fn new(obj: LiteObject) -> Pinned {
        obj.worker.pin();
        Pinned(obj)
    }
}

impl Drop for Pinned {
    fn drop(&mut self) {
        // Jobs already queued on the thread still run first.
        self.0.worker.unpin();
    }
}

impl Deref for Pinned {
    type Target = LiteConn;

    fn deref(&self) -> &LiteConn {
        &self.0
    }
}

impl DerefMut for Pinned {
    fn deref_mut(&mut self) -> &mut LiteConn {
        &mut self.0
    }
}

/// Autocommit statements for any free connection thread of the pool.
pub(crate) struct Shared {
    pool: LitePool,
    threads: Arc<Threads>,
    /// The client's record, moved to the connection if one is checked out.
    state: ConnState,
    /// The id of the last job queued, to interrupt it.
    job: u64,
}

/// Checks a connection out of `pool`, or, for the statements of one operation
/// (`one_shot`) on a pool with connection threads, leases the shared queue.
pub(crate) async fn lease(pool: &LitePool, one_shot: bool) -> Result<LiteLease> {
    match (one_shot, &pool.manager().threads) {
        (true, Some(threads)) => Ok(LiteLease::Shared(Shared {
            pool: pool.clone(),
            threads: Arc::clone(threads),
            state: ConnState::default(),
            job: 0,
        })),
        _ => Ok(LiteLease::Pinned(Pinned::new(get_object(pool, "sqlite").await?))),
    }
}

impl LiteLease {
    /// The checked-out connection, checking one out first (with the acquire timeout) for a
    /// shared lease.
    async fn pinned(&mut self) -> Result<&mut Pinned> {
        if let LiteLease::Shared(shared) = self {
            let mut conn = Pinned::new(get_object(&shared.pool, "sqlite").await?);
            conn.state = std::mem::take(&mut shared.state);
            *self = LiteLease::Pinned(conn);
        }
        match self {
            LiteLease::Pinned(conn) => Ok(conn),
            LiteLease::Shared(_) => unreachable!("just checked out"),
        }
    }

    /// Runs `f` on the checked-out connection, or on any free connection thread: a thread
    /// is checked out only when none is free and the pool may grow, or none serves at all
    /// (every connection in use, or the pool closed), which waits with the acquire timeout.
    async fn one_shot<R, F>(&mut self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut rusqlite::Connection) -> Result<R> + Send + 'static,
    {
        let shared = match self {
            LiteLease::Pinned(conn) => return conn.worker.run(f).await,
            LiteLease::Shared(shared) => shared,
        };
        let (job, rx) = answered(f);
        let job = match shared.pool.is_closed() {
            true => job,
            false => match shared.threads.submit_shared(job) {
                Ok(id) => {
                    shared.job = id;
                    return shared.threads.answer(rx).await;
                }
                Err(job) => job,
            },
        };
        let conn = self.pinned().await?;
        conn.worker.submit(job);
        conn.worker.answer(rx).await
    }

    pub(crate) async fn fetch<T: FromRow>(&mut self, q: Rendered) -> Result<Vec<T>> {
        self.one_shot(move |conn| run_fetch(conn, &q)).await
    }

    pub(crate) async fn execute(&mut self, q: Rendered) -> Result<ExecResult> {
        self.one_shot(move |conn| run_execute(conn, &q)).await
    }

    pub(crate) async fn batch(&mut self, sql: &str) -> Result<()> {
        let sql = sql.to_owned();
        self.one_shot(move |conn| conn.execute_batch(&sql).map_err(super::error::map_error)).await
    }

    pub(crate) async fn stream<T: FromRow>(&mut self, q: Rendered, sink: &mut StreamSink<T>) -> Result<()> {
        self.pinned().await?.stream(q, sink).await
    }

    pub(crate) async fn execute_each(
        &mut self,
        statements: impl Iterator<Item = Result<Rendered>>,
        times: Option<RunTimes>,
    ) -> Result<u64> {
        self.pinned().await?.execute_each(statements, times).await
    }

    pub(crate) async fn run_rows(&mut self, batch: RowBatch) -> Result<u64> {
        self.pinned().await?.run_rows(batch).await
    }

    pub(crate) async fn control(&mut self, sql: &str) -> Result<()> {
        self.pinned().await?.control(sql).await
    }

    pub(crate) async fn reset(&mut self) -> Result<()> {
        match self {
            LiteLease::Pinned(conn) => conn.reset().await,
            // Nothing of a shared lease outlives its statement.
            LiteLease::Shared(_) => Ok(()),
        }
    }

    pub(crate) fn is_broken(&self) -> bool {
        self.state().broken
    }

    pub(crate) fn state(&self) -> &ConnState {
        match self {
            LiteLease::Pinned(conn) => conn.state(),
            LiteLease::Shared(shared) => &shared.state,
        }
    }

    pub(crate) fn state_mut(&mut self) -> &mut ConnState {
        match self {
            LiteLease::Pinned(conn) => conn.state_mut(),
            LiteLease::Shared(shared) => &mut shared.state,
        }
    }

    pub(crate) async fn settle(&mut self, e: &Error) {
        if let LiteLease::Pinned(conn) = self {
            conn.settle(e).await;
        }
    }

    /// Interrupts the statement that outlived its deadline; a shared job is interrupted
    /// only while it is still running, never the next job of its thread.
    pub(crate) fn timed_out(&mut self) {
        match self {
            LiteLease::Pinned(conn) => conn.timed_out(),
            LiteLease::Shared(shared) => shared.threads.interrupt(shared.job),
        }
    }
}

impl crate::driver::Abandon for LiteLease {
    fn abandon_transaction(self) {
        if let LiteLease::Pinned(conn) = &self {
            conn.abandon_transaction();
        }
    }
}
