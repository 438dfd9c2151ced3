//! What `Query::prefetch` keeps: type-erased loaders of related rows, filled in after the
//! query's own rows are fetched, on the same connection.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use kakaorm_core::{Dialect, Result};

use crate::driver::PooledConn;

/// A boxed future borrowing the parents and the connection.
pub(crate) type LoadFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// Fills one relation of every parent, on one connection.
pub(crate) trait Loader<P>: Send + Sync {
    /// Loads the relation of `parents` with the statements of `dialect` on `conn`.
    fn load<'a>(
        &'a self,
        parents: &'a mut [P],
        conn: &'a mut PooledConn,
        dialect: &'static dyn Dialect,
    ) -> LoadFuture<'a>;
}

/// A prefetch with its types erased, as a query keeps it.
#[doc(hidden)]
pub struct ErasedPrefetch<P>(pub(crate) Arc<dyn Loader<P>>);

/// Something `Query::prefetch` and `load` accept: a relation handle (`User::posts`) or a
/// refined one (`User::posts.filter(..)`).
pub trait IntoPrefetch<P> {
    /// The type-erased loader.
    #[doc(hidden)]
    fn into_prefetch(self) -> ErasedPrefetch<P>;
}
