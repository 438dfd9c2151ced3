//! Building deadpool pools and mapping their errors.

use deadpool::Runtime;
use deadpool::managed::{Manager, Object, Pool, PoolError, TimeoutType};
use kakaorm_core::{Error, ErrorKind, Result};

use crate::config::ConnectOptions;

/// A pool of `opts.max_connections` with the acquire and connect timeouts applied.
pub(crate) fn build_pool<M: Manager<Error = Error>>(manager: M, opts: &ConnectOptions) -> Result<Pool<M>> {
    Pool::builder(manager)
        .max_size(opts.max_connections)
        .wait_timeout(Some(opts.acquire_timeout))
        .create_timeout(Some(opts.connect_timeout))
        .recycle_timeout(Some(opts.connect_timeout))
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|e| Error::config(format!("cannot build the connection pool: {e}")))
}

/// Checks an object out, mapping pool failures to typed errors.
pub(crate) async fn get_object<M: Manager<Error = Error>>(pool: &Pool<M>, backend: &str) -> Result<Object<M>> {
    pool.get().await.map_err(|e| match e {
        PoolError::Backend(e) => e,
        PoolError::Timeout(TimeoutType::Wait) => Error::new(
            ErrorKind::PoolTimeout,
            format!("{backend}: no pooled connection became free within the acquire timeout"),
        ),
        PoolError::Timeout(_) => Error::new(ErrorKind::Connection, format!("{backend}: connecting timed out")),
        PoolError::Closed => Error::new(ErrorKind::Connection, format!("{backend}: the pool is closed")),
        other => Error::new(ErrorKind::Connection, format!("{backend}: {other}")),
    })
}
