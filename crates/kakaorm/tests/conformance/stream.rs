//! Streaming rows: every row once, in order, errors in the stream, and a stream dropped
//! midway leaves its connection clean.

use std::sync::atomic::{AtomicUsize, Ordering};

use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind, RowStream, raw};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "readings")]
pub struct Reading {
    pub id: i64,
    pub sensor: i32,
    pub value: f64,
}

const ROWS: i64 = 3000;

async fn readings(db: &Db) -> kakaorm::Result<()> {
    db.create_table::<Reading>().await?;
    let rows = (0..ROWS).map(|i| Reading::create().sensor(i32::try_from(i % 7).unwrap_or(0)).value(0.5 * i as f64));
    Reading::bulk_create(rows, db).await?;
    Ok(())
}

async fn collect<T: kakaorm::FromRow>(mut s: RowStream<'_, T>) -> kakaorm::Result<Vec<T>> {
    let mut out = Vec::new();
    while let Some(row) = s.next().await {
        out.push(row?);
    }
    Ok(out)
}

conformance! {
    async fn streams_yield_every_row_in_order(db: Db) -> Result<()> {
        readings(&db).await?;
        let all = collect(Reading::query().order_by(Reading::id).stream(&db)).await?;
        assert_eq!(all.len(), 3000);
        assert!(all.windows(2).all(|w| w[0].id < w[1].id), "in order");
        assert_eq!(all, Reading::query().order_by(Reading::id).all(&db).await?, "the same rows as all()");
        let some = collect(Reading::filter(Reading::sensor.eq(3)).order_by(Reading::id.desc()).limit(5).stream(&db)).await?;
        assert_eq!(some.len(), 5);
        assert!(some.iter().all(|r| r.sensor == 3));
        let pairs: Vec<(i64, f64)> =
            collect(raw("SELECT id, value FROM readings WHERE sensor = $1 ORDER BY id").bind(0).stream(&db)).await?;
        assert_eq!(pairs.len(), 429);
        assert_eq!(pairs[1], (8, 3.5));
        let none = collect(Reading::filter(Reading::id.lt(0)).stream(&db)).await?;
        assert!(none.is_empty());
        let tallies = collect(raw("SELECT id FROM readings ORDER BY id").stream::<Tally>(&db)).await?;
        assert_eq!(tallies.iter().map(|t| t.0.get()).sum::<i64>(), ROWS * (ROWS + 1) / 2, "a row type need not be Sync");
        Ok(())
    }

    async fn stream_errors_end_the_stream(db: Db) -> Result<()> {
        readings(&db).await?;
        let mut bad = raw("SELECT id FROM no_such_table").stream::<i64>(&db);
        assert_eq!(bad.next().await.map(|r| r.map_err(|e| e.kind())), Some(Err(ErrorKind::Database)));
        assert!(bad.next().await.is_none());
        let mut text = raw("SELECT 'x' FROM readings").stream::<i64>(&db);
        assert_eq!(text.next().await.map(|r| r.map_err(|e| e.kind())), Some(Err(ErrorKind::Decode)));
        assert!(text.next().await.is_none(), "a decode error ends the stream");
        let mut refused = raw("SELECT id FROM readings WHERE id > $2").bind(1).stream::<i64>(&db);
        assert_eq!(refused.next().await.map(|r| r.map_err(|e| e.kind())), Some(Err(ErrorKind::InvalidInput)));
        Ok(())
    }

    async fn dropped_streams_leave_connections_clean(db: Db) -> Result<()> {
        readings(&db).await?;
        for _ in 0..3 {
            let mut s = Reading::query().order_by(Reading::id).stream(&db);
            let first = s.next().await.transpose()?.map(|r| r.id);
            assert_eq!(first, Some(1));
            drop(s);
            assert_eq!(Reading::query().count(&db).await?, ROWS, "the pool's connections still answer");
        }
        // Inside a transaction, on its one connection.
        let tx = db.begin().await?;
        let mut s = Reading::query().order_by(Reading::id).stream(&tx);
        assert!(s.next().await.is_some());
        drop(s);
        let after = Reading::query().count(&tx).await;
        match db.backend() {
            // MySQL cannot abandon a result midway: the connection is closed, and the
            // transaction fails rather than going on in a state nobody knows.
            Backend::Mysql => assert_eq!(after.unwrap_err().kind(), ErrorKind::Connection),
            _ => assert_eq!(after?, ROWS),
        }
        drop(tx);
        assert_eq!(Reading::query().count(&db).await?, ROWS);
        Ok(())
    }

    async fn streams_read_only_a_few_chunks_ahead(db: Db) -> Result<()> {
        readings(&db).await?;
        // The backends' tests (SQLite in both modes) run side by side: each counts in a slot of its own.
        match db.backend() {
            Backend::Sqlite if db.is_sqlite_inline() => read_ahead::<6>(&db).await,
            Backend::Sqlite => read_ahead::<0>(&db).await,
            Backend::Postgres => read_ahead::<1>(&db).await,
            Backend::Mysql => read_ahead::<2>(&db).await,
        }
    }

    async fn a_large_stream_is_read_as_it_is_taken(db: Db) -> Result<()> {
        let sql = many_rows(&db).await?;
        match db.backend() {
            Backend::Sqlite if db.is_sqlite_inline() => large_stream::<7>(&db, &sql).await?,
            Backend::Sqlite => large_stream::<3>(&db, &sql).await?,
            Backend::Postgres => large_stream::<4>(&db, &sql).await?,
            Backend::Mysql => large_stream::<5>(&db, &sql).await?,
        }
        // Dropped while the server is still sending: the connection answers next.
        let tx = db.begin().await?;
        let mut s = raw(&sql).stream::<i64>(&tx);
        assert!(s.next().await.is_some());
        drop(s);
        let after = raw("SELECT COUNT(*) FROM stream_digits").one::<i64>(&tx).await;
        match db.backend() {
            // A MySQL connection left mid-result is closed (see `dropped_streams_leave_connections_clean`).
            Backend::Mysql => assert_eq!(after.unwrap_err().kind(), ErrorKind::Connection),
            _ => assert_eq!(after?, 10),
        }
        drop(tx);
        let mut s = raw(&sql).stream::<i64>(&db);
        assert!(s.next().await.is_some());
        drop(s);
        for _ in 0..5 {
            assert_eq!(raw("SELECT COUNT(*) FROM stream_digits").one::<i64>(&db).await?, 10, "the pool answers");
        }
        Ok(())
    }
}

/// Rows in the large stream.
const MANY: usize = 200_000;

/// A table of the ten digits, and a query crossing it with itself into `MANY` numbered
/// rows of about 200 bytes each (40 MB in all: far more than any socket buffer holds).
async fn many_rows(db: &Db) -> kakaorm::Result<String> {
    raw("CREATE TABLE stream_digits (d BIGINT NOT NULL)").execute(db).await?;
    raw("INSERT INTO stream_digits (d) VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)").execute(db).await?;
    let pad = "x".repeat(200);
    Ok(format!(
        "SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d, '{pad}' \
         FROM stream_digits a, stream_digits b, stream_digits c, stream_digits e, stream_digits f, stream_digits g \
         WHERE g.d < 2"
    ))
}

/// How many other sessions are running the large query: the server is still producing
/// its rows while the client reads slowly. `None` on SQLite, which has no server.
async fn server_still_sending(db: &Db) -> kakaorm::Result<Option<i64>> {
    let sql = match db.backend() {
        Backend::Sqlite => return Ok(None),
        Backend::Postgres => {
            "SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state = 'active' \
             AND query LIKE '%stream_digits g%WHERE g.d < 2%'"
        }
        Backend::Mysql => {
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() \
             AND COMMAND <> 'Sleep' AND INFO LIKE '%stream_digits g%WHERE g.d < 2%'"
        }
    };
    raw(sql).one::<i64>(db).await.map(Some)
}

/// Streams `MANY` rows: after one row and a pause the producer has decoded at most a few
/// chunks, and the server is still busy sending (the driver has not read the result into
/// memory); halfway the producer is still only a few chunks ahead; every row comes once.
async fn large_stream<const S: usize>(db: &Db, sql: &str) -> kakaorm::Result<()> {
    DECODED[S].store(0, Ordering::SeqCst);
    let mut s = raw(sql).stream::<Counted<S>>(db);
    let mut sum = s.next().await.transpose()?.map_or(0, |c| c.0);
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let ahead = DECODED[S].load(Ordering::SeqCst);
    assert!(ahead <= 1024, "decoded {ahead} of {MANY} rows for one taken");
    if let Some(running) = server_still_sending(db).await? {
        assert_eq!(running, 1, "the server is still sending: the rows were not read into memory");
    }
    for taken in 2..=MANY / 2 {
        sum += s.next().await.transpose()?.map_or(0, |c| c.0);
        if taken % 20_000 == 0 {
            let ahead = DECODED[S].load(Ordering::SeqCst) - taken;
            assert!(ahead <= 1024, "decoded {ahead} rows ahead after {taken} taken");
        }
    }
    let rest = collect(s).await?;
    sum += rest.iter().map(|c| c.0).sum::<i64>();
    assert_eq!(rest.len() + MANY / 2, MANY);
    assert_eq!(DECODED[S].load(Ordering::SeqCst), MANY);
    let n = i64::try_from(MANY).unwrap_or(0);
    assert_eq!(sum, n * (n - 1) / 2, "every number once");
    Ok(())
}

/// Takes one row, lets the producer run as far as the channel allows, and counts the rows
/// decoded meanwhile.
async fn read_ahead<const S: usize>(db: &Db) -> kakaorm::Result<()> {
    DECODED[S].store(0, Ordering::SeqCst);
    let mut s = raw("SELECT id FROM readings ORDER BY id").stream::<Counted<S>>(db);
    assert_eq!(s.next().await.transpose()?.map(|c| c.0), Some(1));
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let ahead = DECODED[S].load(Ordering::SeqCst);
    assert!(ahead <= 1024, "decoded {ahead} of {ROWS} rows for one taken");
    let rest = collect(s).await?;
    assert_eq!(rest.len(), 2999);
    assert_eq!(DECODED[S].load(Ordering::SeqCst), 3000);
    Ok(())
}

/// An id in a `Cell`: `Send` but not `Sync`, which is all a stream asks of its rows.
struct Tally(std::cell::Cell<i64>);

impl kakaorm::FromRow for Tally {
    fn from_row<R: kakaorm::RowReader + ?Sized>(row: &mut R) -> kakaorm::Result<Self> {
        row.get_i64(0).map(|id| Tally(std::cell::Cell::new(id)))
    }
}

/// How many rows `Counted<S>` decoded, per slot.
static DECODED: [AtomicUsize; 8] = [const { AtomicUsize::new(0) }; 8];

/// An id whose decoding is counted in slot `S`.
struct Counted<const S: usize>(i64);

impl<const S: usize> kakaorm::FromRow for Counted<S> {
    fn from_row<R: kakaorm::RowReader + ?Sized>(row: &mut R) -> kakaorm::Result<Self> {
        DECODED[S].fetch_add(1, Ordering::SeqCst);
        row.get_i64(0).map(Counted)
    }
}
