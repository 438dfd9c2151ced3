//! An SQLite connection used on the caller's thread (`DbBuilder::sqlite_inline`).

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use kakaorm_core::{Error, ErrorKind, Result};
use rusqlite::{Connection, InterruptHandle};
use tokio::sync::oneshot;

use crate::config::SqliteTarget;

/// A connection whose statements run synchronously on the thread that awaits them: a
/// call either ran in full or, when its future was dropped before the first poll, not at
/// all, so cancellation cannot leave a write half applied.
pub(crate) struct Inline {
    /// Shared only with the thread of a running stream (see [`Inline::start_apart`]).
    conn: Arc<Mutex<Connection>>,
    interrupt: InterruptHandle,
}

impl Inline {
    /// Opens the database on the calling thread.
    pub(crate) fn open(target: &SqliteTarget, cache_capacity: usize, busy_timeout: Duration) -> Result<Inline> {
        let conn = super::worker::open(target, cache_capacity, busy_timeout)?;
        let interrupt = conn.get_interrupt_handle();
        Ok(Inline { conn: Arc::new(Mutex::new(conn)), interrupt })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic inside a statement's closure leaves the connection itself consistent.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `f` now, on this thread.
    pub(crate) fn run<R>(&self, f: impl FnOnce(&mut Connection) -> Result<R>) -> Result<R> {
        f(&mut self.lock())
    }

    /// Runs `f` now, on this thread, without an answer.
    pub(crate) fn submit(&self, f: impl FnOnce(&mut Connection)) {
        f(&mut self.lock());
    }

    /// Starts `f` on a short-lived thread of its own; its result comes on the receiver.
    /// For a stream, whose consumer is this thread and would otherwise never read the rows
    /// `f` waits to hand over. A later statement waits for the connection until `f`
    /// returns (at once once the stream is dropped).
    pub(crate) fn start_apart<R, F>(&self, f: F) -> Result<oneshot::Receiver<Result<R>>>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        let (tx, rx) = oneshot::channel();
        std::thread::Builder::new()
            .name("kakaorm-sqlite-stream".into())
            .spawn(move || {
                let mut conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
                let _ = tx.send(f(&mut conn));
            })
            .map_err(|e| Error::new(ErrorKind::Connection, format!("sqlite: cannot start a stream thread: {e}")))?;
        Ok(rx)
    }

    /// Interrupts a statement running on a stream's thread.
    pub(crate) fn interrupt(&self) {
        self.interrupt.interrupt();
    }
}
