//! Row locks on a query: `FOR UPDATE`, `FOR SHARE`, `NOWAIT` and `SKIP LOCKED`.

use kakaorm_core::Model;
use kakaorm_core::ast::{LockStrength, LockWait, RowLock};

use super::Query;

impl<M: Model> Query<M> {
    fn locked(mut self, strength: LockStrength, wait: Option<LockWait>) -> Self {
        let current = self.lock.map_or(LockWait::Wait, |l| l.wait);
        self.lock = Some(RowLock::new(strength).with_wait(wait.unwrap_or(current)));
        self
    }

    /// Locks the returned rows against changes by other transactions until this one ends
    /// (`FOR UPDATE`). Run it inside a transaction: in autocommit the lock ends with the
    /// statement. SQLite has no row locks: the query fails with
    /// [`Unsupported`](crate::ErrorKind::Unsupported).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "jobs")] struct Job { id: i64, done: bool }
    /// let q = Job::filter(Job::done.eq(false)).order_by(Job::id).limit(1).for_update();
    /// let sql = q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert!(sql.ends_with(r#"ORDER BY "id" ASC LIMIT $2 FOR UPDATE"#));
    /// let err = q.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap_err();
    /// assert_eq!(err.kind(), kakaorm::ErrorKind::Unsupported);
    /// ```
    pub fn for_update(self) -> Self {
        self.locked(LockStrength::Update, None)
    }

    /// Locks the returned rows in shared mode: others may lock them for sharing too, no
    /// one may change them (`FOR SHARE`; `LOCK IN SHARE MODE` on MariaDB).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "jobs")] struct Job { id: i64, done: bool }
    /// let q = Job::query().for_share();
    /// assert!(q.to_sql(&kakaorm::MysqlDialect::MYSQL).unwrap().sql.ends_with("FOR SHARE"));
    /// assert!(q.to_sql(&kakaorm::MysqlDialect::MARIADB).unwrap().sql.ends_with("LOCK IN SHARE MODE"));
    /// ```
    pub fn for_share(self) -> Self {
        self.locked(LockStrength::Share, None)
    }

    /// Leaves out rows another transaction has locked instead of waiting for them
    /// (`SKIP LOCKED`): workers taking jobs from a queue never take the same one. Implies
    /// [`for_update`](Query::for_update) unless [`for_share`](Query::for_share) is given.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "jobs")] struct Job { id: i64, done: bool }
    /// let q = Job::filter(Job::done.eq(false)).limit(1).skip_locked();
    /// let sql = q.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert!(sql.ends_with("LIMIT ? FOR UPDATE SKIP LOCKED"));
    /// ```
    pub fn skip_locked(self) -> Self {
        let strength = self.lock.map_or(LockStrength::Update, |l| l.strength);
        self.locked(strength, Some(LockWait::SkipLocked))
    }

    /// Fails at once when a row is locked by another transaction instead of waiting
    /// (`NOWAIT`). Implies [`for_update`](Query::for_update) unless
    /// [`for_share`](Query::for_share) is given.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "jobs")] struct Job { id: i64, done: bool }
    /// let sql = Job::query().for_share().nowait().to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert!(sql.ends_with("FOR SHARE NOWAIT"));
    /// ```
    pub fn nowait(self) -> Self {
        let strength = self.lock.map_or(LockStrength::Update, |l| l.strength);
        self.locked(strength, Some(LockWait::NoWait))
    }
}
