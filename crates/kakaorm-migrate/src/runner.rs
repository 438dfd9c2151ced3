//! `Migrator`: applies pending migrations in order, reverts the latest ones, and reports
//! where each stands, under a lock so that concurrent runners apply each migration once.

mod report;
mod step;

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kakaorm::{Db, Error, ErrorKind, Result};

pub use report::{MigrationState, MigrationStatus, Mismatch, Problem, Progress};
pub use step::Direction;

use crate::files::{Migration, MigrationSource, parse_full};
use crate::history::{self, AppliedMigration};
use crate::lock::{self, Hold};
use step::Step;

/// The callback of [`Migrator::on_progress`].
type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Applies and reverts the migrations of a [`MigrationSource`] on a database, recording each
/// in the history table `kakaorm_migrations` with the SHA-256 of its `up.sql` and the text
/// of its `down.sql`.
///
/// Every run holds a lock for its whole length (see [`run`](Migrator::run)), so runners
/// started at once on several machines apply each migration exactly once.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// use kakaorm_migrate::{MigrationState, Migrator};
/// # let dir = std::env::temp_dir().join(format!("kakaorm-doc-migrator-{}", std::process::id()));
/// kakaorm_migrate::write_migration(&dir, "init", &["CREATE TABLE t (x INT)"], &["DROP TABLE t"])?;
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// let migrator = Migrator::from_dir(&dir)?;
/// assert_eq!(migrator.run(&db).await?.len(), 1);
/// assert!(migrator.run(&db).await?.is_empty()); // nothing pending
/// assert!(matches!(migrator.status(&db).await?[0].state, MigrationState::Applied(_)));
/// migrator.downgrade(1, &db).await?;
/// assert_eq!(migrator.status(&db).await?[0].state, MigrationState::Pending);
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Migrator {
    source: MigrationSource,
    lock_timeout: Duration,
    progress: Option<ProgressFn>,
}

impl fmt::Debug for Migrator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Migrator")
            .field("migrations", &self.source.migrations().len())
            .field("lock_timeout", &self.lock_timeout)
            .finish()
    }
}

impl Migrator {
    /// A runner for the migrations of `source`.
    pub fn new(source: MigrationSource) -> Migrator {
        Migrator { source, lock_timeout: Duration::from_secs(60), progress: None }
    }

    /// A runner for the migrations in the directory `dir`.
    ///
    /// # Errors
    /// As [`MigrationSource::from_dir`].
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Migrator> {
        MigrationSource::from_dir(dir).map(Migrator::new)
    }

    /// How long a run waits for the lock that a concurrent runner holds (default 60 s).
    #[must_use]
    pub fn lock_timeout(mut self, timeout: Duration) -> Migrator {
        self.lock_timeout = timeout;
        self
    }

    /// Calls `f` as each migration of a run starts and ends.
    #[must_use]
    pub fn on_progress(mut self, f: impl Fn(&Progress) + Send + Sync + 'static) -> Migrator {
        self.progress = Some(Arc::new(f));
        self
    }

    /// The migrations this runner knows.
    pub fn source(&self) -> &MigrationSource {
        &self.source
    }

    /// Applies the pending migrations in order and returns their names.
    ///
    /// On PostgreSQL and SQLite the run is one transaction holding the lock, and each
    /// migration runs in a savepoint of it: a migration that fails is rolled back whole,
    /// the ones before it are committed, and the error names it. MySQL commits DDL at once,
    /// so there each statement is applied as it runs, under `GET_LOCK`; a migration that
    /// fails midway leaves its earlier statements applied and unrecorded, which the error
    /// says.
    ///
    /// # Errors
    /// [`Migration`](ErrorKind::Migration) when an applied migration's `up.sql` changed
    /// (nothing is applied; see [`verify`](Migrator::verify)), a file does not split into
    /// statements, a statement fails, or the lock stays busy past the
    /// [lock timeout](Migrator::lock_timeout).
    pub async fn run(&self, db: &Db) -> Result<Vec<String>> {
        let backend = db.backend();
        self.locked(db, async |hold, applied| {
            if let Some(changed) = applied
                .iter()
                .filter_map(|a| report::mismatch(a, &self.source))
                .find(|m| matches!(m.problem, Problem::ChecksumChanged { .. }))
            {
                return Err(Error::new(ErrorKind::Migration, format!("refusing to migrate: {changed}")));
            }
            for gone in applied.iter().filter(|a| self.source.get(&a.name).is_none()) {
                tracing::warn!(target: "kakaorm::migrate", migration = %gone.name, "applied migration has no file");
            }
            let pending = self.source.migrations().iter().filter(|m| !applied.iter().any(|a| a.name == m.name()));
            let steps = pending
                .map(|m| Ok(Step { migration: m, direction: Direction::Up, statements: m.up_statements(backend)? }))
                .collect::<Result<Vec<_>>>()?;
            self.perform_all(hold, &steps).await
        })
        .await
    }

    /// Reverts the latest `steps` applied migrations, newest first, with the DOWN
    /// statements of their files, and returns their names. `0` does nothing. Every one of
    /// them is checked before any is reverted. Transactions and the lock are as for
    /// [`run`](Migrator::run).
    ///
    /// # Errors
    /// [`InvalidInput`](ErrorKind::InvalidInput) when fewer than `steps` migrations are
    /// applied; [`Migration`](ErrorKind::Migration), with nothing reverted, when one of them
    /// has no file, a recorded name that is not a migration name (it could resolve outside
    /// the directory), a `down.sql` that differs from the copy recorded when it was applied,
    /// or an `up.sql` that changed since; as [`run`](Migrator::run) for a failing statement.
    pub async fn downgrade(&self, steps: usize, db: &Db) -> Result<Vec<String>> {
        if steps == 0 {
            return Ok(Vec::new());
        }
        let backend = db.backend();
        self.locked(db, async |hold, applied| {
            if steps > applied.len() {
                return Err(Error::invalid_input(format!(
                    "cannot revert {steps} migration(s): {} applied",
                    applied.len()
                )));
            }
            let latest = applied.iter().rev().take(steps);
            let checked = latest.map(|a| self.revertible(a)).collect::<Result<Vec<_>>>()?;
            let steps = checked
                .into_iter()
                .map(|m| Ok(Step { migration: m, direction: Direction::Down, statements: m.down_statements(backend)? }))
                .collect::<Result<Vec<_>>>()?;
            self.perform_all(hold, &steps).await
        })
        .await
    }

    /// The applied migration `record`'s file, if it may be reverted with it.
    fn revertible(&self, record: &AppliedMigration) -> Result<&Migration> {
        let refuse = |why: String| Err(Error::new(ErrorKind::Migration, format!("refusing to downgrade: {why}")));
        if parse_full(&record.name).is_err() {
            return refuse(format!("the history names {:?}, which is not a migration name", record.name));
        }
        match (report::mismatch(record, &self.source), self.source.get(&record.name)) {
            (Some(problem), _) => refuse(problem.to_string()),
            (None, Some(m)) => Ok(m),
            (None, None) => refuse(format!("{}: applied, but its files are missing", record.name)),
        }
    }

    /// Where every migration of the source and of the history stands, in name order.
    /// Nothing is written: a database without a history has every migration pending.
    ///
    /// # Errors
    /// Any database error.
    pub async fn status(&self, db: &Db) -> Result<Vec<MigrationStatus>> {
        Ok(report::status(&self.history(db).await?, &self.source))
    }

    /// The applied migrations, in the order they were applied (none when the history table
    /// does not exist; nothing is created).
    ///
    /// # Errors
    /// Any database error.
    pub async fn history(&self, db: &Db) -> Result<Vec<AppliedMigration>> {
        history::applied(db.backend(), db).await
    }

    /// Every applied migration whose files changed since it was applied: a different
    /// `up.sql` checksum, a different `down.sql`, or files gone. Empty when all is well.
    ///
    /// # Errors
    /// Any database error.
    pub async fn verify(&self, db: &Db) -> Result<Vec<Mismatch>> {
        let applied = self.history(db).await?;
        Ok(applied.iter().filter_map(|a| report::mismatch(a, &self.source)).collect())
    }

    /// Takes the lock, reads the history (creating its table if needed), runs `work`, then
    /// commits what it did and releases the lock, whether or not `work` succeeded.
    async fn locked<T>(
        &self,
        db: &Db,
        work: impl AsyncFnOnce(&mut Hold, Vec<AppliedMigration>) -> Result<T>,
    ) -> Result<T> {
        let mut hold = lock::acquire(db, self.lock_timeout).await?;
        let applied = hold.history(db.backend()).await?;
        let outcome = work(&mut hold, applied).await;
        let finished = hold.finish().await;
        match (outcome, finished) {
            (Err(e), Err(also)) => {
                tracing::warn!(target: "kakaorm::migrate", error = %also, "finishing the failed run failed too");
                Err(e)
            }
            (Err(e), Ok(())) | (Ok(_), Err(e)) => Err(e),
            (Ok(v), Ok(())) => Ok(v),
        }
    }

    /// Performs `steps` in order, reporting progress; stops at the first failure.
    async fn perform_all(&self, hold: &mut Hold, steps: &[Step<'_>]) -> Result<Vec<String>> {
        let mut done = Vec::with_capacity(steps.len());
        for (i, step) in steps.iter().enumerate() {
            let name = step.migration.name();
            let report = |elapsed| Progress {
                name: name.to_owned(),
                direction: step.direction,
                index: i + 1,
                total: steps.len(),
                elapsed,
            };
            self.report(&report(None));
            let start = Instant::now();
            hold.perform(step).await?;
            let elapsed = start.elapsed();
            tracing::info!(target: "kakaorm::migrate", migration = name, direction = ?step.direction, ?elapsed, "done");
            self.report(&report(Some(elapsed)));
            done.push(name.to_owned());
        }
        Ok(done)
    }

    fn report(&self, p: &Progress) {
        if let Some(f) = &self.progress {
            f(p);
        }
    }
}
