//! Rows handed from a backend to a [`RowStream`](crate::RowStream).
//!
//! The backend's work runs as a future that the stream itself polls (the producer). It
//! runs the query, then hands over a [`RowSource`] the stream reads and decodes from
//! directly (PostgreSQL's row stream, MySQL's pending result on the connection it lends,
//! SQLite's batches), and finishes once the stream gives back how the source ended. Rows
//! never pass through the producer, so taking one costs no resumption of its (nested)
//! state machine. Nothing reads ahead of the consumer but the driver's own buffers, and
//! each row's allocations are freed (by the consumer) before the next row's are made,
//! which keeps the allocator on its fast path.

use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use kakaorm_core::{Error, Result};

/// Rows a stream reads for itself, decoded as they are taken.
pub(crate) trait RowSource<T>: Send {
    /// The next row, `None` at the end.
    fn poll_row(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T>>>;
}

/// A boxed [`RowSource`].
pub(crate) type Source<T> = Box<dyn RowSource<T>>;

/// What the producer hands the stream.
pub(crate) enum Handed<T> {
    Failed(Error),
    Source(Source<T>),
}

struct Shared<T> {
    handed: Option<Handed<T>>,
    /// How a source the stream read ended, for the producer.
    given_back: Option<Result<()>>,
}

type Slot<T> = Arc<Mutex<Shared<T>>>;

fn lock<T>(slot: &Slot<T>) -> std::sync::MutexGuard<'_, Shared<T>> {
    slot.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The backend's end: where it leaves its source, or its error.
pub(crate) struct StreamSink<T> {
    slot: Slot<T>,
}

/// The stream's end.
pub(crate) struct StreamSlot<T> {
    slot: Slot<T>,
}

/// Both ends of a new slot.
pub(crate) fn handoff<T>() -> (StreamSink<T>, StreamSlot<T>) {
    let slot = Arc::new(Mutex::new(Shared { handed: None, given_back: None }));
    (StreamSink { slot: Arc::clone(&slot) }, StreamSlot { slot })
}

impl<T> StreamSink<T> {
    /// Hands `source` to the stream, which reads it to its end (or drops it), and returns
    /// how it ended.
    pub(crate) async fn delegate(&mut self, source: Source<T>) -> Result<()> {
        lock(&self.slot).handed = Some(Handed::Source(source));
        std::future::poll_fn(|_| match lock(&self.slot).given_back.take() {
            Some(outcome) => Poll::Ready(outcome),
            // The stream polls again once it has read the source through.
            None => Poll::Pending,
        })
        .await
    }

    /// Ends the stream with `e`.
    pub(crate) fn fail(&self, e: Error) {
        lock(&self.slot).handed = Some(Handed::Failed(e));
    }
}

impl<T> StreamSlot<T> {
    /// What the producer handed over, if anything.
    #[inline]
    pub(crate) fn take(&self) -> Option<Handed<T>> {
        lock(&self.slot).handed.take()
    }

    /// Tells the producer how the source it handed over ended.
    pub(crate) fn give_back(&self, outcome: Result<()>) {
        lock(&self.slot).given_back = Some(outcome);
    }
}
