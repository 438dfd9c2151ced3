//! The scoped transaction: commit on `Ok`, roll back on `Err` or panic, and run the
//! closure again after a serialization failure or a deadlock.

use std::future::Future;
use std::sync::Arc;

use kakaorm_core::Result;

use super::{Connection, TransactionOptions, Tx};
use crate::Db;

/// Where each attempt's transaction begins. (An enum rather than a closure: the future
/// of an async closure borrowing the pool would not be provably `Send`.)
pub(crate) enum Source<'a> {
    /// A connection from the pool.
    Pool(&'a Db),
    /// A held connection.
    Held(&'a Connection),
}

impl Source<'_> {
    async fn begin(&self, opts: &TransactionOptions) -> Result<Tx> {
        match self {
            Source::Pool(db) => db.begin_with(opts).await,
            Source::Held(conn) => conn.begin_with(opts).await,
        }
    }
}

/// Runs `work` in transactions opened on `source` until one commits, an error that a retry
/// cannot cure occurs, or `opts.max_attempts` are used up (the last error is returned).
///
/// `work` gets the transaction as an `Arc` it owns, so its future borrows nothing and is
/// `Send` whenever what it captures is (a closure over `&Tx` would not be, inside
/// `tokio::spawn`).
pub(crate) async fn run<T, F, Fut>(source: Source<'_>, opts: &TransactionOptions, mut work: F) -> Result<T>
where
    F: FnMut(Arc<Tx>) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut attempt = 1;
    loop {
        match once(source.begin(opts).await, &mut work).await {
            Err(e) if e.kind().is_retryable() && attempt < opts.max_attempts => {
                let pause = opts.pause(attempt);
                tracing::debug!(target: "kakaorm::tx", attempt, kind = e.kind().label(), ?pause, "transaction failed; retrying");
                tokio::time::sleep(pause).await;
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}

/// One attempt. A panic in `work` unwinds through the transaction, whose drop rolls it
/// back before its connection is used again.
async fn once<T, F, Fut>(tx: Result<Tx>, work: &mut F) -> Result<T>
where
    F: FnMut(Arc<Tx>) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let tx = Arc::new(tx?);
    match work(Arc::clone(&tx)).await {
        Ok(v) => tx.finish(true).await.map(|()| v),
        Err(e) => {
            // A failed rollback leaves the connection to be rolled back before reuse.
            let _ = tx.finish(false).await;
            Err(e)
        }
    }
}
