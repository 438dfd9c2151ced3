//! Captures every tracing event and span field on the current thread as text, so that tests
//! can look for leaked secrets in what a log would show.

use std::fmt::{Debug, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::DefaultGuard;
use tracing::{Event, Metadata, Subscriber};

/// The text of everything logged on this thread while it is alive.
pub struct Logs {
    text: Arc<Mutex<String>>,
    _guard: DefaultGuard,
}

impl Logs {
    /// Starts capturing at every level, for every target.
    pub fn capture() -> Logs {
        let text = Arc::new(Mutex::new(String::new()));
        let guard = tracing::subscriber::set_default(Capture { text: text.clone(), next_span: AtomicU64::new(1) });
        Logs { text, _guard: guard }
    }

    /// What was logged so far, one event or span per line.
    pub fn text(&self) -> String {
        self.text.lock().expect("log buffer").clone()
    }
}

struct Capture {
    text: Arc<Mutex<String>>,
    next_span: AtomicU64,
}

impl Capture {
    fn line(&self, meta: &Metadata<'_>, fields: impl FnOnce(&mut Line)) {
        let mut line = Line(format!("{} {}:", meta.level(), meta.target()));
        fields(&mut line);
        let mut text = self.text.lock().expect("log buffer");
        text.push_str(&line.0);
        text.push('\n');
    }
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
        self.line(span.metadata(), |line| span.record(line));
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = Line(String::from("span record:"));
        values.record(&mut line);
        self.text.lock().expect("log buffer").push_str(&(line.0 + "\n"));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        self.line(event.metadata(), |line| event.record(line));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
