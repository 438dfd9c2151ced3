//! Savepoints: transactions nested in a [`Tx`].

use std::fmt;

use kakaorm_core::validate::Locale;
use kakaorm_core::{Dialect, Result};

use super::Tx;
use crate::driver::state::lost;
use crate::executor::{ConnGuard, Executor, sealed};

/// No savepoint awaits a rollback.
pub(super) const NONE: u32 = u32::MAX;

/// The name of the savepoint at `depth` (1 for one begun on the transaction itself). Names
/// are fixed by depth, so none is ever built from input; a savepoint borrows its parent
/// mutably, so two live savepoints never share a depth.
pub(super) fn name(depth: u32) -> String {
    format!("kakaorm_sp_{depth}")
}

/// A savepoint: a transaction nested in a [`Tx`] (or in another savepoint), begun with
/// [`Tx::begin`] or [`Savepoint::begin`]. Pass `&sp` wherever an executor is expected; its
/// statements run in the enclosing transaction.
///
/// [`commit`](Savepoint::commit) keeps its work in the enclosing transaction (which still
/// decides whether it is stored); [`rollback`](Savepoint::rollback) undoes only that work,
/// and the transaction goes on, even after a failed statement (on PostgreSQL, the way to
/// recover from one inside a transaction). Dropping a savepoint without either rolls it
/// back before the transaction's next statement.
///
/// Once `commit` is called its work stays in the transaction, even if the call is
/// cancelled before the server confirms it; a cancelled `rollback` is finished before the
/// transaction's next statement.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// use kakaorm::Executor;
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// db.execute_raw("CREATE TABLE t (x INTEGER)", vec![]).await?;
/// let mut tx = db.begin().await?;
/// let mut outer = tx.begin().await?;
/// outer.execute_raw("INSERT INTO t VALUES (1)", vec![]).await?;
/// let inner = outer.begin().await?;
/// inner.execute_raw("INSERT INTO t VALUES (2)", vec![]).await?;
/// drop(inner); // rolled back
/// outer.commit().await?;
/// tx.commit().await?;
/// assert_eq!(db.execute_raw("DELETE FROM t", vec![]).await?, 1);
/// # Ok(()) }
/// ```
pub struct Savepoint<'t> {
    tx: &'t Tx,
    depth: u32,
    finished: bool,
}

impl fmt::Debug for Savepoint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Savepoint").field("depth", &self.depth).field("finished", &self.finished).finish()
    }
}

impl<'t> Savepoint<'t> {
    pub(super) async fn open(tx: &'t Tx, depth: u32) -> Result<Savepoint<'t>> {
        let mut guard = tx.held().await?;
        guard.as_mut().ok_or_else(lost)?.savepoint(&name(depth)).await?;
        Ok(Savepoint { tx, depth, finished: false })
    }

    /// Starts a savepoint nested in this one; this one is used again once it finishes.
    ///
    /// # Errors
    /// The database's error for `SAVEPOINT`, typically a lost connection.
    pub async fn begin(&mut self) -> Result<Savepoint<'_>> {
        Savepoint::open(self.tx, self.depth + 1).await
    }

    /// Keeps this savepoint's work in the enclosing transaction (`RELEASE SAVEPOINT`),
    /// without the work of savepoints nested in it that were dropped unfinished.
    ///
    /// # Errors
    /// The database's error for `RELEASE SAVEPOINT`, or
    /// [`TransactionAborted`](crate::ErrorKind::TransactionAborted) when the transaction
    /// can no longer commit; the savepoint is then rolled back.
    pub async fn commit(mut self) -> Result<()> {
        let mut guard = self.tx.held().await?;
        let conn = guard.as_mut().ok_or_else(lost)?;
        // Kept from here on: whether or not RELEASE completes, the work is in the
        // transaction (a savepoint left defined is harmless).
        self.finished = true;
        if let Err(e) = conn.release(&name(self.depth)).await {
            self.finished = false;
            return Err(e);
        }
        Ok(())
    }

    /// Undoes this savepoint's work; the enclosing transaction goes on.
    ///
    /// # Errors
    /// The database's error for `ROLLBACK TO SAVEPOINT`, typically a lost connection; the
    /// rollback is then retried before the transaction's next statement.
    pub async fn rollback(mut self) -> Result<()> {
        let mut guard = self.tx.held().await?;
        guard.as_mut().ok_or_else(lost)?.rollback_to(&name(self.depth)).await?;
        self.finished = true;
        Ok(())
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if !self.finished {
            tracing::debug!(target: "kakaorm::tx", depth = self.depth, "savepoint dropped unfinished; rolling it back");
            self.tx.undo_later(self.depth);
        }
    }
}

impl Executor for Savepoint<'_> {}

impl sealed::Sealed for Savepoint<'_> {
    fn dialect(&self) -> &'static dyn Dialect {
        self.tx.dialect()
    }

    fn validation_locale(&self) -> Locale {
        self.tx.validation_locale()
    }

    async fn acquire(&self) -> Result<ConnGuard<'_>> {
        self.tx.acquire().await
    }
}
