//! Writing a new migration directory from planned statements.

use std::fmt::{Display, Write as _};
use std::path::{Path, PathBuf};

use kakaorm::Result;

use super::name::{VERSION_LEN, check_label, next_version};
use super::{DOWN_FILE, UP_FILE, io_error, parse_full};

/// Writes a new migration `<dir>/<UTC timestamp>_<name>/` with `up.sql` and `down.sql`,
/// one statement per paragraph, each ending in `;`. The directory `dir` is created if
/// needed. The timestamp is the current UTC second, or one second past the latest existing
/// migration, so the new one always applies last. Returns the new migration's directory.
///
/// Statements are anything that displays as SQL (`String`, `&str`, a planned statement);
/// the DOWN statements should undo the UP ones, in the order that does so.
///
/// # Errors
/// [`InvalidInput`](ErrorKind::InvalidInput) when `name` is empty, too long, or has a
/// character other than letters, digits, `_` and `-`; [`Migration`](ErrorKind::Migration)
/// when the files cannot be written (nothing is left behind).
///
/// ```
/// # let dir = std::env::temp_dir().join(format!("kakaorm-doc-write-{}", std::process::id()));
/// let path = kakaorm_migrate::write_migration(&dir, "add_users", &["CREATE TABLE users (id INT)"], &["DROP TABLE users"])?;
/// assert_eq!(std::fs::read_to_string(path.join("up.sql")).unwrap(), "CREATE TABLE users (id INT);\n");
/// assert!(kakaorm_migrate::write_migration(&dir, "no spaces", &["SELECT 1"], &["SELECT 1"]).is_err());
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), kakaorm::Error>(())
/// ```
pub fn write_migration<U: Display, D: Display>(
    dir: impl AsRef<Path>,
    name: &str,
    up: &[U],
    down: &[D],
) -> Result<PathBuf> {
    check_label(name)?;
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let version = next_version(latest_version(dir)?.as_deref());
    let path = dir.join(format!("{version}_{name}"));
    std::fs::create_dir(&path).map_err(|e| io_error(&path, &e))?;
    let written = write_file(&path.join(UP_FILE), up).and_then(|()| write_file(&path.join(DOWN_FILE), down));
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&path);
        return Err(e);
    }
    tracing::info!(target: "kakaorm::migrate", migration = %path.display(), "migration written");
    Ok(path)
}

/// The latest version among the migration directories in `dir`.
fn latest_version(dir: &Path) -> Result<Option<String>> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, &e))?;
    let mut latest: Option<String> = None;
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, &e))?;
        let name = entry.file_name();
        let Some(version) = name.to_str().and_then(|n| parse_full(n).ok()).map(|(v, _)| v.to_owned()) else {
            continue;
        };
        if latest.as_ref().is_none_or(|l| *l < version) {
            latest = Some(version);
        }
    }
    Ok(latest.filter(|v| v.len() == VERSION_LEN))
}

/// The file text of `statements`: each trimmed, ended by `;`, separated by a blank line.
fn render<S: Display>(statements: &[S]) -> String {
    let mut out = String::new();
    for s in statements {
        let text = s.to_string();
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "{}{}", text, if text.ends_with(';') { "" } else { ";" });
    }
    out
}

fn write_file<S: Display>(path: &Path, statements: &[S]) -> Result<()> {
    std::fs::write(path, render(statements)).map_err(|e| io_error(path, &e))
}

#[cfg(test)]
mod tests {
    use kakaorm::ErrorKind;

    use super::*;

    #[test]
    fn renders_one_statement_per_paragraph() {
        assert_eq!(
            render(&["CREATE TABLE a (x INT)", " DROP TABLE b; ", ""]),
            "CREATE TABLE a (x INT);\n\nDROP TABLE b;\n"
        );
        assert_eq!(render::<&str>(&[]), "");
    }

    #[test]
    fn new_migrations_sort_last() {
        let dir = std::env::temp_dir().join(format!("kakaorm-write-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("29991231235959_future")).unwrap();
        let path = write_migration(&dir, "next", &["SELECT 1"], &["SELECT 2"]).unwrap();
        assert!(path.ends_with("30000101000000_next"), "{}", path.display());
        let again = write_migration(&dir, "after", &["SELECT 1"], &["SELECT 2"]).unwrap();
        assert!(again.ends_with("30000101000001_after"), "{}", again.display());
        assert_eq!(std::fs::read_to_string(again.join("down.sql")).unwrap(), "SELECT 2;\n");
        let bad = write_migration(&dir, "a/b", &["SELECT 1"], &["SELECT 2"]).unwrap_err();
        assert_eq!(bad.kind(), ErrorKind::InvalidInput);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
