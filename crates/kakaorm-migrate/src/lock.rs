//! The runner's hold on a database: one dedicated connection for the whole run, a lock so
//! that concurrent runners apply each migration once, and the transaction of each
//! migration on that connection.
//!
//! - PostgreSQL: a session advisory lock keyed on the current schema
//!   (`pg_try_advisory_lock`, polled until the lock timeout), held for the run.
//! - MySQL/MariaDB: `GET_LOCK` under a name derived from the current database, polled the
//!   same way and held for the run.
//! - SQLite has no session lock: each migration's transaction is a write transaction
//!   (`BEGIN IMMEDIATE`, retried while another writer holds the database), inside which
//!   the runner checks the history again before applying. A run cannot hold one write
//!   transaction throughout, since a table rebuild must switch foreign keys off between
//!   transactions.
//!
//! Each migration's transaction is a [`Tx`] begun on the held connection
//! ([`Connection::begin`]), so a failure or a cancellation rolls it back as it does any
//! other transaction, and the connection (with the lock) comes back to the hold when it
//! ends. Dropped midway (a cancelled run), the hold drops the open transaction (rolled
//! back) and releases the lock in a task before its connection returns to the pool.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kakaorm::{Backend, Connection, Db, Dialect, Error, ErrorKind, Executor, Result, Tx};

/// How long to wait before trying a busy lock again.
const RETRY_EVERY: Duration = Duration::from_millis(50);

/// The statements that take (without waiting; `1` when taken) and release a backend's
/// session lock.
fn lock_sql(backend: Backend) -> Option<(&'static str, &'static str)> {
    match backend {
        Backend::Postgres => Some((
            "SELECT pg_try_advisory_lock(hashtextextended('kakaorm_migrations:' || COALESCE(current_schema(), ''), 0))::int::int8",
            "SELECT pg_advisory_unlock(hashtextextended('kakaorm_migrations:' || COALESCE(current_schema(), ''), 0))::int::int8",
        )),
        Backend::Mysql => Some((
            "SELECT GET_LOCK(CONCAT('kakaorm_migrations:', MD5(COALESCE(DATABASE(), ''))), 0)",
            "SELECT RELEASE_LOCK(CONCAT('kakaorm_migrations:', MD5(COALESCE(DATABASE(), ''))))",
        )),
        _ => None,
    }
}

fn busy(timeout: Duration) -> Error {
    Error::new(ErrorKind::Migration, format!("another migration runner held the lock for more than {timeout:?}"))
}

/// One run's connection, lock and open transaction.
pub(crate) struct Hold {
    conn: Arc<Connection>,
    dialect: &'static dyn Dialect,
    timeout: Duration,
    locked: bool,
    tx: Option<Tx>,
}

impl Hold {
    /// Checks a connection out of `db` and takes the lock on it, waiting at most `timeout`
    /// for a concurrent runner.
    ///
    /// # Errors
    /// [`Migration`](ErrorKind::Migration) when another runner holds the lock past
    /// `timeout`; any database error.
    pub(crate) async fn acquire(db: &Db, timeout: Duration) -> Result<Hold> {
        let conn = Arc::new(db.acquire().await?);
        let mut hold = Hold { conn, dialect: db.dialect(), timeout, locked: false, tx: None };
        if let Some((take, _)) = lock_sql(db.backend()) {
            let start = Instant::now();
            loop {
                let got: Vec<Option<i64>> = hold.conn.fetch_raw(take, vec![]).await?;
                if got.first() == Some(&Some(1)) {
                    hold.locked = true;
                    break;
                }
                if start.elapsed() >= timeout {
                    return Err(busy(timeout));
                }
                tokio::time::sleep(RETRY_EVERY).await;
            }
        }
        Ok(hold)
    }

    /// The held connection, for what runs outside a migration's transaction.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The open transaction, if a migration's transaction is open.
    pub(crate) fn tx(&self) -> Option<&Tx> {
        self.tx.as_ref()
    }

    /// Opens a migration's transaction ([`Connection::begin`]) where DDL is transactional.
    /// On SQLite it takes the write lock (`BEGIN IMMEDIATE`), waiting for other writers
    /// until the lock timeout.
    pub(crate) async fn begin(&mut self) -> Result<()> {
        if !self.dialect.transactional_ddl() {
            return Ok(());
        }
        let start = Instant::now();
        loop {
            match self.conn.begin().await {
                Ok(tx) => {
                    self.tx = Some(tx);
                    return Ok(());
                }
                Err(e) if e.kind() != ErrorKind::SerializationFailure => return Err(e),
                Err(e) if start.elapsed() >= self.timeout => return Err(busy(self.timeout).with_source(e)),
                Err(_) => tokio::time::sleep(RETRY_EVERY).await,
            }
        }
    }

    /// Commits (`commit`) or rolls back the open transaction, if any.
    pub(crate) async fn end(&mut self, commit: bool) -> Result<()> {
        match (self.tx.take(), commit) {
            (None, _) => Ok(()),
            (Some(tx), true) => tx.commit().await,
            (Some(tx), false) => tx.rollback().await,
        }
    }

    /// Rolls back what is open and releases the lock.
    pub(crate) async fn release(mut self) -> Result<()> {
        let rolled_back = self.end(false).await;
        let locked = std::mem::take(&mut self.locked);
        let released = unlock(&self.conn, self.dialect.backend(), locked).await;
        rolled_back.and(released)
    }
}

/// Releases the session lock (`locked`) on `conn`.
async fn unlock(conn: &Connection, backend: Backend, locked: bool) -> Result<()> {
    match (locked, lock_sql(backend)) {
        (true, Some((_, release))) => conn.fetch_raw::<Option<i64>>(release, vec![]).await.map(drop),
        _ => Ok(()),
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        // Dropped midway: the transaction rolls back and its connection comes home first,
        // then the lock is released before the connection returns to the pool.
        drop(self.tx.take());
        if !self.locked {
            return;
        }
        let (conn, backend) = (Arc::clone(&self.conn), self.dialect.backend());
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                if let Err(e) = unlock(&conn, backend, true).await {
                    tracing::warn!(target: "kakaorm::migrate", error = %e, "could not release the migration lock");
                }
            });
        }
    }
}
