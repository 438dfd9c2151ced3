//! Rows handed from a backend to a [`RowStream`](crate::RowStream) in small chunks through
//! a bounded channel: the backend waits (or its thread blocks) while the channel is full,
//! so a slow consumer holds a constant number of rows in memory.

use kakaorm_core::Result;
use tokio::sync::mpsc;

/// Rows per chunk: large enough that handing a chunk over costs little per row, small
/// enough to keep memory flat.
pub(crate) const CHUNK_ROWS: usize = 256;
/// Chunks in flight between the backend and the consumer.
pub(crate) const CHUNKS_IN_FLIGHT: usize = 2;

/// What the consumer receives: a chunk of rows, or the error that ended the stream.
pub(crate) type Chunk<T> = Result<Vec<T>>;

/// The backend's end of the channel, collecting rows into chunks.
pub(crate) struct ChunkSink<T> {
    tx: mpsc::Sender<Chunk<T>>,
    chunk: Vec<T>,
}

impl<T> ChunkSink<T> {
    pub(crate) fn new(tx: mpsc::Sender<Chunk<T>>) -> Self {
        ChunkSink { tx, chunk: Vec::with_capacity(CHUNK_ROWS) }
    }

    /// A second end of the same channel, owned, for a backend thread.
    #[cfg(feature = "sqlite")]
    pub(crate) fn detach(&self) -> Self {
        ChunkSink::new(self.tx.clone())
    }

    /// Adds a row, waiting while the consumer is a full channel behind. `false` once the
    /// consumer has gone (the stream was dropped): the backend stops reading.
    #[cfg(any(feature = "postgres", feature = "mysql"))]
    pub(crate) async fn push(&mut self, row: T) -> bool {
        self.chunk.push(row);
        self.chunk.len() < CHUNK_ROWS || self.flush().await
    }

    /// Sends the rows collected so far; `false` once the consumer has gone.
    #[cfg(any(feature = "postgres", feature = "mysql"))]
    pub(crate) async fn flush(&mut self) -> bool {
        if self.chunk.is_empty() {
            return !self.tx.is_closed();
        }
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK_ROWS));
        self.tx.send(Ok(chunk)).await.is_ok()
    }

    /// [`push`](ChunkSink::push) for a thread outside the runtime (the SQLite connection
    /// thread), which blocks while the channel is full.
    #[cfg(feature = "sqlite")]
    pub(crate) fn push_blocking(&mut self, row: T) -> bool {
        self.chunk.push(row);
        self.chunk.len() < CHUNK_ROWS || self.flush_blocking()
    }

    /// [`flush`](ChunkSink::flush) for a thread outside the runtime.
    #[cfg(feature = "sqlite")]
    pub(crate) fn flush_blocking(&mut self) -> bool {
        if self.chunk.is_empty() {
            return !self.tx.is_closed();
        }
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK_ROWS));
        self.tx.blocking_send(Ok(chunk)).is_ok()
    }

    /// Ends the stream with `e`.
    pub(crate) async fn fail(&self, e: kakaorm_core::Error) {
        let _ = self.tx.send(Err(e)).await;
    }
}
