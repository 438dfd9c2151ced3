//! Rows handed from a backend to a [`RowStream`](crate::RowStream).
//!
//! The backend's work runs as a future that the stream itself polls (the producer). It
//! either hands over each decoded row through a slot the stream shares, pausing until the
//! stream asks for the next (MySQL, whose result borrows the connection), or hands over a
//! [`RowSource`] the stream then reads and decodes from directly, giving back how it ended
//! (PostgreSQL's row stream, SQLite's batches). Either way nothing reads ahead of the
//! consumer but the driver's own buffers, and each row's allocations are freed (by the
//! consumer) before the next row's are made, which keeps the allocator on its fast path.

#[cfg(feature = "mysql")]
use std::future::Future;
#[cfg(feature = "mysql")]
use std::pin::Pin;
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
    #[cfg_attr(not(feature = "mysql"), allow(dead_code))]
    Row(T),
    Failed(Error),
    #[cfg_attr(not(any(feature = "postgres", feature = "sqlite")), allow(dead_code))]
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

/// The backend's end: where it leaves each row, or its source.
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
    /// Hands `row` to the stream and waits until the stream asks for the next one.
    #[cfg(feature = "mysql")]
    pub(crate) async fn push(&mut self, row: T) {
        lock(&self.slot).handed = Some(Handed::Row(row));
        Paused::default().await;
    }

    /// Hands `source` to the stream, which reads it to its end (or drops it), and returns
    /// how it ended.
    #[cfg(any(feature = "postgres", feature = "sqlite"))]
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

/// Pending once, without asking to be woken: the stream polls its producer again when it
/// wants the next row, and the producer resumes from here.
#[cfg(feature = "mysql")]
#[derive(Default)]
struct Paused(bool);

#[cfg(feature = "mysql")]
impl Future for Paused {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        Poll::Pending
    }
}
