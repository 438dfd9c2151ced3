//! `RowStream`: rows as a `futures::Stream`, read from the database as they are consumed.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use kakaorm_core::{FromRow, Rendered, Result};

use crate::driver::stream::{Handed, Source, StreamSlot, handoff};
use crate::executor::Executor;

/// The query's rows, one at a time, as the database sends them: a
/// [`Stream`](futures_core::Stream) of `Result<T>` that holds a connection until it ends
/// or is dropped. The backend reads ahead by at most a few hundred rows, so memory stays
/// flat however many rows come (PostgreSQL: the driver's row stream; MySQL: an unbuffered
/// result; SQLite: rows stepped on the connection's thread and copied over a few hundred
/// at a time). Rows are decoded one at a time, as they are taken.
///
/// Dropping the stream midway is safe: PostgreSQL's connection discards the rest of the
/// result, SQLite resets the statement, and a MySQL connection left mid-result is closed
/// rather than reused (inside a transaction, the transaction then fails cleanly).
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "events")] struct Event { id: i64, kind: String }
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// db.create_table::<Event>().await?;
/// for kind in ["a", "b", "c"] {
///     Event::create().kind(kind).exec(&db).await?;
/// }
/// let mut events = Event::query().order_by(Event::id).stream(&db);
/// let mut kinds = String::new();
/// while let Some(event) = events.next().await {
///     kinds.push_str(&event?.kind);
/// }
/// assert_eq!(kinds, "abc");
/// # Ok(()) }
/// ```
#[must_use = "a stream does nothing until it is polled"]
pub struct RowStream<'a, T> {
    /// Runs the query and hands over a source of its rows, then settles how it ended;
    /// polled by the stream itself (while rows are awaited, for its statement timeout).
    producer: Option<Pin<Box<dyn Future<Output = ()> + Send + 'a>>>,
    /// Where the producer leaves the source to read the rows from, or its error.
    slot: StreamSlot<T>,
    /// The source handed over, read and decoded here row by row until it ends.
    source: Option<Source<T>>,
}

impl<T> std::fmt::Debug for RowStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowStream").field("running", &self.producer.is_some()).finish_non_exhaustive()
    }
}

// Nothing is pinned in place: the producer and the source are boxed.
impl<T> Unpin for RowStream<'_, T> {}

impl<'a, T: FromRow> RowStream<'a, T> {
    /// Streams the rows of `q` (or its rendering error) on a connection of `e`.
    pub(crate) fn new<E: Executor>(e: &'a E, q: Result<Rendered>) -> Self {
        let (mut sink, slot) = handoff();
        let producer = async move {
            let res = async {
                let mut guard = e.acquire().await?;
                guard.conn()?.stream(q?, &mut sink).await
            }
            .await;
            if let Err(e) = res {
                sink.fail(e);
            }
        };
        // The stream polls its producer when the source has no row ready, which may be
        // because the task's cooperative budget ran out (tokio's sockets count against
        // it): outside that budget, its statement timeout still fires then. Its own work
        // is only the query's start and end.
        let producer = tokio::task::coop::unconstrained(producer);
        RowStream { producer: Some(Box::pin(producer)), slot, source: None }
    }

    /// The next row, `None` at the end: the stream's own `next`, for callers without
    /// `futures::StreamExt` in scope.
    ///
    /// # Errors
    /// Any database or decode error; the stream ends after it.
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T: FromRow> Stream for RowStream<'_, T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        let this = &mut *self;
        loop {
            if let Some(source) = this.source.as_mut() {
                match source.poll_row(cx) {
                    Poll::Ready(Some(Ok(row))) => return Poll::Ready(Some(Ok(row))),
                    Poll::Ready(end) => {
                        // Read through, or failed: the producer finishes with the outcome.
                        this.source = None;
                        this.slot.give_back(end.transpose().map(|_| ()));
                    }
                    // Waiting for rows: the producer is polled too, for its timer.
                    Poll::Pending => {}
                }
            }
            let Some(producer) = this.producer.as_mut() else { return Poll::Ready(None) };
            let done = producer.as_mut().poll(cx).is_ready();
            if done {
                this.producer = None;
                this.source = None;
            }
            // The producer hands something over only while it is polled, and it is taken
            // right away.
            match this.slot.take() {
                Some(Handed::Source(source)) => this.source = Some(source),
                Some(Handed::Failed(e)) => {
                    // The stream ends on its first error; the backend stops reading.
                    this.producer = None;
                    this.source = None;
                    return Poll::Ready(Some(Err(e)));
                }
                None if done => return Poll::Ready(None),
                None => return Poll::Pending,
            }
        }
    }
}
