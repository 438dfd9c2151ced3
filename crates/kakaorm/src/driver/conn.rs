//! One pooled connection: the statement timeout, the transaction state and the query log
//! around each backend's operations.

use std::sync::Arc;
use std::time::Duration;

use kakaorm_core::{ColumnType, Error, ErrorKind, FromRow, Rendered, Result, Value};

use super::pipelined::RowSink;
use super::query_log::{Payload, QueryLog};
use super::state::{ConnState, TxState};
use super::stream::StreamSink;
use super::{Absurd, ConnInner, ExecResult};
use crate::relation::NPlusOne;

/// One connection checked out of a pool; it goes back when dropped, rolled back first if
/// a transaction may be open on it, or discarded if it is broken.
#[doc(hidden)]
pub struct PooledConn {
    inner: ConnInner,
    /// The deadline of each statement's round trip.
    timeout: Option<Duration>,
    /// Whether the query log shows bound values and error messages.
    log_parameters: bool,
    /// The pool's N+1 detector, when it has one.
    n_plus_one: Option<Arc<NPlusOne>>,
}

macro_rules! dispatch {
    ($self:expr, $conn:ident => $body:expr) => {
        match $self {
            ConnInner::None(never) => never.absurd(),
            #[cfg(feature = "postgres")]
            ConnInner::Postgres($conn) => $body,
            #[cfg(feature = "mysql")]
            ConnInner::Mysql($conn) => $body,
            #[cfg(feature = "sqlite")]
            ConnInner::Sqlite($conn) => $body,
        }
    };
}

/// What a transaction-control statement does, so that its effect is recorded before it is
/// sent and the statement cache survives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Control {
    Begin,
    Commit,
    Rollback,
    Savepoint,
    Release,
    RollbackTo,
}

impl PooledConn {
    pub(crate) fn new(inner: ConnInner, timeout: Option<Duration>, log_parameters: bool) -> Self {
        PooledConn { inner, timeout, log_parameters, n_plus_one: None }
    }

    /// The connection with the pool's N+1 detector.
    pub(crate) fn with_n_plus_one(mut self, detector: Option<Arc<NPlusOne>>) -> Self {
        self.n_plus_one = detector;
        self
    }

    /// Records a load of `relation` for one `model` row, for the N+1 detector.
    pub(crate) fn note_single_load(&self, model: &'static str, relation: &'static str) {
        if let Some(detector) = &self.n_plus_one {
            detector.single_load(model, relation);
        }
    }

    /// Starts the query log line of a statement sent with parameters.
    fn log(&self, sql: &str, params: &[Value]) -> QueryLog {
        QueryLog::params(sql, params, self.log_parameters)
    }

    fn state(&self) -> &ConnState {
        dispatch!(&self.inner, c => c.state())
    }

    fn state_mut(&mut self) -> &mut ConnState {
        dispatch!(&mut self.inner, c => c.state_mut())
    }

    /// Whether the connection must not be used again (lost, timed out, or left mid-exchange).
    fn broken(&self) -> bool {
        dispatch!(&self.inner, c => c.is_broken())
    }

    /// Whether a statement may be sent: the connection is sound and its transaction, if
    /// any, can still commit.
    fn check(&self) -> Result<()> {
        match self.broken() {
            true => Err(super::state::lost()),
            false => self.state().usable(),
        }
    }

    /// The transaction state the client has recorded.
    pub(crate) fn tx_state(&self) -> TxState {
        self.state().tx
    }

    /// Runs one backend operation under the statement timeout, then records what a failure
    /// means for the connection and its transaction.
    async fn guarded<T>(&mut self, op: impl AsyncFnOnce(&mut ConnInner) -> Result<T>) -> Result<T> {
        let res = match self.timeout {
            None => op(&mut self.inner).await,
            Some(limit) => match tokio::time::timeout(limit, op(&mut self.inner)).await {
                Ok(res) => res,
                Err(_) => Err(self.timed_out(limit)),
            },
        };
        if let Err(e) = &res {
            self.settle(e).await;
        }
        res
    }

    /// A statement outlived the timeout: the backend stops it where it can, and the
    /// transaction, whose state is now unknown, can no longer commit.
    fn timed_out(&mut self, limit: Duration) -> Error {
        let () = dispatch!(&mut self.inner, c => c.timed_out());
        self.state_mut().abort(TxState::Ended, "a statement timed out");
        Error::new(ErrorKind::Timeout, format!("the statement did not complete within {limit:?}"))
    }

    /// Records a failed operation: a lost connection is never reused, and the backend says
    /// what the server did to an open transaction.
    async fn settle(&mut self, e: &Error) {
        if e.kind() == ErrorKind::Connection {
            self.state_mut().broken = true;
        }
        if self.tx_state() == TxState::Open && !self.broken() {
            dispatch!(&mut self.inner, c => c.settle(e).await)
        }
    }

    /// Runs a query and decodes every row into `T`.
    pub(crate) async fn fetch<T: FromRow>(&mut self, q: Rendered) -> Result<Vec<T>> {
        self.check()?;
        let log = self.log(&q.sql, &q.params);
        let res = self.guarded(async |c| dispatch!(c, c => c.fetch::<T>(q).await)).await;
        log.end(&res);
        res
    }

    /// Runs a query and hands its rows, decoded into `T`, to `sink` as the backend reads
    /// them (PostgreSQL's row stream, MySQL's unbuffered result, SQLite stepping on its
    /// thread). The statement timeout, if any, bounds the whole stream.
    pub(crate) async fn stream<T: FromRow>(&mut self, q: Rendered, sink: &mut StreamSink<T>) -> Result<()> {
        self.check()?;
        let log = self.log(&q.sql, &q.params);
        let res = self.guarded(async |c| dispatch!(c, c => c.stream(q, sink).await)).await;
        log.end(&res);
        res
    }

    /// The most bytes one statement may send, where the server limits it (MySQL's
    /// `max_allowed_packet`, read once per connection); `None` elsewhere.
    pub(crate) async fn packet_limit(&mut self) -> Result<Option<usize>> {
        self.check()?;
        self.guarded(async |c| match c {
            #[cfg(feature = "mysql")]
            ConnInner::Mysql(c) => c.packet_limit().await.map(Some),
            _ => Ok(None),
        })
        .await
    }

    /// Whether statements given to [`fetch_pipelined`](Self::fetch_pipelined) cost one
    /// round trip together (PostgreSQL); elsewhere each is its own round trip, so callers
    /// keep to [`fetch`](Self::fetch).
    pub(crate) fn pipelines(&self) -> bool {
        #[cfg(feature = "postgres")]
        if matches!(self.inner, ConnInner::Postgres(_)) {
            return true;
        }
        false
    }

    /// Sends every query before reading the first answer; the rows of `qs[i]` go to
    /// `sinks[i]` as they arrive. Only on a connection that [`pipelines`](Self::pipelines).
    pub(crate) async fn fetch_pipelined(&mut self, qs: Vec<Rendered>, mut sinks: Vec<&mut dyn RowSink>) -> Result<()> {
        self.check()?;
        let logs: Vec<QueryLog> = qs.iter().map(|q| self.log(&q.sql, &q.params)).collect();
        let res = self
            .guarded(async |c| match c {
                #[cfg(feature = "postgres")]
                ConnInner::Postgres(c) => c.fetch_pipelined(&qs, &mut sinks).await,
                _ => {
                    let _ = &mut sinks;
                    Err(Error::unsupported("only PostgreSQL pipelines statements"))
                }
            })
            .await;
        for log in logs {
            log.end(&res);
        }
        res
    }

    /// Runs a statement and reports the rows it affected.
    pub(crate) async fn execute(&mut self, q: Rendered) -> Result<ExecResult> {
        self.check()?;
        let log = self.log(&q.sql, &q.params);
        let res = self.guarded(async |c| dispatch!(c, c => c.execute(q).await)).await;
        log.end(&res);
        res
    }

    /// Runs statements in order and returns the rows they affected in all; the first failure
    /// ends the run. SQLite queues each statement on its connection thread as soon as it is
    /// rendered, so rendering the next overlaps running this one.
    pub(crate) async fn execute_each(&mut self, statements: impl Iterator<Item = Result<Rendered>>) -> Result<u64> {
        #[cfg(feature = "sqlite")]
        if matches!(self.inner, ConnInner::Sqlite(_)) {
            self.check()?;
            let show = self.log_parameters;
            let mut logged = Vec::new();
            let statements = statements.inspect(|q| {
                if let Ok(q) = q {
                    logged.push(QueryLog::params(&q.sql, &q.params, show));
                }
            });
            // Each statement's time and outcome, as the thread records them.
            let times = QueryLog::enabled().then(super::sqlite::RunTimes::default);
            // The deadline covers the whole run, which the thread works through in one go.
            let res = self
                .guarded(async |c| match c {
                    ConnInner::Sqlite(c) => c.execute_each(statements, times.clone()).await,
                    _ => Ok(0),
                })
                .await;
            let times = times.map(|t| t.take()).unwrap_or_default();
            use super::query_log::Outcome;
            for (i, log) in logged.into_iter().enumerate() {
                match (times.get(i), &res) {
                    (Some((elapsed, true)), _) => log.end_with(Some(*elapsed), Outcome::Done),
                    (Some((elapsed, false)), Err(e)) => log.end_with(Some(*elapsed), Outcome::Failed(e)),
                    _ => log.end_with(None, Outcome::NotRun),
                }
            }
            return res;
        }
        let mut total = 0;
        for q in statements {
            total += self.execute(q?).await?.rows_affected;
        }
        Ok(total)
    }

    /// Streams rows with binary COPY; only PostgreSQL has it. `values` holds the rows one
    /// after another.
    pub(crate) async fn copy_in(&mut self, q: Rendered, types: &[ColumnType], values: Vec<Value>) -> Result<u64> {
        self.check()?;
        let rows = values.len() / types.len().max(1);
        let log = QueryLog::start(&q.sql, Payload::CopyRows(rows), &values, self.log_parameters);
        let res = self
            .guarded(async |c| match c {
                #[cfg(feature = "postgres")]
                ConnInner::Postgres(c) => c.copy_in(&q.sql, types, values).await,
                _ => {
                    let _ = (types, values);
                    Err(Error::unsupported("only PostgreSQL has binary COPY"))
                }
            })
            .await;
        log.end(&res);
        res
    }

    /// Writes a batch of rows with one statement run over and over on the connection, in
    /// full or not at all; only SQLite runs it.
    pub(crate) async fn run_rows<V: super::RowValue>(&mut self, batch: super::RowBatch<V>) -> Result<u64> {
        self.check()?;
        let log = QueryLog::start(&batch.full, Payload::Rows(batch.rows()), &batch.values, self.log_parameters);
        let res = self
            .guarded(async |c| match c {
                #[cfg(feature = "sqlite")]
                ConnInner::Sqlite(c) => c.run_rows(batch).await,
                _ => {
                    let _ = batch;
                    Err(Error::unsupported("only SQLite repeats one statement over a batch of rows"))
                }
            })
            .await;
        log.end(&res);
        res
    }

    /// Runs parameterless DDL through the simple protocol.
    pub(crate) async fn batch(&mut self, sql: &str) -> Result<()> {
        self.check()?;
        let log = self.log(sql, &[]);
        let res = self.guarded(async |c| dispatch!(c, c => c.batch(sql).await)).await;
        log.end(&res);
        res
    }

    /// Runs one transaction-control statement.
    async fn control(&mut self, what: Control, sql: &str) -> Result<()> {
        let log = self.log(sql, &[]);
        let res = self.guarded(async |c| dispatch!(c, c => c.control(sql).await)).await;
        log.end(&res);
        if let Err(e) = &res {
            // A failed COMMIT may quote values (a deferred constraint): the message is shown
            // only where the user opted in.
            let kind = e.kind().label();
            if self.log_parameters {
                tracing::debug!(target: "kakaorm::tx", ?what, kind, error = %e, "transaction control failed");
            } else {
                tracing::debug!(target: "kakaorm::tx", ?what, kind, "transaction control failed");
            }
        }
        res
    }

    /// Opens a transaction with `sql` (the dialect's BEGIN). The transaction is recorded as
    /// open before BEGIN is sent, so a cancelled `begin` is rolled back before reuse.
    pub(crate) async fn begin(&mut self, sql: &str) -> Result<()> {
        self.begin_with(&[sql]).await
    }

    /// Opens a transaction with `statements` (the dialect's BEGIN with its isolation level
    /// and access mode; MySQL sets the level first), recorded as open before the first.
    pub(crate) async fn begin_with(&mut self, statements: &[&str]) -> Result<()> {
        self.check()?;
        self.state_mut().tx = TxState::Open;
        for sql in statements {
            self.control(Control::Begin, sql).await?;
        }
        Ok(())
    }

    /// Commits the open transaction.
    ///
    /// # Errors
    /// [`TransactionAborted`](ErrorKind::TransactionAborted) when the transaction can no
    /// longer commit (nothing is stored); a [`Connection`](ErrorKind::Connection) or
    /// [`Timeout`](ErrorKind::Timeout) error whose message says the outcome is unknown when
    /// the connection failed while COMMIT was under way.
    pub(crate) async fn commit(&mut self) -> Result<()> {
        if self.broken() {
            return Err(super::state::lost());
        }
        if self.tx_state() != TxState::Open {
            return Err(self.state().aborted());
        }
        match self.control(Control::Commit, "COMMIT").await {
            Ok(()) => {
                self.state_mut().recovered(TxState::Idle);
                Ok(())
            }
            Err(e) if matches!(e.kind(), ErrorKind::Connection | ErrorKind::Timeout) => Err(Error::new(
                e.kind(),
                format!("the outcome of COMMIT is unknown: the transaction may or may not be stored ({})", e.message()),
            )),
            Err(e) => Err(e),
        }
    }

    /// Rolls the transaction back. A broken connection needs nothing: closing it makes the
    /// server roll back.
    pub(crate) async fn rollback(&mut self) -> Result<()> {
        if self.broken() || self.tx_state() == TxState::Idle {
            return Ok(());
        }
        self.control(Control::Rollback, "ROLLBACK").await?;
        self.state_mut().recovered(TxState::Idle);
        Ok(())
    }

    /// `SAVEPOINT name`.
    pub(crate) async fn savepoint(&mut self, name: &str) -> Result<()> {
        self.check()?;
        self.control(Control::Savepoint, &format!("SAVEPOINT {name}")).await
    }

    /// `RELEASE SAVEPOINT name`.
    pub(crate) async fn release(&mut self, name: &str) -> Result<()> {
        self.check()?;
        self.control(Control::Release, &format!("RELEASE SAVEPOINT {name}")).await
    }

    /// `ROLLBACK TO SAVEPOINT name`; it recovers a transaction in which a statement failed
    /// (PostgreSQL), but not one the server has ended.
    pub(crate) async fn rollback_to(&mut self, name: &str) -> Result<()> {
        if self.broken() || self.tx_state() == TxState::Ended {
            return self.check();
        }
        self.control(Control::RollbackTo, &format!("ROLLBACK TO SAVEPOINT {name}")).await?;
        self.state_mut().recovered(TxState::Open);
        Ok(())
    }

    /// Rolls back whatever may be open on the connection (used before a held connection is
    /// reused).
    pub(crate) async fn reset(&mut self) -> Result<()> {
        if self.broken() {
            return Err(super::state::lost());
        }
        if self.tx_state() != TxState::Idle {
            let log = self.log("ROLLBACK", &[]);
            let res = self.guarded(async |c| dispatch!(c, c => c.reset().await)).await;
            log.end(&res);
            res?;
            self.state_mut().recovered(TxState::Idle);
        }
        Ok(())
    }

    /// Marks the open transaction as unable to commit, because an operation inside it
    /// stopped midway (`what` says which).
    pub(crate) fn poison(&mut self, what: &str) {
        self.state_mut().abort(TxState::Ended, format!("{what} was interrupted midway"));
    }

    /// Rolls back an open transaction without awaiting (used when a `Tx` is dropped); a
    /// broken connection is discarded instead.
    pub(crate) fn abandon_transaction(self) {
        dispatch!(self.inner, c => super::Abandon::abandon_transaction(c))
    }
}
