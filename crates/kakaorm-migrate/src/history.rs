//! The history table `kakaorm_migrations`: one row per applied migration, with the
//! checksum of its UP file and the text of its DOWN file.

use chrono::{DateTime, Utc};
use kakaorm::{Backend, CreateExt, Executor, Model, ModelExt, Result};

use crate::files::Migration;

/// The name of the history table.
pub const HISTORY_TABLE: &str = "kakaorm_migrations";

/// One applied migration, as the history table `kakaorm_migrations` records it. It is a
/// model: query it like any other (`AppliedMigration::all(&db)`), but let the
/// [`Migrator`](crate::Migrator) write it.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "kakaorm_migrations")]
#[non_exhaustive]
pub struct AppliedMigration {
    /// The order of application.
    pub id: i64,
    /// The migration's full name, `<version>_<name>`.
    #[kakaorm(max_length = 200, unique)]
    pub name: String,
    /// The SHA-256 of its `up.sql` when it was applied, in lowercase hex.
    #[kakaorm(max_length = 64)]
    pub checksum: String,
    /// When it was applied.
    pub applied_at: DateTime<Utc>,
    /// The text of its `down.sql` when it was applied.
    pub down_sql: String,
}

/// The query that counts history tables where unqualified statements find them: the
/// current schema (PostgreSQL), the current database (MySQL) or the main database (SQLite).
fn exists_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'kakaorm_migrations'"
        }
        Backend::Mysql => {
            "SELECT COUNT(*) FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_name = 'kakaorm_migrations'"
        }
        _ => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'kakaorm_migrations'",
    }
}

/// Creates the history table unless it exists.
pub(crate) async fn ensure<E: Executor>(e: &E) -> Result<()> {
    e.create_table_if_not_exists::<AppliedMigration>().await
}

/// The applied migrations, in the order they were applied; none when the history table
/// does not exist yet (nothing is created).
pub(crate) async fn applied<E: Executor>(backend: Backend, e: &E) -> Result<Vec<AppliedMigration>> {
    let found: Vec<i64> = e.fetch_raw(exists_sql(backend), vec![]).await?;
    if found.first().copied().unwrap_or(0) == 0 {
        return Ok(Vec::new());
    }
    AppliedMigration::query().order_by(AppliedMigration::id).all(e).await
}

/// Records `m` as applied now.
pub(crate) async fn record<E: Executor>(m: &Migration, e: &E) -> Result<()> {
    AppliedMigration::create()
        .name(m.name())
        .checksum(m.checksum())
        .applied_at(Utc::now())
        .down_sql(m.down_sql())
        .exec(e)
        .await
        .map(drop)
}

/// Removes the record of `name`.
pub(crate) async fn forget<E: Executor>(name: &str, e: &E) -> Result<()> {
    AppliedMigration::filter(AppliedMigration::name.eq(name)).delete(e).await.map(drop)
}
