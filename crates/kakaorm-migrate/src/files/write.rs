//! Writing a new migration directory from planned statements.

use std::fmt::{Display, Write as _};
use std::path::{Path, PathBuf};

use kakaorm::Result;

use super::directive::directive;
use super::name::{VERSION_LEN, check_label, next_version};
use super::{DOWN_FILE, UP_FILE, io_error, parse_full};
use crate::plan::{Plan, Statement};

/// Writes a new migration `<dir>/<UTC timestamp>_<name>/` with `up.sql` and `down.sql`,
/// one statement per paragraph, each ending in `;`. The directory `dir` is created if
/// needed. The timestamp is the current UTC second, or one second past the latest existing
/// migration, so the new one always applies last. Returns the new migration's directory.
///
/// Statements are anything that displays as SQL (`String`, `&str`, a planned statement);
/// the DOWN statements should undo the UP ones, in the order that does so.
///
/// # Errors
/// [`InvalidInput`](kakaorm::ErrorKind::InvalidInput) when `name` is empty, too long, or has a
/// character other than letters, digits, `_` and `-`; [`Migration`](kakaorm::ErrorKind::Migration)
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
    write_texts(dir.as_ref(), name, &plain(up), &plain(down))
}

/// Writes `plan` as a new migration, as [`write_migration`] does, keeping when each
/// statement runs: a statement that must run outside the migration's transaction (SQLite's
/// `PRAGMA foreign_keys = OFF` around a table rebuild) or that checks for violations gets
/// a `-- kakaorm:` directive line above it. The plan's warnings head `up.sql` as comments.
///
/// # Errors
/// As [`write_migration`].
///
/// ```
/// use kakaorm::{Backend, ColumnType};
/// use kakaorm_migrate::schema::{Column, Schema, Table};
/// use kakaorm_migrate::{DiffOptions, diff, plan};
///
/// let mut t = Table::new("notes");
/// t.columns.push(Column::new("id", ColumnType::BigInt));
/// let d = Backend::Sqlite.dialect();
/// let p = plan(&diff(&Schema::new(vec![]), &Schema::new(vec![t]), &DiffOptions::new(d)), d)?;
/// # let dir = std::env::temp_dir().join(format!("kakaorm-doc-plan-{}", std::process::id()));
/// let path = kakaorm_migrate::write_plan(&dir, "notes", &p)?;
/// let m = kakaorm_migrate::MigrationSource::from_dir(&dir)?.migrations()[0].clone();
/// assert_eq!(m.up_statements(Backend::Sqlite)?, p.up);
/// assert_eq!(m.down_statements(Backend::Sqlite)?, p.down);
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), kakaorm::Error>(())
/// ```
pub fn write_plan(dir: impl AsRef<Path>, name: &str, plan: &Plan) -> Result<PathBuf> {
    let coded = |all: &[Statement]| render(all.iter().map(|s| (directive(s.kind), s.sql.clone())));
    let warnings: String = plan.warnings.iter().map(|w| format!("-- warning: {}\n", w.replace('\n', " "))).collect();
    let up = match warnings.is_empty() {
        true => coded(&plan.up),
        false => format!("{warnings}\n{}", coded(&plan.up)),
    };
    write_texts(dir.as_ref(), name, &up, &coded(&plan.down))
}

/// The file text of statements that run inside the transaction.
fn plain<S: Display>(statements: &[S]) -> String {
    render(statements.iter().map(|s| (None, s.to_string())))
}

/// Writes the directory of a new migration with the given file texts.
fn write_texts(dir: &Path, name: &str, up: &str, down: &str) -> Result<PathBuf> {
    check_label(name)?;
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let version = next_version(latest_version(dir)?.as_deref());
    let path = dir.join(format!("{version}_{name}"));
    std::fs::create_dir(&path).map_err(|e| io_error(&path, &e))?;
    let write =
        |file: &str, text: &str| std::fs::write(path.join(file), text).map_err(|e| io_error(&path.join(file), &e));
    let written = write(UP_FILE, up).and_then(|()| write(DOWN_FILE, down));
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

/// The file text of `statements`: each trimmed, under its directive line if it has one,
/// ended by `;`, separated by a blank line.
fn render(statements: impl Iterator<Item = (Option<&'static str>, String)>) -> String {
    let mut out = String::new();
    for (directive, text) in statements {
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        if let Some(line) = directive {
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "{}{}", text, if text.ends_with(';') { "" } else { ";" });
    }
    out
}

#[cfg(test)]
mod tests {
    use kakaorm::ErrorKind;

    use crate::plan::StatementKind;

    use super::*;

    #[test]
    fn renders_one_statement_per_paragraph() {
        assert_eq!(
            plain(&["CREATE TABLE a (x INT)", " DROP TABLE b; ", ""]),
            "CREATE TABLE a (x INT);\n\nDROP TABLE b;\n"
        );
        assert_eq!(plain::<&str>(&[]), "");
        let coded = [(directive(StatementKind::BeforeTransaction), "PRAGMA foreign_keys = OFF".to_owned())];
        assert_eq!(render(coded.into_iter()), "-- kakaorm:before-transaction\nPRAGMA foreign_keys = OFF;\n");
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
