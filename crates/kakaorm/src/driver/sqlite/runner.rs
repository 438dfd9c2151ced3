//! Where an SQLite connection's statements run: on a thread of its own, or inline.

use std::time::Duration;

use kakaorm_core::Result;
use rusqlite::Connection;
use tokio::sync::oneshot;

use super::inline::Inline;
use super::worker::Worker;
use crate::config::SqliteTarget;

/// The connection of one pooled SQLite connection, behind the calls every statement uses.
pub(crate) enum Runner {
    /// On the connection's own thread, one channel hop per call.
    Thread(Worker),
    /// On the caller's thread.
    Inline(Inline),
}

impl Runner {
    /// Opens the database, on a new thread or on this one.
    pub(crate) async fn open(
        target: SqliteTarget,
        cache_capacity: usize,
        busy_timeout: Duration,
        inline: bool,
    ) -> Result<Runner> {
        Ok(match inline {
            true => Runner::Inline(Inline::open(&target, cache_capacity, busy_timeout)?),
            false => Runner::Thread(Worker::spawn(target, cache_capacity, busy_timeout).await?),
        })
    }

    /// Runs `f` on the connection and returns its result.
    pub(crate) async fn run<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R> + Send + 'static,
    {
        match self {
            Runner::Thread(w) => w.run(f).await,
            Runner::Inline(i) => i.run(f),
        }
    }

    /// Runs `f` now when the connection runs on this thread (`sqlite_inline`); `None` (and
    /// `f` unused) when it has a thread of its own. `f` may borrow: it returns before this
    /// does.
    pub(crate) fn run_here<R>(&self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Option<Result<R>> {
        match self {
            Runner::Thread(_) => None,
            Runner::Inline(i) => Some(i.run(f)),
        }
    }

    /// Starts `f`, which hands rows to a consumer on the caller's thread, on another
    /// thread; its result comes through [`answer`](Runner::answer).
    pub(crate) fn start_apart<R, F>(&self, f: F) -> Result<oneshot::Receiver<Result<R>>>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R> + Send + 'static,
    {
        match self {
            Runner::Thread(w) => w.start(f),
            Runner::Inline(i) => i.start_apart(f),
        }
    }

    /// Queues `f` (inline: runs it now) without waiting for an answer.
    pub(crate) fn submit(&self, f: impl FnOnce(&mut Connection) + Send + 'static) {
        match self {
            Runner::Thread(w) => w.submit(f),
            Runner::Inline(i) => i.submit(f),
        }
    }

    /// Waits for the answer of a job queued with [`submit`](Runner::submit).
    pub(crate) async fn answer<R>(&self, rx: oneshot::Receiver<Result<R>>) -> Result<R> {
        match self {
            Runner::Thread(w) => w.answer(rx).await,
            Runner::Inline(_) => rx.await.map_err(|_| super::worker::stopped())?,
        }
    }

    /// Interrupts the running statement, if any.
    pub(crate) fn interrupt(&self) {
        match self {
            Runner::Thread(w) => w.interrupt(),
            Runner::Inline(i) => i.interrupt(),
        }
    }
}
