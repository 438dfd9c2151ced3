//! Transaction isolation levels.

/// How much a transaction sees of transactions running beside it.
///
/// PostgreSQL and MySQL/MariaDB offer all three. Every SQLite transaction is serializable,
/// which gives every guarantee of the weaker levels, so SQLite accepts each of them.
///
/// ```
/// use kakaorm_core::IsolationLevel;
/// assert_eq!(IsolationLevel::RepeatableRead.sql(), "REPEATABLE READ");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IsolationLevel {
    /// Each statement sees the data committed before it began.
    ReadCommitted,
    /// Every statement sees the data committed before the transaction's first read.
    RepeatableRead,
    /// The outcome equals some serial order of the transactions; one that cannot be
    /// serialized fails with [`SerializationFailure`](crate::ErrorKind::SerializationFailure).
    Serializable,
}

impl IsolationLevel {
    /// The level as SQL spells it.
    pub fn sql(self) -> &'static str {
        match self {
            IsolationLevel::ReadCommitted => "READ COMMITTED",
            IsolationLevel::RepeatableRead => "REPEATABLE READ",
            IsolationLevel::Serializable => "SERIALIZABLE",
        }
    }
}
