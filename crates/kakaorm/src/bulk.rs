//! Bulk inserts: many rows in the fewest statements, all or nothing.

use chrono::Utc;
use kakaorm_core::ast::Insert;
use kakaorm_core::{CreateBuilder, InsertRow, Model, Result, render};

use crate::driver::PooledConn;
use crate::executor::Executor;
use crate::write::check_row;

/// Rows sharing one column list, in input order.
struct Group {
    columns: Vec<&'static str>,
    rows: Vec<Vec<kakaorm_core::Value>>,
}

/// Groups consecutive rows by column list (rows that set an auto-increment key
/// explicitly have one more column), validating each row first.
fn group<M: Model>(rows: Vec<InsertRow>) -> Result<Vec<Group>> {
    let mut groups: Vec<Group> = Vec::new();
    for row in rows {
        check_row(M::SCHEMA, &row.columns, &row.values)?;
        match groups.last_mut() {
            Some(g) if g.columns == row.columns => g.rows.push(row.values),
            _ => groups.push(Group { columns: row.columns, rows: vec![row.values] }),
        }
    }
    Ok(groups)
}

/// Inserts every builder's row with multi-row `INSERT … VALUES` statements, each as large
/// as the backend's parameter limit allows, and returns the number of rows inserted.
///
/// Several statements run in one transaction (the caller's, or one opened here), so a
/// failure leaves no row behind.
pub(crate) async fn bulk_insert<M: Model, E: Executor + ?Sized>(e: &E, builders: Vec<M::Create>) -> Result<u64> {
    let now = Utc::now();
    let rows = builders.into_iter().map(|b| b.into_row(now)).collect::<Result<Vec<_>>>()?;
    let groups = group::<M>(rows)?;
    let d = e.dialect();
    let mut statements = Vec::new();
    for g in groups {
        let per_statement = (d.max_params() / g.columns.len().max(1)).max(1);
        let mut rows = g.rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<_> = rows.by_ref().take(per_statement).collect();
            let insert =
                Insert { table: M::SCHEMA.name, columns: g.columns.clone(), rows: chunk, returning: Vec::new() };
            statements.push(render(insert.into(), d)?);
        }
    }
    let mut guard = e.acquire().await?;
    let conn = guard.conn()?;
    let own_tx = statements.len() > 1 && !conn.in_transaction();
    if own_tx {
        conn.batch(d.begin_sql()).await?;
        conn.set_in_transaction(true);
    }
    let outcome = run_all(conn, statements).await;
    if own_tx {
        finish(conn, outcome.is_ok()).await?;
    }
    outcome
}

async fn run_all(conn: &mut PooledConn, statements: Vec<kakaorm_core::Rendered>) -> Result<u64> {
    let mut total = 0;
    for q in statements {
        total += conn.execute(q).await?.rows_affected;
    }
    Ok(total)
}

/// Commits or rolls back the transaction `bulk_insert` opened.
async fn finish(conn: &mut PooledConn, commit: bool) -> Result<()> {
    let res = conn.batch(if commit { "COMMIT" } else { "ROLLBACK" }).await;
    if res.is_ok() {
        conn.set_in_transaction(false);
    }
    res
}
