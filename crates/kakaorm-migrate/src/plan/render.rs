//! Each change as SQL, through kakaorm-core's DDL renderers and dialect hooks.

use kakaorm::{Dialect, Error, Result};
use kakaorm_core::schema::{Column, ForeignKey, Table};
use kakaorm_core::{
    add_check, add_column, add_foreign_key, add_unique, alter_column, alter_primary_key, create_index,
    create_table_def, drop_check, drop_column, drop_foreign_key, drop_index, drop_table, drop_unique, rename_column,
    rename_table,
};

use super::Statement;
use super::backfill::{backfill, needs_backfill};
use crate::diff::{Change, Diff};
use crate::rebuild;

/// The statements of every change of `diff`, with the tables the dialect cannot ALTER
/// rebuilt once each. Such a dialect also creates each new table whole, foreign keys to
/// tables created after it included.
pub(super) fn statements(diff: &Diff, d: &dyn Dialect) -> Result<Vec<Statement>> {
    let rebuilt = rebuild::tables(diff, d);
    let whole = !d.alters_constraints();
    let created = |name: &str| diff.changes().iter().any(|c| matches!(c, Change::CreateTable(t) if t.name == name));
    let dropped = |name: &str| diff.changes().iter().any(|c| matches!(c, Change::DropTable(t) if t.name == name));
    let mut out = Vec::new();
    let mut done: Vec<&str> = Vec::new();
    let mut unchecked = false;
    for change in diff.changes() {
        let table = change.table();
        if rebuilt.iter().any(|t| t == table) && rebuild::replaces(change) {
            if !done.contains(&table) {
                done.push(table);
                out.extend(rebuild::statements(old_table(diff, table)?, new_table(diff, table)?, d)?);
            }
            continue;
        }
        let sql = match change {
            Change::AddForeignKey { table, .. } if whole && created(table) => continue,
            // A key between tables dropped together (a cycle) goes with them, with
            // enforcement off while they are dropped.
            Change::DropForeignKey { table, .. } if whole && dropped(table) => {
                unchecked = true;
                continue;
            }
            Change::CreateTable(t) if whole => create_table_def(new_table(diff, &t.name)?, d, false)?,
            _ => change_sql(change, diff, d)?,
        };
        out.extend(sql.into_iter().map(Statement::new));
    }
    if !done.is_empty() || unchecked {
        rebuild::wrap(&mut out);
    }
    Ok(out)
}

fn missing(name: &str) -> Error {
    Error::invalid_input(format!("the diff has no table `{name}`"))
}

/// The table as the statements after the renames find it.
fn old_table<'a>(diff: &'a Diff, name: &str) -> Result<&'a Table> {
    diff.renamed.table(name).ok_or_else(|| missing(name))
}

/// The table as the diff leaves it.
fn new_table<'a>(diff: &'a Diff, name: &str) -> Result<&'a Table> {
    diff.target.table(name).ok_or_else(|| missing(name))
}

fn change_sql(change: &Change, diff: &Diff, d: &dyn Dialect) -> Result<Vec<String>> {
    let one = |s: String| Ok(vec![s]);
    match change {
        Change::CreateTable(t) => create_table_def(t, d, false),
        Change::DropTable(t) => one(drop_table(&t.name, d, false)),
        Change::RenameTable { from, to } => one(rename_table(from, to, d)),
        Change::AddColumn { table, column } => added_column(new_table(diff, table)?, column, d),
        Change::DropColumn { table, column } => one(drop_column(table, &column.name, d)?),
        Change::RenameColumn { table, from, to } => one(rename_column(table, from, to, d)),
        Change::AlterColumn { table, from, to } => one(alter_column(new_table(diff, table)?, from, to, d)?),
        Change::AlterPrimaryKey { table, from, to } => alter_primary_key(table, from, to, d),
        Change::AddIndex { table, index } => one(create_index(table, index, d)),
        Change::DropIndex { table, index } => one(drop_index(table, &index.name, d)),
        Change::AddUnique { table, unique } => one(add_unique(table, unique, d)?),
        Change::DropUnique { table, unique } => one(drop_unique(table, unique, d)?),
        Change::AddForeignKey { table, foreign_key } => one(add_foreign_key(new_table(diff, table)?, foreign_key, d)?),
        Change::DropForeignKey { table, foreign_key } => dropped_key(old_table(diff, table)?, foreign_key, d),
        Change::AddCheck { table, check } => one(add_check(table, check, d)?),
        Change::DropCheck { table, check } => one(drop_check(table, check, d)?),
    }
}

/// ADD COLUMN; a NOT NULL column without default is added with a temporary default that
/// fills the rows already there, then the default is dropped.
fn added_column(table: &Table, col: &Column, d: &dyn Dialect) -> Result<Vec<String>> {
    if !needs_backfill(col) || !d.accepts_literal_default(col.ty) {
        return Ok(vec![add_column(table, col, d)?]);
    }
    let filled = col.clone().default(Some(backfill(col)));
    Ok(vec![add_column(table, &filled, d)?, alter_column(table, &filled, col, d)?])
}

/// DROP of a foreign key, and of the index InnoDB made for it when no other index covered
/// its columns.
fn dropped_key(table: &Table, fk: &ForeignKey, d: &dyn Dialect) -> Result<Vec<String>> {
    let mut out = vec![drop_foreign_key(&table.name, fk, d)?];
    let starts = |cols: &[String]| cols.starts_with(&fk.columns);
    let covered = starts(&table.primary_key)
        || table.uniques.iter().any(|u| starts(&u.columns))
        || table.indexes.iter().any(|i| starts(&i.columns));
    if let (true, false, Some(name)) = (d.foreign_keys_create_indexes(), covered, &fk.name) {
        out.push(drop_index(&table.name, name, d));
    }
    Ok(out)
}
