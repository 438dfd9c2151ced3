//! The difference between two schemas as an ordered list of changes.
//!
//! Renames are never guessed: a table or column that disappears while a similar one
//! appears is reported as a [`Rename`] candidate ([`Diff::rename_candidates`]) and
//! diffed as a drop and an add, unless the caller confirms it with
//! [`DiffOptions::confirm_rename`]. Dropping a table or column loses data, so it is a
//! warning, not a change, unless [`DiffOptions::destructive`] is on.

mod change;
mod order;
mod renames;
mod tables;

use std::fmt;

use kakaorm::Dialect;
use kakaorm_core::schema::Schema;

pub use change::Change;
pub use renames::Rename;

/// How [`diff`] treats renames and drops.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DiffOptions {
    pub(crate) dialect: &'static dyn Dialect,
    pub(crate) destructive: bool,
    pub(crate) renames: Vec<Rename>,
}

impl DiffOptions {
    /// Options for comparing schemas of `dialect`'s backend: nothing destructive, no renames.
    pub fn new(dialect: &'static dyn Dialect) -> Self {
        DiffOptions { dialect, destructive: false, renames: Vec::new() }
    }

    /// Whether tables and columns missing from the target are dropped (otherwise they stay,
    /// with a warning).
    #[must_use]
    pub fn destructive(mut self, on: bool) -> Self {
        self.destructive = on;
        self
    }

    /// Confirms a rename (usually one of [`Diff::rename_candidates`]): the table or column
    /// is renamed, keeping its rows, instead of dropped and added.
    #[must_use]
    pub fn confirm_rename(mut self, rename: Rename) -> Self {
        self.renames.push(rename);
        self
    }
}

/// The ordered changes that turn one schema into another.
#[derive(Debug, Clone)]
pub struct Diff {
    pub(crate) changes: Vec<Change>,
    pub(crate) warnings: Vec<String>,
    pub(crate) candidates: Vec<Rename>,
    /// The source schema, as it is before any change.
    pub(crate) from: Schema,
    /// The source schema with the confirmed renames applied: the tables as the ALTERs
    /// after the renames find them.
    pub(crate) renamed: Schema,
    /// The schema after the changes (the target, less the drops not made).
    pub(crate) target: Schema,
    pub(crate) options: DiffOptions,
}

impl Diff {
    /// The changes, in the order they must run.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// Whether there is nothing to change.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// What was not done and why: drops left out without destructive mode, renames that
    /// did not apply.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Tables and columns that may have been renamed rather than dropped and added. None
    /// is applied unless confirmed with [`DiffOptions::confirm_rename`].
    pub fn rename_candidates(&self) -> &[Rename] {
        &self.candidates
    }

    /// The schema before the changes.
    pub fn from(&self) -> &Schema {
        &self.from
    }

    /// The schema the changes produce.
    pub fn target(&self) -> &Schema {
        &self.target
    }

    /// The changes that undo this diff: from the produced schema back to the source, with
    /// renames reversed and drops allowed (they undo creations).
    pub fn reverse(&self) -> Diff {
        let mut options = DiffOptions::new(self.options.dialect).destructive(true);
        options.renames = renames::inverted(&self.options.renames);
        diff(&self.target, &self.from, &options)
    }

    /// The dialect the schemas were compared for.
    pub fn dialect(&self) -> &'static dyn Dialect {
        self.options.dialect
    }
}

impl fmt::Display for Diff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.changes {
            writeln!(f, "{c}")?;
        }
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        Ok(())
    }
}

/// Compares `from` (usually the live database, see [`introspect`](crate::introspect)) with
/// `to` (usually the models, see [`schema_of`](crate::schema_of)).
///
/// ```
/// use kakaorm::{Backend, ColumnType};
/// use kakaorm_migrate::schema::{Column, Schema, Table};
/// use kakaorm_migrate::{diff, Change, DiffOptions, Rename};
///
/// let mut old = Table::new("users");
/// old.columns.push(Column::new("nick", ColumnType::Text));
/// let mut new = Table::new("users");
/// new.columns.push(Column::new("name", ColumnType::Text));
/// let (from, to) = (Schema::new(vec![old]), Schema::new(vec![new]));
///
/// let opts = DiffOptions::new(Backend::Postgres.dialect());
/// let d = diff(&from, &to, &opts);
/// assert!(matches!(d.changes(), [Change::AddColumn { .. }])); // the drop is only a warning
/// assert_eq!(d.warnings().len(), 1);
/// let rename = d.rename_candidates()[0].clone();
/// assert_eq!(rename, Rename::column("users", "nick", "name"));
///
/// let d = diff(&from, &to, &opts.confirm_rename(rename));
/// assert!(matches!(d.changes(), [Change::RenameColumn { .. }]));
/// ```
pub fn diff(from: &Schema, to: &Schema, options: &DiffOptions) -> Diff {
    let mut warnings = Vec::new();
    let (renamed, rename_changes) = renames::apply(from, to, &options.renames, &mut warnings);
    let candidates = renames::candidates(&renamed, to, options.dialect);
    let mut plan = tables::Changes::default();
    let target = tables::compare(&renamed, to, options, &mut plan, &mut warnings);
    let mut changes = rename_changes;
    changes.extend(plan.into_ordered());
    Diff { changes, warnings, candidates, from: from.clone(), renamed, target, options: options.clone() }
}
