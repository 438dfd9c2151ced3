//! What the runner reports: where each migration stands, applied files that changed, and
//! progress during a run.

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::step::Direction;
use crate::files::{Migration, MigrationSource};
use crate::history::AppliedMigration;

/// Where one migration stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MigrationState {
    /// Applied at this time, and its file is present.
    Applied(DateTime<Utc>),
    /// Its file is present and it is not applied.
    Pending,
    /// Applied at this time, but its file is missing.
    Missing(DateTime<Utc>),
}

/// One migration in [`Migrator::status`](crate::Migrator::status).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MigrationStatus {
    /// The full name, `<version>_<name>`.
    pub name: String,
    /// Applied, pending or missing.
    pub state: MigrationState,
}

/// What changed in an applied migration's files.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// `up.sql` no longer has the checksum recorded when it was applied.
    ChecksumChanged {
        /// The SHA-256 recorded in the history.
        recorded: String,
        /// The SHA-256 of the file now.
        file: String,
    },
    /// `down.sql` differs from the copy recorded when it was applied.
    DownChanged,
    /// The migration's directory is gone.
    FileMissing,
}

/// An applied migration whose files changed, from [`Migrator::verify`](crate::Migrator::verify).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mismatch {
    /// The full name, `<version>_<name>`.
    pub name: String,
    /// What changed.
    pub problem: Problem,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.problem {
            Problem::ChecksumChanged { recorded, file } => {
                write!(f, "{}: up.sql changed since it was applied (checksum {file}, recorded {recorded})", self.name)
            }
            Problem::DownChanged => {
                write!(f, "{}: down.sql differs from the copy recorded when it was applied", self.name)
            }
            Problem::FileMissing => write!(f, "{}: applied, but its files are missing", self.name),
        }
    }
}

/// What a run is doing, passed to the callback of
/// [`Migrator::on_progress`](crate::Migrator::on_progress).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// The migration's full name.
    pub name: String,
    /// Applying or reverting.
    pub direction: Direction,
    /// Its position in this run, from 1.
    pub index: usize,
    /// How many migrations this run applies or reverts.
    pub total: usize,
    /// `None` when it starts; how long it took once done.
    pub elapsed: Option<Duration>,
}

/// The mismatch of one applied migration against `source`, if any.
pub(crate) fn mismatch(record: &AppliedMigration, source: &MigrationSource) -> Option<Mismatch> {
    let problem = match source.get(&record.name) {
        None => Problem::FileMissing,
        Some(m) if m.checksum() != record.checksum => {
            Problem::ChecksumChanged { recorded: record.checksum.clone(), file: m.checksum().to_owned() }
        }
        Some(m) if m.down_sql() != record.down_sql => Problem::DownChanged,
        Some(_) => return None,
    };
    Some(Mismatch { name: record.name.clone(), problem })
}

/// Every migration of the source and of the history, in name order.
pub(crate) fn status(applied: &[AppliedMigration], source: &MigrationSource) -> Vec<MigrationStatus> {
    let mut out: Vec<MigrationStatus> = source
        .migrations()
        .iter()
        .map(Migration::name)
        .map(|name| {
            let state = match applied.iter().find(|a| a.name == name) {
                Some(a) => MigrationState::Applied(a.applied_at),
                None => MigrationState::Pending,
            };
            MigrationStatus { name: name.to_owned(), state }
        })
        .collect();
    let missing = applied.iter().filter(|a| source.get(&a.name).is_none());
    out.extend(missing.map(|a| MigrationStatus { name: a.name.clone(), state: MigrationState::Missing(a.applied_at) }));
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
