//! Running a plan's statements on one connection, in one transaction where DDL is
//! transactional.

use kakaorm::{Connection, Db, Error, ErrorKind, Executor, Result, execute_ddl};

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
    let of = |kind: StatementKind| statements.iter().filter(move |s| s.kind == kind);
    for s in of(StatementKind::BeforeTransaction) {
        execute_ddl(&s.sql, &conn).await?;
    }
    let mut outcome = match db.dialect().transactional_ddl() {
        true => in_transaction(statements, &conn).await,
        false => body(statements, &conn).await,
    };
    for s in of(StatementKind::AfterTransaction) {
        let after = execute_ddl(&s.sql, &conn).await;
        outcome = outcome.and(after);
    }
    outcome
}

/// Runs the body in a transaction begun on `conn` ([`Connection::begin`]): committed when
/// every statement succeeds, rolled back otherwise (or when the future is dropped).
async fn in_transaction(statements: &[Statement], conn: &Connection) -> Result<()> {
    let tx = conn.begin().await?;
    match body(statements, &tx).await {
        Ok(()) => tx.commit().await,
        Err(e) => {
            if let Err(also) = tx.rollback().await {
                tracing::warn!(target: "kakaorm::migrate", error = %also, "rolling back the failed plan failed too");
            }
            Err(e)
        }
    }
}

async fn body<E: Executor>(statements: &[Statement], conn: &E) -> Result<()> {
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
