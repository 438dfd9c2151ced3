//! The thread that owns one SQLite connection.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, TryRecvError};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use kakaorm_core::dialect::DECIMAL_COLLATION;
use kakaorm_core::{Error, ErrorKind, Result};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, InterruptHandle, OpenFlags};
use tokio::sync::oneshot;

use super::decimal;
use super::error::map_error;
use crate::config::{SqliteMode, SqliteTarget};

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// A handle on a connection thread. Dropping it ends the thread and closes the connection.
pub(crate) struct Worker {
    jobs: mpsc::Sender<Job>,
    /// Stops whatever statement the thread is running.
    interrupt: InterruptHandle,
    /// How long the last job ran on the thread, in nanoseconds: the caller spins about
    /// that long for the next answer before parking.
    last_job_ns: Arc<AtomicU64>,
}

pub(super) fn stopped() -> Error {
    Error::new(ErrorKind::Connection, "sqlite: the connection thread has stopped")
}

impl Worker {
    /// Starts a thread, opens the database on it and configures the connection.
    pub(crate) async fn spawn(target: SqliteTarget, cache_capacity: usize, busy_timeout: Duration) -> Result<Worker> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let last_job_ns = Arc::new(AtomicU64::new(0));
        let timing = Arc::clone(&last_job_ns);
        let (ready_tx, ready_rx) = oneshot::channel::<Result<InterruptHandle>>();
        std::thread::Builder::new()
            .name("kakaorm-sqlite".into())
            .spawn(move || {
                let _awake = Awake::enter();
                let mut conn = match open(&target, cache_capacity, busy_timeout) {
                    Ok(c) => {
                        let _ = ready_tx.send(Ok(c.get_interrupt_handle()));
                        c
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                // Whether the last job arrived within a spin window of the one before.
                let mut busy = false;
                let mut finished = Instant::now();
                while let Some(job) = next_job(&inbox, busy) {
                    let started = Instant::now();
                    busy = started.duration_since(finished) < WORKER_SPIN;
                    job(&mut conn);
                    finished = Instant::now();
                    let ns = u64::try_from(finished.duration_since(started).as_nanos()).unwrap_or(u64::MAX);
                    timing.store(ns, Ordering::Relaxed);
                }
            })
            .map_err(|e| Error::new(ErrorKind::Connection, format!("sqlite: cannot start a connection thread: {e}")))?;
        let interrupt = ready_rx.await.map_err(|_| stopped())??;
        Ok(Worker { jobs, interrupt, last_job_ns })
    }

    /// Runs `f` on the connection thread and waits for its result. Should the caller stop
    /// waiting before the thread reaches the job, the job is skipped.
    pub(crate) async fn run<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R> + Send + 'static,
    {
        let rx = self.start(f)?;
        self.answer(rx).await
    }

    /// Queues `f` on the connection thread; its result comes on the receiver (see
    /// [`answer`](Self::answer)). Should the receiver be dropped before the thread reaches
    /// the job, the job is skipped.
    pub(crate) fn start<R, F>(&self, f: F) -> Result<oneshot::Receiver<Result<R>>>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<R> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .send(Box::new(move |conn| {
                if !tx.is_closed() {
                    let _ = tx.send(f(conn));
                }
            }))
            .map_err(|_| stopped())?;
        Ok(rx)
    }

    /// Waits for the answer of a job queued on this thread.
    pub(crate) async fn answer<R>(&self, mut rx: oneshot::Receiver<Result<R>>) -> Result<R> {
        // A query like the last one is usually answered within the spin window, which saves
        // parking and waking this thread (the larger cost for short queries). A long query
        // is awaited without spinning: its wake-up cost is small beside it, and a spinning
        // core can slow the connection thread down (on virtual machines especially).
        let last = Duration::from_nanos(self.last_job_ns.load(Ordering::Relaxed));
        let window = last + last / 2 + CALLER_SPIN_MIN;
        if spin_allowed() && window <= CALLER_SPIN_MAX {
            let start = Instant::now();
            while start.elapsed() < window {
                match rx.try_recv() {
                    Ok(result) => return result,
                    Err(oneshot::error::TryRecvError::Closed) => return Err(stopped()),
                    Err(oneshot::error::TryRecvError::Empty) => std::hint::spin_loop(),
                }
            }
        }
        rx.await.map_err(|_| stopped())?
    }

    /// Interrupts the statement running on the thread, if any: it fails with an interrupt
    /// error (and SQLite rolls back a write it interrupts inside a transaction).
    pub(crate) fn interrupt(&self) {
        self.interrupt.interrupt();
    }

    /// Queues `f` without waiting for it.
    pub(crate) fn submit(&self, f: impl FnOnce(&mut Connection) + Send + 'static) {
        // A stopped thread has closed its connection, which rolled back anything open.
        let _ = self.jobs.send(Box::new(f));
    }
}

/// A caller spins for its answer about 1.5 times as long as the connection's last job
/// took, at least this long...
const CALLER_SPIN_MIN: Duration = Duration::from_micros(20);
/// ...and not at all when that would exceed this: waking up then costs little compared to
/// the query.
const CALLER_SPIN_MAX: Duration = Duration::from_micros(250);
/// How long an idle connection thread spins for the next job before parking; back-to-back
/// queries then cost no wake-up.
const WORKER_SPIN: Duration = Duration::from_micros(50);

/// Connection threads of this process that are awake: running a job or spinning for the
/// next one. A thread parked on its inbox is not counted.
static AWAKE: AtomicUsize = AtomicUsize::new(0);

/// Counts a connection thread as awake while it lives (see [`parked`] for its naps).
struct Awake;

impl Awake {
    fn enter() -> Awake {
        AWAKE.fetch_add(1, Ordering::Relaxed);
        Awake
    }
}

impl Drop for Awake {
    fn drop(&mut self) {
        AWAKE.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Logical cores this process may use.
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Whether spinning pays now: only while the awake connection threads (the one a caller
/// waits on, or the spinning thread itself, included) leave a core free, so the spinner
/// and the thread it waits for run at once. One connection on two cores spins as before;
/// a pool under load, with as many connection threads awake as cores or more, parks on
/// both sides at once, since every spin would take a core from a thread with work to do.
fn spin_allowed() -> bool {
    leaves_a_core(AWAKE.load(Ordering::Relaxed), cores())
}

/// Whether `awake` busy threads on `cores` cores leave one free for a spinner.
fn leaves_a_core(awake: usize, cores: usize) -> bool {
    cores > 1 && awake < cores
}

/// The next job, spinning briefly before blocking when jobs have been arriving back to
/// back (`busy`) and [`spin_allowed`]; `None` once every handle is dropped. An idle
/// connection parks at once, so a sparse workload burns no CPU.
fn next_job(inbox: &mpsc::Receiver<Job>, busy: bool) -> Option<Job> {
    if busy && spin_allowed() {
        let start = Instant::now();
        while start.elapsed() < WORKER_SPIN {
            match inbox.try_recv() {
                Ok(job) => return Some(job),
                Err(TryRecvError::Disconnected) => return None,
                Err(TryRecvError::Empty) => std::hint::spin_loop(),
            }
        }
    }
    parked(|| inbox.recv().ok())
}

/// Runs `wait` with this thread counted as parked rather than awake.
fn parked<T>(wait: impl FnOnce() -> T) -> T {
    AWAKE.fetch_sub(1, Ordering::Relaxed);
    let out = wait();
    AWAKE.fetch_add(1, Ordering::Relaxed);
    out
}

pub(super) fn open(target: &SqliteTarget, cache_capacity: usize, busy_timeout: Duration) -> Result<Connection> {
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
    conn.busy_timeout(busy_timeout).map_err(map_error)?;
    // A double-quoted name is an identifier, never a string: a missing column is an error.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DQS_DML, false).map_err(map_error)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DQS_DDL, false).map_err(map_error)?;
    conn.create_collation(DECIMAL_COLLATION, decimal::compare).map_err(map_error)?;
    let mut pragmas = String::from("PRAGMA foreign_keys = ON; PRAGMA case_sensitive_like = ON;");
    if matches!(target, SqliteTarget::File { mode, .. } if *mode != SqliteMode::Ro) {
        pragmas.push_str(" PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    }
    conn.execute_batch(&pragmas).map_err(map_error)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::leaves_a_core;

    #[test]
    fn spinning_stops_once_connection_threads_fill_the_cores() {
        // One connection on two cores: its caller and its thread spin, as a single user wants.
        assert!(leaves_a_core(0, 2));
        assert!(leaves_a_core(1, 2));
        // A loaded pool: as many awake connection threads as cores, or more, and nobody spins.
        assert!(!leaves_a_core(2, 2));
        assert!(!leaves_a_core(8, 2));
        assert!(leaves_a_core(3, 4));
        assert!(!leaves_a_core(4, 4));
        // One core: a spinner would only delay the thread it waits for.
        assert!(!leaves_a_core(0, 1));
    }
}
