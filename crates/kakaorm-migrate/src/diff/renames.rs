//! Renames: candidates found by likeness, applied only when confirmed.

use kakaorm::Dialect;
use kakaorm_core::schema::{Schema, Table};

use super::Change;
use crate::schema::normalize::{same_name, same_type};

/// A rename of a table or of a column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rename {
    /// Table `from` becomes `to`.
    Table {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// Column `from` of `table` (its new name, if the table is renamed too) becomes `to`.
    Column {
        /// The table.
        table: String,
        /// The old column name.
        from: String,
        /// The new column name.
        to: String,
    },
}

impl Rename {
    /// A table rename.
    pub fn table(from: impl Into<String>, to: impl Into<String>) -> Self {
        Rename::Table { from: from.into(), to: to.into() }
    }

    /// A column rename.
    pub fn column(table: impl Into<String>, from: impl Into<String>, to: impl Into<String>) -> Self {
        Rename::Column { table: table.into(), from: from.into(), to: to.into() }
    }
}

impl std::fmt::Display for Rename {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rename::Table { from, to } => write!(f, "table {from} -> {to}"),
            Rename::Column { table, from, to } => write!(f, "column {table}.{from} -> {to}"),
        }
    }
}

/// The renames that undo `renames`: columns first (their tables under the old names),
/// then tables.
pub(crate) fn inverted(renames: &[Rename]) -> Vec<Rename> {
    let tables: Vec<(&str, &str)> = renames
        .iter()
        .filter_map(|r| match r {
            Rename::Table { from, to } => Some((from.as_str(), to.as_str())),
            Rename::Column { .. } => None,
        })
        .collect();
    let mut out: Vec<Rename> = tables.iter().map(|(from, to)| Rename::table(*to, *from)).collect();
    for r in renames {
        if let Rename::Column { table, from, to } = r {
            let old = tables.iter().find(|(_, t)| t == table).map_or(table.as_str(), |(f, _)| f);
            out.push(Rename::column(old, to.clone(), from.clone()));
        }
    }
    out
}

/// Applies the confirmed renames to a copy of `from`: tables first, then columns. A rename
/// that does not fit (its source missing or its name taken) is a warning.
pub(crate) fn apply(
    from: &Schema,
    to: &Schema,
    renames: &[Rename],
    warnings: &mut Vec<String>,
) -> (Schema, Vec<Change>) {
    let mut schema = from.clone();
    let mut changes = Vec::new();
    let tables = renames.iter().filter(|r| matches!(r, Rename::Table { .. }));
    let columns = renames.iter().filter(|r| matches!(r, Rename::Column { .. }));
    for r in tables.chain(columns) {
        let applied = match r {
            Rename::Table { from: a, to: b } => rename_table(&mut schema, to, a, b),
            Rename::Column { table, from: a, to: b } => rename_column(&mut schema, table, a, b),
        };
        match applied {
            Some(change) => changes.push(change),
            None => warnings.push(format!("rename of {r} does not apply and was skipped")),
        }
    }
    (schema, changes)
}

fn rename_table(schema: &mut Schema, to: &Schema, a: &str, b: &str) -> Option<Change> {
    if schema.table(b).is_some() || to.table(b).is_none() {
        return None;
    }
    schema.tables.iter_mut().find(|t| t.name == a)?.name = b.to_owned();
    for fk in schema.tables.iter_mut().flat_map(|t| t.foreign_keys.iter_mut()) {
        if fk.ref_table == a {
            fk.ref_table = b.to_owned();
        }
    }
    Some(Change::RenameTable { from: a.to_owned(), to: b.to_owned() })
}

fn rename_column(schema: &mut Schema, table: &str, a: &str, b: &str) -> Option<Change> {
    let t = schema.tables.iter_mut().find(|t| t.name == table)?;
    if t.column(b).is_some() {
        return None;
    }
    t.columns.iter_mut().find(|c| c.name == a)?.name = b.to_owned();
    let fix = |cols: &mut Vec<String>| cols.iter_mut().filter(|c| *c == a).for_each(|c| *c = b.to_owned());
    fix(&mut t.primary_key);
    t.uniques.iter_mut().for_each(|u| fix(&mut u.columns));
    t.indexes.iter_mut().for_each(|i| fix(&mut i.columns));
    t.foreign_keys.iter_mut().for_each(|k| fix(&mut k.columns));
    for fk in schema.tables.iter_mut().flat_map(|t| t.foreign_keys.iter_mut()) {
        if fk.ref_table == table {
            fix(&mut fk.ref_columns);
        }
    }
    Some(Change::RenameColumn { table: table.to_owned(), from: a.to_owned(), to: b.to_owned() })
}

/// Pairs of a table that disappears and one that appears with at least half its columns
/// (by name and type); in shared tables, a column that disappears and one of the same type
/// that appears.
pub(crate) fn candidates(from: &Schema, to: &Schema, d: &dyn Dialect) -> Vec<Rename> {
    let mut out = Vec::new();
    let gone: Vec<&Table> = from.tables.iter().filter(|t| to.table(&t.name).is_none()).collect();
    for new in to.tables.iter().filter(|t| from.table(&t.name).is_none()) {
        for old in &gone {
            let shared = new
                .columns
                .iter()
                .filter(|c| old.columns.iter().any(|o| same_name(&o.name, &c.name, d) && same_type(o.ty, c.ty, d)))
                .count();
            if shared * 2 >= new.columns.len().max(old.columns.len()) && shared > 0 {
                out.push(Rename::table(old.name.clone(), new.name.clone()));
            }
        }
    }
    for new in &to.tables {
        let Some(old) = from.table(&new.name) else { continue };
        let missing = |a: &Table, b: &Table, name: &str| {
            !a.columns.iter().any(|c| same_name(&c.name, name, d)) && b.column(name).is_some()
        };
        for oc in old.columns.iter().filter(|c| missing(new, old, &c.name)) {
            for nc in new.columns.iter().filter(|c| missing(old, new, &c.name) && same_type(c.ty, oc.ty, d)) {
                out.push(Rename::column(new.name.clone(), oc.name.clone(), nc.name.clone()));
            }
        }
    }
    out
}
