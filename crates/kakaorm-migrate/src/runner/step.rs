//! One step of a run: a migration's statements and the history change that goes with them,
//! in a transaction of their own where DDL is transactional.

use kakaorm::{Connection, Error, ErrorKind, Executor, Result, execute_ddl};

use crate::files::Migration;
use crate::history;
use crate::lock::Hold;
use crate::plan::{Statement, StatementKind};

/// Which way a step goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Direction {
    /// Applying `up.sql`.
    Up,
    /// Reverting with `down.sql`.
    Down,
}

/// A migration to apply or revert, with its statements split for the backend.
pub(crate) struct Step<'m> {
    pub(crate) migration: &'m Migration,
    pub(crate) direction: Direction,
    pub(crate) statements: Vec<Statement>,
}

impl Step<'_> {
    /// Performs the step on the held connection: the statements that run before the
    /// transaction, then the others and the history change inside it (committed together,
    /// or rolled back together), then those that run after it, whatever happened. Returns
    /// `false`, doing nothing, when the history shows that a concurrent runner performed
    /// it already.
    pub(crate) async fn perform(&self, hold: &mut Hold) -> Result<bool> {
        self.run_kind(StatementKind::BeforeTransaction, hold.conn()).await?;
        hold.begin().await?;
        let outcome = self.inside(hold).await;
        let ended = hold.end(outcome.is_ok()).await;
        let after = self.run_kind(StatementKind::AfterTransaction, hold.conn()).await;
        let done = outcome?;
        ended.and(after).map(|()| done)
    }

    /// The statements and the history change, unless already done: in the open
    /// transaction, or on the held connection where DDL is not transactional.
    async fn inside(&self, hold: &Hold) -> Result<bool> {
        match hold.tx() {
            Some(tx) => self.inside_on(tx, true).await,
            None => self.inside_on(hold.conn(), false).await,
        }
    }

    /// [`inside`](Step::inside) on the executor `conn`; `atomic` when it is a transaction.
    async fn inside_on<E: Executor>(&self, conn: &E, atomic: bool) -> Result<bool> {
        let recorded = history::is_recorded(self.migration.name(), conn).await?;
        if recorded == (self.direction == Direction::Up) {
            return Ok(false);
        }
        for (i, s) in self.statements.iter().enumerate() {
            let outcome = match s.kind {
                StatementKind::Execute => execute_ddl(&s.sql, conn).await,
                StatementKind::ExpectNoRows => expect_no_rows(&s.sql, conn).await,
                _ => continue,
            };
            outcome.map_err(|cause| self.failed(i, rolled_back_or_kept(atomic, i), cause))?;
        }
        match self.direction {
            Direction::Up => history::record(self.migration, conn).await?,
            Direction::Down => history::forget(self.migration.name(), conn).await?,
        }
        Ok(true)
    }

    /// Runs the statements of `kind` (run outside the transaction) in order.
    async fn run_kind(&self, kind: StatementKind, conn: &Connection) -> Result<()> {
        for (i, s) in self.statements.iter().enumerate().filter(|(_, s)| s.kind == kind) {
            let note = "it runs outside the migration's transaction".to_owned();
            execute_ddl(&s.sql, conn).await.map_err(|cause| self.failed(i, note, cause))?;
        }
        Ok(())
    }

    /// The error for statement `index` failing with `cause`; `outcome` says what became
    /// of the step.
    fn failed(&self, index: usize, outcome: String, cause: Error) -> Error {
        let (verb, file) = match self.direction {
            Direction::Up => ("applying", crate::files::UP_FILE),
            Direction::Down => ("reverting", crate::files::DOWN_FILE),
        };
        let mut err = Error::new(
            ErrorKind::Migration,
            format!(
                "{verb} {} failed at statement {} of {} in {file}; {outcome}: {}",
                self.migration.name(),
                index + 1,
                self.statements.len(),
                cause.message()
            ),
        );
        if let Some(info) = cause.db_error() {
            err = err.with_db_info(info.clone());
        }
        err.with_source(cause)
    }
}

/// What became of a step whose statement `index` failed inside its transaction (`atomic`)
/// or, on MySQL, after the statements before it were committed.
fn rolled_back_or_kept(atomic: bool, index: usize) -> String {
    match (atomic, index) {
        (true, _) => "it was rolled back".to_owned(),
        (false, 0) => "nothing of it was applied".to_owned(),
        (false, n) => format!(
            "its first {n} statement(s) stay applied, since MySQL commits DDL at once: \
             finish or undo them by hand before running again"
        ),
    }
}

/// Runs a check whose rows are violations (SQLite's `PRAGMA foreign_key_check`).
async fn expect_no_rows<E: Executor>(sql: &str, conn: &E) -> Result<()> {
    let rows: Vec<()> = conn.fetch_raw(sql, vec![]).await?;
    match rows.len() {
        0 => Ok(()),
        n => Err(Error::new(ErrorKind::Migration, format!("the check found {n} violation(s)"))),
    }
}
