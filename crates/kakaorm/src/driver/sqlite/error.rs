//! Mapping rusqlite errors to kakaorm errors.

use kakaorm_core::{DbErrorInfo, Error, ErrorKind};
use rusqlite::ffi;

/// Maps a driver error by its extended result code.
pub(crate) fn map_error(e: rusqlite::Error) -> Error {
    let (failure, message) = match e {
        rusqlite::Error::SqliteFailure(failure, message) => (failure, message),
        // A statement that does not prepare (a syntax error, an unknown column).
        rusqlite::Error::SqlInputError { error, msg, .. } => (error, Some(msg)),
        e => return Error::new(ErrorKind::Database, format!("sqlite: {e}")).with_source(e),
    };
    let kind = match failure.extended_code {
        ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => ErrorKind::UniqueViolation,
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => ErrorKind::ForeignKeyViolation,
        // ON DELETE RESTRICT reports through the trigger code.
        ffi::SQLITE_CONSTRAINT_TRIGGER if message.as_deref().is_some_and(|m| m.contains("FOREIGN KEY")) => {
            ErrorKind::ForeignKeyViolation
        }
        ffi::SQLITE_CONSTRAINT_NOTNULL => ErrorKind::NotNullViolation,
        ffi::SQLITE_CONSTRAINT_CHECK => ErrorKind::CheckViolation,
        _ => match failure.code {
            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => ErrorKind::SerializationFailure,
            rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::NotADatabase => ErrorKind::Connection,
            _ => ErrorKind::Database,
        },
    };
    let text = message.unwrap_or_else(|| failure.to_string());
    let (table, column, constraint) = constraint_parts(kind, &text);
    let mut info = DbErrorInfo::new(failure.extended_code.to_string(), text.clone());
    (info.table, info.column, info.constraint) = (table, column, constraint);
    Error::new(kind, format!("sqlite {}: {text}", failure.extended_code)).with_db_info(info)
}

/// SQLite names `table.column` in UNIQUE/NOT NULL messages and the constraint in CHECK ones.
fn constraint_parts(kind: ErrorKind, text: &str) -> (Option<String>, Option<String>, Option<String>) {
    let tail = text.rsplit(": ").next().unwrap_or("");
    match kind {
        ErrorKind::UniqueViolation | ErrorKind::NotNullViolation => {
            let first = tail.split(", ").next().unwrap_or("");
            match first.split_once('.') {
                Some((t, c)) => (Some(t.to_owned()), Some(c.to_owned()), None),
                None => (None, None, None),
            }
        }
        ErrorKind::CheckViolation => (None, None, Some(tail.to_owned())),
        _ => (None, None, None),
    }
}
