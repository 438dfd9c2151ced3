//! The runner's exclusive hold on a database, so that concurrent runners apply each
//! migration once.
//!
//! - PostgreSQL: one transaction whose first statement takes a transaction-level advisory
//!   lock keyed on the current schema (`pg_try_advisory_xact_lock`, polled until the lock
//!   timeout). The server releases it at commit, rollback or disconnect, so a runner that
//!   is cancelled or crashes never leaves it behind on a pooled connection.
//! - SQLite: one write transaction (`BEGIN IMMEDIATE`), retried while another writer holds
//!   the database, until the lock timeout.
//! - MySQL/MariaDB: DDL commits at once, so there is no transaction to hold. One dedicated
//!   connection takes `GET_LOCK` (a name derived from the current database) with the lock
//!   timeout and releases it with `RELEASE_LOCK`; dropped unreleased, a task releases it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kakaorm::{Backend, Connection, Db, Error, ErrorKind, Executor, Result, Tx, Value};

/// The name MySQL's lock is taken under: the history table's and the database's.
const MYSQL_LOCK_NAME: &str = "CONCAT('kakaorm_migrations:', MD5(COALESCE(DATABASE(), '')))";

/// How long to wait before trying a busy lock again.
const RETRY_EVERY: Duration = Duration::from_millis(50);

/// What holds the lock for one run.
pub(crate) enum Hold {
    /// A transaction that took the lock (PostgreSQL, SQLite).
    Transaction(Tx),
    /// A connection that took a session lock (MySQL).
    Session(SessionLock),
}

/// Takes the lock on `db`, waiting at most `timeout` for a concurrent runner.
///
/// # Errors
/// [`Migration`](ErrorKind::Migration) when another runner holds the lock past `timeout`;
/// any database error.
pub(crate) async fn acquire(db: &Db, timeout: Duration) -> Result<Hold> {
    match db.backend() {
        Backend::Postgres => postgres(db, timeout).await.map(Hold::Transaction),
        Backend::Mysql => SessionLock::take(db, timeout).await.map(Hold::Session),
        _ => sqlite(db, timeout).await.map(Hold::Transaction),
    }
}

fn busy(timeout: Duration) -> Error {
    Error::new(ErrorKind::Migration, format!("another migration runner held the lock for more than {timeout:?}"))
}

async fn postgres(db: &Db, timeout: Duration) -> Result<Tx> {
    let sql = "SELECT pg_try_advisory_xact_lock(hashtextextended('kakaorm_migrations:' || \
               COALESCE(current_schema(), ''), 0))";
    let tx = db.begin().await?;
    let start = Instant::now();
    loop {
        let got: Vec<bool> = tx.fetch_raw(sql, vec![]).await?;
        if got.first() == Some(&true) {
            return Ok(tx);
        }
        if start.elapsed() >= timeout {
            return Err(busy(timeout));
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
}

async fn sqlite(db: &Db, timeout: Duration) -> Result<Tx> {
    let start = Instant::now();
    loop {
        // The dialect's BEGIN is `BEGIN IMMEDIATE`: it takes the write lock at once.
        match db.begin().await {
            Ok(tx) => return Ok(tx),
            Err(e) if e.kind() == ErrorKind::SerializationFailure && start.elapsed() < timeout => {
                tokio::time::sleep(RETRY_EVERY).await;
            }
            Err(e) if e.kind() == ErrorKind::SerializationFailure => return Err(busy(timeout).with_source(e)),
            Err(e) => return Err(e),
        }
    }
}

/// MySQL's `GET_LOCK`, held by one connection until released.
pub(crate) struct SessionLock {
    conn: Arc<Connection>,
    released: bool,
}

impl SessionLock {
    async fn take(db: &Db, timeout: Duration) -> Result<SessionLock> {
        let conn = Arc::new(db.acquire().await?);
        let sql = format!("SELECT GET_LOCK({MYSQL_LOCK_NAME}, ?)");
        let seconds = i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX);
        let got: Vec<Option<i64>> = conn.fetch_raw(&sql, vec![Value::I64(seconds)]).await?;
        match got.first() {
            Some(Some(1)) => Ok(SessionLock { conn, released: false }),
            _ => Err(busy(timeout)),
        }
    }

    /// The connection holding the lock.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Releases the lock.
    pub(crate) async fn release(mut self) -> Result<()> {
        self.released = true;
        release(&self.conn).await
    }
}

async fn release(conn: &Connection) -> Result<()> {
    conn.fetch_raw::<Option<i64>>(&format!("SELECT RELEASE_LOCK({MYSQL_LOCK_NAME})"), vec![]).await.map(drop)
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        if self.released {
            return;
        }
        // Cancelled or failed midway: release before the connection returns to the pool.
        let conn = Arc::clone(&self.conn);
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                if let Err(e) = release(&conn).await {
                    tracing::warn!(target: "kakaorm::migrate", error = %e, "could not release the migration lock");
                }
            });
        }
    }
}
