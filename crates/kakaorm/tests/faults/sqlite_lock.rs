//! SQLite with a second process holding the write lock (`BEGIN IMMEDIATE` from Python's
//! sqlite3): writes and `begin` fail with a typed error within the statement timeout,
//! without leaving a connection in a transaction, reads go on (WAL), and once the other
//! process has exited writes succeed and nothing acknowledged is missing.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kakaorm::prelude::*;
use kakaorm::{Connection, ErrorKind};

use crate::models::{Entry, entry, schema};
use crate::support::{TempDb, no_hang, panics_on, run};

const STATEMENT: Duration = Duration::from_millis(300);
/// A refused write must fail within the statement timeout plus this slack.
const SLACK: Duration = Duration::from_millis(1700);
const HANG: Duration = Duration::from_secs(15);

const HOLD_LOCK: &str = "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); \
                         c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(float(sys.argv[2]))";

/// A Python process holding the write lock of an SQLite file.
struct LockHolder(Child);

impl LockHolder {
    /// Starts the process and waits until it holds the lock. It holds it for `secs` at most.
    fn start(path: &std::path::Path, secs: u32) -> LockHolder {
        let child = Command::new("python3")
            .args(["-c", HOLD_LOCK])
            .arg(path)
            .arg(secs.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "this test needs python3 (with its sqlite3 module) to lock the database from another process: {e}"
                )
            });
        let mut holder = LockHolder(child);
        let stdout = holder.0.stdout.take().expect("python3 stdout");
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        if !matches!(read, Ok(n) if n > 0 && line.trim() == "locked") {
            let status = holder.0.wait();
            panic!("python3 did not lock the database (printed {line:?}, {read:?}, exit {status:?})");
        }
        holder
    }

    fn still_holds(&mut self) -> bool {
        matches!(self.0.try_wait(), Ok(None))
    }

    /// Ends the process (the operating system releases its lock) and waits for it.
    fn release(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for LockHolder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs an operation while the file is locked: it must fail with a typed error in time.
async fn refused<T>(what: &str, fut: impl std::future::Future<Output = kakaorm::Result<T>>) -> Duration {
    let started = Instant::now();
    let res = no_hang(what, HANG, fut).await;
    let took = started.elapsed();
    let Err(err) = res else { panic!("{what} succeeded while another process holds the write lock") };
    eprintln!("[sqlite-lock] {what} while locked: {took:?}, {err}");
    assert!(
        matches!(err.kind(), ErrorKind::Timeout | ErrorKind::SerializationFailure),
        "{what} while locked: {err} ({:?})",
        err.kind()
    );
    assert!(took <= STATEMENT + SLACK, "{what} while locked failed only after {took:?}");
    took
}

async fn second_process(file: &TempDb) {
    let db =
        Db::builder(file.url()).max_connections(2).statement_timeout(STATEMENT).connect().await.expect("open the file");
    schema(&db, 1).await.expect("schema");
    let mut acked: Vec<i64> = Vec::new();
    for k in 1..=5 {
        entry(k, 0, 1, 0).exec(&db).await.expect("write before the lock");
        acked.push(k);
    }
    // Both connections exist, so the failures below are seen by each in turn.
    let both = (db.acquire().await.expect("first connection"), db.acquire().await.expect("second connection"));
    drop(both);

    let mut holder = tokio::task::block_in_place(|| LockHolder::start(&file.path, 60));
    refused("a write", entry(10, 0, 1, 0).exec(&db)).await;
    refused("begin", db.begin()).await;
    refused("a second write", entry(11, 0, 1, 0).exec(&db)).await;
    // A write cancelled while it waits for the lock.
    let _ = tokio::time::timeout(Duration::from_millis(50), entry(12, 0, 1, 0).exec(&db)).await;
    let n = no_hang("a read while locked", HANG, Entry::count(&db)).await.expect("a read while locked (WAL)");
    assert!(
        usize::try_from(n).is_ok_and(|n| n >= acked.len()),
        "a read while locked saw {n} rows after {} were acknowledged",
        acked.len()
    );
    assert!(holder.still_holds(), "the lock holder exited before the checks ended; they proved nothing");
    tokio::task::block_in_place(|| holder.release());

    // The lock is gone: writes succeed, on every connection, outside any transaction.
    entry(20, 0, 1, 0).exec(&db).await.expect("a write after the other process exited");
    acked.push(20);
    let conns: Vec<Connection> = vec![db.acquire().await.expect("acquire"), db.acquire().await.expect("acquire")];
    for (i, conn) in conns.iter().enumerate() {
        let k = 30 + i as i64;
        no_hang("a write on a held connection", HANG, entry(k, 0, 1, 0).exec(conn))
            .await
            .unwrap_or_else(|e| panic!("connection {i} cannot write after the lock is gone: {e}"));
        acked.push(k);
    }
    // A separate pool sees those writes: they were committed, not left in a transaction.
    let other = Db::builder(file.url()).max_connections(1).statement_timeout(STATEMENT).connect().await.expect("open");
    let stored: HashSet<i64> = Entry::all(&other).await.expect("read back").iter().map(|e| e.k).collect();
    drop(conns);
    other.close().await;
    db.close().await;
    let lost: Vec<_> = acked.iter().filter(|k| !stored.contains(k)).collect();
    eprintln!("[sqlite-lock] {} acknowledged rows, {} lost", acked.len(), lost.len());
    assert!(lost.is_empty(), "acknowledged rows missing (or left uncommitted on a connection): {lost:?}");
    for k in [10, 11] {
        assert!(!stored.contains(&k), "row {k}, refused while the file was locked, was stored");
    }
}

#[test]
fn second_process_holds_the_write_lock() {
    let file = TempDb::new("lock");
    run("sqlite-lock", || second_process(&file));
    assert_eq!(panics_on("kakaorm-sqlite"), 0, "an SQLite connection thread panicked");
}
