//! Captures every tracing event and span field logged on the current thread as text, so
//! that tests can look for leaked secrets in what a log would show.
//!
//! One subscriber is installed process-wide and writes to the buffer of the thread's
//! capture, if any. (A scoped `set_default` per test would race: tracing caches whether a
//! call site is enabled from whichever thread registers it first, so events could be lost.)

use std::cell::RefCell;
use std::fmt::{Debug, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

thread_local! {
    /// The buffer of this thread's capture.
    static BUFFER: RefCell<Option<Arc<Mutex<String>>>> = const { RefCell::new(None) };
}

/// The text of everything logged on this thread while it is alive.
pub struct Logs {
    text: Arc<Mutex<String>>,
}

impl Logs {
    /// Starts capturing at every level, for every target.
    pub fn capture() -> Logs {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            tracing::subscriber::set_global_default(Capture { next_span: AtomicU64::new(1) })
                .expect("no other global tracing subscriber in the conformance tests");
        });
        let text = Arc::new(Mutex::new(String::new()));
        BUFFER.with(|b| *b.borrow_mut() = Some(text.clone()));
        Logs { text }
    }

    /// What was logged so far, one event or span per line.
    pub fn text(&self) -> String {
        self.text.lock().expect("log buffer").clone()
    }
}

impl Drop for Logs {
    fn drop(&mut self) {
        BUFFER.with(|b| *b.borrow_mut() = None);
    }
}

struct Capture {
    next_span: AtomicU64,
}

/// Appends one line, `head name=value …`, to this thread's buffer, if any.
fn append(head: impl FnOnce() -> String, fields: impl FnOnce(&mut Line)) {
    BUFFER.with(|b| {
        let Some(buffer) = &*b.borrow() else { return };
        let mut line = Line(head());
        fields(&mut line);
        let mut text = buffer.lock().expect("log buffer");
        text.push_str(&line.0);
        text.push('\n');
    });
}

fn head(meta: &Metadata<'_>) -> String {
    format!("{} {}:", meta.level(), meta.target())
}

/// One line of text: `name=value` for every field, values as a formatter shows them.
struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        append(|| head(span.metadata()), |line| span.record(line));
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        append(|| "span record:".to_owned(), |line| values.record(line));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        append(|| head(event.metadata()), |line| event.record(line));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
