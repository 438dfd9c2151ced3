//! Where the rows of a pipelined statement go: decoded into their reader's type as they
//! arrive, so decoding one statement's rows overlaps the server running the next. Only
//! PostgreSQL pipelines; without it the sinks are never filled.
#![cfg_attr(not(feature = "postgres"), allow(dead_code, unused_imports))]

use kakaorm_core::{FromRow, Result};

/// Receives the rows of one pipelined statement.
pub(crate) trait RowSink: Send {
    /// Decodes and keeps one PostgreSQL row.
    #[cfg(feature = "postgres")]
    fn push_pg(&mut self, row: &tokio_postgres::Row) -> Result<()>;

    /// Drops the rows received so far (the statement is sent again).
    fn clear(&mut self);
}

/// Rows decoded into `T` as they arrive.
pub(crate) struct Decoded<T>(pub(crate) Vec<T>);

impl<T> Default for Decoded<T> {
    fn default() -> Self {
        Decoded(Vec::new())
    }
}

impl<T: FromRow + Send> RowSink for Decoded<T> {
    #[cfg(feature = "postgres")]
    #[inline]
    fn push_pg(&mut self, row: &tokio_postgres::Row) -> Result<()> {
        self.0.push(super::postgres::decode_row(row)?);
        Ok(())
    }

    fn clear(&mut self) {
        self.0.clear();
    }
}
