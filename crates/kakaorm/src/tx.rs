//! Transactions and held connections.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

use kakaorm_core::{Dialect, Error, ErrorKind, Result};
use tokio::sync::Mutex;

use crate::driver::PooledConn;
use crate::executor::{ConnGuard, Executor, sealed};
use crate::savepoint::{self, Savepoint};

/// A database transaction. Pass `&tx` wherever an executor is expected.
///
/// It commits only through [`Tx::commit`]. Dropping it, or calling [`Tx::rollback`], rolls
/// back; a dropped transaction is rolled back before its connection is reused.
/// [`Tx::begin`] nests a [`Savepoint`] inside it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// use kakaorm::Executor;
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// db.execute_raw("CREATE TABLE t (x INTEGER)", vec![]).await?;
/// let tx = db.begin().await?;
/// tx.execute_raw("INSERT INTO t VALUES (1)", vec![]).await?;
/// drop(tx); // rolled back
/// let tx = db.begin().await?;
/// assert_eq!(tx.execute_raw("DELETE FROM t", vec![]).await?, 0);
/// tx.commit().await?;
/// # Ok(()) }
/// ```
pub struct Tx {
    conn: Mutex<Option<PooledConn>>,
    dialect: &'static dyn Dialect,
    /// The outermost savepoint dropped without commit or rollback ([`savepoint::NONE`]
    /// when there is none): the next use of the transaction rolls back to it first.
    pub(crate) undo_to: AtomicU32,
}

impl fmt::Debug for Tx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx").field("backend", &self.dialect.backend()).finish()
    }
}

impl Tx {
    pub(crate) async fn open(mut conn: PooledConn, dialect: &'static dyn Dialect) -> Result<Tx> {
        conn.batch(dialect.begin_sql()).await?;
        conn.set_in_transaction(true);
        Ok(Tx { conn: Mutex::new(Some(conn)), dialect, undo_to: AtomicU32::new(savepoint::NONE) })
    }

    /// Starts a savepoint: a transaction nested in this one, which commits into it or rolls
    /// back alone. Savepoints nest further with [`Savepoint::begin`].
    ///
    /// # Errors
    /// The database's error for `SAVEPOINT`, typically a lost connection.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// use kakaorm::Executor;
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.execute_raw("CREATE TABLE t (x INTEGER UNIQUE)", vec![]).await?;
    /// let tx = db.begin().await?;
    /// tx.execute_raw("INSERT INTO t VALUES (1)", vec![]).await?;
    /// let sp = tx.begin().await?;
    /// assert!(sp.execute_raw("INSERT INTO t VALUES (1)", vec![]).await.is_err());
    /// sp.rollback().await?; // the transaction goes on without it
    /// tx.execute_raw("INSERT INTO t VALUES (2)", vec![]).await?;
    /// tx.commit().await?;
    /// # Ok(()) }
    /// ```
    pub async fn begin(&self) -> Result<Savepoint<'_>> {
        Savepoint::open(self, 1).await
    }

    /// The held connection, after rolling back to a savepoint that was dropped unfinished.
    pub(crate) async fn held(&self) -> Result<tokio::sync::MutexGuard<'_, Option<PooledConn>>> {
        let mut guard = self.conn.lock().await;
        let depth = self.undo_to.load(Ordering::Acquire);
        if depth != savepoint::NONE
            && let Some(conn) = guard.as_mut()
        {
            // Rolling back to a savepoint is repeatable, so a cancelled attempt is retried.
            conn.batch(&savepoint::rollback_sql(depth)).await?;
            let _ = self.undo_to.compare_exchange(depth, savepoint::NONE, Ordering::AcqRel, Ordering::Acquire);
        }
        Ok(guard)
    }

    async fn finish(self, commit: bool) -> Result<()> {
        // A commit first undoes savepoints dropped unfinished; a rollback undoes everything.
        let (conn, sql) = match commit {
            true => (self.held().await?.take(), "COMMIT"),
            false => (self.conn.lock().await.take(), "ROLLBACK"),
        };
        let mut conn = conn.ok_or_else(|| Error::new(ErrorKind::Connection, "the transaction has already finished"))?;
        match conn.batch(sql).await {
            Ok(()) => {
                conn.set_in_transaction(false);
                Ok(())
            }
            Err(e) => {
                conn.abandon_transaction();
                Err(e)
            }
        }
    }

    /// Commits (without the work of savepoints dropped unfinished).
    ///
    /// # Errors
    /// The database's error for COMMIT (for example a serialization failure); the
    /// transaction is then rolled back.
    pub async fn commit(self) -> Result<()> {
        self.finish(true).await
    }

    /// Rolls back.
    ///
    /// # Errors
    /// The database's error for ROLLBACK, typically a lost connection.
    pub async fn rollback(self) -> Result<()> {
        self.finish(false).await
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.get_mut().take() {
            tracing::debug!(target: "kakaorm::tx", "transaction dropped without commit; rolling back");
            conn.abandon_transaction();
        }
    }
}

impl sealed::Sealed for Tx {}

impl Executor for Tx {
    fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }

    async fn acquire(&self) -> Result<ConnGuard<'_>> {
        Ok(ConnGuard::Held(self.held().await?))
    }
}

/// One connection held out of the pool until dropped; operations on `&conn` all run on it.
pub struct Connection {
    conn: Mutex<Option<PooledConn>>,
    dialect: &'static dyn Dialect,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection").field("backend", &self.dialect.backend()).finish()
    }
}

impl Connection {
    pub(crate) fn new(conn: PooledConn, dialect: &'static dyn Dialect) -> Self {
        Connection { conn: Mutex::new(Some(conn)), dialect }
    }
}

impl sealed::Sealed for Connection {}

impl Executor for Connection {
    fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }

    async fn acquire(&self) -> Result<ConnGuard<'_>> {
        Ok(ConnGuard::Held(self.conn.lock().await))
    }
}
