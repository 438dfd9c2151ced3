//! The one error type of kakaorm, with a matchable [`ErrorKind`].

use std::fmt;

use crate::validate::{Locale, ValidationErrors};

/// A shorthand for `Result<T, kakaorm::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in a form you can match on.
///
/// ```
/// use kakaorm_core::{Error, ErrorKind};
/// let err = Error::not_found("users");
/// assert_eq!(err.kind(), ErrorKind::NotFound);
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A query that must return one row returned none.
    NotFound,
    /// A query that must return one row returned several.
    MultipleRows,
    /// Code read a relation that was never loaded (strict loading: kakaorm never loads
    /// a relation behind your back). Load it with `prefetch` or `load` first.
    NotLoaded,
    /// A unique or primary-key constraint was violated.
    UniqueViolation,
    /// A foreign-key constraint was violated.
    ForeignKeyViolation,
    /// NULL was written into a NOT NULL column.
    NotNullViolation,
    /// A CHECK constraint was violated.
    CheckViolation,
    /// A value failed client-side validation (for example `max_length`).
    Validation,
    /// The transaction could not be serialized, or gave up waiting for another
    /// transaction's lock; retrying may succeed. Besides PostgreSQL's serialization
    /// failures, this covers MySQL's lock wait timeout (error 1205, which by default rolls
    /// back the statement, not the transaction) and SQLite's `SQLITE_BUSY` and
    /// `SQLITE_LOCKED` (another connection held the database lock longer than the busy
    /// timeout).
    SerializationFailure,
    /// The transaction was chosen as a deadlock victim; retrying may succeed.
    Deadlock,
    /// Optimistic locking: the row's version changed (or the row was deleted) since the
    /// model was loaded, so `save` or `delete` wrote nothing. Reload and retry.
    StaleObject,
    /// The connection failed, was refused, or was lost.
    Connection,
    /// No pooled connection became free within the acquire timeout.
    PoolTimeout,
    /// A statement did not complete within the configured statement timeout. The
    /// connection it ran on is not reused, and an open transaction on it is rolled back.
    Timeout,
    /// The transaction can no longer commit: the server rolled it back on its own (a MySQL
    /// deadlock, an SQLite I/O error), refuses every statement after a failed one
    /// (PostgreSQL, until a savepoint is rolled back), or an operation inside it was
    /// cancelled midway. Later statements and `commit` return this error; nothing of the
    /// transaction is stored.
    TransactionAborted,
    /// A value read from the database could not be decoded into the Rust type.
    Decode,
    /// The backend cannot do what was asked.
    Unsupported,
    /// The caller asked for something kakaorm refuses before sending anything: a value the
    /// backend cannot store (NaN or an infinite float on MySQL and SQLite), a limit or
    /// offset beyond `i64::MAX`, a bulk update or delete with a limit or offset, or a
    /// column where a key value is expected.
    InvalidInput,
    /// The configuration (URL, options) is invalid.
    Config,
    /// A migration failed.
    Migration,
    /// Any other database error.
    Database,
}

impl ErrorKind {
    /// A short lowercase label for the kind, used as the message prefix.
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "not found",
            ErrorKind::MultipleRows => "multiple rows",
            ErrorKind::NotLoaded => "relation not loaded",
            ErrorKind::UniqueViolation => "unique violation",
            ErrorKind::ForeignKeyViolation => "foreign key violation",
            ErrorKind::NotNullViolation => "not null violation",
            ErrorKind::CheckViolation => "check violation",
            ErrorKind::Validation => "validation failed",
            ErrorKind::SerializationFailure => "serialization failure",
            ErrorKind::Deadlock => "deadlock",
            ErrorKind::StaleObject => "stale object",
            ErrorKind::Connection => "connection error",
            ErrorKind::PoolTimeout => "pool timeout",
            ErrorKind::Timeout => "statement timeout",
            ErrorKind::TransactionAborted => "transaction aborted",
            ErrorKind::Decode => "decode error",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::InvalidInput => "invalid input",
            ErrorKind::Config => "configuration error",
            ErrorKind::Migration => "migration error",
            ErrorKind::Database => "database error",
        }
    }

    /// Whether retrying the whole transaction may succeed.
    pub fn is_retryable(self) -> bool {
        matches!(self, ErrorKind::SerializationFailure | ErrorKind::Deadlock)
    }
}

/// Details reported by the database server for a failed statement.
///
/// Built by the drivers; read it through [`Error::db_error`].
///
/// ```
/// use kakaorm_core::DbErrorInfo;
/// let info = DbErrorInfo::new("23505", "duplicate key").with_constraint("users_email_key");
/// assert_eq!(info.constraint.as_deref(), Some("users_email_key"));
/// assert_eq!(info.detail, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DbErrorInfo {
    /// The backend's error code (SQLSTATE on PostgreSQL, the numeric code on MySQL,
    /// the extended result code on SQLite).
    pub code: String,
    /// The violated constraint, when the server names it.
    pub constraint: Option<String>,
    /// The table involved, when known.
    pub table: Option<String>,
    /// The column involved, when known.
    pub column: Option<String>,
    /// The server's own message.
    pub message: String,
    /// The server's detail line (PostgreSQL's `DETAIL`, which may quote the offending
    /// values).
    pub detail: Option<String>,
    /// The server's hint (PostgreSQL's `HINT`).
    pub hint: Option<String>,
    /// The 1-based character position in the statement text the error points at
    /// (PostgreSQL).
    pub position: Option<u32>,
}

impl DbErrorInfo {
    /// Details with a code and a message, and nothing else known.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        DbErrorInfo { code: code.into(), message: message.into(), ..DbErrorInfo::default() }
    }

    /// Names the violated constraint.
    #[must_use]
    pub fn with_constraint(mut self, constraint: impl Into<String>) -> Self {
        self.constraint = Some(constraint.into());
        self
    }

    /// Adds the server's detail, hint and error position.
    #[must_use]
    pub fn with_context(mut self, detail: Option<String>, hint: Option<String>, position: Option<u32>) -> Self {
        self.detail = detail;
        self.hint = hint;
        self.position = position;
        self
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The error type of every fallible kakaorm operation.
///
/// Messages are lowercase and name the model, column or URL part at fault. Credentials
/// never appear in the message, in `Debug` output or in the source chain that kakaorm
/// builds itself.
///
/// ```
/// use kakaorm_core::{Error, ErrorKind};
/// let err = Error::new(ErrorKind::InvalidInput, "limit must be at most 9223372036854775807");
/// assert_eq!(err.to_string(), "invalid input: limit must be at most 9223372036854775807");
/// ```
#[derive(thiserror::Error)]
#[error("{}: {message}", kind.label())]
pub struct Error {
    kind: ErrorKind,
    message: String,
    db: Option<Box<DbErrorInfo>>,
    validation: Option<Box<ValidationErrors>>,
    #[source]
    source: Option<BoxError>,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.kind).field("message", &self.message);
        if let Some(db) = &self.db {
            d.field("db", db);
        }
        if let Some(v) = &self.validation {
            d.field("validation", v);
        }
        if let Some(src) = &self.source {
            // Display only: driver Debug output may carry connection parameters.
            d.field("source", &src.to_string());
        }
        d.finish()
    }
}

impl Error {
    /// Creates an error of `kind` with a message: what a hook, a validator or a
    /// transaction closure returns for its own failures. (kakaorm's own shorthand
    /// constructors are hidden: they are not part of the stable API.)
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), db: None, validation: None, source: None }
    }

    /// Attaches an underlying cause.
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Attaches server-reported details.
    #[doc(hidden)]
    pub fn with_db_info(mut self, info: DbErrorInfo) -> Self {
        self.db = Some(Box::new(info));
        self
    }

    /// Attaches the structured failures of a validation.
    pub(crate) fn with_validation(mut self, errors: ValidationErrors) -> Self {
        self.validation = Some(Box::new(errors));
        self
    }

    /// Every failure of a [`Validation`](ErrorKind::Validation) error raised by the rules
    /// of a model (one entry per field and rule), to report or serialize.
    pub fn validation_errors(&self) -> Option<&ValidationErrors> {
        self.validation.as_deref()
    }

    /// This error with the built-in messages of its validation failures rewritten in
    /// `locale`, message text included (a custom validator's message stays as written);
    /// any other error unchanged.
    ///
    /// ```
    /// use kakaorm_core::validate::{Locale, ValidationErrors};
    /// use kakaorm_core::{Error, ErrorKind};
    /// let err = Error::new(ErrorKind::NotFound, "no row").localized(Locale::Ja);
    /// assert_eq!(err.message(), "no row");
    /// let err = Error::from(ValidationErrors::new("User")).localized(Locale::Ja);
    /// assert_eq!(err.validation_errors().map(|v| v.locale()), Some(Locale::Ja));
    /// ```
    #[must_use]
    pub fn localized(self, locale: Locale) -> Self {
        match self.validation {
            Some(v) => Error::from(v.localized(locale)),
            None => self,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, without the kind prefix.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The server's code, constraint, table and column, when the database reported the error.
    pub fn db_error(&self) -> Option<&DbErrorInfo> {
        self.db.as_deref()
    }

    /// A query for `table` that had to return one row returned none.
    #[doc(hidden)]
    pub fn not_found(table: &str) -> Self {
        Error::new(ErrorKind::NotFound, format!("no `{table}` row matched the query"))
    }

    /// A query for `table` that had to return one row returned several.
    #[doc(hidden)]
    pub fn multiple_rows(table: &str) -> Self {
        Error::new(ErrorKind::MultipleRows, format!("more than one `{table}` row matched the query"))
    }

    /// A value could not be decoded from `column`.
    #[doc(hidden)]
    pub fn decode(column: &str, detail: impl fmt::Display) -> Self {
        Error::new(ErrorKind::Decode, format!("column `{column}`: {detail}"))
    }

    /// An argument was invalid.
    #[doc(hidden)]
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidInput, message)
    }

    /// The backend does not support the requested operation.
    #[doc(hidden)]
    pub fn unsupported(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unsupported, message)
    }

    /// The configuration is invalid.
    #[doc(hidden)]
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    /// A value failed validation.
    pub fn validation(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Validation, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_lowercase_kind_prefix() {
        let e = Error::decode("users.age", "expected i32, found text");
        assert_eq!(e.to_string(), "decode error: column `users.age`: expected i32, found text");
        assert_eq!(e.kind(), ErrorKind::Decode);
    }

    #[test]
    fn retryable_kinds() {
        assert!(ErrorKind::Deadlock.is_retryable());
        assert!(ErrorKind::SerializationFailure.is_retryable());
        assert!(!ErrorKind::UniqueViolation.is_retryable());
    }
}
