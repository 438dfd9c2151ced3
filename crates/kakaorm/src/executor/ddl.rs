//! Creating and dropping tables from model schemas.

use kakaorm_core::schema::TableSchema;
use kakaorm_core::{Error, Model, Result, create_table, drop_table};

use super::Executor;

/// A set of models, created together in foreign-key order: `(User, Post, Comment)`.
pub trait ModelSet {
    /// The schemas, in the order given.
    fn schemas() -> Vec<&'static TableSchema>;
}

macro_rules! tuple_set {
    ($($m:ident),+) => {
        impl<$($m: Model),+> ModelSet for ($($m,)+) {
            fn schemas() -> Vec<&'static TableSchema> {
                vec![$($m::SCHEMA),+]
            }
        }
    };
}
tuple_set!(A);
tuple_set!(A, B);
tuple_set!(A, B, C);
tuple_set!(A, B, C, D);
tuple_set!(A, B, C, D, E);
tuple_set!(A, B, C, D, E, F);
tuple_set!(A, B, C, D, E, F, G);
tuple_set!(A, B, C, D, E, F, G, H);
tuple_set!(A, B, C, D, E, F, G, H, I);
tuple_set!(A, B, C, D, E, F, G, H, I, J);
tuple_set!(A, B, C, D, E, F, G, H, I, J, K);
tuple_set!(A, B, C, D, E, F, G, H, I, J, K, L);

/// Orders tables so that every table comes after the tables it references.
///
/// # Errors
/// [`Unsupported`](kakaorm_core::ErrorKind::Unsupported) for a foreign-key cycle between
/// different tables, which CREATE TABLE alone cannot build.
pub(crate) fn fk_order(tables: Vec<&'static TableSchema>) -> Result<Vec<&'static TableSchema>> {
    fn visit(
        t: &'static TableSchema,
        set: &[&'static TableSchema],
        out: &mut Vec<&'static TableSchema>,
        path: &mut Vec<&'static str>,
    ) -> Result<()> {
        if out.iter().any(|o| o.name == t.name) {
            return Ok(());
        }
        if path.contains(&t.name) {
            return Err(Error::unsupported(format!("foreign keys form a cycle: {} -> {}", path.join(" -> "), t.name)));
        }
        path.push(t.name);
        for (_, fk) in t.foreign_keys() {
            let target = (fk.target)();
            if target.name != t.name
                && let Some(dep) = set.iter().find(|s| s.name == target.name)
            {
                visit(dep, set, out, path)?;
            }
        }
        path.pop();
        out.push(t);
        Ok(())
    }
    let mut out = Vec::with_capacity(tables.len());
    for t in &tables {
        visit(t, &tables, &mut out, &mut Vec::new())?;
    }
    Ok(out)
}

/// Runs the CREATE statements of `tables`, in foreign-key order.
pub(crate) async fn create_all<E: Executor + ?Sized>(
    e: &E,
    tables: Vec<&'static TableSchema>,
    if_not_exists: bool,
) -> Result<()> {
    crate::deletion::register_schemas(&tables);
    let ordered = fk_order(tables)?;
    let mut statements = Vec::new();
    for t in ordered {
        statements.extend(create_table(t, e.dialect(), if_not_exists)?);
    }
    let mut guard = e.acquire().await?;
    let conn = guard.conn()?;
    for sql in statements {
        conn.batch(&sql).await?;
    }
    Ok(())
}

/// Runs DROP TABLE, then drops the table's archive (if it exists) for an archive model.
pub(crate) async fn drop_one<E: Executor + ?Sized>(e: &E, table: &'static TableSchema, if_exists: bool) -> Result<()> {
    let sql = drop_table(table.name, e.dialect(), if_exists);
    let mut guard = e.acquire().await?;
    let conn = guard.conn()?;
    conn.batch(&sql).await?;
    if let Some(archive) = table.deletion.archive_table() {
        conn.batch(&drop_table(archive, e.dialect(), true)).await?;
    }
    Ok(())
}

/// The dialect an executor speaks: the pool's, a transaction's or a connection's.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// let tx = db.begin().await?;
/// assert_eq!(kakaorm::dialect_of(&tx).backend(), kakaorm::Backend::Sqlite);
/// # Ok(()) }
/// ```
pub fn dialect_of<E: Executor + ?Sized>(e: &E) -> &'static dyn kakaorm_core::Dialect {
    e.dialect()
}

/// Runs one parameterless statement (DDL, a migration step) as plain text, outside the
/// statement cache: a schema change must not leave prepared statements behind.
///
/// # Errors
/// The database's error, mapped to its [`ErrorKind`](kakaorm_core::ErrorKind).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// kakaorm::execute_ddl(r#"CREATE TABLE "t" ("a" INTEGER)"#, &db).await?;
/// # Ok(()) }
/// ```
pub async fn execute_ddl<E: Executor + ?Sized>(sql: &str, e: &E) -> Result<()> {
    let mut guard = e.acquire().await?;
    guard.conn()?.batch(sql).await
}
