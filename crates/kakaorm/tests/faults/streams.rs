//! Streams under faults: a session killed while the server is still sending a large result,
//! and (MySQL) a statement timeout that runs out while the consumer is slow. Either way the stream
//! yields one error and ends, nothing hangs, and the pool serves the next operation on a
//! sound connection.

use std::time::Duration;

use kakaorm::Db;
use kakaorm::{ErrorKind, RowStream, raw};

use crate::harness::Backend;
use crate::server::Sessions;
use crate::support::{database_of, no_hang, run_isolated, unique, with_param};

/// Rows of the large result: 100 000 of about 200 bytes, far more than socket buffers hold.
const ROWS: usize = 100_000;
const HANG: Duration = Duration::from_secs(15);
/// Long enough for the first row on a loaded machine, far shorter than the whole stream.
const STATEMENT: Duration = Duration::from_secs(1);

/// A table of the ten digits, and a query crossing it into `ROWS` padded rows.
async fn large_result(db: &Db) -> String {
    raw("CREATE TABLE fault_stream_digits (d BIGINT NOT NULL)").execute(db).await.expect("create");
    raw("INSERT INTO fault_stream_digits (d) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)")
        .execute(db)
        .await
        .expect("digits");
    let pad = "x".repeat(200);
    format!(
        "SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d, '{pad}' \
         FROM fault_stream_digits a, fault_stream_digits b, fault_stream_digits c, fault_stream_digits e, \
         fault_stream_digits f"
    )
}

/// Reads `s` to its end: the rows taken, and the errors met (at most one, then the end).
async fn drain(what: &str, s: &mut RowStream<'_, (i64, String)>) -> (usize, Vec<kakaorm::Error>) {
    let (mut rows, mut errors) = (0, Vec::new());
    while let Some(row) = no_hang(what, HANG, s.next()).await {
        match row {
            Ok(_) => rows += 1,
            Err(e) => errors.push(e),
        }
    }
    (rows, errors)
}

/// The pool answers a few operations in a row.
async fn serves(what: &str, db: &Db) {
    for _ in 0..3 {
        let n = no_hang(what, HANG, raw("SELECT COUNT(*) FROM fault_stream_digits").one::<i64>(db)).await;
        assert_eq!(n.unwrap_or_else(|e| panic!("{what}: {e}")), 10);
    }
}

async fn streams_under_faults(backend: Backend, url: String, direct: Db) {
    let label = format!("streams/{backend:?}");
    let sql = large_result(&direct).await;

    // A killed session: the stream fails once and ends; the next operation gets a new connection.
    let app = unique("faults_stream");
    let (url_app, sessions) = match backend {
        Backend::Postgres => (with_param(&url, "application_name", &app), Sessions::postgres(&app).await),
        _ => (url.clone(), Sessions::mysql(&database_of(&url)).await),
    };
    let db = Db::builder(&url_app).max_connections(1).connect().await.expect("connect");
    let mut s = raw(&sql).stream::<(i64, String)>(&db);
    assert!(no_hang("the first row", HANG, s.next()).await.is_some_and(|r| r.is_ok()));
    let mut killed = 0;
    for id in sessions.ids().await.expect("sessions") {
        killed += u32::from(sessions.kill(id).await);
    }
    assert!(killed >= 1, "the streaming session was killed");
    let (rows, errors) = drain("a stream whose session was killed", &mut s).await;
    eprintln!("[{label}] killed mid-stream: {rows} more rows, then {errors:?}");
    assert_eq!(errors.len(), 1, "one error, then the end");
    assert!(matches!(errors[0].kind(), ErrorKind::Connection | ErrorKind::Database), "{}", errors[0]);
    assert!(rows + 1 < ROWS, "the stream stopped short");
    drop(s);
    serves("the pool after a killed stream", &db).await;
    db.close().await;
    sessions.close().await;

    // A slow consumer outlives the statement timeout: a Timeout error, then the end. The
    // deadline is checked whenever the stream waits for rows, which on MySQL happens at the
    // latest when the task's cooperative budget runs out (tokio counts socket reads).
    // PostgreSQL's rows come through a channel from the connection task, which may stay
    // ahead of a slow consumer until the end: not asserted there.
    if backend != Backend::Mysql {
        return;
    }
    let db = Db::builder(&url).max_connections(1).statement_timeout(STATEMENT).connect().await.expect("connect");
    let mut s = raw(&sql).stream::<(i64, String)>(&db);
    let first = no_hang("the first row", HANG, s.next()).await;
    assert!(first.as_ref().is_some_and(Result::is_ok), "{first:?}");
    tokio::time::sleep(2 * STATEMENT).await;
    let (rows, errors) = drain("a stream past its timeout", &mut s).await;
    eprintln!("[{label}] past the timeout: {rows} more rows, then {errors:?}");
    assert_eq!(errors.iter().map(kakaorm::Error::kind).collect::<Vec<_>>(), [ErrorKind::Timeout]);
    assert!(rows + 1 < ROWS, "the stream stopped short");
    drop(s);
    serves("the pool after a timed-out stream", &db).await;
    db.close().await;
}

#[test]
fn postgres() {
    run_isolated("streams-pg", Backend::Postgres, |url, db| streams_under_faults(Backend::Postgres, url, db));
}

#[test]
fn mysql() {
    run_isolated("streams-my", Backend::Mysql, |url, db| streams_under_faults(Backend::Mysql, url, db));
}
