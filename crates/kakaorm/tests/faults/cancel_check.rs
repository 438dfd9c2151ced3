//! Random cancellation, on all three backends (SQLite on a file with several connections):
//! runs the storm of `cancel`, then checks that every acknowledged write is stored, that no
//! transaction or bulk insert is partly stored, that no connection leaked or was left in a
//! transaction, and that the next operation runs at once.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use kakaorm::prelude::*;
use kakaorm::{Connection, ErrorKind};

use crate::cancel::{HANG, Ledger, PER_TASK, TASKS, key, storm};
use crate::harness::Backend;
use crate::models::{Counter, Entry, entry, schema};
use crate::rng::Rng;
use crate::server::Sessions;
use crate::support::{TempDb, database_of, panics_on, run, run_isolated, unique, with_param};

const MAX: usize = 4;
const ACQUIRE: Duration = Duration::from_secs(2);

/// Runs a query on a held connection and tells whether it is inside a transaction where
/// the connection itself can tell (MySQL); PostgreSQL sessions are checked from outside.
async fn in_transaction(backend: Backend, conn: &Connection) -> kakaorm::Result<bool> {
    match backend {
        Backend::Mysql => Ok(conn.fetch_raw::<i64>("SELECT @@in_transaction", vec![]).await? != [0]),
        _ => conn.fetch_raw::<i64>("SELECT 1", vec![]).await.map(|_| false),
    }
}

async fn cancellation(backend: Backend, url: String) {
    let label = format!("cancel/{backend:?}");
    let (pool_url, sessions) = match backend {
        Backend::Postgres => {
            let app = unique("kf_cancel");
            (with_param(&url, "application_name", &app), Some(Sessions::postgres(&app).await))
        }
        Backend::Mysql => (url.clone(), Some(Sessions::mysql(&database_of(&url)).await)),
        Backend::Sqlite | Backend::SqliteInline => (url.clone(), None),
    };
    let mut builder = Db::builder(&pool_url).max_connections(MAX).acquire_timeout(ACQUIRE);
    if backend == Backend::Sqlite {
        // Writers queue for one lock, and SQLite's busy wait is not fair: bound the wait, so
        // an operation that waits longer than HANG is stuck behind something else.
        builder = builder.statement_timeout(Duration::from_secs(1));
    }
    let db = builder.connect().await.expect("connect the pool under test");
    schema(&db, TASKS + 1).await.expect("schema");

    let mut rng = Rng::seeded(&label);
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS).map(|t| tokio::spawn(storm(db.clone(), t, rng.fork(), started))).collect();
    let mut ledgers = Vec::new();
    let mut failures = Vec::new();
    for t in tasks {
        match t.await {
            Ok(l) => ledgers.push(l),
            Err(e) => failures.push(format!("a storm task failed: {e}")),
        }
    }
    let storm_time = started.elapsed();
    let mut extra_acked = Vec::new();

    // The next operation runs at once.
    let next = key(TASKS, 1, 0);
    let first = tokio::time::timeout(Duration::from_secs(2), async {
        entry(next, 0, 1, TASKS).exec(&db).await?;
        Entry::count(&db).await
    });
    match first.await {
        Ok(Ok(_)) => extra_acked.push(next),
        Ok(Err(e)) => failures.push(format!("the first operation after the storm failed: {e}")),
        Err(_) => failures.push("the first operation after the storm took more than 2 s".into()),
    }
    // No connection leaked: all of them at once, none inside a transaction.
    let mut held = Vec::new();
    for i in 0..MAX {
        match db.acquire().await {
            Ok(c) => held.push(c),
            Err(e) => failures.push(format!("connection {} of {MAX} not available after the storm: {e}", i + 1)),
        }
    }
    for (i, c) in held.iter().enumerate() {
        match in_transaction(backend, c).await {
            Ok(false) => {}
            Ok(true) => failures.push(format!("pooled connection {i} is inside a transaction")),
            Err(e) => failures.push(format!("pooled connection {i} cannot run a query: {e}")),
        }
    }
    if let Some(s) = &sessions {
        let open = s.in_transaction().await.expect("list sessions in a transaction");
        if !open.is_empty() {
            failures.push(format!("with every connection held and used, sessions inside a transaction: {open:?}"));
        }
    }
    drop(held);
    let left_open = match &sessions {
        Some(s) => s.left_in_transaction(Duration::from_secs(2)).await,
        None => Vec::new(),
    };
    if !left_open.is_empty() {
        failures.push(format!("sessions left inside a transaction: {left_open:?}"));
    }
    if backend == Backend::Sqlite {
        // Another pool on the file takes the write lock at once: no connection holds it.
        let other = Db::builder(&url).max_connections(1).statement_timeout(Duration::from_millis(500)).connect();
        let other = other.await.expect("a second pool on the file");
        let k = key(TASKS, 2, 0);
        let write = async {
            let tx = other.begin().await?;
            entry(k, 0, 1, TASKS).exec(&tx).await?;
            tx.commit().await
        };
        match tokio::time::timeout(Duration::from_secs(10), write).await {
            Ok(Ok(())) => extra_acked.push(k),
            Ok(Err(e)) => failures.push(format!("another pool on the file cannot write (the write lock is held): {e}")),
            Err(_) => failures.push("another pool on the file hung taking the write lock".into()),
        }
        other.close().await;
    }
    db.close().await;
    if let Some(s) = &sessions {
        s.close().await;
    }

    let check = Db::builder(&url).max_connections(1).connect().await.expect("connect the checking pool");
    let rows = Entry::all(&check).await.expect("read the entries");
    let counters = Counter::all(&check).await.expect("read the counters");
    check.close().await;
    verify(&label, &ledgers, &extra_acked, &rows, &counters, &mut failures);
    eprintln!("[{label}] storm took {storm_time:.1?}");
    assert!(failures.is_empty(), "{label}:\n  {}", failures.join("\n  "));
}

/// Compares the ledgers with the stored rows and counters; prints the figures.
fn verify(label: &str, ledgers: &[Ledger], extra: &[i64], rows: &[Entry], counters: &[Counter], out: &mut Vec<String>) {
    let present: HashSet<i64> = rows.iter().map(|e| e.k).collect();
    let mut by_grp: HashMap<i64, i32> = HashMap::new();
    for e in rows.iter().filter(|e| e.grp != 0) {
        *by_grp.entry(e.grp).or_default() += 1;
    }
    let (mut acked, mut lost, mut partial) = (extra.len(), Vec::new(), Vec::new());
    lost.extend(extra.iter().filter(|k| !present.contains(k)).map(|k| format!("row {k}")));
    let (mut ops, mut cancelled, mut hangs) = (0, 0, 0);
    let mut errors: HashMap<ErrorKind, u64> = HashMap::new();
    let mut events: HashMap<&str, u64> = HashMap::new();
    for l in ledgers {
        (ops, cancelled, hangs) = (ops + l.ops, cancelled + l.cancelled, hangs + l.hangs);
        l.errors.iter().for_each(|(k, n)| *errors.entry(*k).or_default() += n);
        l.events.iter().for_each(|(k, n)| *events.entry(k).or_default() += n);
        out.extend(l.violations.iter().cloned());
        for k in &l.acked_keys {
            acked += 1;
            if !present.contains(k) {
                lost.push(format!("row {k}"));
            }
        }
        for &(grp, n, was_acked) in &l.bulks {
            let stored = by_grp.get(&grp).copied().unwrap_or(0);
            acked += if was_acked { n as usize } else { 0 };
            if was_acked && stored != n {
                lost.push(format!("bulk insert {grp}: {stored} of {n} rows"));
            } else if stored != 0 && stored != n {
                partial.push(format!("bulk insert {grp}: {stored} of {n} rows"));
            }
        }
        for tx in &l.txs {
            let stored_any = by_grp.get(&tx.grp).is_some_and(|n| *n > 0);
            if !(tx.acked || stored_any) {
                continue;
            }
            acked += if tx.acked { tx.definite.len() } else { 0 };
            for k in tx.definite.iter().filter(|k| !present.contains(k)) {
                let what = format!("transaction {} (commit acknowledged: {}) without its row {k}", tx.grp, tx.acked);
                if tx.acked { lost.push(what) } else { partial.push(what) }
            }
            for k in tx.excluded.iter().filter(|k| present.contains(k)) {
                partial.push(format!("transaction {} stored row {k} of a savepoint that was undone", tx.grp));
            }
        }
        let n = counters.iter().find(|c| c.task == l.task).map_or(-1, |c| c.n);
        if !(l.increments_acked..=l.increments_tried).contains(&n) {
            out.push(format!(
                "task {}: counter {n}, but {} increments were acknowledged and {} tried",
                l.task, l.increments_acked, l.increments_tried
            ));
        }
    }
    let mut events: Vec<_> = events.into_iter().collect();
    events.sort();
    eprintln!(
        "[{label}] {ops} operations, {cancelled} cut short, {hangs} hung, errors {errors:?}; {events:?}; \
         {acked} acknowledged rows, {} lost; {} partial",
        lost.len(),
        partial.len()
    );
    if ops < TASKS as u64 * PER_TASK {
        out.push(format!("only {ops} of {} operations ran", TASKS as u64 * PER_TASK));
    }
    if hangs > 0 {
        out.push(format!("{hangs} operations run to their end hung (no answer within {HANG:?})"));
    }
    if !lost.is_empty() {
        out.push(format!("{} acknowledged writes lost, e.g. {:?}", lost.len(), &lost[..lost.len().min(4)]));
    }
    if !partial.is_empty() {
        out.push(format!("{} partly stored groups, e.g. {:?}", partial.len(), &partial[..partial.len().min(4)]));
    }
}

#[test]
fn sqlite() {
    let file = TempDb::new("cancel");
    let url = file.url();
    run("cancel-lite", || cancellation(Backend::Sqlite, url));
    assert_eq!(panics_on("kakaorm-sqlite"), 0, "an SQLite connection thread panicked");
}

#[test]
fn postgres() {
    run_isolated("cancel-pg", Backend::Postgres, |url, _| cancellation(Backend::Postgres, url));
}

#[test]
fn mysql() {
    run_isolated("cancel-my", Backend::Mysql, |url, _| cancellation(Backend::Mysql, url));
}
