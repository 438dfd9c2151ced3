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
//! Dropped midway (a cancelled run), the hold rolls back the open transaction and
//! releases the lock in a task before its connection returns to the pool.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kakaorm::{Backend, Connection, Db, Dialect, Error, ErrorKind, Executor, Result, execute_ddl};

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
    in_tx: bool,
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
        let mut hold = Hold { conn, dialect: db.dialect(), timeout, locked: false, in_tx: false };
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

    /// The held connection.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Whether a migration runs in a transaction of its own (DDL is transactional).
    pub(crate) fn transactional(&self) -> bool {
        self.dialect.transactional_ddl()
    }

    /// Opens a migration's transaction where DDL is transactional. On SQLite it takes the
    /// write lock, waiting for other writers until the lock timeout.
    pub(crate) async fn begin(&mut self) -> Result<()> {
        if !self.transactional() {
            return Ok(());
        }
        let start = Instant::now();
        loop {
            self.in_tx = true;
            match execute_ddl(self.dialect.begin_sql(), &*self.conn).await {
                Ok(()) => return Ok(()),
                Err(e) => {
                    self.in_tx = false;
                    if e.kind() != ErrorKind::SerializationFailure {
                        return Err(e);
                    }
                    if start.elapsed() >= self.timeout {
                        return Err(busy(self.timeout).with_source(e));
                    }
                }
            }
            tokio::time::sleep(RETRY_EVERY).await;
        }
    }

    /// Commits (`commit`) or rolls back the open transaction, if any.
    pub(crate) async fn end(&mut self, commit: bool) -> Result<()> {
        if !self.in_tx {
            return Ok(());
        }
        let outcome = execute_ddl(if commit { "COMMIT" } else { "ROLLBACK" }, &*self.conn).await;
        if outcome.is_ok() || !commit {
            self.in_tx = false;
        }
        outcome
    }

    /// Rolls back what is open and releases the lock.
    pub(crate) async fn release(mut self) -> Result<()> {
        let (in_tx, locked) = (std::mem::take(&mut self.in_tx), std::mem::take(&mut self.locked));
        cleanup(&self.conn, self.dialect.backend(), in_tx, locked).await
    }
}

/// Rolls back (`in_tx`) and releases the session lock (`locked`) on `conn`.
async fn cleanup(conn: &Connection, backend: Backend, in_tx: bool, locked: bool) -> Result<()> {
    let rolled_back = match in_tx {
        true => execute_ddl("ROLLBACK", conn).await,
        false => Ok(()),
    };
    let released = match (locked, lock_sql(backend)) {
        (true, Some((_, release))) => conn.fetch_raw::<Option<i64>>(release, vec![]).await.map(drop),
        _ => Ok(()),
    };
    rolled_back.and(released)
}

impl Drop for Hold {
    fn drop(&mut self) {
        if !self.in_tx && !self.locked {
            return;
        }
        // Dropped midway: undo before the connection returns to the pool.
        let (conn, backend, in_tx, locked) = (Arc::clone(&self.conn), self.dialect.backend(), self.in_tx, self.locked);
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                if let Err(e) = cleanup(&conn, backend, in_tx, locked).await {
                    tracing::warn!(target: "kakaorm::migrate", error = %e, "could not release the migration lock");
                }
            });
        }
    }
}
