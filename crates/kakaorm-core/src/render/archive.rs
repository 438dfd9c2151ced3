//! CREATE TABLE of an archive table: the model's columns plus `archived_at`, keyed like
//! the main table, without foreign keys, unique constraints, checks or defaults (rows
//! arrive whole from the main table, and archived rows may repeat a value a live row
//! holds now).

use crate::dialect::Dialect;
use crate::error::Result;
use crate::render::ddl::create_table_def;
use crate::schema::{Table, TableSchema};

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
    let Some(archive) = Table::archive_of(table) else {
        return Ok(None);
    };
    Ok(create_table_def(&archive, d, if_not_exists)?.into_iter().next())
}
