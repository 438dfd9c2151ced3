//! CREATE TABLE, CREATE INDEX and DROP TABLE, rendered from the owned schema model.

mod alter;

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::schema::{Column, ColumnDefault, ForeignKey, Table, TableSchema, Unique};
use crate::value::ColumnType;

pub use alter::{
    add_check, add_column, add_foreign_key, add_unique, alter_column, alter_primary_key, create_index, drop_check,
    drop_column, drop_foreign_key, drop_index, drop_unique, rename_column, rename_table,
};

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
    let mut out = create_table_def(&Table::from(table), d, if_not_exists)?;
    out.extend(super::archive::create_archive_table(table, d, if_not_exists)?);
    Ok(out)
}

/// Renders the statements that create an owned [`Table`]: as [`create_table`], with
/// composite primary keys and named constraints as the table declares them.
///
/// # Errors
/// As [`create_table`].
///
/// ```
/// use kakaorm_core::schema::{Column, Table};
/// use kakaorm_core::{create_table_def, Backend, ColumnType};
/// let mut t = Table::new("tags");
/// t.columns.push(Column::new("name", ColumnType::Varchar(20)));
/// t.primary_key.push("name".into());
/// let sql = create_table_def(&t, Backend::Postgres.dialect(), false).unwrap();
/// assert_eq!(sql, [r#"CREATE TABLE "tags" ("name" VARCHAR(20) NOT NULL PRIMARY KEY)"#]);
/// ```
pub fn create_table_def(table: &Table, d: &dyn Dialect, if_not_exists: bool) -> Result<Vec<String>> {
    let mut sql = String::from("CREATE TABLE ");
    if if_not_exists {
        sql.push_str("IF NOT EXISTS ");
    }
    d.quote_ident(&mut sql, &table.name);
    sql.push_str(" (");
    let mut parts: Vec<String> = Vec::new();
    for col in &table.columns {
        parts.push(column_def(table, col, d, true)?);
    }
    if table.primary_key.len() > 1 {
        let mut c = String::from("PRIMARY KEY ");
        column_list(&mut c, &table.primary_key, d);
        parts.push(c);
    }
    parts.extend(table.checks.iter().map(|check| alter::check_def(check, d)));
    for fk in &table.foreign_keys {
        parts.push(alter::foreign_key_def(table, fk, d)?);
    }
    parts.extend(table.uniques.iter().filter(|u| !is_inline(u)).map(|u| alter::unique_def(u, d)));
    if d.inline_indexes() {
        for idx in &table.indexes {
            let mut c = String::from("INDEX ");
            d.quote_ident(&mut c, &idx.name);
            c.push(' ');
            column_list(&mut c, &idx.columns, d);
            parts.push(c);
        }
    }
    sql.push_str(&parts.join(", "));
    sql.push(')');
    sql.push_str(d.table_options());
    let mut out = vec![sql];
    if !d.inline_indexes() {
        out.extend(table.indexes.iter().map(|idx| alter::create_index_sql(&table.name, idx, d, if_not_exists)));
    }
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

/// A column definition. `inline_keys` adds the PRIMARY KEY and inline UNIQUE clauses
/// (CREATE TABLE); an ALTER leaves keys to their own statements.
fn column_def(table: &Table, col: &Column, d: &dyn Dialect, inline_keys: bool) -> Result<String> {
    let mut s = String::new();
    d.quote_ident(&mut s, &col.name);
    s.push(' ');
    if col.auto_increment {
        s.push_str(&d.auto_increment_pk(col.ty));
        return Ok(s);
    }
    if col.ty == ColumnType::Text && !d.can_index_text() && table.is_indexed(&col.name) {
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
    if let Some(default) = &col.default {
        s.push_str(" DEFAULT ");
        default_sql(&mut s, default, col.ty, d);
    }
    if inline_keys && table.primary_key.len() == 1 && table.primary_key[0] == col.name {
        s.push_str(" PRIMARY KEY");
    }
    if inline_keys && table.uniques.iter().any(|u| is_inline(u) && u.columns == [col.name.as_str()]) {
        s.push_str(" UNIQUE");
    }
    Ok(s)
}

/// Appends a column default (or any value a column is filled with) as SQL: literals
/// through the dialect, the current time as the dialect spells it for the column's type.
///
/// ```
/// use kakaorm_core::schema::ColumnDefault;
/// use kakaorm_core::{default_sql, Backend, ColumnType};
/// let mut sql = String::new();
/// default_sql(&mut sql, &ColumnDefault::Str("it's".into()), ColumnType::Text, Backend::Postgres.dialect());
/// assert_eq!(sql, "'it''s'");
/// ```
pub fn default_sql(out: &mut String, value: &ColumnDefault, ty: ColumnType, d: &dyn Dialect) {
    match value {
        ColumnDefault::Int(v) => out.push_str(&v.to_string()),
        ColumnDefault::Float(v) => out.push_str(&format!("{v:?}")),
        ColumnDefault::Bool(v) => out.push_str(d.bool_literal(*v)),
        ColumnDefault::Str(v) => d.string_literal(out, v),
        ColumnDefault::CurrentTimestamp => out.push_str(&d.now_sql(ty)),
        ColumnDefault::Expr(e) => out.push_str(e),
    }
}

/// An unnamed single-column unique constraint is declared on its column.
fn is_inline(u: &Unique) -> bool {
    u.name.is_none() && u.columns.len() == 1
}

fn check_actions(table: &Table, fk: &ForeignKey, d: &dyn Dialect) -> Result<()> {
    for action in [fk.on_delete, fk.on_update] {
        if !d.supports_referential_action(action) {
            return Err(Error::unsupported(format!(
                "{} does not support ON DELETE/ON UPDATE {} (foreign key `{}.{}`)",
                d.backend().name(),
                action.sql(),
                table.name,
                fk.columns.join(", ")
            )));
        }
    }
    Ok(())
}

fn column_list<S: AsRef<str>>(out: &mut String, cols: &[S], d: &dyn Dialect) {
    out.push('(');
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        d.quote_ident(out, c.as_ref());
    }
    out.push(')');
}

#[cfg(test)]
mod tests {
    use crate::schema::constraint_name;

    #[test]
    fn long_names_are_shortened_stably() {
        let long = "x".repeat(80);
        let a = constraint_name("idx", &long, &["a"]);
        assert!(a.len() <= 63, "{a}");
        assert_eq!(a, constraint_name("idx", &long, &["a"]));
        assert_ne!(a, constraint_name("idx", &long, &["b"]));
    }
}
