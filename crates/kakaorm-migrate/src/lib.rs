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

mod diff;
mod introspect;
mod plan;
mod rebuild;
pub mod schema;
mod sync;

pub use diff::{Change, Diff, DiffOptions, Rename, diff};
pub use introspect::{HISTORY_TABLE, introspect};
pub use plan::{Plan, Statement, StatementKind, apply, plan};
pub use schema::schema_of;
pub use sync::{SyncExt, SyncReport};
