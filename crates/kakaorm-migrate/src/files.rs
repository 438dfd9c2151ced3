//! Versioned migration files: `migrations/<UTC timestamp>_<name>/up.sql` and `down.sql`,
//! read from a directory or embedded in the binary, and written from planned statements.

mod name;
mod split;
mod write;

use std::fmt;
use std::path::Path;

use kakaorm::{Backend, Error, ErrorKind, Result};
use sha2::{Digest, Sha256};

pub use name::is_valid_name;
pub(crate) use name::parse_full;
pub use split::split_statements;
pub use write::write_migration;

/// The file with a migration's UP statements.
pub const UP_FILE: &str = "up.sql";
/// The file with a migration's DOWN statements.
pub const DOWN_FILE: &str = "down.sql";

/// One migration: its name, the text of its UP and DOWN files, and the checksum of UP.
#[derive(Clone, PartialEq, Eq)]
pub struct Migration {
    name: String,
    up: String,
    down: String,
    checksum: String,
}

impl fmt::Debug for Migration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Migration").field("name", &self.name).field("checksum", &self.checksum).finish()
    }
}

impl Migration {
    /// A migration named `<version>_<name>` with the given UP and DOWN text.
    ///
    /// # Errors
    /// [`Migration`](ErrorKind::Migration) when `full_name` is not a 14-digit UTC timestamp,
    /// `_`, and a name of letters, digits, `_` and `-`.
    ///
    /// ```
    /// let m = kakaorm_migrate::Migration::new("20260101000000_init", "CREATE TABLE t (x INT);", "DROP TABLE t;")?;
    /// assert_eq!(m.version(), "20260101000000");
    /// assert_eq!(m.checksum().len(), 64);
    /// # Ok::<(), kakaorm::Error>(())
    /// ```
    pub fn new(full_name: impl Into<String>, up: impl Into<String>, down: impl Into<String>) -> Result<Migration> {
        let name = full_name.into();
        parse_full(&name)?;
        let up = up.into();
        let checksum = checksum(&up);
        Ok(Migration { name, up, down: down.into(), checksum })
    }

    /// The full name, `<version>_<name>`: the directory's name, and the key in the history.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The version: the UTC timestamp the name starts with, `YYYYMMDDHHMMSS`.
    pub fn version(&self) -> &str {
        self.name.split_once('_').map_or("", |(v, _)| v)
    }

    /// The text of `up.sql`.
    pub fn up_sql(&self) -> &str {
        &self.up
    }

    /// The text of `down.sql`.
    pub fn down_sql(&self) -> &str {
        &self.down
    }

    /// The SHA-256 of `up.sql`, in lowercase hex.
    pub fn checksum(&self) -> &str {
        &self.checksum
    }

    /// The UP statements for `backend` (see [`split_statements`]).
    ///
    /// # Errors
    /// As [`split_statements`], naming the file.
    pub fn up_statements(&self, backend: Backend) -> Result<Vec<String>> {
        self.statements(&self.up, UP_FILE, backend)
    }

    /// The DOWN statements for `backend` (see [`split_statements`]).
    ///
    /// # Errors
    /// As [`split_statements`], naming the file.
    pub fn down_statements(&self, backend: Backend) -> Result<Vec<String>> {
        self.statements(&self.down, DOWN_FILE, backend)
    }

    fn statements(&self, text: &str, file: &str, backend: Backend) -> Result<Vec<String>> {
        split_statements(text, backend)
            .map_err(|e| Error::new(ErrorKind::Migration, format!("{}/{file}: {}", self.name, e.message())))
    }
}

/// The SHA-256 of `text` in lowercase hex.
pub(crate) fn checksum(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().fold(String::with_capacity(64), |mut hex, b| {
        use std::fmt::Write as _;
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

/// The migrations a runner knows, ordered by name (so by version): read from a directory
/// with [`MigrationSource::from_dir`], or compiled into the binary with
/// [`embed_migrations!`](crate::embed_migrations).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationSource {
    migrations: Vec<Migration>,
}

impl MigrationSource {
    /// Reads every `<version>_<name>/` directory under `dir`, each with an `up.sql` and a
    /// `down.sql`. Hidden entries (`.gitkeep`) and plain files are skipped.
    ///
    /// # Errors
    /// [`Migration`](ErrorKind::Migration) when `dir` cannot be read, a directory's name is
    /// not a migration name, or a file is missing or not UTF-8.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("kakaorm-doc-source-{}", std::process::id()));
    /// kakaorm_migrate::write_migration(&dir, "init", &["CREATE TABLE t (x INT)"], &["DROP TABLE t"])?;
    /// let source = kakaorm_migrate::MigrationSource::from_dir(&dir)?;
    /// assert!(source.migrations()[0].name().ends_with("_init"));
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), kakaorm::Error>(())
    /// ```
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<MigrationSource> {
        let dir = dir.as_ref();
        let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, &e))?;
        let mut migrations = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| io_error(dir, &e))?;
            let file_name = entry.file_name();
            let hidden = file_name.to_str().is_some_and(|n| n.starts_with('.'));
            if hidden || !entry.path().is_dir() {
                continue;
            }
            let Some(name) = file_name.to_str() else {
                return Err(Error::new(
                    ErrorKind::Migration,
                    format!("{} is not a migration name", entry.path().display()),
                ));
            };
            let read = |file: &str| {
                let path = entry.path().join(file);
                std::fs::read_to_string(&path).map_err(|e| io_error(&path, &e))
            };
            migrations.push(Migration::new(name, read(UP_FILE)?, read(DOWN_FILE)?)?);
        }
        MigrationSource::new(migrations)
    }

    /// A source of the given migrations, sorted by name.
    ///
    /// # Errors
    /// [`Migration`](ErrorKind::Migration) when two migrations share a name.
    pub fn new(mut migrations: Vec<Migration>) -> Result<MigrationSource> {
        migrations.sort_by(|a, b| a.name.cmp(&b.name));
        if let Some(w) = migrations.windows(2).find(|w| w[0].name == w[1].name) {
            return Err(Error::new(ErrorKind::Migration, format!("migration {} appears twice", w[0].name)));
        }
        Ok(MigrationSource { migrations })
    }

    /// The migrations, oldest first.
    pub fn migrations(&self) -> &[Migration] {
        &self.migrations
    }

    /// The migration called `name`, if the source has it.
    pub fn get(&self, name: &str) -> Option<&Migration> {
        self.migrations.binary_search_by(|m| m.name.as_str().cmp(name)).ok().and_then(|i| self.migrations.get(i))
    }
}

/// A file-system failure on `path`, as a migration error.
pub(crate) fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::Migration, format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_is_sha256_hex() {
        assert_eq!(checksum(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    #[test]
    fn source_sorts_and_rejects_duplicates() {
        let m = |n: &str| Migration::new(n, "", "").unwrap();
        let s = MigrationSource::new(vec![m("20260102000000_b"), m("20260101000000_a")]).unwrap();
        let names: Vec<_> = s.migrations().iter().map(Migration::name).collect();
        assert_eq!(names, ["20260101000000_a", "20260102000000_b"]);
        assert!(s.get("20260102000000_b").is_some());
        assert!(s.get("20260102000000_c").is_none());
        let dup = MigrationSource::new(vec![m("20260101000000_a"), m("20260101000000_a")]).unwrap_err();
        assert_eq!(dup.kind(), ErrorKind::Migration);
        assert_eq!(Migration::new("../x", "", "").unwrap_err().kind(), ErrorKind::Migration);
    }
}
