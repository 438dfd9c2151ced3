//! Lifecycle hooks: user code run before and after each write of a model, on the
//! transaction of the write.

use std::future::Future;

use kakaorm_core::Result;

use crate::atomic;
use crate::executor::{ConnGuard, Executor};
use crate::tx::Tx;

/// Code run around the writes of a model: implement it and mark the struct
/// `#[kakaorm(hooks)]` (models without the mark get an empty implementation from the
/// derive, and their writes skip every hook at no cost: no transaction, no allocation).
///
/// Each hook receives the transaction the write runs in, so the queries it runs commit or
/// roll back with the write: `create`, `save`, `delete`, `bulk_create` (per row),
/// `bulk_update`, `get_or_create`, `update_or_create` and upserts open a transaction when
/// the caller has none, and a savepoint inside the caller's transaction
/// otherwise. An error from a before-hook aborts the write, and an error from an
/// after-hook undoes it: nothing of the write, nor of the hooks' queries, is kept.
///
/// `create` and `bulk_create` build the model from the builder's row before inserting it:
/// `before_insert` sees every value that will be written (a generated key reads as 0)
/// and may change them; `after_insert` sees the stored row, generated key included. With
/// hooks, `bulk_create` inserts row by row so that each `after_insert` gets its key.
///
/// The other writes that take models run the hooks of the write they do, in the same way:
/// - `get_or_create` runs `before_insert`/`after_insert` only when it inserts (a lost race
///   undoes the hooks' writes with the insert, then reads the winner's row);
/// - `update_or_create` runs `before_update`/`after_update` on the existing row with the
///   builder's fields applied when it updates, the insert hooks when it inserts;
/// - `bulk_update` runs `before_update` on every model, then its statements, then
///   `after_update` on every model;
/// - an upsert (one statement that inserts or updates, which not every backend can tell
///   apart per row) runs `before_insert` on the model each proposed row would become (its
///   changes are what is proposed, the conflict key included), then `after_insert` on
///   every stored row `exec` returns: inserted, updated or, with `do_nothing`, kept. On
///   MySQL and MariaDB those rows are read back by the conflict target in the same
///   transaction, so a row updated through a collision on *another* unique key gets no
///   `after_insert`.
///
/// Queryset `update()` and `delete()` load no models, so they run no hooks (and no
/// validation): they are single statements over whatever rows match. Load the models and
/// `save` or `delete` each one when the hooks must run.
///
/// ```
/// use kakaorm::prelude::*;
/// use kakaorm::Hooks;
///
/// #[derive(Model, Debug)]
/// #[kakaorm(table = "accounts", hooks)]
/// struct Account { id: i64, email: String }
///
/// impl Hooks for Account {
///     async fn before_insert(&mut self, _tx: &Tx) -> kakaorm::Result<()> {
///         self.email = self.email.trim().to_lowercase();
///         Ok(())
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// db.create_table::<Account>().await?;
/// let a = Account::create().email("  Ann@Example.COM ").exec(&db).await?;
/// assert_eq!(a.email, "ann@example.com");
/// # Ok(()) }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is marked `#[kakaorm(hooks)]` but does not implement `kakaorm::Hooks`",
    label = "add `impl kakaorm::Hooks for {Self}`, or remove `hooks`"
)]
pub trait Hooks: Sized + Send {
    /// Before the row is inserted; may change the values written.
    ///
    /// # Errors
    /// Any error aborts the insert.
    fn before_insert(&mut self, tx: &Tx) -> impl Future<Output = Result<()>> + Send {
        let _ = tx;
        async { Ok(()) }
    }

    /// After the row is inserted, with its generated key.
    ///
    /// # Errors
    /// Any error undoes the insert.
    fn after_insert(&mut self, tx: &Tx) -> impl Future<Output = Result<()>> + Send {
        let _ = tx;
        async { Ok(()) }
    }

    /// Before `save` writes the row; may change the values written.
    ///
    /// # Errors
    /// Any error aborts the update.
    fn before_update(&mut self, tx: &Tx) -> impl Future<Output = Result<()>> + Send {
        let _ = tx;
        async { Ok(()) }
    }

    /// After `save` wrote the row.
    ///
    /// # Errors
    /// Any error undoes the update.
    fn after_update(&mut self, tx: &Tx) -> impl Future<Output = Result<()>> + Send {
        let _ = tx;
        async { Ok(()) }
    }

    /// Before the row is deleted.
    ///
    /// # Errors
    /// Any error aborts the delete.
    fn before_delete(&self, tx: &Tx) -> impl Future<Output = Result<()>> + Send {
        let _ = tx;
        async { Ok(()) }
    }

    /// After the row is deleted.
    ///
    /// # Errors
    /// Any error undoes the delete.
    fn after_delete(&self, tx: &Tx) -> impl Future<Output = Result<()>> + Send {
        let _ = tx;
        async { Ok(()) }
    }
}

/// Runs `work` on a transaction over one connection of `e`: a transaction of its own when
/// the caller has none, else a savepoint of the caller's. Applies in full or not at all.
pub(crate) async fn scoped<E: Executor + ?Sized, T>(e: &E, work: impl AsyncFnOnce(&Tx) -> Result<T>) -> Result<T> {
    let d = e.dialect();
    let mut guard = e.acquire().await?;
    let mut conn = guard.take()?;
    let opened = atomic::open(&mut conn, d).await;
    let mut lent = Lent { guard, tx: Tx::lend(conn, d, Some(e.validation_locale())), nested: None };
    lent.nested = Some(opened?);
    let outcome = work(&lent.tx).await;
    let nested = lent.nested.take().unwrap_or(false);
    let conn = lent.tx.reclaim();
    if let Some(mut conn) = conn {
        let closed = atomic::close(&mut conn, nested, outcome.is_ok()).await;
        let go_on = closed.as_ref().is_ok_and(|go_on| *go_on);
        if nested && !go_on {
            conn.poison(HOOKED);
        }
        lent.guard.put(conn);
        closed?;
    }
    outcome
}

const HOOKED: &str = "a write with hooks";

/// A connection lent to a scope's transaction; returned to its guard when dropped, even
/// when the write is cancelled midway (a savepoint of the caller's then marks its
/// transaction unable to commit; a transaction of its own is rolled back before reuse).
struct Lent<'g> {
    guard: ConnGuard<'g>,
    tx: Tx,
    /// While the scope is open: whether it is a savepoint of the caller's transaction.
    nested: Option<bool>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(mut conn) = self.tx.reclaim() {
            if self.nested == Some(true) {
                conn.poison(HOOKED);
            }
            self.guard.put(conn);
        }
    }
}
