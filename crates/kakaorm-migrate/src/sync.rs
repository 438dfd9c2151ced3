//! Development sync: bring the database to the models directly, without migration files.

use std::future::Future;

use kakaorm::{Db, ModelSet, Result};
use kakaorm_core::schema::Schema;

use crate::diff::{DiffOptions, diff};
use crate::introspect::introspect;
use crate::plan::{Statement, apply, up};

/// What a [`SyncExt::sync`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SyncReport {
    /// The statements applied (none when the schema was current).
    pub statements: Vec<Statement>,
    /// What was left alone: columns and tables the models lack (also logged through
    /// `tracing` at WARN level).
    pub warnings: Vec<String>,
}

/// `db.sync::<(User, Post)>()`: compares the models' tables with the database and applies
/// the difference. Missing tables are created and missing columns added (a NOT NULL one
/// filled for existing rows, see [`plan`](crate::plan())); columns the models lack are kept
/// and reported. Tables of other models are not touched. A current schema is left as is.
pub trait SyncExt {
    /// Applies the models' schema.
    ///
    /// # Errors
    /// Any database error (nothing is half-applied where DDL is transactional: PostgreSQL,
    /// SQLite); [`Unsupported`](kakaorm::ErrorKind::Unsupported) when the backend cannot
    /// express part of the schema.
    ///
    /// ```
    /// use kakaorm::prelude::*;
    /// use kakaorm_migrate::SyncExt;
    ///
    /// #[derive(Model, Debug)]
    /// #[kakaorm(table = "notes")]
    /// struct Note {
    ///     id: i64,
    ///     text: String,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// let first = db.sync::<(Note,)>().await?;
    /// assert_eq!(first.statements.len(), 1); // CREATE TABLE
    /// let again = db.sync::<(Note,)>().await?;
    /// assert!(again.statements.is_empty());
    /// # Ok(()) }
    /// ```
    fn sync<S: ModelSet>(&self) -> impl Future<Output = Result<SyncReport>> + Send;
}

impl SyncExt for Db {
    fn sync<S: ModelSet>(&self) -> impl Future<Output = Result<SyncReport>> + Send {
        let to = Schema::from_static(&S::schemas());
        async move {
            let live = introspect(self).await?;
            let from = Schema::new(live.tables.into_iter().filter(|t| to.table(&t.name).is_some()).collect());
            let d = diff(&from, &to, &DiffOptions::new(self.dialect()));
            for w in d.warnings() {
                tracing::warn!(target: "kakaorm::migrate", "sync: {w}");
            }
            let statements = up(&d, self.dialect())?;
            apply(&statements, self).await?;
            Ok(SyncReport { statements, warnings: d.warnings().to_vec() })
        }
    }
}
