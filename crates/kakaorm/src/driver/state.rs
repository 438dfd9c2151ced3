//! What the server side of one connection may hold, as far as the client can know it.
//!
//! Every change the server may apply is recorded *before* its statement is sent: a future
//! dropped mid-way then leaves a state that errs on the safe side, and the connection is
//! rolled back (or discarded) before anyone uses it again.

use kakaorm_core::{Error, ErrorKind};

/// The transaction state of one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TxState {
    /// No transaction: statements autocommit.
    Idle,
    /// A transaction is open, or may be (BEGIN is recorded before it is sent). A connection
    /// returned to the pool in this state is rolled back first.
    Open,
    /// The server refuses every statement until the transaction, or a savepoint, is rolled
    /// back (PostgreSQL after a failed statement).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    Failed,
    /// The transaction is over on the server (a MySQL deadlock, an SQLite I/O error), or its
    /// state is unknown (an operation inside it was cancelled midway or timed out): only a
    /// full rollback is allowed.
    Ended,
}

/// The client's record of one connection.
#[derive(Debug)]
pub(crate) struct ConnState {
    pub(crate) tx: TxState,
    /// Why the transaction failed or ended, for the errors that follow.
    cause: String,
    /// The connection must not be used again: it was lost, timed out, or cancelled in the
    /// middle of an exchange whose protocol state is unknown.
    pub(crate) broken: bool,
}

impl Default for ConnState {
    fn default() -> Self {
        ConnState { tx: TxState::Idle, cause: String::new(), broken: false }
    }
}

impl ConnState {
    /// Records that the open transaction can no longer commit.
    pub(crate) fn abort(&mut self, tx: TxState, cause: impl Into<String>) {
        if self.tx == TxState::Open {
            self.tx = tx;
            self.cause = cause.into();
        }
    }

    /// Records a failed statement's effect on the transaction: `tx` is the state the
    /// server is now in.
    pub(crate) fn abort_after(&mut self, tx: TxState, e: &Error) {
        let cause = match e.db_error() {
            Some(db) => format!("{} ({})", e.kind().label(), db.code),
            None => e.kind().label().to_owned(),
        };
        self.abort(tx, format!("an earlier statement failed: {cause}"));
    }

    /// Whether a statement may be sent: the connection is sound and its transaction, if
    /// any, can still commit.
    pub(crate) fn usable(&self) -> Result<(), Error> {
        if self.broken {
            return Err(lost());
        }
        match self.tx {
            TxState::Idle | TxState::Open => Ok(()),
            TxState::Failed | TxState::Ended => Err(self.aborted()),
        }
    }

    /// The error for any statement of a transaction that can no longer commit.
    pub(crate) fn aborted(&self) -> Error {
        let what = match self.tx {
            TxState::Failed => "the server refuses every statement until it is rolled back (or a savepoint is)",
            _ => "it was rolled back",
        };
        Error::new(ErrorKind::TransactionAborted, format!("the transaction cannot commit: {}; {what}", self.cause))
    }

    /// Marks the transaction clean again after it (or a savepoint) was rolled back.
    pub(crate) fn recovered(&mut self, tx: TxState) {
        self.tx = tx;
        self.cause.clear();
    }
}

/// The error for an operation on a connection that was discarded.
pub(crate) fn lost() -> Error {
    Error::new(
        ErrorKind::Connection,
        "the connection was lost, timed out or interrupted; it is not reused and any transaction on it is rolled back",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_statement_blocks_the_transaction_until_recovered() {
        let mut s = ConnState { tx: TxState::Open, ..ConnState::default() };
        assert!(s.usable().is_ok());
        s.abort(TxState::Failed, "an earlier statement failed: deadlock");
        let err = s.usable().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TransactionAborted);
        assert!(err.message().contains("deadlock"), "{err}");
        s.recovered(TxState::Open);
        assert!(s.usable().is_ok());
    }

    #[test]
    fn abort_outside_a_transaction_changes_nothing() {
        let mut s = ConnState::default();
        s.abort(TxState::Ended, "x");
        assert_eq!(s.tx, TxState::Idle);
        s.broken = true;
        assert_eq!(s.usable().unwrap_err().kind(), ErrorKind::Connection);
    }
}
