//! One connection held out of the pool.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use kakaorm_core::validate::{Locale, locale};
use kakaorm_core::{Dialect, Error, ErrorKind, Result};
use tokio::sync::Mutex;

use super::{TransactionOptions, Tx};
use crate::driver::PooledConn;
use crate::driver::state::TxState;
use crate::executor::{ConnGuard, Executor, sealed};

/// One connection held out of the pool until dropped; operations on `&conn` all run on it.
///
/// An operation cancelled midway that had opened a transaction of its own (a multi-statement
/// `bulk_create`) leaves nothing behind: the next operation rolls it back first.
///
/// [`Connection::begin`] starts a transaction on it: the transaction has the connection
/// until it ends, and then gives it back.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// use kakaorm::Executor;
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// let conn = db.acquire().await?;
/// conn.execute_raw("CREATE TABLE t (x INTEGER)", vec![]).await?;
/// let tx = conn.begin().await?;
/// tx.execute_raw("INSERT INTO t VALUES (1)", vec![]).await?;
/// assert!(conn.execute_raw("DELETE FROM t", vec![]).await.is_err(), "the transaction has it");
/// tx.commit().await?;
/// assert_eq!(conn.execute_raw("DELETE FROM t", vec![]).await?, 1);
/// # Ok(()) }
/// ```
pub struct Connection {
    conn: Arc<Mutex<Option<PooledConn>>>,
    dialect: &'static dyn Dialect,
    /// The validation locale of the `Db` it came from (`None`: the program's).
    locale: Option<Locale>,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection").field("backend", &self.dialect.backend()).finish()
    }
}

impl Connection {
    pub(crate) fn new(conn: PooledConn, dialect: &'static dyn Dialect, locale: Option<Locale>) -> Self {
        Connection { conn: Arc::new(Mutex::new(Some(conn))), dialect, locale }
    }

    /// Starts a transaction on this connection. Until it ends, operations on the
    /// connection itself fail; then the connection is used again.
    ///
    /// # Errors
    /// [`InvalidInput`](ErrorKind::InvalidInput) when a transaction begun on the connection
    /// has not ended; the database's error for `BEGIN`.
    pub async fn begin(&self) -> Result<Tx> {
        self.begin_with(&TransactionOptions::default()).await
    }

    /// Starts a transaction with `opts` (isolation level, read-only) on this connection.
    ///
    /// # Errors
    /// As [`begin`](Connection::begin); [`Unsupported`](ErrorKind::Unsupported) for an
    /// option the backend lacks.
    pub async fn begin_with(&self, opts: &TransactionOptions) -> Result<Tx> {
        let conn = {
            let mut slot = self.conn.lock().await;
            if let Some(conn) = slot.as_mut() {
                conn.reset().await?;
            }
            slot.take().ok_or_else(lent)?
        };
        Tx::open_with(conn, self.dialect, self.locale, opts, Some(Arc::clone(&self.conn))).await
    }

    /// Runs `work` in a transaction on this connection, as
    /// [`Db::transaction_with`](crate::Db::transaction_with) does.
    ///
    /// # Errors
    /// As [`Db::transaction_with`](crate::Db::transaction_with).
    pub async fn transaction_with<T, F, Fut>(&self, opts: TransactionOptions, work: F) -> Result<T>
    where
        F: FnMut(Arc<Tx>) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        super::retry::run(super::retry::Source::Held(self), &opts, work).await
    }
}

/// The error for a use of a connection whose transaction has not ended.
fn lent() -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        "the connection is in a transaction begun on it: use the transaction until it commits or rolls back",
    )
}

impl Drop for Connection {
    fn drop(&mut self) {
        let slot = Arc::get_mut(&mut self.conn).map(|m| m.get_mut().take());
        if let Some(Some(conn)) = slot
            && conn.tx_state() != TxState::Idle
        {
            conn.abandon_transaction();
        }
    }
}

impl Executor for Connection {}

impl sealed::Sealed for Connection {
    fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }

    fn validation_locale(&self) -> Locale {
        self.locale.unwrap_or_else(locale)
    }

    async fn acquire(&self) -> Result<ConnGuard<'_>> {
        let mut guard = self.conn.lock().await;
        match guard.as_mut() {
            Some(conn) => conn.reset().await?,
            None => return Err(lent()),
        }
        Ok(ConnGuard::Held(guard))
    }
}
