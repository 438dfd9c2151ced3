//! Reads a live database's schema into the engine's model: tables, columns (type,
//! nullability, default), primary keys, unique constraints, indexes, foreign keys (with
//! actions) and checks.

mod mysql;
mod parse;
mod postgres;
mod sqlite;

use crate::history::HISTORY_TABLE;
use kakaorm::{Backend, Executor, Result, dialect_of};
use kakaorm_core::schema::{Schema, Table};

/// Reads the schema of the database (PostgreSQL: the current schema; MySQL: the current
/// database) that `e` is connected to, tables ordered by name. The history table
/// [`HISTORY_TABLE`] is left out.
///
/// # Errors
/// Any database error; [`Unsupported`](kakaorm::ErrorKind::Unsupported) for a column type
/// kakaorm has no mapping for (named with its table and column).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// kakaorm::execute_ddl(r#"CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "name" VARCHAR(20) NOT NULL)"#, &db).await?;
/// let schema = kakaorm_migrate::introspect(&db).await?;
/// let t = schema.table("t").unwrap();
/// assert_eq!(t.primary_key, ["id"]);
/// assert_eq!(t.column("name").unwrap().ty, kakaorm::ColumnType::Varchar(20));
/// # Ok(()) }
/// ```
pub async fn introspect<E: Executor + ?Sized>(e: &E) -> Result<Schema> {
    let mut tables = match dialect_of(e).backend() {
        Backend::Postgres => postgres::tables(e).await?,
        Backend::Mysql => mysql::tables(e).await?,
        Backend::Sqlite => sqlite::tables(e).await?,
    };
    tables.retain(|t| t.name != HISTORY_TABLE);
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Schema::new(tables))
}

/// The table called `name` in `tables`, added when missing.
fn table_mut<'a>(tables: &'a mut Vec<Table>, name: &str) -> Option<&'a mut Table> {
    tables.iter_mut().find(|t| t.name == name)
}
