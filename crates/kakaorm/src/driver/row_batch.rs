//! Rows inserted by one prepared statement run over and over (see
//! [`Dialect::repeated_insert_rows`](kakaorm_core::Dialect::repeated_insert_rows)).

use kakaorm_core::Value;

/// The rows of one bulk insert, in one buffer moved to the connection, and the statements
/// that insert them a slice at a time. Only SQLite runs such batches today.
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) struct RowBatch {
    /// The INSERT of `per_statement` rows.
    pub(crate) full: String,
    /// The INSERT of the fewer rows left at the end, if any.
    pub(crate) tail: Option<String>,
    /// Values per row.
    pub(crate) width: usize,
    /// Rows per run of `full`.
    pub(crate) per_statement: usize,
    /// Row after row, `width` values each.
    pub(crate) values: Vec<Value>,
}

#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
impl RowBatch {
    /// How many rows the batch inserts.
    pub(crate) fn rows(&self) -> usize {
        self.values.len() / self.width.max(1)
    }

    /// Each run's statement with the values it binds, in order.
    pub(crate) fn runs(&self) -> impl Iterator<Item = (&str, &[Value])> {
        let full = self.per_statement * self.width;
        self.values.chunks(full.max(1)).map(move |chunk| match (&self.tail, chunk.len() < full) {
            (Some(tail), true) => (tail.as_str(), chunk),
            _ => (self.full.as_str(), chunk),
        })
    }

    /// Whether it takes more than one statement (and so a transaction to be atomic).
    pub(crate) fn several(&self) -> bool {
        self.values.len() > self.per_statement * self.width
    }
}
