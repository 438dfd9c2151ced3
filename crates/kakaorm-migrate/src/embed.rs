//! Migrations compiled into the binary by [`embed_migrations!`], so that a deployed service
//! migrates itself at start-up without the files on disk.

use kakaorm::Result;

use crate::files::{Migration, MigrationSource};
use crate::runner::Migrator;

/// Compiles a migrations directory into the binary as [`EmbeddedMigrations`].
///
/// The path is relative to the directory of the crate's `Cargo.toml` (`"migrations"` when
/// omitted). Each `<UTC timestamp>_<name>/` directory in it becomes one migration whose
/// `up.sql` and `down.sql` are read with `include_str!`, so editing a file rebuilds the
/// crate. A directory with a name that is not a migration name, or without both files,
/// is a compile error. Cargo does not notice a *new* directory by itself: add a build
/// script with `println!("cargo:rerun-if-changed=migrations");` so that one is picked up.
///
/// ```
/// use kakaorm_migrate::{EmbeddedMigrations, embed_migrations};
///
/// // Usually `embed_migrations!()`, for `migrations/` beside `Cargo.toml`.
/// static MIGRATIONS: EmbeddedMigrations = embed_migrations!("tests/fixtures/migrations");
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// let applied = MIGRATIONS.migrator()?.run(&db).await?; // at start-up, before serving
/// assert_eq!(applied, ["20260101000000_create_notes", "20260102000000_seed_notes"]);
/// # Ok(()) }
/// ```
pub use kakaorm_migrate_macros::embed_migrations;

/// One migration compiled into the binary. Written by [`embed_migrations!`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedMigration {
    name: &'static str,
    up: &'static str,
    down: &'static str,
}

impl EmbeddedMigration {
    /// A migration with the given full name (`<version>_<name>`) and file texts; checked
    /// when the set becomes a [`MigrationSource`].
    pub const fn new(name: &'static str, up: &'static str, down: &'static str) -> EmbeddedMigration {
        EmbeddedMigration { name, up, down }
    }

    /// The full name, `<version>_<name>`.
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

/// The migrations of a directory, compiled into the binary by [`embed_migrations!`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbeddedMigrations {
    migrations: &'static [EmbeddedMigration],
}

impl EmbeddedMigrations {
    /// A set of embedded migrations, in any order.
    pub const fn new(migrations: &'static [EmbeddedMigration]) -> EmbeddedMigrations {
        EmbeddedMigrations { migrations }
    }

    /// The migrations, as embedded.
    pub const fn migrations(&self) -> &'static [EmbeddedMigration] {
        self.migrations
    }

    /// The migrations as a source, with their checksums.
    ///
    /// # Errors
    /// [`Migration`](kakaorm::ErrorKind::Migration) for a malformed name or a name that
    /// appears twice.
    pub fn source(&self) -> Result<MigrationSource> {
        let all = self.migrations.iter().map(|m| Migration::new(m.name, m.up, m.down));
        MigrationSource::new(all.collect::<Result<Vec<_>>>()?)
    }

    /// A runner for these migrations.
    ///
    /// # Errors
    /// As [`source`](EmbeddedMigrations::source).
    pub fn migrator(&self) -> Result<Migrator> {
        self.source().map(Migrator::new)
    }
}
