//! Running a plan's statements on one connection, in one transaction where DDL is
//! transactional.

use kakaorm::{Db, Error, ErrorKind, Executor, Result, execute_ddl};

use super::{Statement, StatementKind};

/// Runs `statements` (a plan's `up` or `down`) on one connection: the
/// [`BeforeTransaction`](StatementKind::BeforeTransaction) ones, then the others inside one
/// transaction where the backend's DDL is transactional (PostgreSQL, SQLite; MySQL commits
/// each DDL statement), then the [`AfterTransaction`](StatementKind::AfterTransaction)
/// ones, whatever happened. A failure rolls everything back where the backend can.
///
/// # Errors
/// The first statement's error; [`Migration`](ErrorKind::Migration) when a check
/// ([`ExpectNoRows`](StatementKind::ExpectNoRows)) finds violations.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// use kakaorm_migrate::{apply, Statement};
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// apply(&[Statement::new(r#"CREATE TABLE "t" ("a" INTEGER)"#)], &db).await?;
/// assert_eq!(kakaorm_migrate::introspect(&db).await?.tables.len(), 1);
/// # Ok(()) }
/// ```
pub async fn apply(statements: &[Statement], db: &Db) -> Result<()> {
    if statements.is_empty() {
        return Ok(());
    }
    let conn = db.acquire().await?;
    let d = db.dialect();
    let of = |kind: StatementKind| statements.iter().filter(move |s| s.kind == kind);
    for s in of(StatementKind::BeforeTransaction) {
        execute_ddl(&s.sql, &conn).await?;
    }
    let transactional = d.transactional_ddl();
    let mut outcome = if transactional { execute_ddl(d.begin_sql(), &conn).await } else { Ok(()) };
    if outcome.is_ok() {
        outcome = body(statements, &conn).await;
        if transactional {
            let end = if outcome.is_ok() { "COMMIT" } else { "ROLLBACK" };
            let ended = execute_ddl(end, &conn).await;
            outcome = outcome.and(ended);
        }
    }
    for s in of(StatementKind::AfterTransaction) {
        let after = execute_ddl(&s.sql, &conn).await;
        outcome = outcome.and(after);
    }
    outcome
}

async fn body(statements: &[Statement], conn: &kakaorm::Connection) -> Result<()> {
    for s in statements {
        match s.kind {
            StatementKind::Execute => execute_ddl(&s.sql, conn).await?,
            StatementKind::ExpectNoRows => {
                let rows: Vec<String> = conn.fetch_raw(&s.sql, vec![]).await?;
                if let Some(table) = rows.first() {
                    return Err(Error::new(
                        ErrorKind::Migration,
                        format!("`{}` found {} violation(s), first in table `{table}`", s.sql, rows.len()),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}
