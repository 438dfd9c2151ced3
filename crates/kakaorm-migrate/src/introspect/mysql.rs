//! MySQL and MariaDB: information_schema, for the current database.

use kakaorm::{Executor, Result};
use kakaorm_core::schema::{Check, Column, ColumnDefault, ForeignKey, Index, ReferentialAction, Table, Unique};

use super::parse::{default_value, mysql_type, unknown_type};
use super::table_mut;

const COLUMNS: &str = "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA \
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION";

const KEYS: &str = "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS \
     WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

const FOREIGN_KEYS: &str = "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, \
     k.REFERENCED_COLUMN_NAME, CONCAT(r.DELETE_RULE, ',', r.UPDATE_RULE) \
     FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
     ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME \
     WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL \
     ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";

/// MariaDB names checks per table (and lists JSON columns' `json_valid` checks).
const CHECKS_MARIADB: &str = "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS \
     WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME";

/// MySQL names checks per database.
const CHECKS_MYSQL: &str = "SELECT tc.TABLE_NAME, tc.CONSTRAINT_NAME, cc.CHECK_CLAUSE \
     FROM information_schema.TABLE_CONSTRAINTS tc JOIN information_schema.CHECK_CONSTRAINTS cc \
     ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
     WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK' ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME";

fn action(rule: &str) -> ReferentialAction {
    match rule {
        "RESTRICT" => ReferentialAction::Restrict,
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// A default as `COLUMN_DEFAULT` shows it: MariaDB quotes strings and prints NULL, MySQL
/// shows strings bare and marks expressions `DEFAULT_GENERATED`.
fn column_default(raw: Option<&str>, extra: &str, mariadb: bool) -> Option<ColumnDefault> {
    let raw = raw?;
    if mariadb || extra.contains("DEFAULT_GENERATED") {
        return default_value(raw);
    }
    match default_value(raw) {
        Some(ColumnDefault::Expr(_) | ColumnDefault::Str(_)) => Some(ColumnDefault::Str(raw.to_owned())),
        other => other,
    }
}

async fn columns<E: Executor + ?Sized>(e: &E, mariadb: bool) -> Result<Vec<Table>> {
    let mut tables: Vec<Table> = Vec::new();
    let rows: Vec<(String, String, String, String, Option<String>, String)> = e.fetch_raw(COLUMNS, vec![]).await?;
    for (table, name, ty, nullable, default, extra) in rows {
        let ty = mysql_type(&ty).ok_or_else(|| unknown_type(&table, &name, &ty))?;
        if table_mut(&mut tables, &table).is_none() {
            tables.push(Table::new(table.clone()));
        }
        let mut col = Column::new(name, ty).nullable(nullable == "YES");
        col.auto_increment = extra.to_ascii_lowercase().contains("auto_increment");
        col.default = column_default(default.as_deref(), &extra, mariadb);
        if let Some(t) = table_mut(&mut tables, &table) {
            t.columns.push(col);
        }
    }
    Ok(tables)
}

pub(super) async fn tables<E: Executor + ?Sized>(e: &E) -> Result<Vec<Table>> {
    let version: Vec<String> = e.fetch_raw("SELECT VERSION()", vec![]).await?;
    let mariadb = version.first().is_some_and(|v| v.contains("MariaDB"));
    let mut tables = columns(e, mariadb).await?;
    let fks: Vec<(String, String, String, String, String, String)> = e.fetch_raw(FOREIGN_KEYS, vec![]).await?;
    for (table, name, col, ref_table, ref_col, rules) in fks {
        let Some(t) = table_mut(&mut tables, &table) else { continue };
        if let Some(fk) = t.foreign_keys.iter_mut().find(|f| f.name.as_deref() == Some(name.as_str())) {
            fk.columns.push(col);
            fk.ref_columns.push(ref_col);
            continue;
        }
        let (del, upd) = rules.split_once(',').unwrap_or((&rules, ""));
        let fk = ForeignKey::new(Some(name), vec![col], ref_table, vec![ref_col]).actions(action(del), action(upd));
        t.foreign_keys.push(fk);
    }
    let keys: Vec<(String, String, i64, String)> = e.fetch_raw(KEYS, vec![]).await?;
    for (table, name, non_unique, col) in keys {
        let Some(t) = table_mut(&mut tables, &table) else { continue };
        add_key_column(t, name, non_unique == 0, col);
    }
    for t in &mut tables {
        // InnoDB indexes each foreign key that no index starts with, under the key's name.
        let fk_names: Vec<String> = t.foreign_keys.iter().filter_map(|f| f.name.clone()).collect();
        t.indexes.retain(|i| !fk_names.contains(&i.name));
    }
    let checks: Vec<(String, String, String)> =
        e.fetch_raw(if mariadb { CHECKS_MARIADB } else { CHECKS_MYSQL }, vec![]).await?;
    for (table, name, clause) in checks {
        let Some(t) = table_mut(&mut tables, &table) else { continue };
        if let Some(col) = json_column(t, &name, &clause) {
            col.ty = kakaorm::ColumnType::Json;
            continue;
        }
        t.checks.push(Check::new(name, clause));
    }
    Ok(tables)
}

/// MariaDB's JSON type is LONGTEXT with a `json_valid(col)` check named after the column.
fn json_column<'a>(t: &'a mut Table, name: &str, clause: &str) -> Option<&'a mut Column> {
    let expected = format!("json_valid(`{name}`)");
    if !clause.eq_ignore_ascii_case(&expected) {
        return None;
    }
    t.columns.iter_mut().find(|c| c.name == name && c.ty == kakaorm::ColumnType::Text)
}

fn add_key_column(t: &mut Table, name: String, unique: bool, col: String) {
    if name == "PRIMARY" {
        t.primary_key.push(col);
    } else if unique {
        match t.uniques.iter_mut().find(|u| u.name.as_deref() == Some(name.as_str())) {
            Some(u) => u.columns.push(col),
            None => t.uniques.push(Unique::new(Some(name), vec![col])),
        }
    } else {
        match t.indexes.iter_mut().find(|i| i.name == name) {
            Some(i) => i.columns.push(col),
            None => t.indexes.push(Index::new(name, vec![col])),
        }
    }
}
