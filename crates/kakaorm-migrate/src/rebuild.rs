//! The table rebuild, for backends whose ALTER TABLE cannot make a change (SQLite: column
//! type, nullability or default, dropping a column or any constraint, adding a constraint
//! or a column that needs a computed fill).
//!
//! The steps are SQLite's documented procedure: with foreign-key enforcement off (before
//! the transaction, since SQLite ignores the switch inside one), create the new table
//! under a temporary name, copy every row, drop the old table, rename the new one, create
//! its indexes, then check every foreign key before committing
//! (`PRAGMA foreign_key_check`: a violation aborts). Enforcement stays off while the old
//! table is dropped because that DROP would otherwise run the ON DELETE actions of the
//! tables referring to it (deleting their rows on CASCADE); `PRAGMA defer_foreign_keys`
//! is set as well, so that a caller who cannot turn enforcement off still gets the checks
//! at commit.

use kakaorm::{Dialect, Result};
use kakaorm_core::AlterColumnStyle;
use kakaorm_core::schema::Table;
use kakaorm_core::{create_table_def, default_sql, drop_table, rename_table};

use crate::diff::{Change, Diff};
use crate::plan::backfill::{backfill, has_constant_default, needs_backfill};
use crate::plan::{Statement, StatementKind};
use crate::schema::normalize::same_name;

/// The prefix of the temporary name a table is rebuilt under.
const TEMP_PREFIX: &str = "_kakaorm_new_";

/// The tables (neither created nor dropped by the diff) that some change forces to rebuild.
pub(crate) fn tables(diff: &Diff, d: &dyn Dialect) -> Vec<String> {
    let alter = d.alter_column_style() != AlterColumnStyle::Rebuild;
    let constraints = d.alters_constraints();
    let mut out: Vec<String> = Vec::new();
    for change in diff.changes() {
        let needs = match change {
            Change::AlterColumn { .. } => !alter,
            Change::AddColumn { column, .. } => {
                !alter && (needs_backfill(column) || (column.default.is_some() && !has_constant_default(column)))
            }
            Change::DropColumn { .. }
            | Change::AlterPrimaryKey { .. }
            | Change::AddUnique { .. }
            | Change::DropUnique { .. }
            | Change::AddForeignKey { .. }
            | Change::DropForeignKey { .. }
            | Change::AddCheck { .. }
            | Change::DropCheck { .. } => !constraints,
            _ => false,
        };
        let whole = diff.changes().iter().any(|c| match c {
            Change::CreateTable(t) | Change::DropTable(t) => t.name == change.table(),
            _ => false,
        });
        if needs && !whole && !out.iter().any(|t| t == change.table()) {
            out.push(change.table().to_owned());
        }
    }
    out
}

/// Whether a rebuild of the change's table makes the change.
pub(crate) fn replaces(change: &Change) -> bool {
    !matches!(
        change,
        Change::CreateTable(_) | Change::DropTable(_) | Change::RenameTable { .. } | Change::RenameColumn { .. }
    )
}

/// The statements that rebuild `old` as `new` (same name), copying every row.
///
/// # Errors
/// As [`create_table_def`] for the new definition.
pub(crate) fn statements(old: &Table, new: &Table, d: &dyn Dialect) -> Result<Vec<Statement>> {
    let temp = format!("{TEMP_PREFIX}{}", new.name);
    let mut staged = new.clone();
    staged.name.clone_from(&temp);
    let mut create = create_table_def(&staged, d, false)?;
    create.truncate(1);
    let indexes = create_table_def(new, d, false)?.into_iter().skip(1);
    let mut columns = String::new();
    let mut values = String::new();
    for col in &new.columns {
        let source = old.columns.iter().find(|o| same_name(&o.name, &col.name, d));
        if source.is_none() && !needs_backfill(col) {
            continue;
        }
        if !columns.is_empty() {
            columns.push_str(", ");
            values.push_str(", ");
        }
        d.quote_ident(&mut columns, &col.name);
        match source {
            Some(o) => d.quote_ident(&mut values, &o.name),
            None => default_sql(&mut values, &backfill(col), col.ty, d),
        }
    }
    let mut copy = String::from("INSERT INTO ");
    d.quote_ident(&mut copy, &temp);
    copy.push_str(&format!(" ({columns}) SELECT {values} FROM "));
    d.quote_ident(&mut copy, &old.name);
    let mut out: Vec<Statement> = create.into_iter().map(Statement::new).collect();
    if !columns.is_empty() {
        out.push(Statement::new(copy));
    }
    out.push(Statement::new(drop_table(&old.name, d, false)));
    out.push(Statement::new(rename_table(&temp, &new.name, d)));
    out.extend(indexes.map(Statement::new));
    Ok(out)
}

/// Surrounds statements that rebuild tables with the foreign-key switches and check.
pub(crate) fn wrap(out: &mut Vec<Statement>) {
    out.insert(0, Statement::with_kind("PRAGMA foreign_keys = OFF", StatementKind::BeforeTransaction));
    out.insert(1, Statement::new("PRAGMA defer_foreign_keys = ON"));
    out.push(Statement::with_kind("PRAGMA foreign_key_check", StatementKind::ExpectNoRows));
    out.push(Statement::with_kind("PRAGMA foreign_keys = ON", StatementKind::AfterTransaction));
}
