//! The thread that owns one SQLite connection.

use std::sync::mpsc;
use std::time::Duration;

use kakaorm_core::{Error, ErrorKind, Result};
use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

use super::error::map_error;
use crate::config::{SqliteMode, SqliteTarget};

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// A handle on a connection thread. Dropping it ends the thread and closes the connection.
pub(crate) struct Worker {
    jobs: mpsc::Sender<Job>,
}

fn stopped() -> Error {
    Error::new(ErrorKind::Connection, "sqlite: the connection thread has stopped")
}

impl Worker {
    /// Starts a thread, opens the database on it and configures the connection.
    pub(crate) async fn spawn(target: SqliteTarget, cache_capacity: usize) -> Result<Worker> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = oneshot::channel::<Result<()>>();
        std::thread::Builder::new()
            .name("kakaorm-sqlite".into())
            .spawn(move || {
                let mut conn = match open(&target, cache_capacity) {
                    Ok(c) => {
                        let _ = ready_tx.send(Ok(()));
                        c
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                for job in inbox {
                    job(&mut conn);
                }
            })
            .map_err(|e| Error::new(ErrorKind::Connection, format!("sqlite: cannot start a connection thread: {e}")))?;
        ready_rx.await.map_err(|_| stopped())??;
        Ok(Worker { jobs })
    }

    /// Runs `f` on the connection thread and waits for its result.
    pub(crate) async fn run<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Box::new(move |conn| {
                let _ = tx.send(f(conn));
            }))
            .map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }

    /// Queues `f` without waiting for it.
    pub(crate) fn submit(&self, f: impl FnOnce(&mut Connection) + Send + 'static) {
        // A stopped thread has closed its connection, which rolled back anything open.
        let _ = self.jobs.send(Box::new(f));
    }
}

fn open(target: &SqliteTarget, cache_capacity: usize) -> Result<Connection> {
    let conn = match target {
        SqliteTarget::Memory => Connection::open_in_memory(),
        SqliteTarget::File { path, mode } => {
            let flags = match mode {
                SqliteMode::Ro => OpenFlags::SQLITE_OPEN_READ_ONLY,
                SqliteMode::Rw => OpenFlags::SQLITE_OPEN_READ_WRITE,
                SqliteMode::Rwc => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            };
            Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI)
        }
    }
    .map_err(|e| {
        let mut err = map_error(e);
        if err.kind() == ErrorKind::Database {
            err = Error::new(ErrorKind::Connection, format!("sqlite: cannot open the database: {}", err.message()));
        }
        err
    })?;
    conn.set_prepared_statement_cache_capacity(cache_capacity);
    conn.busy_timeout(Duration::from_secs(5)).map_err(map_error)?;
    let mut pragmas = String::from("PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON;");
    if matches!(target, SqliteTarget::File { mode, .. } if *mode != SqliteMode::Ro) {
        pragmas.push_str(" PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    }
    conn.execute_batch(&pragmas).map_err(map_error)?;
    Ok(conn)
}
