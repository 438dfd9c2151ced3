//! One prepared statement run over slices of one buffer of values, a slice of rows at a
//! time (see [`Dialect::repeated_insert_rows`](kakaorm_core::Dialect::repeated_insert_rows)
//! and [`Dialect::repeated_update_rows`](kakaorm_core::Dialect::repeated_update_rows)).

use kakaorm_core::{Result, Value, ValueRef};

/// The rows of one bulk write, in one buffer, and the statements that write them a slice
/// at a time. Only SQLite runs such batches today. The values are owned ([`Value`]: a bulk
/// insert's rows, moved to the connection) or borrowed from the caller's models
/// ([`ValueRef`]: a bulk update, bound in place when the statements run on the caller's
/// thread, copied only for a connection thread).
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) struct RowBatch<V = Value> {
    /// The statement of `per_statement` rows.
    pub(crate) full: String,
    /// The statement of the fewer rows left at the end, if any.
    pub(crate) tail: Option<String>,
    /// Values per row.
    pub(crate) width: usize,
    /// Rows per run of `full`.
    pub(crate) per_statement: usize,
    /// Row after row, `width` values each.
    pub(crate) values: Vec<V>,
}

#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
impl<V> RowBatch<V> {
    /// A batch of `values`, `width` to a row, written by statements of at most
    /// `per_statement` rows whose text `sql` renders for a number of rows.
    ///
    /// # Errors
    /// Whatever `sql` returns.
    pub(crate) fn new(
        values: Vec<V>,
        width: usize,
        per_statement: usize,
        sql: impl Fn(usize) -> Result<String>,
    ) -> Result<Self> {
        let width = width.max(1);
        let rows = values.len() / width;
        let per_statement = per_statement.min(rows).max(1);
        let tail = match rows % per_statement {
            0 => None,
            rows => Some(sql(rows)?),
        };
        Ok(RowBatch { full: sql(per_statement)?, tail, width, per_statement, values })
    }

    /// How many rows the batch writes.
    pub(crate) fn rows(&self) -> usize {
        self.values.len() / self.width
    }

    /// The values of each run of [`full`](Self::full), in order, then the values of the run
    /// of [`tail`](Self::tail) (empty when there is none).
    pub(crate) fn split(&self) -> (std::slice::ChunksExact<'_, V>, &[V]) {
        let chunks = self.values.chunks_exact(self.per_statement * self.width);
        let rest = chunks.remainder();
        (chunks, rest)
    }

    /// Whether it takes more than one statement (and so a transaction to be atomic).
    pub(crate) fn several(&self) -> bool {
        self.values.len() > self.per_statement * self.width
    }

    /// The same batch with owned values (a borrowed batch copies its text and bytes).
    pub(crate) fn into_owned(self) -> RowBatch<Value>
    where
        V: RowValue,
    {
        let RowBatch { full, tail, width, per_statement, values } = self;
        RowBatch { full, tail, width, per_statement, values: V::into_values(values) }
    }
}

/// A value of a [`RowBatch`]: owned, or borrowed from a model.
pub(crate) trait RowValue: std::fmt::Debug + Sized {
    /// The values, owned.
    fn into_values(values: Vec<Self>) -> Vec<Value>;

    /// The value as the driver binds it.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    fn param(&self) -> Param<'_>;
}

/// A parameter as a driver binds it: text and bytes by reference, anything else as the
/// value.
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) enum Param<'a> {
    Text(&'a str),
    Bytes(&'a [u8]),
    Value(&'a Value),
}

impl RowValue for Value {
    fn into_values(values: Vec<Value>) -> Vec<Value> {
        values
    }

    fn param(&self) -> Param<'_> {
        Param::Value(self)
    }
}

impl RowValue for ValueRef<'_> {
    fn into_values(values: Vec<Self>) -> Vec<Value> {
        values.into_iter().map(ValueRef::into_owned).collect()
    }

    fn param(&self) -> Param<'_> {
        match self {
            ValueRef::Text(s) => Param::Text(s),
            ValueRef::Bytes(b) => Param::Bytes(b),
            ValueRef::Value(v) => Param::Value(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(rows: i64, per_statement: usize) -> RowBatch {
        let values = (0..rows * 2).map(Value::I64).collect();
        RowBatch::new(values, 2, per_statement, |rows| Ok(format!("{rows} rows"))).expect("batch")
    }

    #[test]
    fn full_runs_then_a_tail_of_the_rows_left() {
        let b = batch(5, 2);
        assert_eq!((b.full.as_str(), b.tail.as_deref(), b.rows()), ("2 rows", Some("1 rows"), 5));
        let (runs, rest) = b.split();
        let runs: Vec<&[Value]> = runs.collect();
        assert_eq!(
            runs,
            [
                &[Value::I64(0), Value::I64(1), Value::I64(2), Value::I64(3)][..],
                &[Value::I64(4), Value::I64(5), Value::I64(6), Value::I64(7)]
            ]
        );
        assert_eq!(rest, [Value::I64(8), Value::I64(9)]);
        assert!(b.several());
    }

    #[test]
    fn fewer_rows_than_a_statement_takes_make_one_statement_without_tail() {
        let b = batch(3, 64);
        assert_eq!((b.full.as_str(), b.tail.as_deref(), b.per_statement), ("3 rows", None, 3));
        let (runs, rest) = b.split();
        assert_eq!(runs.count(), 1);
        assert!(rest.is_empty());
        assert!(!b.several());
    }

    #[test]
    fn a_borrowed_batch_owns_the_same_values() {
        let names = ["a".to_owned(), "b".to_owned()];
        let values = names.iter().map(|n| ValueRef::Text(n)).chain([ValueRef::Value(Value::I64(1))]).collect();
        let b = RowBatch::new(values, 1, 2, |rows| Ok(format!("{rows} rows"))).expect("batch").into_owned();
        assert_eq!(b.values, [Value::String("a".into()), Value::String("b".into()), Value::I64(1)]);
        assert_eq!((b.full.as_str(), b.tail.as_deref()), ("2 rows", Some("1 rows")));
    }
}
