//! Migrations for kakaorm: introspect a live database into kakaorm's schema model, diff it
//! against the models, plan reversible UP/DOWN statements, write them as versioned,
//! checksummed files and apply them with a runner that holds a lock.
//!
//! Layout (one concern per module):
//! - `introspect`, `diff`, `plan`, `rebuild`: the schema engine;
//! - `files`, `runner`, `history`, `lock`, `embed`: versioned files and their runner.
#![warn(missing_docs)]
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![warn(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]

mod diff;
mod files;
mod history;
mod introspect;
mod lock;
mod plan;
mod rebuild;
mod runner;
pub mod schema;
mod sync;

pub use diff::{Change, Diff, DiffOptions, Rename, diff};
pub use files::{DOWN_FILE, Migration, MigrationSource, UP_FILE, is_valid_name, split_statements, write_migration};
pub use history::{AppliedMigration, HISTORY_TABLE};
pub use introspect::introspect;
pub use plan::{Plan, Statement, StatementKind, apply, plan};
pub use runner::{Direction, MigrationState, MigrationStatus, Migrator, Mismatch, Problem, Progress};
pub use schema::schema_of;
pub use sync::{SyncExt, SyncReport};
