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
/// find them ready; with `n == 0`, opens one to check the server and closes it. The first
/// failure (bad credentials, unreachable server) is returned.
pub(crate) async fn warm<M: Manager<Error = Error>>(pool: &Pool<M>, backend: &str, n: usize) -> Result<()> {
    if n == 0 {
        let probe = get_object(pool, backend).await?;
        drop(Object::take(probe));
        return Ok(());
    }
    let mut held = Vec::with_capacity(n);
    for _ in 0..n {
        held.push(get_object(pool, backend).await?);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use deadpool::managed::{Manager, Metrics, RecycleResult};
    use kakaorm_core::{Error, ErrorKind, Result};

    use super::{build_pool, warm};
    use crate::config::ConnectOptions;

    /// Connections that keep count of how many are open; with `refuse`, none opens.
    struct Counting {
        open: Arc<AtomicUsize>,
        refuse: bool,
    }

    struct Live(Arc<AtomicUsize>);

    impl Drop for Live {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }

    impl Manager for Counting {
        type Type = Live;
        type Error = Error;

        async fn create(&self) -> Result<Live> {
            if self.refuse {
                return Err(Error::new(ErrorKind::Connection, "refused"));
            }
            self.open.fetch_add(1, Ordering::SeqCst);
            Ok(Live(Arc::clone(&self.open)))
        }

        async fn recycle(&self, _: &mut Live, _: &Metrics) -> RecycleResult<Error> {
            Ok(())
        }
    }

    /// Warms a pool of 10 with `n` connections: the outcome, the connections open after it
    /// and the pool's size.
    async fn warmed(n: usize, refuse: bool) -> (Result<()>, usize, usize) {
        let open = Arc::new(AtomicUsize::new(0));
        let opts = ConnectOptions::parse("postgres://db.invalid/app").unwrap();
        let pool = build_pool(Counting { open: Arc::clone(&open), refuse }, &opts).unwrap();
        let res = warm(&pool, "test", n).await;
        (res, open.load(Ordering::SeqCst), pool.status().size)
    }

    #[tokio::test]
    async fn min_connections_opens_that_many_and_zero_keeps_none() {
        let (res, open, size) = warmed(0, false).await;
        assert!(res.is_ok());
        assert_eq!((open, size), (0, 0), "the probe connection is closed again");
        let (res, open, size) = warmed(3, false).await;
        assert!(res.is_ok());
        assert_eq!((open, size), (3, 3));
        for n in [0, 1] {
            let (res, ..) = warmed(n, true).await;
            assert_eq!(res.unwrap_err().kind(), ErrorKind::Connection, "min_connections({n}) still checks the server");
        }
    }
}
