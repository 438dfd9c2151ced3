//! CREATE TABLE, CREATE INDEX and DROP TABLE.

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::schema::{ColumnSchema, DefaultValue, IndexSchema, TableSchema};
use crate::value::ColumnType;

/// Longest identifier accepted by every backend (PostgreSQL truncates at 63 bytes).
const MAX_IDENT: usize = 63;

/// Renders the statements that create `table`: the table itself, then one CREATE INDEX per
/// index where the dialect does not declare indexes inline, then its archive table for an
/// `#[kakaorm(archive)]` model.
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) when the backend cannot express part of
/// the schema (ON DELETE SET DEFAULT on MySQL, a unique TEXT column on MySQL).
///
/// ```
/// use kakaorm_core::schema::{ColumnSchema, TableSchema};
/// use kakaorm_core::{create_table, Backend, ColumnType};
/// static COLS: [ColumnSchema; 1] = [ColumnSchema::new("id", "id", ColumnType::BigInt).primary_key().auto_increment()];
/// static T: TableSchema = TableSchema::new("tags", "Tag", &COLS, 0, &[]);
/// let sql = create_table(&T, Backend::Sqlite.dialect(), true).unwrap();
/// assert_eq!(sql, [r#"CREATE TABLE IF NOT EXISTS "tags" ("id" INTEGER PRIMARY KEY AUTOINCREMENT)"#]);
/// ```
pub fn create_table(table: &TableSchema, d: &dyn Dialect, if_not_exists: bool) -> Result<Vec<String>> {
    let mut sql = String::from("CREATE TABLE ");
    if if_not_exists {
        sql.push_str("IF NOT EXISTS ");
    }
    d.quote_ident(&mut sql, table.name);
    sql.push_str(" (");
    let mut parts: Vec<String> = Vec::new();
    for col in table.columns {
        parts.push(column_def(table, col, d)?);
    }
    for col in table.columns {
        if let Some(check) = col.check {
            let mut c = String::from("CONSTRAINT ");
            d.quote_ident(&mut c, &constraint_name("ck", table.name, &[col.name]));
            c.push_str(" CHECK (");
            c.push_str(check);
            c.push(')');
            parts.push(c);
        }
    }
    for (col, fk) in table.foreign_keys() {
        parts.push(foreign_key_def(table, col, fk, d)?);
    }
    for idx in table.indexes.iter().filter(|i| i.unique) {
        let mut c = String::from("CONSTRAINT ");
        d.quote_ident(&mut c, &index_name(table.name, idx));
        c.push_str(" UNIQUE ");
        column_list(&mut c, idx.columns, d);
        parts.push(c);
    }
    let indexes = plain_indexes(table);
    if d.inline_indexes() {
        for idx in &indexes {
            let mut c = String::from("INDEX ");
            d.quote_ident(&mut c, &idx.0);
            c.push(' ');
            column_list(&mut c, &idx.1, d);
            parts.push(c);
        }
    }
    sql.push_str(&parts.join(", "));
    sql.push(')');
    sql.push_str(d.table_options());
    let mut out = vec![sql];
    if !d.inline_indexes() {
        for (name, cols) in indexes {
            let mut c = String::from("CREATE INDEX ");
            if if_not_exists {
                c.push_str("IF NOT EXISTS ");
            }
            d.quote_ident(&mut c, &name);
            c.push_str(" ON ");
            d.quote_ident(&mut c, table.name);
            c.push(' ');
            column_list(&mut c, &cols, d);
            out.push(c);
        }
    }
    out.extend(super::archive::create_archive_table(table, d, if_not_exists)?);
    Ok(out)
}

/// Renders `DROP TABLE [IF EXISTS] table`.
///
/// ```
/// use kakaorm_core::{drop_table, Backend};
/// assert_eq!(drop_table("order", Backend::Mysql.dialect(), true), "DROP TABLE IF EXISTS `order`");
/// ```
pub fn drop_table(table: &str, d: &dyn Dialect, if_exists: bool) -> String {
    let mut sql = String::from(if if_exists { "DROP TABLE IF EXISTS " } else { "DROP TABLE " });
    d.quote_ident(&mut sql, table);
    sql
}

fn column_def(table: &TableSchema, col: &ColumnSchema, d: &dyn Dialect) -> Result<String> {
    let mut s = String::new();
    d.quote_ident(&mut s, col.name);
    s.push(' ');
    if col.auto_increment {
        s.push_str(&d.auto_increment_pk(col.ty));
        return Ok(s);
    }
    let indexed = col.primary_key || col.unique || col.index || col.references.is_some();
    if indexed && col.ty == ColumnType::Text && !d.can_index_text() {
        return Err(Error::unsupported(format!(
            "{} cannot index unbounded text column `{}.{}`: set max_length on it",
            d.backend().name(),
            table.name,
            col.name
        )));
    }
    s.push_str(&d.type_name(col.ty));
    if let Some(collation) = d.column_collation(col.ty) {
        s.push_str(" COLLATE ");
        d.quote_ident(&mut s, collation);
    }
    if !col.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(default) = col.default {
        s.push_str(" DEFAULT ");
        default_literal(&mut s, default, d);
    }
    if col.primary_key {
        s.push_str(" PRIMARY KEY");
    }
    if col.unique {
        s.push_str(" UNIQUE");
    }
    Ok(s)
}

fn default_literal(out: &mut String, value: DefaultValue, d: &dyn Dialect) {
    match value {
        DefaultValue::Int(v) => out.push_str(&v.to_string()),
        DefaultValue::Float(v) => out.push_str(&format!("{v:?}")),
        DefaultValue::Bool(v) => out.push_str(d.bool_literal(v)),
        DefaultValue::Str(v) => d.string_literal(out, v),
    }
}

fn foreign_key_def(
    table: &TableSchema,
    col: &ColumnSchema,
    fk: &crate::schema::ForeignKeySchema,
    d: &dyn Dialect,
) -> Result<String> {
    for action in [fk.on_delete, fk.on_update] {
        if !d.supports_referential_action(action) {
            return Err(Error::unsupported(format!(
                "{} does not support ON DELETE/ON UPDATE {} (foreign key `{}.{}`)",
                d.backend().name(),
                action.sql(),
                table.name,
                col.name
            )));
        }
    }
    let target = (fk.target)();
    let mut s = String::from("CONSTRAINT ");
    d.quote_ident(&mut s, &constraint_name("fk", table.name, &[col.name]));
    s.push_str(" FOREIGN KEY ");
    column_list(&mut s, &[col.name], d);
    s.push_str(" REFERENCES ");
    d.quote_ident(&mut s, target.name);
    s.push(' ');
    column_list(&mut s, &[target.pk().name], d);
    s.push_str(" ON DELETE ");
    s.push_str(fk.on_delete.sql());
    s.push_str(" ON UPDATE ");
    s.push_str(fk.on_update.sql());
    Ok(s)
}

fn plain_indexes(table: &TableSchema) -> Vec<(String, Vec<&'static str>)> {
    let single = table
        .columns
        .iter()
        .filter(|c| c.index && !c.unique && !c.primary_key)
        .map(|c| (constraint_name("idx", table.name, &[c.name]), vec![c.name]));
    let composite = table.indexes.iter().filter(|i| !i.unique).map(|i| (index_name(table.name, i), i.columns.to_vec()));
    single.chain(composite).collect()
}

fn index_name(table: &str, idx: &IndexSchema) -> String {
    match idx.name {
        Some(n) => n.to_owned(),
        None => constraint_name(if idx.unique { "uq" } else { "idx" }, table, idx.columns),
    }
}

fn column_list(out: &mut String, cols: &[&str], d: &dyn Dialect) {
    out.push('(');
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        d.quote_ident(out, c);
    }
    out.push(')');
}

/// `prefix_table_col1_col2`, shortened with a stable hash when over 63 bytes.
pub(crate) fn constraint_name(prefix: &str, table: &str, cols: &[&str]) -> String {
    let full = format!("{prefix}_{table}_{}", cols.join("_"));
    if full.len() <= MAX_IDENT {
        return full;
    }
    let hash = full.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let mut cut = MAX_IDENT - 17;
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{hash:016x}", &full[..cut])
}

#[cfg(test)]
mod tests {
    use super::constraint_name;

    #[test]
    fn long_names_are_shortened_stably() {
        let long = "x".repeat(80);
        let a = constraint_name("idx", &long, &["a"]);
        assert!(a.len() <= 63, "{a}");
        assert_eq!(a, constraint_name("idx", &long, &["a"]));
        assert_ne!(a, constraint_name("idx", &long, &["b"]));
    }
}
