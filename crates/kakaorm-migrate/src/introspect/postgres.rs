//! PostgreSQL: pg_catalog, for the current schema.

use kakaorm::{Error, Executor, Result};
use kakaorm_core::schema::{Check, Column, ForeignKey, Index, ReferentialAction, Table, Unique};

use super::parse::{default_value, postgres_type, unknown_type};
use super::table_mut;

const COLUMNS: &str = "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
     pg_get_expr(d.adbin, d.adrelid), a.attidentity <> '' \
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped \
     ORDER BY c.relname, a.attnum";

/// Column names of a key, in key order, as JSON.
const KEY_COLUMNS: &str = "(SELECT json_agg(a.attname ORDER BY k.o)::text FROM unnest({key}) WITH ORDINALITY k(n, o) \
     JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = k.n)";

fn key_columns(key: &str, rel: &str) -> String {
    KEY_COLUMNS.replace("{key}", key).replace("{rel}", rel)
}

fn constraints_sql() -> String {
    format!(
        "SELECT cl.relname::text, co.conname::text, co.contype::text, {}, pg_get_constraintdef(co.oid) \
         FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace \
         WHERE n.nspname = current_schema() AND co.contype IN ('p', 'u', 'c') ORDER BY cl.relname, co.conname",
        key_columns("co.conkey", "co.conrelid")
    )
}

fn foreign_keys_sql() -> String {
    format!(
        "SELECT cl.relname::text, co.conname::text, {}, rt.relname::text, {}, co.confdeltype::text || co.confupdtype::text \
         FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace \
         JOIN pg_class rt ON rt.oid = co.confrelid \
         WHERE n.nspname = current_schema() AND co.contype = 'f' ORDER BY cl.relname, co.conname",
        key_columns("co.conkey", "co.conrelid"),
        key_columns("co.confkey", "co.confrelid")
    )
}

/// Indexes that back no constraint.
fn indexes_sql() -> String {
    format!(
        "SELECT t.relname::text, i.relname::text, x.indisunique, {} \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND NOT x.indisprimary AND x.indexprs IS NULL AND x.indpred IS NULL \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY t.relname, i.relname",
        key_columns("x.indkey::int2[]", "x.indrelid")
    )
}

fn names(json: &str) -> Result<Vec<String>> {
    serde_json::from_str(json).map_err(|e| Error::decode("key columns", e))
}

fn action(code: Option<char>) -> ReferentialAction {
    match code {
        Some('r') => ReferentialAction::Restrict,
        Some('c') => ReferentialAction::Cascade,
        Some('n') => ReferentialAction::SetNull,
        Some('d') => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

pub(super) async fn tables<E: Executor + ?Sized>(e: &E) -> Result<Vec<Table>> {
    let mut tables: Vec<Table> = Vec::new();
    let cols: Vec<(String, String, String, bool, Option<String>, bool)> = e.fetch_raw(COLUMNS, vec![]).await?;
    for (table, name, ty, not_null, default, identity) in cols {
        let ty = postgres_type(&ty).ok_or_else(|| unknown_type(&table, &name, &ty))?;
        if table_mut(&mut tables, &table).is_none() {
            tables.push(Table::new(table.clone()));
        }
        let serial = default.as_deref().is_some_and(|d| d.starts_with("nextval("));
        let mut col = Column::new(name, ty).nullable(!not_null);
        col.auto_increment = identity || serial;
        if !col.auto_increment {
            col.default = default.as_deref().and_then(default_value);
        }
        if let Some(t) = table_mut(&mut tables, &table) {
            t.columns.push(col);
        }
    }
    let cons: Vec<(String, String, String, Option<String>, String)> = e.fetch_raw(&constraints_sql(), vec![]).await?;
    for (table, name, kind, cols, def) in cons {
        let Some(t) = table_mut(&mut tables, &table) else { continue };
        let cols = names(cols.as_deref().unwrap_or("[]"))?;
        match kind.as_str() {
            "p" => t.primary_key = cols,
            "u" => t.uniques.push(Unique::new(Some(name), cols)),
            _ => {
                let expr = def.strip_prefix("CHECK ").unwrap_or(&def).trim_end_matches(" NOT VALID");
                t.checks.push(Check::new(name, expr));
            }
        }
    }
    let fks: Vec<(String, String, Option<String>, String, Option<String>, String)> =
        e.fetch_raw(&foreign_keys_sql(), vec![]).await?;
    for (table, name, cols, ref_table, ref_cols, actions) in fks {
        let Some(t) = table_mut(&mut tables, &table) else { continue };
        let mut codes = actions.chars();
        let (on_delete, on_update) = (action(codes.next()), action(codes.next()));
        let fk = ForeignKey::new(
            Some(name),
            names(cols.as_deref().unwrap_or("[]"))?,
            ref_table,
            names(ref_cols.as_deref().unwrap_or("[]"))?,
        );
        t.foreign_keys.push(fk.actions(on_delete, on_update));
    }
    let idx: Vec<(String, String, bool, Option<String>)> = e.fetch_raw(&indexes_sql(), vec![]).await?;
    for (table, name, unique, cols) in idx {
        let Some(t) = table_mut(&mut tables, &table) else { continue };
        let cols = names(cols.as_deref().unwrap_or("[]"))?;
        if unique {
            t.uniques.push(Unique::new(Some(name), cols));
        } else {
            t.indexes.push(Index::new(name, cols));
        }
    }
    Ok(tables)
}
