//! What an SQLite URL may say: a path (or `:memory:`) and `?mode=`.

use crate::config::{SqliteMode, SqliteTarget};

/// Reads what follows `sqlite:`. With a `+driver` suffix in the scheme (`alias`), paths
/// follow SQLAlchemy's rule (three slashes relative, four absolute) and files are created
/// when missing.
pub(crate) fn parse_url(rest: &str, alias: bool) -> Result<SqliteTarget, String> {
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = match path.strip_prefix("//") {
        Some(p) if alias => p.strip_prefix('/').unwrap_or(p),
        Some(p) => p,
        None => path,
    };
    let mut mode = if alias { SqliteMode::Rwc } else { SqliteMode::Rw };
    let mut memory = matches!(path, ":memory:" | "");
    for (key, value) in ::url::form_urlencoded::parse(query.as_bytes()) {
        match (key.as_ref(), value.as_ref()) {
            ("mode", "ro") => mode = SqliteMode::Ro,
            ("mode", "rw") => mode = SqliteMode::Rw,
            ("mode", "rwc") => mode = SqliteMode::Rwc,
            ("mode", "memory") => memory = true,
            ("mode", other) => return Err(format!("unknown sqlite mode `{other}` (expected ro, rw, rwc or memory)")),
            (other, _) => return Err(format!("unknown sqlite parameter `{other}` (expected mode)")),
        }
    }
    if memory {
        return Ok(SqliteTarget::Memory);
    }
    Ok(SqliteTarget::File { path: path.to_owned(), mode })
}
