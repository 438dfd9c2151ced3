//! `Db`, the pooled database handle, and its builder.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use kakaorm_core::validate::Locale;
use kakaorm_core::{Backend, Dialect, Error, Result};

use crate::config::{ConnectOptions, IntoConnectOptions};
use crate::driver::{Pool, PooledConn};
use crate::executor::{ConnGuard, Executor, sealed};
use crate::relation::NPlusOne;
use crate::tx::{Connection, TransactionOptions, Tx};

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
    /// The language of validation messages of writes through this handle (`None`: the
    /// program's [`locale`](crate::validate::locale)).
    locale: Option<Locale>,
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

    /// Whether SQLite statements run on the caller's thread
    /// ([`DbBuilder::sqlite_inline`]); always `false` on PostgreSQL and MySQL.
    ///
    /// ```
    /// # async fn demo() -> kakaorm::Result<()> {
    /// let db = kakaorm::Db::builder("sqlite::memory:").sqlite_inline(true).connect().await?;
    /// assert!(db.is_sqlite_inline());
    /// # Ok(()) }
    /// ```
    pub fn is_sqlite_inline(&self) -> bool {
        self.inner.opts.sqlite_inline
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
        Tx::open(conn, self.inner.dialect, self.locale).await
    }

    /// Starts a transaction with `opts`: its isolation level and whether it is read-only
    /// (the retry settings apply to [`transaction_with`](Db::transaction_with) only).
    ///
    /// # Errors
    /// As [`begin`](Db::begin); [`Unsupported`](crate::ErrorKind::Unsupported) for a
    /// read-only transaction on SQLite.
    pub async fn begin_with(&self, opts: &TransactionOptions) -> Result<Tx> {
        let conn = self.checkout().await?;
        Tx::open_with(conn, self.inner.dialect, self.locale, opts, None).await
    }

    /// Runs `work` in a transaction: commits when it returns `Ok`, rolls back when it
    /// returns `Err` or panics, and runs it again (up to 3 times in all, with jittered
    /// backoff) when it or the commit fails with a
    /// [`SerializationFailure`](crate::ErrorKind::SerializationFailure) or a
    /// [`Deadlock`](crate::ErrorKind::Deadlock). `work` may therefore run more than once:
    /// keep effects outside the database out of it.
    ///
    /// `work` gets the transaction as an `Arc<Tx>` of its own (`&tx` is an executor), so
    /// its future borrows nothing and runs inside `tokio::spawn` or a web handler. Once the
    /// transaction has finished, a clone kept past it fails every operation. Savepoints
    /// need a `Tx` of your own: [`Db::begin`].
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model, Debug)] #[kakaorm(table = "accounts")] struct Account { id: i64, balance: i64 }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Account>().await?;
    /// let a = Account::create().balance(100).exec(&db).await?;
    /// let b = Account::create().balance(0).exec(&db).await?;
    /// db.transaction(|tx| async move {
    ///     Account::filter(Account::id.eq(a.id)).update().set(Account::balance, 70).exec(&tx).await?;
    ///     Account::filter(Account::id.eq(b.id)).update().set(Account::balance, 30).exec(&tx).await?;
    ///     Ok(())
    /// })
    /// .await?;
    /// assert_eq!(Account::find(b.id, &db).await?.map(|b| b.balance), Some(30));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// The error `work` returns, or the commit's; after the last attempt, the last
    /// retryable error.
    pub async fn transaction<T, F, Fut>(&self, work: F) -> Result<T>
    where
        F: FnMut(Arc<Tx>) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        self.transaction_with(TransactionOptions::default(), work).await
    }

    /// As [`transaction`](Db::transaction), with an isolation level, read-only mode and
    /// retry policy from `opts`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// use kakaorm::{Executor, IsolationLevel, TransactionOptions};
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// let opts = TransactionOptions::new().isolation(IsolationLevel::Serializable).max_attempts(5);
    /// let n: Vec<i64> = db.transaction_with(opts, |tx| async move { tx.fetch_raw("SELECT 1", vec![]).await }).await?;
    /// assert_eq!(n, [1]);
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// As [`transaction`](Db::transaction); [`Unsupported`](crate::ErrorKind::Unsupported)
    /// for a read-only transaction on SQLite.
    pub async fn transaction_with<T, F, Fut>(&self, opts: TransactionOptions, work: F) -> Result<T>
    where
        F: FnMut(Arc<Tx>) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        crate::tx::retry::run(crate::tx::retry::Source::Pool(self), &opts, work).await
    }

    /// Checks one connection out and holds it until the returned handle is dropped.
    ///
    /// # Errors
    /// [`PoolTimeout`](crate::ErrorKind::PoolTimeout) when no connection is free in time.
    pub async fn acquire(&self) -> Result<Connection> {
        let conn = self.checkout().await?;
        Ok(Connection::new(conn, self.inner.dialect, self.locale))
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
        Db { statement_timeout: timeout, ..self.clone() }
    }

    /// The statement timeout of this handle (see [`Db::with_statement_timeout`]).
    pub fn statement_timeout(&self) -> Option<Duration> {
        self.statement_timeout
    }

    /// A handle on the same pool whose writes (and the transactions and connections it
    /// opens) write validation messages in `locale` instead of the builder's
    /// [`locale`](DbBuilder::locale): one pool serving each request in its user's
    /// language.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model, Debug)] #[kakaorm(table = "tags")] struct Tag { id: i64, #[kakaorm(min_length = 2)] name: String }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// use kakaorm::validate::Locale;
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Tag>().await?;
    /// let ja = db.with_locale(Locale::Ja);
    /// let err = Tag::create().name("x").exec(&ja).await.unwrap_err();
    /// assert_eq!(err.to_string(), "validation failed: `Tag`: nameは2文字以上で入力してください");
    /// let err = Tag::create().name("x").exec(&db).await.unwrap_err();
    /// assert_eq!(err.to_string(), "validation failed: `Tag`: name must be at least 2 characters long");
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn with_locale(&self, locale: Locale) -> Db {
        Db { locale: Some(locale), ..self.clone() }
    }

    /// The language of validation messages of writes through this handle: its
    /// [`with_locale`](Db::with_locale), the builder's [`locale`](DbBuilder::locale), or
    /// else the program's [`locale`](crate::validate::locale).
    pub fn locale(&self) -> Locale {
        self.locale.unwrap_or_else(kakaorm_core::validate::locale)
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

    fn validation_locale(&self) -> Locale {
        self.locale()
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

    /// Runs SQLite statements on the thread that awaits them instead of on each connection's
    /// own thread (default: off).
    ///
    /// A statement then costs no hand-off between threads (the fastest SQLite access, as
    /// fast as calling rusqlite directly), but it blocks the executor thread for as long as
    /// it runs: no other task on that thread makes progress meanwhile, and a
    /// [`statement_timeout`](DbBuilder::statement_timeout) cannot interrupt it (it still
    /// bounds the wait for another connection's lock). Use it for command-line tools, tests
    /// and single-user applications, not for servers. Transactions, savepoints and
    /// cancellation behave as in the default mode: a statement either ran in full or not at
    /// all. A stream reads its rows on a short-lived thread of its own, since its consumer
    /// is the calling thread.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::Db::builder("sqlite::memory:").sqlite_inline(true).connect().await?;
    /// kakaorm::raw("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").execute(&db).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`connect`](DbBuilder::connect) fails with [`Config`](crate::ErrorKind::Config) when
    /// it is on for a PostgreSQL or MySQL URL.
    pub fn sqlite_inline(self, on: bool) -> Self {
        self.set(|o| o.sqlite_inline = on)
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

    /// The language of the validation messages of writes through the pool (and its
    /// transactions and connections): a [`Locale`] or a language tag such as `"ja"` or
    /// `"en-US"` (default: the program's [`locale`](crate::validate::locale), English
    /// unless [`set_locale`](crate::validate::set_locale) changed it).
    /// [`Model::validate`](crate::Model::validate) without a database keeps the program's;
    /// [`Model::validate_in`](crate::Model::validate_in) takes one.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// use kakaorm::validate::Locale;
    /// let db = kakaorm::Db::builder("sqlite::memory:").locale("ja-JP").connect().await?;
    /// assert_eq!(db.locale(), Locale::Ja);
    /// let err = kakaorm::Db::builder("sqlite::memory:").locale("fr").connect().await.unwrap_err();
    /// assert_eq!(err.kind(), kakaorm::ErrorKind::Config);
    /// assert_eq!(err.to_string(), "configuration error: unsupported locale `fr`: messages exist in en and ja");
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`connect`](DbBuilder::connect) fails with [`Config`](crate::ErrorKind::Config) for
    /// an unsupported locale.
    pub fn locale(mut self, locale: impl AsRef<str>) -> Self {
        match locale.as_ref().parse::<Locale>() {
            Ok(l) => self.set(|o| o.locale = Some(l)),
            Err(e) => {
                self.opts = Err(e);
                self
            }
        }
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
        if opts.sqlite_inline && opts.backend != Backend::Sqlite {
            return Err(Error::config(format!("sqlite_inline applies to SQLite only, not {}", opts.backend.name())));
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
        let (statement_timeout, locale) = (opts.statement_timeout, opts.locale);
        let n_plus_one = opts.n_plus_one.map(|threshold| Arc::new(NPlusOne::new(threshold)));
        Ok(Db { inner: Arc::new(DbInner { pool, dialect, opts, n_plus_one }), statement_timeout, locale })
    }
}
