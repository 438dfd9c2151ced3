//! Transactions, the savepoints nested in them, and held connections.

mod connection;
mod options;
pub(crate) mod retry;
mod savepoint;

pub use connection::Connection;
pub use options::TransactionOptions;
pub use savepoint::Savepoint;

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use kakaorm_core::validate::{Locale, locale};
use kakaorm_core::{Dialect, Result};
use tokio::sync::{Mutex, MutexGuard};

use crate::driver::PooledConn;
use crate::driver::state::lost;
use crate::executor::{ConnGuard, Executor, sealed};

/// A database transaction. Pass `&tx` wherever an executor is expected.
///
/// It commits only through [`Tx::commit`]. Dropping it, or calling [`Tx::rollback`], rolls
/// back, and so does cancelling any of its futures (`begin`, `commit`): a connection is
/// never handed out again with a transaction open. [`Tx::begin`] nests a [`Savepoint`]
/// inside it.
///
/// After a statement inside it fails in a way that ends the transaction on the server (a
/// deadlock on MySQL, any failed statement on PostgreSQL until a savepoint is rolled back),
/// every later statement and `commit` fail with
/// [`TransactionAborted`](crate::ErrorKind::TransactionAborted): `Ok` from `commit` always
/// means stored.
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
    /// The validation locale of the `Db` it came from (`None`: the program's).
    locale: Option<Locale>,
    /// The outermost savepoint dropped without commit or rollback ([`savepoint::NONE`]
    /// when there is none): the next use of the transaction rolls back to it first.
    undo_to: AtomicU32,
    /// The held [`Connection`] the connection goes back to when the transaction ends
    /// (`None`: back to the pool).
    home: Option<Arc<Mutex<Option<PooledConn>>>>,
}

impl fmt::Debug for Tx {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx").field("backend", &self.dialect.backend()).finish()
    }
}

impl Tx {
    /// Begins a transaction on `conn`. The connection belongs to the transaction before
    /// BEGIN is sent, so a cancelled `open` rolls back like a dropped transaction.
    pub(crate) async fn open(conn: PooledConn, dialect: &'static dyn Dialect, locale: Option<Locale>) -> Result<Tx> {
        Tx::open_with(conn, dialect, locale, &TransactionOptions::default(), None).await
    }

    /// Begins a transaction with `opts` on `conn`, which goes back to `home` (a held
    /// connection's slot) when the transaction ends, or to the pool; its writes validate
    /// in `locale` (`None`: the program's).
    pub(crate) async fn open_with(
        conn: PooledConn,
        dialect: &'static dyn Dialect,
        locale: Option<Locale>,
        opts: &TransactionOptions,
        home: Option<Arc<Mutex<Option<PooledConn>>>>,
    ) -> Result<Tx> {
        let statements = opts.begin_statements(dialect);
        let mut tx = Tx::lend(conn, dialect, locale);
        tx.home = home;
        let statements = statements?;
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        tx.conn.lock().await.as_mut().ok_or_else(lost)?.begin_with(&statements).await?;
        Ok(tx)
    }

    /// A transaction over a connection lent by a write with hooks, which began (or holds)
    /// the transaction itself and takes the connection back with [`Tx::reclaim`].
    pub(crate) fn lend(conn: PooledConn, dialect: &'static dyn Dialect, locale: Option<Locale>) -> Tx {
        Tx { conn: Mutex::new(Some(conn)), dialect, locale, undo_to: AtomicU32::new(savepoint::NONE), home: None }
    }

    /// Takes back the connection of [`Tx::lend`].
    pub(crate) fn reclaim(&mut self) -> Option<PooledConn> {
        self.conn.get_mut().take()
    }

    /// Starts a savepoint: a transaction nested in this one, which commits into it or rolls
    /// back alone. Savepoints nest further with [`Savepoint::begin`]. The savepoint borrows
    /// the transaction, so it is used through `&sp` until it finishes, and a second one
    /// cannot begin beside it.
    ///
    /// # Errors
    /// The database's error for `SAVEPOINT`, typically a lost connection.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// use kakaorm::Executor;
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.execute_raw("CREATE TABLE t (x INTEGER UNIQUE)", vec![]).await?;
    /// let mut tx = db.begin().await?;
    /// tx.execute_raw("INSERT INTO t VALUES (1)", vec![]).await?;
    /// let sp = tx.begin().await?;
    /// assert!(sp.execute_raw("INSERT INTO t VALUES (1)", vec![]).await.is_err());
    /// sp.rollback().await?; // the transaction goes on without it
    /// tx.execute_raw("INSERT INTO t VALUES (2)", vec![]).await?;
    /// tx.commit().await?;
    /// # Ok(()) }
    /// ```
    pub async fn begin(&mut self) -> Result<Savepoint<'_>> {
        Savepoint::open(self, 1).await
    }

    /// The held connection, after rolling back to a savepoint that was dropped unfinished.
    pub(crate) async fn held(&self) -> Result<MutexGuard<'_, Option<PooledConn>>> {
        let mut guard = self.conn.lock().await;
        let depth = self.undo_to.load(Ordering::Acquire);
        if depth != savepoint::NONE {
            // Rolling back to a savepoint is repeatable, so a cancelled attempt is retried.
            guard.as_mut().ok_or_else(lost)?.rollback_to(&savepoint::name(depth)).await?;
            let _ = self.undo_to.compare_exchange(depth, savepoint::NONE, Ordering::AcqRel, Ordering::Acquire);
        }
        Ok(guard)
    }

    /// Records that the savepoint at `depth` was dropped unfinished.
    pub(crate) fn undo_later(&self, depth: u32) {
        // The outermost unfinished savepoint wins: rolling back to it undoes the others.
        self.undo_to.fetch_min(depth, Ordering::AcqRel);
    }

    /// Commits or rolls back. The connection stays in the transaction until that is done,
    /// so a cancelled `finish` rolls back as a drop does (harmless after a COMMIT that
    /// completed). Once finished, the transaction has no connection: any later use fails.
    pub(crate) async fn finish(&self, commit: bool) -> Result<()> {
        let mut guard = match commit {
            // A commit first undoes savepoints dropped unfinished.
            true => self.held().await?,
            false => self.conn.lock().await,
        };
        let conn = guard.as_mut().ok_or_else(lost)?;
        match commit {
            true => conn.commit().await?,
            false => conn.rollback().await?,
        }
        // Done: the connection goes back as it is.
        if let Some(conn) = guard.take() {
            self.send_home(conn);
        }
        Ok(())
    }

    /// Commits (without the work of savepoints dropped unfinished).
    ///
    /// # Errors
    /// [`TransactionAborted`](crate::ErrorKind::TransactionAborted) when the transaction can
    /// no longer commit, and the database's error for COMMIT (for example a serialization
    /// failure): the transaction is then rolled back and nothing is stored. A
    /// [`Connection`](crate::ErrorKind::Connection) or [`Timeout`](crate::ErrorKind::Timeout)
    /// error while COMMIT was under way is the one ambiguous case: its message says the
    /// outcome is unknown, and the transaction may or may not be stored.
    pub async fn commit(self) -> Result<()> {
        self.finish(true).await
    }

    /// Rolls back.
    ///
    /// # Errors
    /// The database's error for ROLLBACK, typically a lost connection (which also ends the
    /// transaction on the server).
    pub async fn rollback(self) -> Result<()> {
        self.finish(false).await
    }
}

impl Tx {
    /// Returns the connection to the held [`Connection`] it came from (whose next use
    /// rolls back a transaction left open), or to the pool, rolled back first if needed.
    fn send_home(&self, conn: PooledConn) {
        // The held connection's slot is free while the transaction has its connection; a
        // slot that is busy or gone sends the connection to the pool instead.
        let slot = self.home.as_ref().filter(|h| Arc::strong_count(h) > 1).and_then(|h| h.try_lock().ok());
        match slot {
            Some(mut slot) if slot.is_none() => *slot = Some(conn),
            _ if conn.tx_state() != crate::driver::state::TxState::Idle => conn.abandon_transaction(),
            _ => {}
        }
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.get_mut().take() {
            tracing::debug!(target: "kakaorm::tx", "transaction dropped without commit; rolling back");
            self.send_home(conn);
        }
    }
}

impl Executor for Tx {}

impl sealed::Sealed for Tx {
    fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }

    fn validation_locale(&self) -> Locale {
        self.locale.unwrap_or_else(locale)
    }

    async fn acquire(&self) -> Result<ConnGuard<'_>> {
        Ok(ConnGuard::Held(self.held().await?))
    }
}
