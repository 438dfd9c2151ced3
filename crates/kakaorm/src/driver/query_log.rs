//! The `kakaorm::query` log: one DEBUG line per statement with its text, time and outcome.
//!
//! Bound values stay out of it, and so does the message of a failed statement (servers quote
//! values in it: `Key (email)=(alice@example.com) already exists`, `Duplicate entry
//! 'alice@example.com'`): a failure shows its kind and code. Both appear only when the pool
//! was built with [`log_parameters`](crate::DbBuilder::log_parameters).

use std::time::{Duration, Instant};

use kakaorm_core::{Error, Value};

const TARGET: &str = "kakaorm::query";

/// What travels with the statement text.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Payload {
    /// Bound parameters.
    Params(usize),
    /// Rows streamed by binary COPY.
    CopyRows(usize),
    /// Rows bound to one statement run over and over.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    Rows(usize),
}

/// How a statement ended.
pub(crate) enum Outcome<'a> {
    Done,
    Failed(&'a Error),
    /// Skipped: an earlier statement of its batch failed, or its caller went away.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    NotRun,
}

/// One statement's log line, started before it is sent; nothing is kept when the line
/// would not be shown.
pub(crate) struct QueryLog(Option<Pending>);

struct Pending {
    started: Instant,
    sql: String,
    payload: Payload,
    /// The bound values, when the user opted in to showing them.
    values: Option<String>,
}

impl QueryLog {
    /// Whether `kakaorm::query` lines are shown at all.
    pub(crate) fn enabled() -> bool {
        tracing::enabled!(target: TARGET, tracing::Level::DEBUG)
    }

    /// Starts the line of `sql` sent with `values`; `show` is the user's opt-in to showing
    /// the values and the error message.
    pub(crate) fn start(sql: &str, payload: Payload, values: &[impl std::fmt::Debug], show: bool) -> QueryLog {
        QueryLog(Self::enabled().then(|| Pending {
            started: Instant::now(),
            sql: sql.to_owned(),
            payload,
            values: show.then(|| format!("{values:?}")),
        }))
    }

    /// Starts the line of a statement sent with its parameters.
    pub(crate) fn params(sql: &str, params: &[Value], show: bool) -> QueryLog {
        Self::start(sql, Payload::Params(params.len()), params, show)
    }

    /// Writes the line with the time since the start and the outcome of `res`.
    pub(crate) fn end<T>(self, res: &Result<T, Error>) {
        let Some(p) = &self.0 else { return };
        let outcome = match res {
            Ok(_) => Outcome::Done,
            Err(e) => Outcome::Failed(e),
        };
        p.write(Some(p.started.elapsed()), outcome);
    }

    /// Writes the line with a time measured elsewhere (`None` when the statement did not
    /// run).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn end_with(self, elapsed: Option<Duration>, outcome: Outcome<'_>) {
        if let Some(p) = &self.0 {
            p.write(elapsed, outcome);
        }
    }
}

impl Pending {
    fn write(&self, elapsed: Option<Duration>, outcome: Outcome<'_>) {
        let sql = &self.sql;
        let elapsed_us = elapsed.map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
        let sent = match (self.payload, self.values.is_some()) {
            (Payload::Params(n), false) => format!("{n} params hidden"),
            (Payload::Params(n), true) => format!("{n} params"),
            (Payload::CopyRows(n), false) => format!("{n} COPY rows hidden"),
            (Payload::CopyRows(n), true) => format!("{n} COPY rows"),
            (Payload::Rows(n), false) => format!("{n} rows hidden"),
            (Payload::Rows(n), true) => format!("{n} rows"),
        };
        let values = self.values.as_deref().unwrap_or("");
        match (outcome, self.values.is_some()) {
            (Outcome::Done, false) => tracing::debug!(target: TARGET, %sql, elapsed_us, "query ok ({sent})"),
            (Outcome::Done, true) => tracing::debug!(target: TARGET, %sql, elapsed_us, %values, "query ok ({sent})"),
            (Outcome::Failed(e), false) => {
                let (kind, code) = (e.kind().label(), code(e));
                tracing::debug!(target: TARGET, %sql, elapsed_us, kind, code, "query failed ({sent})");
            }
            (Outcome::Failed(e), true) => {
                let (kind, code) = (e.kind().label(), code(e));
                tracing::debug!(target: TARGET, %sql, elapsed_us, kind, code, error = %e, %values, "query failed ({sent})");
            }
            (Outcome::NotRun, _) => {
                tracing::debug!(target: TARGET, %sql, "query not run, its batch stopped before it ({sent})");
            }
        }
    }
}

/// The server's error code, or "" for an error raised by kakaorm or the driver.
fn code(e: &Error) -> &str {
    e.db_error().map_or("", |d| d.code.as_str())
}
