//! A MySQL result read by the stream itself, row by row.
//!
//! mysql_async keeps an unread result's state on the connection (`QueryResult` only
//! borrows it), so the source takes the connection over for as long as the stream reads,
//! and each poll reads the next row through a `QueryResult` made on the spot: nothing
//! between the stream and the socket but mysql_async's own row reader.
//!
//! A read that is not ready is dropped and started afresh at the next poll. That loses
//! nothing: between rows it waits only for the next packet (mysql_async's `ReadPacket`,
//! whose partial frames stay buffered in the connection's codec) and changes the connection
//! only once a packet is whole. The one other wait is at the end of a result set followed
//! by another (a `CALL`), inside a mysql_async routine that marks the connection
//! disconnected until it completes: cut there, after every row of the streamed set has
//! been read, the stream ends and the connection is discarded rather than reused.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use kakaorm_core::{FromRow, Result};
use mysql_async::{BinaryProtocol, Conn, QueryResult};

use super::map_error;
use super::row::MyRow;
use crate::driver::stream::RowSource;

/// Where a source leaves the connection once the result is read through (or failed).
pub(super) type GivenBack = Arc<Mutex<Option<Conn>>>;

/// Takes the connection left in `back`, if the source gave it back.
pub(super) fn take_back(back: &GivenBack) -> Option<Conn> {
    back.lock().unwrap_or_else(PoisonError::into_inner).take()
}

/// Rows of the result pending on a connection the source holds until the result ends.
pub(super) struct MySource {
    conn: Option<Conn>,
    back: GivenBack,
}

/// A source reading the result pending on `conn`; the connection goes to `back` at the
/// end of the result, or after an error. A source dropped midway drops the connection
/// with it (mid-result, so mysql_async closes it).
pub(super) fn source(conn: Conn, back: GivenBack) -> MySource {
    MySource { conn: Some(conn), back }
}

impl<T: FromRow> RowSource<T> for MySource {
    #[inline]
    fn poll_row(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T>>> {
        let Some(conn) = self.conn.as_mut() else { return Poll::Ready(None) };
        let row = {
            let mut result = QueryResult::<'_, 'static, BinaryProtocol>::new(&mut *conn);
            let read = std::pin::pin!(result.next());
            std::task::ready!(read.poll(cx))
        };
        let out = match row {
            Ok(Some(row)) => {
                return Poll::Ready(Some(T::from_row(&mut MyRow::new(row)).inspect_err(|_| self.give_back())));
            }
            Ok(None) => None,
            Err(e) => Some(Err(map_error(e))),
        };
        // The end, or the first error: the stream stops reading here.
        self.give_back();
        Poll::Ready(out)
    }
}

impl MySource {
    /// Leaves the connection for the producer.
    fn give_back(&mut self) {
        *self.back.lock().unwrap_or_else(PoisonError::into_inner) = self.conn.take();
    }
}
