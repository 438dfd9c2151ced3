//! Mapping tokio-postgres errors to kakaorm errors.

use kakaorm_core::{DbErrorInfo, Error, ErrorKind};
use tokio_postgres::error::SqlState;

use crate::driver::describe;

/// Maps an error from opening a connection: the server's refusal keeps its code; anything
/// else (unreachable, TLS handshake, certificate) is a connection error that says why.
pub(crate) fn map_connect_error(e: tokio_postgres::Error) -> Error {
    if e.as_db_error().is_some() {
        return map_error(e);
    }
    Error::new(ErrorKind::Connection, format!("postgres: {}", describe(&e))).with_source(e)
}

/// Maps a driver error, keeping the server's code, constraint, table and column.
pub(crate) fn map_error(e: tokio_postgres::Error) -> Error {
    let Some(db) = e.as_db_error() else {
        let kind = if e.is_closed() || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()) {
            ErrorKind::Connection
        } else {
            ErrorKind::Database
        };
        let msg = format!("postgres: {}", describe(&e));
        return Error::new(kind, msg).with_source(e);
    };
    let code = db.code();
    let kind = match *code {
        SqlState::UNIQUE_VIOLATION => ErrorKind::UniqueViolation,
        SqlState::FOREIGN_KEY_VIOLATION => ErrorKind::ForeignKeyViolation,
        SqlState::NOT_NULL_VIOLATION => ErrorKind::NotNullViolation,
        SqlState::CHECK_VIOLATION => ErrorKind::CheckViolation,
        SqlState::T_R_SERIALIZATION_FAILURE => ErrorKind::SerializationFailure,
        SqlState::T_R_DEADLOCK_DETECTED => ErrorKind::Deadlock,
        SqlState::INVALID_PASSWORD | SqlState::INVALID_AUTHORIZATION_SPECIFICATION | SqlState::INVALID_CATALOG_NAME => {
            ErrorKind::Connection
        }
        SqlState::ADMIN_SHUTDOWN | SqlState::CRASH_SHUTDOWN | SqlState::CANNOT_CONNECT_NOW => ErrorKind::Connection,
        _ => ErrorKind::Database,
    };
    let mut info = DbErrorInfo::new(code.code(), db.message()).with_context(
        db.detail().map(str::to_owned),
        db.hint().map(str::to_owned),
        error_position(db),
    );
    info.constraint = db.constraint().map(str::to_owned);
    info.table = db.table().map(str::to_owned);
    info.column = db.column().map(str::to_owned);
    let mut msg = format!("postgres {}: {}", info.code, db.message());
    if let Some(detail) = db.detail() {
        msg.push_str(" (");
        msg.push_str(detail);
        msg.push(')');
    }
    Error::new(kind, msg).with_db_info(info)
}

/// Where in the statement text the server points (an internally generated query's
/// position counts in its own text).
fn error_position(db: &tokio_postgres::error::DbError) -> Option<u32> {
    match db.position()? {
        tokio_postgres::error::ErrorPosition::Original(p) => Some(*p),
        tokio_postgres::error::ErrorPosition::Internal { position, .. } => Some(*position),
    }
}
