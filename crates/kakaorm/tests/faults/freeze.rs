//! A frozen server: the proxy keeps every socket open and forwards nothing. With a
//! statement timeout of 500 ms, reads, writes and `begin` fail with a `Timeout` error within
//! about 3 s instead of hanging, connecting fails within the connect timeout, and once the
//! server answers again every new operation succeeds.

use std::collections::HashSet;
use std::future::Future;
use std::time::{Duration, Instant};

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::harness::Backend;
use crate::models::{Entry, entry, schema};
use crate::proxy::{self, Mode};
use crate::support::{no_hang, run_isolated};

const MAX: usize = 4;
const STATEMENT: Duration = Duration::from_millis(500);
const CONNECT: Duration = Duration::from_secs(1);
/// A frozen operation must fail within this long.
const FAIL_WITHIN: Duration = Duration::from_secs(3);
const HANG: Duration = Duration::from_secs(15);

/// Runs an operation on the frozen server: it must fail with `Timeout` within 3 s.
async fn times_out<T>(label: &str, what: &str, fut: impl Future<Output = kakaorm::Result<T>>) {
    let started = Instant::now();
    let res = no_hang(what, HANG, fut).await;
    let took = started.elapsed();
    let Err(err) = res else { panic!("{what} succeeded on a frozen server") };
    eprintln!("[{label}] {what} while frozen: {took:?}, {err}");
    assert_eq!(err.kind(), ErrorKind::Timeout, "{what} while frozen: {err}");
    assert!(took <= FAIL_WITHIN, "{what} while frozen failed only after {took:?}");
}

async fn frozen(backend: Backend, url: String, direct: Db) {
    let label = format!("freeze/{backend:?}");
    schema(&direct, 1).await.expect("schema");
    let (proxy, proxied) = proxy::in_front_of(&url).await;
    let db = Db::builder(&proxied)
        .max_connections(MAX)
        .connect_timeout(CONNECT)
        .acquire_timeout(Duration::from_secs(2))
        .statement_timeout(STATEMENT)
        .connect()
        .await
        .expect("connect through the proxy");
    let mut held = Vec::new();
    for _ in 0..MAX {
        held.push(db.acquire().await.expect("acquire before the freeze"));
    }
    drop(held);
    let mut acked = Vec::new();
    for k in 1..=3 {
        entry(k, 0, 1, 0).exec(&db).await.expect("write before the freeze");
        acked.push(k);
    }

    proxy.set(Mode::Freeze);
    times_out(&label, "a read", Entry::count(&db)).await;
    times_out(&label, "a write", entry(10, 0, 1, 0).exec(&db)).await;
    times_out(&label, "begin", db.begin()).await;
    let started = Instant::now();
    let connecting = Db::builder(&proxied).connect_timeout(CONNECT).statement_timeout(STATEMENT).connect();
    let err =
        no_hang("connecting to a frozen server", HANG, connecting).await.expect_err("connected to a frozen server");
    let took = started.elapsed();
    eprintln!("[{label}] connect while frozen: {took:?}, {err}");
    assert!(
        matches!(err.kind(), ErrorKind::Connection | ErrorKind::Timeout),
        "connect while frozen: {err} ({:?})",
        err.kind()
    );
    assert!(took <= CONNECT + Duration::from_secs(2), "connect while frozen failed only after {took:?}");

    // Unfrozen: every new operation succeeds, on whichever connection it gets.
    proxy.set(Mode::Forward);
    let started = Instant::now();
    for i in 0..2 * MAX as i64 {
        let k = 100 + i;
        no_hang("a write after the freeze", HANG, entry(k, 0, 1, 0).exec(&db))
            .await
            .unwrap_or_else(|e| panic!("write {i} after the freeze failed: {e}"));
        acked.push(k);
        no_hang("a read after the freeze", HANG, Entry::count(&db))
            .await
            .unwrap_or_else(|e| panic!("read {i} after the freeze failed: {e}"));
    }
    eprintln!("[{label}] {} operations after the freeze in {:?}", 4 * MAX, started.elapsed());
    let stored: HashSet<i64> = Entry::all(&direct).await.expect("read back").iter().map(|e| e.k).collect();
    let lost: Vec<_> = acked.iter().filter(|k| !stored.contains(k)).collect();
    assert!(lost.is_empty(), "acknowledged rows lost: {lost:?}");
    db.close().await;
}

#[test]
fn postgres() {
    run_isolated("freeze-pg", Backend::Postgres, |url, db| frozen(Backend::Postgres, url, db));
}

#[test]
fn mysql() {
    run_isolated("freeze-my", Backend::Mysql, |url, db| frozen(Backend::Mysql, url, db));
}
