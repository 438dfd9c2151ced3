//! CREATE TABLE of an archive table: the model's columns plus `archived_at`, keyed like
//! the main table, without foreign keys, unique constraints, checks or defaults (rows
//! arrive whole from the main table, and archived rows may repeat a value a live row
//! holds now).

use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::schema::{ARCHIVED_AT, ColumnSchema, TableSchema};
use crate::value::ColumnType;

/// `CREATE TABLE [IF NOT EXISTS] archive_table (…)`, or nothing for a table without an
/// archive.
///
/// # Errors
/// [`Unsupported`](crate::ErrorKind::Unsupported) for an unbounded text key on MySQL.
pub(super) fn create_archive_table(
    table: &TableSchema,
    d: &dyn Dialect,
    if_not_exists: bool,
) -> Result<Option<String>> {
    let Some(archive) = table.deletion.archive_table() else {
        return Ok(None);
    };
    let mut sql = String::from("CREATE TABLE ");
    if if_not_exists {
        sql.push_str("IF NOT EXISTS ");
    }
    d.quote_ident(&mut sql, archive);
    sql.push_str(" (");
    for col in table.columns {
        column(&mut sql, table, col, d)?;
        sql.push_str(", ");
    }
    d.quote_ident(&mut sql, ARCHIVED_AT);
    sql.push(' ');
    sql.push_str(&d.type_name(ColumnType::TimestampTz));
    sql.push_str(" NOT NULL)");
    sql.push_str(d.table_options());
    Ok(Some(sql))
}

/// `name type [COLLATE c] [NOT NULL] [PRIMARY KEY]`.
fn column(out: &mut String, table: &TableSchema, col: &ColumnSchema, d: &dyn Dialect) -> Result<()> {
    if col.primary_key && col.ty == ColumnType::Text && !d.can_index_text() {
        return Err(Error::unsupported(format!(
            "{} cannot index unbounded text column `{}.{}`: set max_length on it",
            d.backend().name(),
            table.name,
            col.name
        )));
    }
    d.quote_ident(out, col.name);
    out.push(' ');
    out.push_str(&d.type_name(col.ty));
    if let Some(collation) = d.column_collation(col.ty) {
        out.push_str(" COLLATE ");
        d.quote_ident(out, collation);
    }
    if !col.nullable {
        out.push_str(" NOT NULL");
    }
    if col.primary_key {
        out.push_str(" PRIMARY KEY");
    }
    Ok(())
}
