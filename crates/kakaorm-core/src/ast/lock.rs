//! Row locks: `FOR UPDATE` / `FOR SHARE`, with `NOWAIT` or `SKIP LOCKED`.

/// Which lock a locking SELECT takes on the rows it returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LockStrength {
    /// `FOR UPDATE`: exclusive, as if the rows were about to be updated.
    Update,
    /// `FOR SHARE` (MariaDB: `LOCK IN SHARE MODE`): others may read-lock them too, no one
    /// may change them.
    Share,
}

/// What a locking SELECT does about rows another transaction has locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LockWait {
    /// Wait for the lock (the default).
    #[default]
    Wait,
    /// `NOWAIT`: fail at once.
    NoWait,
    /// `SKIP LOCKED`: leave those rows out (a job queue).
    SkipLocked,
}

/// A row lock taken by a SELECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RowLock {
    /// Exclusive or shared.
    pub strength: LockStrength,
    /// What to do about rows locked elsewhere.
    pub wait: LockWait,
}

impl RowLock {
    /// A lock of `strength` that waits for locked rows: `FOR UPDATE` or `FOR SHARE`
    /// (`LOCK IN SHARE MODE` on MariaDB).
    pub fn new(strength: LockStrength) -> Self {
        RowLock { strength, wait: LockWait::Wait }
    }

    /// The same lock with another wait policy: `FOR UPDATE NOWAIT` or
    /// `FOR UPDATE SKIP LOCKED`.
    #[must_use]
    pub fn with_wait(self, wait: LockWait) -> Self {
        RowLock { wait, ..self }
    }
}
