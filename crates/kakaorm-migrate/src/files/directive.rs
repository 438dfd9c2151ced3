//! When a statement of a file runs, written as a comment line right above it:
//! `-- kakaorm:before-transaction`, `-- kakaorm:after-transaction` or
//! `-- kakaorm:expect-no-rows`. A statement without one runs inside the migration's
//! transaction. A plan's SQLite table rebuild needs them: `PRAGMA foreign_keys = OFF` only
//! works outside a transaction.

use kakaorm::{Error, ErrorKind, Result};

use crate::plan::{Statement, StatementKind};

/// What starts a directive line.
const PREFIX: &str = "-- kakaorm:";

/// The directive line of `kind`, `None` for a plain statement.
pub(crate) fn directive(kind: StatementKind) -> Option<&'static str> {
    match kind {
        StatementKind::BeforeTransaction => Some("-- kakaorm:before-transaction"),
        StatementKind::AfterTransaction => Some("-- kakaorm:after-transaction"),
        StatementKind::ExpectNoRows => Some("-- kakaorm:expect-no-rows"),
        _ => None,
    }
}

/// The statement `text` (as split from a file), with the kind its directive gives.
///
/// # Errors
/// [`Migration`](ErrorKind::Migration) for a `-- kakaorm:` line that names no kind, or two
/// directives on one statement.
pub(crate) fn parse(text: String) -> Result<Statement> {
    let mut kind = None;
    for line in text.lines().map(str::trim).take_while(|l| l.starts_with("--")) {
        if !line.starts_with(PREFIX) {
            continue;
        }
        let found = [StatementKind::BeforeTransaction, StatementKind::AfterTransaction, StatementKind::ExpectNoRows]
            .into_iter()
            .find(|k| directive(*k) == Some(line))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Migration,
                    format!(
                        "unknown directive `{line}`: use -- kakaorm:before-transaction, \
                         -- kakaorm:after-transaction or -- kakaorm:expect-no-rows"
                    ),
                )
            })?;
        if kind.replace(found).is_some() {
            return Err(Error::new(ErrorKind::Migration, format!("two directives on one statement: `{line}`")));
        }
    }
    Ok(Statement::with_kind(text, kind.unwrap_or(StatementKind::Execute)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_round_trip() {
        for kind in [StatementKind::BeforeTransaction, StatementKind::AfterTransaction, StatementKind::ExpectNoRows] {
            let text = format!("-- note\n{}\nPRAGMA x", directive(kind).unwrap());
            assert_eq!(parse(text).unwrap().kind, kind);
        }
        assert_eq!(parse("SELECT 1 -- kakaorm:before-transaction".into()).unwrap().kind, StatementKind::Execute);
        assert_eq!(directive(StatementKind::Execute), None);
    }

    #[test]
    fn unknown_or_doubled_directives_are_errors() {
        let err = parse("-- kakaorm:befor-transaction\nPRAGMA x".into()).unwrap_err();
        assert!(err.message().starts_with("unknown directive `-- kakaorm:befor-transaction`"), "{err}");
        let two = "-- kakaorm:before-transaction\n-- kakaorm:after-transaction\nPRAGMA x";
        assert!(parse(two.into()).unwrap_err().message().starts_with("two directives"));
    }
}
