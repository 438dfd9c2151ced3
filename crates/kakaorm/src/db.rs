//! `Db`, the pooled database handle, and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use kakaorm_core::{Backend, Dialect, Error, Result};

use crate::config::{ConnectOptions, IntoConnectOptions};
use crate::driver::{Pool, PooledConn};
use crate::executor::{ConnGuard, Executor, sealed};
use crate::relation::NPlusOne;
use crate::tx::{Connection, Tx};

/// Opens a pooled database from a URL (or [`ConnectOptions`]) with default settings.
///
/// # Errors
/// [`Config`](crate::ErrorKind::Config) for a malformed URL or unknown scheme (the message
/// redacts the password), [`Connection`](crate::ErrorKind::Connection) when the server
/// cannot be reached within the connect timeout or refuses the credentials.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// assert_eq!(db.backend(), kakaorm::Backend::Sqlite);
/// db.close().await;
/// # Ok(()) }
/// ```
pub async fn connect(url: impl IntoConnectOptions) -> Result<Db> {
    Db::builder(url).connect().await
}

/// A pool of connections to one database. Cheap to clone; clones share the pool.
///
/// The pool closes when the last clone is dropped, or at once with [`Db::close`].
#[derive(Clone)]
pub struct Db {
    inner: Arc<DbInner>,
    /// The statement timeout of connections checked out through this handle.
    statement_timeout: Option<Duration>,
}

struct DbInner {
    pool: Pool,
    dialect: &'static dyn Dialect,
    opts: ConnectOptions,
    n_plus_one: Option<Arc<NPlusOne>>,
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Db").field("url", &self.inner.opts.to_string()).finish()
    }
}

impl Db {
    /// Starts a builder to set pool size and timeouts before connecting, from a URL or
    /// from [`ConnectOptions`] parsed earlier. A malformed URL fails at
    /// [`DbBuilder::connect`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// use std::time::Duration;
    /// let db = kakaorm::Db::builder("sqlite::memory:")
    ///     .acquire_timeout(Duration::from_secs(5))
    ///     .connect_timeout(Duration::from_secs(2))
    ///     .connect()
    ///     .await?;
    /// # let _ = db; Ok(()) }
    /// ```
    pub fn builder(url: impl IntoConnectOptions) -> DbBuilder {
        DbBuilder { opts: url.into_connect_options(), dialect: None }
    }

    /// The backend family.
    pub fn backend(&self) -> Backend {
        self.inner.dialect.backend()
    }

    /// The dialect of the connected server (MariaDB and MySQL differ slightly).
    pub fn dialect(&self) -> &'static dyn Dialect {
        self.inner.dialect
    }

    /// Starts a transaction on a connection of its own. It rolls back when dropped without
    /// [`Tx::commit`].
    ///
    /// # Errors
    /// [`PoolTimeout`](crate::ErrorKind::PoolTimeout) when no connection is free in time, or
    /// the database's error for `BEGIN`.
    pub async fn begin(&self) -> Result<Tx> {
        let conn = self.checkout().await?;
        Tx::open(conn, self.inner.dialect).await
    }

    /// Checks one connection out and holds it until the returned handle is dropped.
    ///
    /// # Errors
    /// [`PoolTimeout`](crate::ErrorKind::PoolTimeout) when no connection is free in time.
    pub async fn acquire(&self) -> Result<Connection> {
        let conn = self.checkout().await?;
        Ok(Connection::new(conn, self.inner.dialect))
    }

    /// A handle on the same pool whose statements (and the transactions and connections it
    /// opens) time out after `timeout` instead of the builder's
    /// [`statement_timeout`](DbBuilder::statement_timeout); `None` lifts the limit. Use it
    /// for one slow report or one latency-critical call without a second pool.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// use std::time::Duration;
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// let quick = db.with_statement_timeout(Some(Duration::from_millis(200)));
    /// assert_eq!(quick.statement_timeout(), Some(Duration::from_millis(200)));
    /// assert_eq!(db.statement_timeout(), None);
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn with_statement_timeout(&self, timeout: Option<Duration>) -> Db {
        Db { inner: Arc::clone(&self.inner), statement_timeout: timeout }
    }

    /// The statement timeout of this handle (see [`Db::with_statement_timeout`]).
    pub fn statement_timeout(&self) -> Option<Duration> {
        self.statement_timeout
    }

    async fn checkout(&self) -> Result<PooledConn> {
        let conn = self.inner.pool.get(self.statement_timeout, self.inner.opts.log_parameters).await?;
        Ok(conn.with_n_plus_one(self.inner.n_plus_one.clone()))
    }

    /// Closes the pool. Connections in use finish their work and are then dropped; later
    /// operations fail with a [`Connection`](crate::ErrorKind::Connection) error.
    pub async fn close(&self) {
        self.inner.pool.close().await;
    }
}

impl Executor for Db {}

impl sealed::Sealed for Db {
    fn dialect(&self) -> &'static dyn Dialect {
        self.inner.dialect
    }

    async fn acquire(&self) -> Result<ConnGuard<'_>> {
        self.checkout().await.map(ConnGuard::pooled)
    }
}

/// Settings for [`Db`] before it connects. Built by [`Db::builder`].
#[must_use]
pub struct DbBuilder {
    opts: Result<ConnectOptions>,
    dialect: Option<&'static dyn Dialect>,
}

impl fmt::Debug for DbBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.opts {
            Ok(o) => o.fmt(f),
            Err(e) => f.debug_tuple("DbBuilder").field(e).finish(),
        }
    }
}

impl DbBuilder {
    fn set(mut self, f: impl FnOnce(&mut ConnectOptions)) -> Self {
        if let Ok(o) = &mut self.opts {
            f(o);
        }
        self
    }

    /// The most connections the pool opens (default 10).
    pub fn max_connections(self, n: usize) -> Self {
        self.set(|o| o.max_connections = n)
    }

    /// Connections opened when connecting, so that the first users find them ready
    /// (default 1, capped at `max_connections`). With 0, connecting opens one connection to
    /// check that the server is reachable and closes it again; connections are then opened
    /// on first use. Either way the pool keeps the connections it opens until they fail or
    /// the pool closes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::Db::builder("sqlite::memory:").min_connections(0).connect().await?;
    /// # let _ = db; Ok(()) }
    /// ```
    pub fn min_connections(self, n: usize) -> Self {
        self.set(|o| o.min_connections = n)
    }

    /// How long an operation waits for a free connection (default 30 s).
    pub fn acquire_timeout(self, d: Duration) -> Self {
        self.set(|o| o.acquire_timeout = d)
    }

    /// How long opening one connection may take (default 10 s).
    pub fn connect_timeout(self, d: Duration) -> Self {
        self.set(|o| o.connect_timeout = d)
    }

    /// The longest a statement may take, round trip included (default: no limit). A
    /// statement that outlives it fails with [`Timeout`](crate::ErrorKind::Timeout): on
    /// PostgreSQL the server is asked to cancel it and the connection is closed; on MySQL
    /// the connection is closed, which ends the statement when the server next checks it;
    /// on SQLite the statement is interrupted, and waits for another connection's write
    /// lock last at most this long (default 5 s). A transaction in which a statement timed
    /// out can no longer commit.
    ///
    /// It is also what bounds an operation on a server that has gone silent.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// use std::time::Duration;
    /// let db = kakaorm::Db::builder("sqlite::memory:").statement_timeout(Duration::from_secs(5)).connect().await?;
    /// # let _ = db; Ok(()) }
    /// ```
    pub fn statement_timeout(self, d: Duration) -> Self {
        self.set(|o| o.statement_timeout = Some(d))
    }

    /// The idle time before TCP keepalive probes start on PostgreSQL and MySQL
    /// connections, and the interval between probes (default 30 s): a peer that vanished
    /// without closing the connection is noticed after about four times this long.
    pub fn tcp_keepalive(self, d: Duration) -> Self {
        self.set(|o| o.tcp_keepalive = d)
    }

    /// Prepared statements kept per connection (default 256).
    pub fn statement_cache_capacity(self, n: usize) -> Self {
        self.set(|o| o.statement_cache_capacity = n)
    }

    /// Shows bound values and the messages of failed statements in the `kakaorm::query`
    /// and `kakaorm::tx` logs (default: off).
    ///
    /// By default each statement's DEBUG line has its SQL text, time and outcome, a count
    /// of its parameters, and for a failure the error kind and the server's code, but
    /// neither the values nor the error message, since servers quote values in it
    /// (`Key (email)=(alice@example.com) already exists`). Turn this on only where logs
    /// may hold user data.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::Db::builder("sqlite::memory:").log_parameters(true).connect().await?;
    /// # let _ = db; Ok(()) }
    /// ```
    pub fn log_parameters(self, on: bool) -> Self {
        self.set(|o| o.log_parameters = on)
    }

    /// Warns when one task loads the same relation one row at a time more than
    /// `threshold` times (`post.load(Post::author, &db)` in a loop): the N+1 pattern, which
    /// one [`prefetch`](crate::Query::prefetch) with the query replaces (default: off).
    ///
    /// The warning is one `WARN` line on the `kakaorm::n_plus_one` target per task and
    /// relation, naming the model and the relation. Loads are counted per tokio task (per
    /// thread outside a task), so a long-lived task that serves many requests one after
    /// another counts them together; keep it for development and tests.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::Db::builder("sqlite::memory:").warn_n_plus_one(10).connect().await?;
    /// # let _ = db; Ok(()) }
    /// ```
    pub fn warn_n_plus_one(self, threshold: u32) -> Self {
        self.set(|o| o.n_plus_one = Some(threshold))
    }

    /// Speaks `dialect` instead of the detected one (of the same backend). Used to test
    /// the MySQL 8 code paths against MariaDB; not a public API.
    #[doc(hidden)]
    pub fn force_dialect(mut self, dialect: &'static dyn Dialect) -> Self {
        self.dialect = Some(dialect);
        self
    }

    /// Opens the pool and one connection, so configuration and reachability errors
    /// surface here.
    ///
    /// # Errors
    /// As [`connect`]; also [`Config`](crate::ErrorKind::Config) for a pool size of zero or
    /// more than one connection to `sqlite::memory:` (each would be its own database).
    pub async fn connect(self) -> Result<Db> {
        let opts = self.opts?;
        if opts.max_connections == 0 {
            return Err(Error::config("max_connections must be at least 1"));
        }
        let memory = matches!(opts.target, crate::config::Target::Sqlite(crate::config::SqliteTarget::Memory));
        if memory && opts.max_connections > 1 {
            return Err(Error::config("sqlite::memory: is private to one connection; max_connections must be 1"));
        }
        let (pool, detected) = Pool::open(&opts).await?;
        let dialect = match self.dialect {
            Some(d) if d.backend() == detected.backend() => d,
            Some(d) => {
                return Err(Error::config(format!(
                    "cannot speak {} to {}",
                    d.backend().name(),
                    detected.backend().name()
                )));
            }
            None => detected,
        };
        tracing::debug!(target: "kakaorm::pool", url = %opts, "connected");
        let statement_timeout = opts.statement_timeout;
        let n_plus_one = opts.n_plus_one.map(|threshold| Arc::new(NPlusOne::new(threshold)));
        Ok(Db { inner: Arc::new(DbInner { pool, dialect, opts, n_plus_one }), statement_timeout })
    }
}
