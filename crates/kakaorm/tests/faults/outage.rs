//! Server outage through a proxy: every connection reset while new ones are refused.
//! Operations must fail with a `Connection` error (no hang, no panic), connecting and
//! acquiring must fail within their timeouts, and the pool must recover once the server
//! is reachable again, with what was committed before intact and the rest rolled back.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::harness::Backend;
use crate::models::{Entry, entry, schema};
use crate::proxy::{self, Mode};
use crate::support::{no_hang, run_isolated, time_to_serve};

const MAX: usize = 4;
const CONNECT: Duration = Duration::from_secs(1);
const ACQUIRE: Duration = Duration::from_secs(2);
/// Slack over a configured timeout before a late error counts as a failure.
const SLACK: Duration = Duration::from_secs(2);
/// An operation without an answer after this long hangs.
const HANG: Duration = Duration::from_secs(15);

async fn reset_and_refuse(backend: Backend, url: String, direct: Db) {
    let label = format!("outage/{backend:?}");
    schema(&direct, 1).await.expect("schema");
    let (proxy, proxied) = proxy::in_front_of(&url).await;
    let db = Db::builder(&proxied)
        .max_connections(MAX)
        .connect_timeout(CONNECT)
        .acquire_timeout(ACQUIRE)
        .connect()
        .await
        .expect("connect through the proxy");
    // Open every connection the pool may hold, so the reset finds them all.
    let mut held = Vec::new();
    for _ in 0..MAX {
        held.push(db.acquire().await.expect("acquire before the outage"));
    }
    drop(held);
    let mut acked: Vec<i64> = Vec::new();
    for k in 1..=5 {
        entry(k, 0, 1, 0).exec(&db).await.expect("write before the outage");
        acked.push(k);
    }
    let tx = db.begin().await.expect("begin before the outage");
    entry(100, 100, 2, 0).exec(&tx).await.expect("write in a transaction before the outage");

    proxy.set(Mode::Refuse);
    proxy.reset();
    let err = no_hang("a write on a reset connection", HANG, entry(101, 100, 2, 0).exec(&tx))
        .await
        .expect_err("a write on a reset connection succeeded");
    assert_eq!(err.kind(), ErrorKind::Connection, "a write on a reset connection: {err}");
    let err = no_hang("commit on a reset connection", HANG, tx.commit())
        .await
        .expect_err("commit on a reset connection returned Ok");
    assert_eq!(err.kind(), ErrorKind::Connection, "commit on a reset connection: {err}");
    // One more operation than connections: each pooled connection was reset, and new ones
    // are refused.
    for i in 0..=MAX {
        let started = Instant::now();
        let err = no_hang("an operation while the server is unreachable", HANG, Entry::count(&db))
            .await
            .expect_err("an operation succeeded while the server is unreachable");
        eprintln!("[{label}] operation {i} while refused: {:?}, {err}", started.elapsed());
        assert_eq!(err.kind(), ErrorKind::Connection, "operation {i} while the server is unreachable: {err}");
    }

    // Refused: a new pool cannot connect, and the pool cannot hand a connection out.
    let started = Instant::now();
    let connecting = Db::builder(&proxied).connect_timeout(CONNECT).connect();
    let err = no_hang("connecting while refused", HANG, connecting).await.expect_err("connected while refused");
    let took = started.elapsed();
    eprintln!("[{label}] connect while refused: {took:?}, {err}");
    assert_eq!(err.kind(), ErrorKind::Connection, "connect while refused: {err}");
    assert!(took <= CONNECT + SLACK, "connect while refused took {took:?} (connect timeout {CONNECT:?})");
    let started = Instant::now();
    let acquired = no_hang("acquire while refused", HANG, db.acquire()).await;
    let took = started.elapsed();
    let err = acquired.expect_err("the pool handed out a connection while the server is unreachable");
    eprintln!("[{label}] acquire while refused: {took:?}, {err}");
    assert!(
        matches!(err.kind(), ErrorKind::Connection | ErrorKind::PoolTimeout),
        "acquire while refused: {err} ({:?})",
        err.kind()
    );
    assert!(took <= ACQUIRE + CONNECT + SLACK, "acquire while refused took {took:?}");

    // Back: the pool serves again, and only committed work is stored.
    proxy.set(Mode::Forward);
    let (recovered, failures) = time_to_serve(&db, Instant::now(), 2 * MAX).await;
    eprintln!("[{label}] recovered after {recovered:?} ({failures} failed reads)");
    match recovered {
        Some(t) => assert!(t <= Duration::from_secs(1), "the pool served again only after {t:?}"),
        None => panic!("the pool did not serve {} reads in a row within 10 s ({failures} failures)", 2 * MAX),
    }
    entry(6, 0, 1, 0).exec(&db).await.expect("write after the outage");
    acked.push(6);
    let stored: HashSet<i64> = Entry::all(&direct).await.expect("read back").iter().map(|e| e.k).collect();
    let lost: Vec<_> = acked.iter().filter(|k| !stored.contains(k)).collect();
    assert!(lost.is_empty(), "acknowledged rows lost: {lost:?}");
    assert!(!stored.contains(&100), "the uncommitted row of the reset transaction was stored");
    db.close().await;
}

#[test]
fn postgres() {
    run_isolated("outage-pg", Backend::Postgres, |url, db| reset_and_refuse(Backend::Postgres, url, db));
}

#[test]
fn mysql() {
    run_isolated("outage-my", Backend::Mysql, |url, db| reset_and_refuse(Backend::Mysql, url, db));
}
