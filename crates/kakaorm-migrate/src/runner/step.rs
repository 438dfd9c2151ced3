//! One step of a run: a migration's statements and the history change that goes with them,
//! applied under the runner's lock.

use kakaorm::{Backend, Error, ErrorKind, Executor, Result};

use crate::files::Migration;
use crate::history::{self, AppliedMigration};
use crate::lock::Hold;

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
    pub(crate) statements: Vec<String>,
}

impl Step<'_> {
    /// Runs the statements and records the step in the history, on `e`. A failure names
    /// the migration and the statement, and says how many ran before it.
    async fn perform<E: Executor>(&self, e: &E, atomic: bool) -> Result<()> {
        for (i, sql) in self.statements.iter().enumerate() {
            if let Err(cause) = e.execute_raw(sql, vec![]).await {
                return Err(self.failed(i, atomic, cause));
            }
        }
        match self.direction {
            Direction::Up => history::record(self.migration, e).await,
            Direction::Down => history::forget(self.migration.name(), e).await,
        }
    }

    fn failed(&self, index: usize, atomic: bool, cause: Error) -> Error {
        let (verb, file) = match self.direction {
            Direction::Up => ("applying", crate::files::UP_FILE),
            Direction::Down => ("reverting", crate::files::DOWN_FILE),
        };
        let outcome = match (atomic, index) {
            (true, _) => "it was rolled back".to_owned(),
            (false, 0) => "nothing of it was applied".to_owned(),
            (false, n) => format!(
                "its first {n} statement(s) stay applied, since MySQL commits DDL at once: \
                 finish or undo them by hand before running again"
            ),
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

impl Hold {
    /// Performs `step`: in a savepoint of the held transaction, which is rolled back when
    /// the step fails, or statement by statement on the held connection (MySQL).
    pub(crate) async fn perform(&mut self, step: &Step<'_>) -> Result<()> {
        match self {
            Hold::Transaction(tx) => {
                let sp = tx.begin().await?;
                match step.perform(&sp, true).await {
                    Ok(()) => sp.commit().await,
                    Err(e) => {
                        // The outer transaction still commits the steps before this one.
                        sp.rollback().await?;
                        Err(e)
                    }
                }
            }
            Hold::Session(lock) => step.perform(lock.conn(), false).await,
        }
    }

    /// The history, read inside the lock; the table is created first if missing.
    pub(crate) async fn history(&self, backend: Backend) -> Result<Vec<AppliedMigration>> {
        async fn read<E: Executor>(backend: Backend, e: &E) -> Result<Vec<AppliedMigration>> {
            history::ensure(e).await?;
            history::applied(backend, e).await
        }
        match self {
            Hold::Transaction(tx) => read(backend, tx).await,
            Hold::Session(lock) => read(backend, lock.conn()).await,
        }
    }

    /// Commits the steps performed and releases the lock.
    pub(crate) async fn finish(self) -> Result<()> {
        match self {
            Hold::Transaction(tx) => tx.commit().await,
            Hold::Session(lock) => lock.release().await,
        }
    }
}
