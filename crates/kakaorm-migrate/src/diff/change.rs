//! One schema change.

use std::fmt;

use kakaorm_core::schema::{Check, Column, ForeignKey, Index, Table, Unique};

/// One change to a schema. Table names are those in force when the change runs (after any
/// rename before it).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Change {
    /// Create a table with its constraints and indexes.
    CreateTable(Table),
    /// Drop a table (only in destructive mode, or when undoing a creation).
    DropTable(Table),
    /// Rename a table (confirmed by the caller).
    RenameTable {
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// Add a column.
    AddColumn {
        /// The table.
        table: String,
        /// The new column.
        column: Column,
    },
    /// Drop a column (only in destructive mode, or when undoing an addition).
    DropColumn {
        /// The table.
        table: String,
        /// The column as it was.
        column: Column,
    },
    /// Rename a column (confirmed by the caller).
    RenameColumn {
        /// The table.
        table: String,
        /// The old name.
        from: String,
        /// The new name.
        to: String,
    },
    /// Change a column's type, nullability or default.
    AlterColumn {
        /// The table.
        table: String,
        /// The column before.
        from: Column,
        /// The column after.
        to: Column,
    },
    /// Replace a table's primary key (either side may be empty: no key).
    AlterPrimaryKey {
        /// The table.
        table: String,
        /// The key's columns before.
        from: Vec<String>,
        /// The key's columns after.
        to: Vec<String>,
    },
    /// Create an index.
    AddIndex {
        /// The table.
        table: String,
        /// The index.
        index: Index,
    },
    /// Drop an index.
    DropIndex {
        /// The table.
        table: String,
        /// The index.
        index: Index,
    },
    /// Add a unique constraint.
    AddUnique {
        /// The table.
        table: String,
        /// The constraint.
        unique: Unique,
    },
    /// Drop a unique constraint.
    DropUnique {
        /// The table.
        table: String,
        /// The constraint.
        unique: Unique,
    },
    /// Add a foreign key.
    AddForeignKey {
        /// The referring table.
        table: String,
        /// The key.
        foreign_key: ForeignKey,
    },
    /// Drop a foreign key.
    DropForeignKey {
        /// The referring table.
        table: String,
        /// The key.
        foreign_key: ForeignKey,
    },
    /// Add a CHECK constraint.
    AddCheck {
        /// The table.
        table: String,
        /// The constraint.
        check: Check,
    },
    /// Drop a CHECK constraint.
    DropCheck {
        /// The table.
        table: String,
        /// The constraint.
        check: Check,
    },
}

impl Change {
    /// The table the change applies to (the new name for a rename).
    pub fn table(&self) -> &str {
        match self {
            Change::CreateTable(t) | Change::DropTable(t) => &t.name,
            Change::RenameTable { to, .. } => to,
            Change::AddColumn { table, .. }
            | Change::DropColumn { table, .. }
            | Change::RenameColumn { table, .. }
            | Change::AlterColumn { table, .. }
            | Change::AlterPrimaryKey { table, .. }
            | Change::AddIndex { table, .. }
            | Change::DropIndex { table, .. }
            | Change::AddUnique { table, .. }
            | Change::DropUnique { table, .. }
            | Change::AddForeignKey { table, .. }
            | Change::DropForeignKey { table, .. }
            | Change::AddCheck { table, .. }
            | Change::DropCheck { table, .. } => table,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cols = |c: &[String]| c.join(", ");
        match self {
            Change::CreateTable(t) => write!(f, "create table {}", t.name),
            Change::DropTable(t) => write!(f, "drop table {}", t.name),
            Change::RenameTable { from, to } => write!(f, "rename table {from} to {to}"),
            Change::AddColumn { table, column } => write!(f, "add column {table}.{}", column.name),
            Change::DropColumn { table, column } => write!(f, "drop column {table}.{}", column.name),
            Change::RenameColumn { table, from, to } => write!(f, "rename column {table}.{from} to {to}"),
            Change::AlterColumn { table, to, .. } => write!(f, "alter column {table}.{}", to.name),
            Change::AlterPrimaryKey { table, from, to } => {
                write!(f, "alter primary key {table} ({}) -> ({})", cols(from), cols(to))
            }
            Change::AddIndex { table, index } => {
                write!(f, "add index {} on {table} ({})", index.name, cols(&index.columns))
            }
            Change::DropIndex { table, index } => write!(f, "drop index {} on {table}", index.name),
            Change::AddUnique { table, unique } => write!(f, "add unique {table} ({})", cols(&unique.columns)),
            Change::DropUnique { table, unique } => write!(f, "drop unique {table} ({})", cols(&unique.columns)),
            Change::AddForeignKey { table, foreign_key: k } => {
                write!(f, "add foreign key {table} ({}) -> {}", cols(&k.columns), k.ref_table)
            }
            Change::DropForeignKey { table, foreign_key: k } => {
                write!(f, "drop foreign key {table} ({}) -> {}", cols(&k.columns), k.ref_table)
            }
            Change::AddCheck { table, check } => write!(f, "add check {} on {table}", check.name),
            Change::DropCheck { table, check } => write!(f, "drop check {} on {table}", check.name),
        }
    }
}
