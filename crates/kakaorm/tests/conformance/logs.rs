//! Logs: by default no bound value, and no server message quoting one, reaches any log line
//! (kakaorm's own, or the PostgreSQL driver's through the `log` bridge); with
//! `log_parameters(true)` kakaorm's lines show them. Bulk inserts log each statement with
//! its own outcome, and COPY counts rows, not parameters.

use std::io::Write;
use std::sync::{Arc, Mutex, Once, PoisonError};

use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind, Value};
use tracing_subscriber::fmt::MakeWriter;

use crate::models::*;

/// What a test's subscriber wrote.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far, which is then forgotten.
    pub(crate) fn take(&self) -> String {
        let bytes = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// Captures every event of this thread at TRACE level, with the `log` crate's records
/// bridged in as `tracing_subscriber::fmt().init()` does. The tests run on a
/// current-thread runtime, so everything kakaorm and the drivers log from tasks lands here.
pub(crate) fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    static BRIDGE: Once = Once::new();
    BRIDGE.call_once(|| {
        // Another test binary's logger cannot be installed here; a second call only fails.
        let _ = tracing_log::LogTracer::init();
    });
    let out = Captured::default();
    let subscriber = tracing_subscriber::fmt().with_writer(out.clone()).with_max_level(tracing::Level::TRACE).finish();
    (out, tracing::subscriber::set_default(subscriber))
}

/// Writes `email` through every kind of statement, then fails on it (a duplicate), and
/// returns that error.
async fn use_and_fail(db: &Db, email: &str) -> kakaorm::Result<kakaorm::Error> {
    User::create().name("Alice").email(email).age(30).exec(db).await?;
    let found = User::filter(User::email.eq(email)).first(db).await?;
    assert!(found.is_some());
    let raw: Vec<i64> = db.fetch_raw(&raw_count(db), vec![Value::String(email.into())]).await?;
    assert_eq!(raw, [1]);
    let tx = db.begin().await?;
    User::filter(User::email.eq(email)).update().set(User::age, 31).exec(&tx).await?;
    tx.commit().await?;
    let err = User::create().name("Again").email(email).age(32).exec(db).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UniqueViolation, "{err}");
    Ok(err)
}

fn raw_count(db: &Db) -> String {
    let p = if db.backend() == Backend::Postgres { "$1" } else { "?" };
    format!("SELECT COUNT(*) FROM users WHERE email = {p}")
}

/// Whether the backend's message for a duplicate key quotes the value, pinned per backend:
/// PostgreSQL (`Key (email)=(…) already exists`) and MySQL (`Duplicate entry '…'`) do,
/// SQLite (`UNIQUE constraint failed: users.email`) does not.
fn quotes_values(backend: Backend) -> bool {
    matches!(backend, Backend::Postgres | Backend::Mysql)
}

/// The message of each `kakaorm::query` line whose SQL starts with `prefix`, in order.
fn messages(log: &str, prefix: &str) -> Vec<String> {
    log.lines()
        .filter_map(|line| line.split_once("kakaorm::query: ").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once(" sql=").filter(|(_, sql)| sql.starts_with(prefix)))
        .map(|(message, _)| message.to_owned())
        .collect()
}

shared_conformance! {
    async fn logs_hide_values_unless_opted_in(db: Db, url: String) -> Result<()> {
        let (log, _guard) = capture();
        blog_schema(&db).await?;
        let secret = "alice.s3cret@example.com";
        let err = use_and_fail(&db, secret).await?;
        assert_eq!(err.to_string().contains(secret), quotes_values(db.backend()), "{err}");
        let text = log.take();
        assert!(text.contains("query failed (5 params hidden)"), "the failed INSERT is logged:\n{text}");
        assert!(text.contains("kind=\"unique violation\""), "with its kind:\n{text}");
        assert!(!text.contains("s3cret"), "a bound value reached the logs:\n{text}");
        if db.backend() == Backend::Postgres {
            assert!(
                text.contains("tokio_postgres") && text.contains("with parameters: [<hidden>"),
                "the driver's parameter lines were captured, without values:\n{text}"
            );
        }

        let opted = Db::builder(&url).log_parameters(true).max_connections(1).connect().await?;
        let shown = "bob.shown@example.com";
        let err = use_and_fail(&opted, shown).await?;
        opted.close().await;
        let text = log.take();
        assert!(text.contains(&format!("String(\"{shown}\")")), "the opt-in shows bound values:\n{text}");
        assert!(text.contains(&err.to_string()), "and the error message:\n{text}");
        Ok(())
    }

    /// A bulk insert of 13 116 users with a duplicate email in row 6 558: SQLite runs one
    /// 64-row statement over every row in one job and logs it once; MySQL sends
    /// one statement of 13 107 rows, which fails; PostgreSQL streams every row with COPY.
    async fn bulk_inserts_log_each_statement_with_its_own_outcome(db: Db, url: String) -> Result<()> {
        let _ = url;
        let (log, _guard) = capture();
        blog_schema(&db).await?;
        let mut rows: Vec<_> =
            (0..13_116).map(|i| User::create().name(format!("u{i}")).email(format!("u{i}@example.com"))).collect();
        rows[6_558] = User::create().name("dup").email("u0@example.com");
        let err = User::bulk_create(rows, &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation, "{err}");
        let text = log.take();
        let expected: &[&str] = if db.backend() == Backend::Sqlite {
            &["query failed (13116 rows hidden)"]
        } else if db.backend() == Backend::Mysql {
            &["query failed (65535 params hidden)"]
        } else {
            &["query failed (13116 COPY rows hidden)"]
        };
        let prefix = if db.backend() == Backend::Postgres { "COPY" } else { "INSERT" };
        assert_eq!(messages(&text, prefix), expected, "{text}");
        assert!(!text.contains("u0@example.com"), "a bound value reached the logs");
        Ok(())
    }
}
