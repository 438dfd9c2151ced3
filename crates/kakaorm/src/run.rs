//! Rendering a statement for an executor and running it.

use kakaorm_core::ast::Statement;
use kakaorm_core::{FromRow, Result, render};

use crate::driver::ExecResult;
use crate::executor::Executor;

/// Renders `stmt` in the executor's dialect and decodes every row into `T`.
pub(crate) async fn fetch<T: FromRow, E: Executor + ?Sized>(e: &E, stmt: Statement) -> Result<Vec<T>> {
    let q = render(stmt, e.dialect())?;
    let mut guard = e.acquire().await?;
    guard.conn()?.fetch(q).await
}

/// Renders `stmt` in the executor's dialect and runs it.
pub(crate) async fn execute<E: Executor + ?Sized>(e: &E, stmt: Statement) -> Result<ExecResult> {
    let q = render(stmt, e.dialect())?;
    let mut guard = e.acquire().await?;
    guard.conn()?.execute(q).await
}
