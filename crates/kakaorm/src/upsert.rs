//! Upserts: insert rows, or update (or keep) the rows whose unique key is already taken.
//!
//! Built in three typed steps, so that an upsert without a conflict target or an action
//! does not compile: `User::upsert(row)` → [`on_conflict`](Upsert::on_conflict) →
//! [`update`](UpsertConflict::update) / [`do_nothing`](UpsertConflict::do_nothing) →
//! [`exec`](UpsertQuery::exec).

mod hooked;
mod plan;

use std::marker::PhantomData;

use kakaorm_core::ast::ConflictAction;
use kakaorm_core::{Columns, Dialect, Error, Model, Rendered, Result, render};

use crate::bulk::Group;
use crate::executor::Executor;
use crate::executor::sealed::Sealed as _;
use crate::hooks::{self, Hooks};
use plan::Plan;

/// One input row: `exec` returns the stored model.
#[derive(Debug)]
pub enum One {}

/// Many input rows: `exec` returns the stored models.
#[derive(Debug)]
pub enum Many {}

/// What an upsert returns: one model or a list.
pub trait UpsertOutput<M>: sealed::Sealed {
    /// The output of `exec`.
    type Output;
    #[doc(hidden)]
    fn finish(rows: Vec<M>, table: &str) -> Result<Self::Output>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::One {}
    impl Sealed for super::Many {}
}

impl<M> UpsertOutput<M> for One {
    type Output = M;
    fn finish(mut rows: Vec<M>, table: &str) -> Result<M> {
        rows.pop().ok_or_else(|| Error::not_found(table))
    }
}

impl<M> UpsertOutput<M> for Many {
    type Output = Vec<M>;
    fn finish(rows: Vec<M>, _table: &str) -> Result<Vec<M>> {
        Ok(rows)
    }
}

/// An upsert of one row (`User::upsert(row)`) or many (`User::upsert_many(rows)`); name
/// its conflict target next with [`on_conflict`](Upsert::on_conflict).
#[must_use = "an upsert does nothing until `exec` is awaited"]
pub struct Upsert<M, S> {
    rows: Result<Vec<Group>>,
    _marker: PhantomData<fn() -> (M, S)>,
}

/// An upsert with its conflict target; choose what happens to an existing row next.
#[must_use = "an upsert does nothing until `exec` is awaited"]
pub struct UpsertConflict<M, S> {
    rows: Result<Vec<Group>>,
    target: Vec<&'static str>,
    _marker: PhantomData<fn() -> (M, S)>,
}

/// A complete upsert, ready to run.
#[must_use = "an upsert does nothing until `exec` is awaited"]
pub struct UpsertQuery<M, S> {
    rows: Result<Vec<Group>>,
    target: Vec<&'static str>,
    action: ConflictAction,
    _marker: PhantomData<fn() -> (M, S)>,
}

impl<M: Model, S> Upsert<M, S> {
    pub(crate) fn new(rows: Result<Vec<Group>>) -> Self {
        Upsert { rows, _marker: PhantomData }
    }

    /// The unique column set the conflict is on: the primary key, a `unique` column, or
    /// the columns of a unique index (in any order), which every row must set (not to
    /// NULL, which never conflicts).
    pub fn on_conflict(self, target: impl Columns<M>) -> UpsertConflict<M, S> {
        UpsertConflict { rows: self.rows, target: target.names(), _marker: PhantomData }
    }
}

impl<M: Model, S> UpsertConflict<M, S> {
    fn with(self, action: ConflictAction) -> UpsertQuery<M, S> {
        UpsertQuery { rows: self.rows, target: self.target, action, _marker: PhantomData }
    }

    /// On a conflict, overwrites `columns` of the existing row with the proposed values
    /// (and refreshes its `auto_now` columns): `ON CONFLICT ("email") DO UPDATE SET
    /// "name" = EXCLUDED."name"` on PostgreSQL and SQLite, `ON DUPLICATE KEY UPDATE
    /// `name` = VALUES(`name`)` on MySQL.
    pub fn update(self, columns: impl Columns<M>) -> UpsertQuery<M, S> {
        let columns = columns.names();
        self.with(ConflictAction::Update(columns))
    }

    /// On a conflict, overwrites every proposed column of the existing row except the
    /// conflict target, the primary key and `auto_now_add` columns: the SET list of
    /// [`update`](UpsertConflict::update) with every such column.
    pub fn update_all(self) -> UpsertQuery<M, S> {
        let columns = M::SCHEMA
            .columns
            .iter()
            .filter(|c| !c.primary_key && !c.auto_now_add && !self.target.contains(&c.name))
            .map(|c| c.name)
            .collect();
        self.with(ConflictAction::Update(columns))
    }

    /// On a conflict, keeps the existing row as it is: `ON CONFLICT (…) DO NOTHING` on
    /// PostgreSQL and SQLite; on MySQL an `ON DUPLICATE KEY UPDATE` that assigns a key
    /// column to itself, so the row is untouched.
    pub fn do_nothing(self) -> UpsertQuery<M, S> {
        self.with(ConflictAction::Nothing)
    }
}

impl<M: Model, S: UpsertOutput<M>> UpsertQuery<M, S> {
    fn plan(self, d: &dyn Dialect) -> Result<Plan> {
        Plan::new(M::SCHEMA, self.rows?, self.target, self.action, d)
    }

    /// Renders the statements, for inspection: the upserts, then (where the rows are read
    /// back rather than returned) the reads by conflict key.
    ///
    /// # Errors
    /// As [`exec`](UpsertQuery::exec), before anything is sent.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, #[kakaorm(unique)] email: String, name: String }
    /// let q = User::upsert(User::create().email("a@example.com").name("Ann"))
    ///     .on_conflict(User::email)
    ///     .update(User::name);
    /// let sql = q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap();
    /// assert_eq!(
    ///     sql[0].sql,
    ///     r#"INSERT INTO "users" ("email", "name") VALUES ($1, $2) ON CONFLICT ("email") DO UPDATE SET "name" = EXCLUDED."name" RETURNING "id", "email", "name""#
    /// );
    /// ```
    pub fn to_sql(self, dialect: &dyn Dialect) -> Result<Vec<Rendered>> {
        self.plan(dialect)?.statements().into_iter().map(|s| render(s, dialect)).collect()
    }

    /// Runs the upsert and returns the stored rows: through `RETURNING` on PostgreSQL and
    /// SQLite when it updates, otherwise read back by conflict key in the same
    /// transaction. Several statements (chunks under the parameter limit, or a write and a
    /// read) run all or nothing.
    ///
    /// On MySQL and MariaDB (`ON DUPLICATE KEY UPDATE`) a collision on *any* unique key of
    /// the table updates the existing row, not only one on the named target; elsewhere a
    /// collision on another unique key fails with
    /// [`UniqueViolation`](crate::ErrorKind::UniqueViolation). PostgreSQL refuses one
    /// statement that proposes the same key twice.
    ///
    /// A soft-deleted row that an `update` meets is revived: it takes the proposed
    /// `deleted_at` (NULL unless the row sets it), as inserting the row would have made
    /// it live; `do_nothing` keeps it as it is, deleted, and returns it. (An archived row
    /// is in the archive table and conflicts with nothing.) A model with
    /// [hooks](crate::Hooks) gets `before_insert` on every proposed row and
    /// `after_insert` on every returned row, in one transaction (see [`Hooks`](crate::Hooks)).
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) for a target that is not a unique
    /// column set of the model, a row that does not set it or sets it to NULL, or an
    /// update of a column the rows do not set; validation and constraint errors as for
    /// `create`. Nothing is written when any of them occurs.
    pub async fn exec<E: Executor>(mut self, e: &E) -> Result<S::Output>
    where
        M: Hooks,
    {
        let d = e.dialect();
        // The rows were validated when the upsert was built, before its executor was known.
        self.rows = self.rows.map_err(|err| err.localized(e.validation_locale()));
        if M::HAS_HOOKS {
            let rows = self.exec_hooked(e).await?;
            return S::finish(rows, M::SCHEMA.name);
        }
        let plan = self.plan(d)?;
        let mut guard = e.acquire().await?;
        let conn = guard.conn()?;
        let rows = match plan.statement_count() {
            1 => plan.run::<M>(conn, d).await?,
            _ => crate::atomic::all_or_nothing(conn, d, "an upsert", async |conn| plan.run::<M>(conn, d).await).await?,
        };
        S::finish(rows, M::SCHEMA.name)
    }

    /// The upsert of a model with hooks, in one transaction (a savepoint of the caller's):
    /// `before_insert` on every proposed row, the statements, `after_insert` on every
    /// stored row.
    async fn exec_hooked<E: Executor>(self, e: &E) -> Result<Vec<M>>
    where
        M: Hooks,
    {
        let d = e.dialect();
        let (mut groups, target, action) = (self.rows?, self.target, self.action);
        hooks::scoped(e, async |tx| {
            hooked::before_insert::<M>(&mut groups, tx).await?;
            let plan = Plan::new(M::SCHEMA, groups, target, action, d)?;
            let mut rows = {
                let mut guard = tx.acquire().await?;
                plan.run::<M>(guard.conn()?, d).await?
            };
            hooked::after_insert(&mut rows, tx).await?;
            Ok(rows)
        })
        .await
    }
}
