//! A diff rendered as UP and DOWN statements for one dialect, to inspect, write to files
//! or apply.

mod apply;
pub(crate) mod backfill;
mod render;

use std::fmt;

use kakaorm::{Dialect, Result};

use crate::diff::Diff;

pub use apply::apply;

/// When a statement runs relative to the transaction that holds the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StatementKind {
    /// Inside the transaction (where the backend has transactional DDL).
    Execute,
    /// Before the transaction opens, on the same connection (SQLite's
    /// `PRAGMA foreign_keys = OFF`, which a transaction ignores).
    BeforeTransaction,
    /// After the transaction ends, on the same connection, whatever its outcome.
    AfterTransaction,
    /// A query inside the transaction whose rows are violations: any row aborts it
    /// (SQLite's `PRAGMA foreign_key_check` after a table rebuild).
    ExpectNoRows,
}

/// One SQL statement of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Statement {
    /// The SQL text; values are literals only in defaults, written by the dialect.
    pub sql: String,
    /// When it runs.
    pub kind: StatementKind,
}

impl Statement {
    /// A statement that runs inside the transaction.
    pub fn new(sql: impl Into<String>) -> Self {
        Statement { sql: sql.into(), kind: StatementKind::Execute }
    }

    /// A statement of the given kind.
    pub fn with_kind(sql: impl Into<String>, kind: StatementKind) -> Self {
        Statement { sql: sql.into(), kind }
    }
}

impl fmt::Display for Statement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};", self.sql)
    }
}

/// The statements that apply a diff (`up`) and undo it (`down`), with what the diff left
/// out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Plan {
    /// The statements that apply the diff, in order.
    pub up: Vec<Statement>,
    /// The statements that undo it, in order.
    pub down: Vec<Statement>,
    /// The diff's warnings (drops left out, renames skipped).
    pub warnings: Vec<String>,
}

impl Plan {
    /// Whether there is nothing to run.
    pub fn is_empty(&self) -> bool {
        self.up.is_empty()
    }
}

/// Renders `diff` as UP statements and its [reverse](Diff::reverse) as DOWN statements.
///
/// A NOT NULL column without default added to an existing table is filled for the rows
/// already there: with the current time for `auto_now_add` and other timestamps, with the
/// type's zero value otherwise (the temporary default is dropped afterwards). Where ALTER
/// TABLE cannot make a change (SQLite), the table is rebuilt and every row copied.
///
/// # Errors
/// [`Unsupported`](kakaorm::ErrorKind::Unsupported) when the backend cannot express part of
/// the target schema; [`InvalidInput`](kakaorm::ErrorKind::InvalidInput) for a constraint
/// to drop that has no name.
///
/// ```
/// use kakaorm::{Backend, ColumnType};
/// use kakaorm_migrate::schema::{Column, Schema, Table};
/// use kakaorm_migrate::{diff, plan, DiffOptions};
///
/// let mut users = Table::new("users");
/// users.columns.push(Column::new("id", ColumnType::BigInt));
/// let from = Schema::new(vec![users.clone()]);
/// users.columns.push(Column::new("age", ColumnType::Integer));
/// let to = Schema::new(vec![users]);
///
/// let d = Backend::Postgres.dialect();
/// let p = plan(&diff(&from, &to, &DiffOptions::new(d)), d).unwrap();
/// assert_eq!(p.up[0].to_string(), r#"ALTER TABLE "users" ADD COLUMN "age" INTEGER NOT NULL DEFAULT 0;"#);
/// assert_eq!(p.up[1].to_string(), r#"ALTER TABLE "users" ALTER COLUMN "age" DROP DEFAULT;"#);
/// assert_eq!(p.down[0].to_string(), r#"ALTER TABLE "users" DROP COLUMN "age";"#);
/// ```
pub fn plan(diff: &Diff, dialect: &dyn Dialect) -> Result<Plan> {
    Ok(Plan {
        up: up(diff, dialect)?,
        down: render::statements(&diff.reverse(), dialect)?,
        warnings: diff.warnings().to_vec(),
    })
}

/// The UP statements alone.
pub(crate) fn up(diff: &Diff, dialect: &dyn Dialect) -> Result<Vec<Statement>> {
    render::statements(diff, dialect)
}
