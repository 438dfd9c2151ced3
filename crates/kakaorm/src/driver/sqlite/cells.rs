//! Rows copied off an SQLite statement as plain cells, to be decoded on another thread.
//!
//! A stream steps its statement on the connection's thread but decodes on the consumer's:
//! the strings and buffers of the decoded structs are then allocated and freed on one
//! thread (a free on another thread is the allocator's slow path), and the connection
//! thread does no more than copy bytes.

use std::sync::Arc;

use kakaorm_core::{Error, ErrorKind, FromRow, Result};
use rusqlite::Row;
use rusqlite::types::ValueRef;
use tokio::sync::mpsc;

use super::error::map_error;
use super::row::{Cells, LiteRow};
use crate::driver::stream::RowSource;

/// Rows per batch: large enough that handing a batch over costs little per row, small
/// enough to keep memory flat.
const BATCH_ROWS: usize = 256;
/// Batches in flight between the connection thread and the consumer.
const BATCHES_IN_FLIGHT: usize = 2;
/// Bytes of text and blobs after which a batch is handed over early, so wide rows keep
/// memory flat too.
const BATCH_BYTES: usize = 1 << 20;

/// A channel of batches: the connection thread's end, and the consumer's.
pub(crate) fn batches() -> (BatchSender, mpsc::Receiver<CellBatch>) {
    let (tx, rx) = mpsc::channel(BATCHES_IN_FLIGHT);
    (BatchSender { tx, batch: None }, rx)
}

/// The connection thread's end of a stream: copies rows into batches and hands them
/// over, blocking while the channel is full.
pub(crate) struct BatchSender {
    tx: mpsc::Sender<CellBatch>,
    batch: Option<CellBatch>,
}

impl BatchSender {
    /// Copies `row`; `Ok(false)` once the consumer has gone.
    pub(crate) fn push(&mut self, row: &Row<'_>) -> Result<bool> {
        let batch = self.batch.get_or_insert_with(|| CellBatch::new(CellBatch::names_of(row), BATCH_ROWS));
        batch.push(row)?;
        Ok((batch.rows() < BATCH_ROWS && batch.bytes.len() < BATCH_BYTES) || self.flush())
    }

    /// Hands over the rows copied so far; `false` once the consumer has gone.
    pub(crate) fn flush(&mut self) -> bool {
        let Some(batch) = self.batch.as_mut().filter(|b| !b.cells.is_empty()) else {
            return !self.tx.is_closed();
        };
        let next = CellBatch::new(Arc::clone(&batch.names), BATCH_ROWS);
        self.tx.blocking_send(std::mem::replace(batch, next)).is_ok()
    }
}

/// One cell: a value, or where its bytes are in the batch.
#[derive(Debug, Clone, Copy)]
enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text { start: u32, end: u32 },
    Blob { start: u32, end: u32 },
}

/// Rows of one statement, `width` cells each, and the bytes of their text and blob cells.
#[derive(Debug)]
pub(crate) struct CellBatch {
    names: Arc<[String]>,
    cells: Vec<Cell>,
    bytes: Vec<u8>,
}

impl CellBatch {
    /// An empty batch for rows with the columns `names`.
    fn new(names: Arc<[String]>, rows: usize) -> Self {
        let cells = Vec::with_capacity(rows * names.len());
        CellBatch { names, cells, bytes: Vec::new() }
    }

    /// The column names of a statement's rows.
    fn names_of(row: &Row<'_>) -> Arc<[String]> {
        let stmt = row.as_ref();
        (0..stmt.column_count()).map(|i| stmt.column_name(i).unwrap_or("?").to_owned()).collect()
    }

    /// Copies `row` in.
    fn push(&mut self, row: &Row<'_>) -> Result<()> {
        for idx in 0..self.names.len() {
            let cell = match row.get_ref(idx).map_err(map_error)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(v) => Cell::Integer(v),
                ValueRef::Real(v) => Cell::Real(v),
                ValueRef::Text(t) => {
                    let (start, end) = self.store(t)?;
                    Cell::Text { start, end }
                }
                ValueRef::Blob(b) => {
                    let (start, end) = self.store(b)?;
                    Cell::Blob { start, end }
                }
            };
            self.cells.push(cell);
        }
        Ok(())
    }

    fn store(&mut self, b: &[u8]) -> Result<(u32, u32)> {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(b);
        let place = |at: usize| {
            u32::try_from(at).map_err(|_| Error::new(ErrorKind::Decode, "sqlite: a streamed row exceeds 4 GiB"))
        };
        Ok((place(start)?, place(self.bytes.len())?))
    }

    /// How many rows it holds.
    pub(crate) fn rows(&self) -> usize {
        self.cells.len().checked_div(self.names.len()).unwrap_or(0)
    }

    /// Row `row` (below [`rows`](Self::rows)), to decode.
    pub(crate) fn row(&self, row: usize) -> CellRow<'_> {
        let width = self.names.len();
        CellRow { batch: self, cells: &self.cells[row * width..(row + 1) * width] }
    }
}

/// One row of a [`CellBatch`].
#[derive(Clone, Copy)]
pub(crate) struct CellRow<'a> {
    batch: &'a CellBatch,
    cells: &'a [Cell],
}

impl<'a> Cells<'a> for CellRow<'a> {
    fn cell(&self, idx: usize) -> Result<ValueRef<'a>> {
        let bytes = |start: u32, end: u32| &self.batch.bytes[start as usize..end as usize];
        match self.cells.get(idx) {
            Some(Cell::Null) => Ok(ValueRef::Null),
            Some(Cell::Integer(v)) => Ok(ValueRef::Integer(*v)),
            Some(Cell::Real(v)) => Ok(ValueRef::Real(*v)),
            Some(Cell::Text { start, end }) => Ok(ValueRef::Text(bytes(*start, *end))),
            Some(Cell::Blob { start, end }) => Ok(ValueRef::Blob(bytes(*start, *end))),
            None => Err(Error::decode("?", format!("no column {idx} among {}", self.cells.len()))),
        }
    }

    fn name(&self, idx: usize) -> &'a str {
        self.batch.names.get(idx).map_or("?", String::as_str)
    }

    fn width(&self) -> usize {
        self.cells.len()
    }
}

/// The consumer's end of a stream: batches read and decoded row by row.
pub(crate) struct CellSource {
    batches: mpsc::Receiver<CellBatch>,
    batch: Option<CellBatch>,
    next: usize,
}

impl CellSource {
    pub(crate) fn new(batches: mpsc::Receiver<CellBatch>) -> Self {
        CellSource { batches, batch: None, next: 0 }
    }
}

impl<T: FromRow> RowSource<T> for CellSource {
    fn poll_row(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Result<T>>> {
        use std::task::Poll;
        loop {
            if let Some(batch) = &self.batch
                && self.next < batch.rows()
            {
                self.next += 1;
                return Poll::Ready(Some(T::from_row(&mut LiteRow::new(batch.row(self.next - 1)))));
            }
            match self.batches.poll_recv(cx) {
                Poll::Ready(Some(batch)) => {
                    self.batch = Some(batch);
                    self.next = 0;
                }
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}
