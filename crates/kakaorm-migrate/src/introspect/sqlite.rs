//! SQLite: `pragma_table_xinfo`, `pragma_index_list`/`pragma_index_xinfo`,
//! `pragma_foreign_key_list`, and the CREATE TABLE text for checks and collations.

use kakaorm::{Executor, Result, Value};
use kakaorm_core::schema::{Column, ForeignKey, Index, ReferentialAction, Table, Unique};

use super::parse::{default_value, sqlite_checks, sqlite_decimal_columns, sqlite_type, unknown_type};

const TABLES: &str = "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
     ORDER BY name";

fn action(rule: &str) -> ReferentialAction {
    match rule {
        "RESTRICT" => ReferentialAction::Restrict,
        "CASCADE" => ReferentialAction::Cascade,
        "SET NULL" => ReferentialAction::SetNull,
        "SET DEFAULT" => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

pub(super) async fn tables<E: Executor + ?Sized>(e: &E) -> Result<Vec<Table>> {
    let listed: Vec<(String, String)> = e.fetch_raw(TABLES, vec![]).await?;
    let mut tables = Vec::with_capacity(listed.len());
    for (name, sql) in listed {
        tables.push(table(e, name, &sql).await?);
    }
    Ok(tables)
}

async fn table<E: Executor + ?Sized>(e: &E, name: String, sql: &str) -> Result<Table> {
    let arg = || vec![Value::String(name.clone())];
    let decimals = sqlite_decimal_columns(sql);
    let autoincrement = sql.to_ascii_uppercase().contains("AUTOINCREMENT");
    let mut t = Table::new(name.clone());
    let cols: Vec<(String, String, bool, Option<String>, i64)> = e
        .fetch_raw(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid",
            arg(),
        )
        .await?;
    let mut pk: Vec<(i64, String)> = Vec::new();
    for (col, ty, not_null, default, key) in cols {
        let ty = sqlite_type(&ty, decimals.contains(&col)).ok_or_else(|| unknown_type(&name, &col, &ty))?;
        let mut c = Column::new(col.clone(), ty).nullable(!not_null && key == 0);
        c.default = default.as_deref().and_then(default_value);
        c.auto_increment = autoincrement && key > 0;
        if key > 0 {
            pk.push((key, col));
        }
        t.columns.push(c);
    }
    pk.sort();
    t.primary_key = pk.into_iter().map(|(_, c)| c).collect();
    let indexes: Vec<(String, bool, String)> =
        e.fetch_raw("SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY name", arg()).await?;
    for (index, unique, origin) in indexes {
        let cols: Vec<String> = e
            .fetch_raw(
                "SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
                vec![Value::String(index.clone())],
            )
            .await?;
        match origin.as_str() {
            "pk" => {}
            "u" => t.uniques.push(Unique::new(None, cols)),
            _ if unique => t.uniques.push(Unique::new(Some(index), cols)),
            _ => t.indexes.push(Index::new(index, cols)),
        }
    }
    let fks: Vec<(i64, String, String, Option<String>, String, String)> = e
        .fetch_raw(
            "SELECT id, \"table\", \"from\", \"to\", on_delete, on_update FROM pragma_foreign_key_list(?) ORDER BY id, seq",
            arg(),
        )
        .await?;
    let mut ids: Vec<i64> = Vec::new();
    for (id, ref_table, from, to, on_delete, on_update) in fks {
        let to = to.unwrap_or_default();
        match ids.iter().position(|i| *i == id).and_then(|p| t.foreign_keys.get_mut(p)) {
            Some(fk) => {
                fk.columns.push(from);
                fk.ref_columns.push(to);
            }
            None => {
                ids.push(id);
                let fk = ForeignKey::new(None, vec![from], ref_table, vec![to]);
                t.foreign_keys.push(fk.actions(action(&on_delete), action(&on_update)));
            }
        }
    }
    t.checks = sqlite_checks(&t.name, sql);
    Ok(t)
}
