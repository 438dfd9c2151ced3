//! Work of several statements that must apply in full or not at all, on one connection:
//! in a transaction of its own, or in a savepoint of the caller's transaction.

use kakaorm_core::{Dialect, Error, Result};

use crate::driver::PooledConn;
use crate::driver::state::TxState;

/// The savepoint opened inside the caller's transaction.
const SAVEPOINT: &str = "kakaorm_atomic";

/// Runs `work` so that it applies in full or not at all. Outside a transaction it opens
/// one (a cancelled call leaves it open, and the connection is rolled back before reuse);
/// inside the caller's transaction it runs in a savepoint, and a call cancelled before the
/// savepoint ends marks that transaction unable to commit (`what` names the operation in
/// the error).
pub(crate) async fn all_or_nothing<T>(
    conn: &mut PooledConn,
    d: &'static dyn Dialect,
    what: &'static str,
    work: impl AsyncFnOnce(&mut PooledConn) -> Result<T>,
) -> Result<T> {
    match conn.tx_state() {
        TxState::Idle => {
            conn.begin(d.begin_sql()).await?;
            match work(conn).await {
                Ok(v) => conn.commit().await.map(|()| v),
                Err(e) => {
                    // Should the rollback fail too, the connection is rolled back before reuse.
                    let _ = conn.rollback().await;
                    Err(e)
                }
            }
        }
        _ => in_savepoint(conn, what, work).await,
    }
}

/// Runs `work` so that its failure leaves the caller's transaction usable (a unique
/// violation caught on PostgreSQL, say): directly outside a transaction, in a savepoint
/// inside one.
pub(crate) async fn contained<T>(
    conn: &mut PooledConn,
    what: &'static str,
    work: impl AsyncFnOnce(&mut PooledConn) -> Result<T>,
) -> Result<T> {
    match conn.tx_state() {
        TxState::Idle => work(conn).await,
        _ => in_savepoint(conn, what, work).await,
    }
}

/// Runs `work` in a savepoint of the open transaction; a call cancelled before the
/// savepoint ends marks that transaction unable to commit.
async fn in_savepoint<T>(
    conn: &mut PooledConn,
    what: &'static str,
    work: impl AsyncFnOnce(&mut PooledConn) -> Result<T>,
) -> Result<T> {
    let mut scope = Unfinished { conn, what, finished: false };
    scope.conn.savepoint(SAVEPOINT).await?;
    let outcome = work(scope.conn).await;
    match &outcome {
        Ok(_) => scope.conn.release(SAVEPOINT).await?,
        // A rollback the server refuses (it already ended the transaction) leaves
        // the transaction marked; the caller gets the error that caused it.
        Err(_) => scope.conn.rollback_to(SAVEPOINT).await.or(Ok::<(), Error>(()))?,
    }
    scope.finished = outcome.is_ok() || scope.conn.tx_state() == TxState::Open;
    outcome
}

/// Marks the caller's transaction unable to commit when dropped before `finished`.
struct Unfinished<'c> {
    conn: &'c mut PooledConn,
    what: &'static str,
    finished: bool,
}

impl Drop for Unfinished<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.conn.poison(self.what);
        }
    }
}

/// Opens a scope for work whose steps run through several borrows of the connection (a
/// write with hooks): a transaction of its own when the connection is idle (returns
/// `false`), else a savepoint in the caller's transaction (returns `true`).
pub(crate) async fn open(conn: &mut PooledConn, d: &'static dyn Dialect) -> Result<bool> {
    if conn.tx_state() == TxState::Idle {
        conn.begin(d.begin_sql()).await?;
        Ok(false)
    } else {
        conn.savepoint(SAVEPOINT).await?;
        Ok(true)
    }
}

/// Closes the scope [`open`] opened: commits or releases when `ok`, else rolls back.
/// Returns whether the caller's transaction can go on.
pub(crate) async fn close(conn: &mut PooledConn, nested: bool, ok: bool) -> Result<bool> {
    match (nested, ok) {
        (false, true) => conn.commit().await.map(|()| true),
        (false, false) => {
            // Should the rollback fail too, the connection is rolled back before reuse.
            let _ = conn.rollback().await;
            Ok(true)
        }
        (true, true) => conn.release(SAVEPOINT).await.map(|()| true),
        (true, false) => {
            // A rollback the server refuses leaves the transaction marked.
            let _ = conn.rollback_to(SAVEPOINT).await;
            Ok(conn.tx_state() == TxState::Open)
        }
    }
}
