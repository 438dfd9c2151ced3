//! Building deadpool pools and mapping their errors.

use deadpool::Runtime;
use std::time::Duration;

use deadpool::managed::{Manager, Object, Pool, PoolError, TimeoutType, Timeouts};
use kakaorm_core::{Error, ErrorKind, Result};

use crate::config::ConnectOptions;

/// A pool of `opts.max_connections` with the acquire and connect timeouts applied.
pub(crate) fn build_pool<M: Manager<Error = Error>>(manager: M, opts: &ConnectOptions) -> Result<Pool<M>> {
    Pool::builder(manager)
        .max_size(opts.max_connections)
        .wait_timeout(Some(opts.acquire_timeout))
        // Connecting applies the connect timeout itself, and recycling is local or a
        // ROLLBACK on a live connection: neither needs a timer of its own.
        .create_timeout(None)
        .recycle_timeout(None)
        .runtime(Runtime::Tokio1)
        .build()
        .map_err(|e| Error::config(format!("cannot build the connection pool: {e}")))
}

/// Take an idle object or a free slot at once, without arming a timer.
const AT_ONCE: Timeouts = Timeouts { wait: Some(Duration::ZERO), create: None, recycle: None };

/// Checks an object out, mapping pool failures to typed errors. A free connection is
/// taken without arming the acquire timer; only a full pool waits with the timeout.
pub(crate) async fn get_object<M: Manager<Error = Error>>(pool: &Pool<M>, backend: &str) -> Result<Object<M>> {
    let got = match pool.timeout_get(&AT_ONCE).await {
        Err(PoolError::Timeout(TimeoutType::Wait)) => pool.get().await,
        other => other,
    };
    got.map_err(|e| match e {
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

/// Opens `n` connections at once and returns them to the pool, so the first `n` users
/// find them ready. The first failure (bad credentials, unreachable server) is returned.
pub(crate) async fn warm<M: Manager<Error = Error>>(pool: &Pool<M>, backend: &str, n: usize) -> Result<()> {
    let mut held = Vec::with_capacity(n);
    for _ in 0..n.max(1) {
        held.push(get_object(pool, backend).await?);
    }
    Ok(())
}
