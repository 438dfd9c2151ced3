//! Load with kills: 64 tasks share a pool of 16 and run mixed writes and reads while a side
//! task kills the pool's server sessions every few milliseconds. Nothing acknowledged may be
//! lost, no transaction may be partly stored, and the pool must serve again within a
//! second of the last kill, with no session left inside a transaction.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use kakaorm::prelude::*;
use kakaorm::{Error, ErrorKind};

use crate::harness::Backend;
use crate::models::{Counter, Entry, entry, increment_sql, schema};
use crate::rng::Rng;
use crate::server::{Sessions, killer};
use crate::support::{database_of, run_isolated, unique, with_param};

const TASKS: i32 = 64;
const POOL: usize = 16;
const OPERATIONS: u64 = 5_000;
/// An operation that takes this long hangs (each normally takes a few milliseconds).
const HANG: Duration = Duration::from_secs(15);
/// The pool must serve `2 * POOL` operations in a row within this long after the last kill.
const RECOVERY: Duration = Duration::from_secs(1);

/// What one task did, and what the database acknowledged.
#[derive(Default)]
struct Ledger {
    /// Keys of acknowledged autocommit inserts.
    acked_keys: Vec<i64>,
    /// Every transaction tried: group id, rows, whether its commit returned Ok.
    txs: Vec<(i64, i32, bool)>,
    increments_tried: i64,
    increments_acked: i64,
    ok: u64,
    failed: u64,
    errors: HashMap<ErrorKind, u64>,
    violations: Vec<String>,
}

/// Awaits an operation, turning a hang into an error that is also reported as a violation.
async fn bounded<T>(l: &mut Ledger, fut: impl Future<Output = kakaorm::Result<T>>) -> kakaorm::Result<T> {
    match tokio::time::timeout(HANG, fut).await {
        Ok(res) => res,
        Err(_) => {
            l.violations.push(format!("an operation hung for {HANG:?}"));
            Err(Error::new(ErrorKind::Database, "hung"))
        }
    }
}

/// A key unique to (task, operation, row): 40 bits of task, then the operation, then 3 bits
/// of row within a transaction. A transaction's group id is the key of its first row.
fn key(task: i32, seq: i64, row: i32) -> i64 {
    (i64::from(task) << 40) | (seq << 3) | i64::from(row)
}

async fn worker(db: Db, task: i32, mut rng: Rng, issued: Arc<AtomicU64>) -> Ledger {
    let mut l = Ledger::default();
    // Rows of this task acknowledged so far: a read must never see fewer.
    let mut acked_rows = 0u64;
    let mut seq = 0;
    while issued.fetch_add(1, Ordering::Relaxed) < OPERATIONS {
        seq += 1;
        let pick = rng.below(100);
        let outcome = if pick < 30 {
            let size = rng.range(1, 5) as i32;
            let grp = key(task, seq, 0);
            let res = bounded(&mut l, async {
                let tx = db.begin().await?;
                for row in 0..size {
                    entry(key(task, seq, row), grp, size, task).exec(&tx).await?;
                }
                tx.commit().await
            })
            .await;
            l.txs.push((grp, size, res.is_ok()));
            acked_rows += if res.is_ok() { size as u64 } else { 0 };
            res
        } else if pick < 60 {
            let res = bounded(&mut l, entry(key(task, seq, 0), 0, 1, task).exec(&db)).await;
            if res.is_ok() {
                l.acked_keys.push(key(task, seq, 0));
                acked_rows += 1;
            }
            res.map(drop)
        } else if pick < 80 {
            l.increments_tried += 1;
            match bounded(&mut l, db.execute_raw(&increment_sql(task), vec![])).await {
                Ok(1) => {
                    l.increments_acked += 1;
                    Ok(())
                }
                Ok(n) => {
                    l.violations.push(format!("task {task}: the increment matched {n} rows"));
                    Ok(())
                }
                Err(e) => Err(e),
            }
        } else {
            let floor = acked_rows;
            match bounded(&mut l, Entry::filter(Entry::task.eq(task)).count(&db)).await {
                Ok(n) if u64::try_from(n).is_ok_and(|n| n < floor) => {
                    l.violations.push(format!("task {task}: a read saw {n} rows after {floor} were acknowledged"));
                    Ok(())
                }
                other => other.map(drop),
            }
        };
        match outcome {
            Ok(()) => l.ok += 1,
            Err(e) => {
                if e.kind() == ErrorKind::UniqueViolation {
                    l.violations.push(format!("task {task}: a write was applied twice: {e}"));
                }
                *l.errors.entry(e.kind()).or_default() += 1;
                l.failed += 1;
            }
        }
    }
    l
}

/// Runs operations one after another until `2 * POOL` in a row succeed; returns how long
/// after `since` that happened (None after 10 s) and the keys of the inserts it made.
async fn recovery(db: &Db, since: Instant) -> (Option<Duration>, u64, Vec<i64>) {
    let (mut in_a_row, mut failures, mut acked) = (0, 0, Vec::new());
    for seq in 1.. {
        if since.elapsed() > Duration::from_secs(10) {
            return (None, failures, acked);
        }
        let k = key(TASKS, seq, 0);
        let op = async {
            if seq % 2 == 0 { entry(k, 0, 1, TASKS).exec(db).await.map(drop) } else { Entry::count(db).await.map(drop) }
        };
        match tokio::time::timeout(Duration::from_secs(5), op).await {
            Ok(Ok(())) => {
                acked.extend((seq % 2 == 0).then_some(k));
                in_a_row += 1;
                if in_a_row == 2 * POOL {
                    return (Some(since.elapsed()), failures, acked);
                }
            }
            _ => {
                in_a_row = 0;
                failures += 1;
                // A failure can be instant; do not starve the tests running alongside.
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    }
    unreachable!()
}

async fn load_with_kills(backend: Backend, url: String, setup: Db) {
    let label = format!("kills/{backend:?}");
    let (pool_url, sessions) = match backend {
        Backend::Postgres => {
            let app = unique("kf_load");
            (with_param(&url, "application_name", &app), Sessions::postgres(&app).await)
        }
        _ => (url.clone(), Sessions::mysql(&database_of(&url)).await),
    };
    let sessions = Arc::new(sessions);
    schema(&setup, TASKS + 1).await.expect("schema");
    let db = Db::builder(&pool_url)
        .max_connections(POOL)
        .acquire_timeout(Duration::from_secs(10))
        .connect()
        .await
        .expect("connect the load pool");

    let mut rng = Rng::seeded(&label);
    let started = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let kill_task = tokio::spawn(killer(Arc::clone(&sessions), Arc::clone(&stop), rng.fork()));
    let issued = Arc::new(AtomicU64::new(0));
    let workers: Vec<_> =
        (0..TASKS).map(|t| tokio::spawn(worker(db.clone(), t, rng.fork(), Arc::clone(&issued)))).collect();
    let mut ledgers = Vec::new();
    let mut failures = Vec::new();
    for w in workers {
        match w.await {
            Ok(l) => ledgers.push(l),
            Err(e) => failures.push(format!("a worker task failed: {e}")),
        }
    }
    stop.store(true, Ordering::Relaxed);
    let kills = kill_task.await.expect("killer task");
    let load_time = started.elapsed();
    let last_kill = kills.last.unwrap_or_else(Instant::now);
    let (recovered, probe_failures, probe_keys) = recovery(&db, last_kill).await;
    let left_open = sessions.left_in_transaction(Duration::from_secs(2)).await;

    // What the database holds, read through a fresh pool.
    let check = Db::builder(&url).max_connections(2).connect().await.expect("connect the checking pool");
    let rows = Entry::all(&check).await.expect("read the entries");
    let counters = Counter::all(&check).await.expect("read the counters");
    check.close().await;
    let present: HashSet<i64> = rows.iter().map(|e| e.k).collect();
    let mut by_grp: HashMap<i64, i32> = HashMap::new();
    for e in rows.iter().filter(|e| e.grp != 0) {
        *by_grp.entry(e.grp).or_default() += 1;
    }

    let (mut acked, mut lost, mut partial, mut txs_acked, mut txs_tried) = (0u64, Vec::new(), Vec::new(), 0, 0);
    let (mut ok, mut failed, mut errors) = (0, 0, HashMap::<ErrorKind, u64>::new());
    for (task, l) in ledgers.iter().enumerate() {
        let acked_tx_keys =
            l.txs.iter().filter(|t| t.2).flat_map(|&(grp, size, _)| (0..size).map(move |r| grp + r as i64));
        for k in l.acked_keys.iter().copied().chain(acked_tx_keys) {
            acked += 1;
            if !present.contains(&k) {
                lost.push(k);
            }
        }
        for &(grp, size, was_acked) in &l.txs {
            txs_tried += 1;
            txs_acked += u64::from(was_acked);
            let stored = by_grp.get(&grp).copied().unwrap_or(0);
            if stored != 0 && stored != size {
                partial.push(format!("transaction {grp}: {stored} of {size} rows (acknowledged: {was_acked})"));
            }
        }
        let n = counters.iter().find(|c| c.task == task as i32).map_or(-1, |c| c.n);
        if !(l.increments_acked..=l.increments_tried).contains(&n) {
            failures.push(format!(
                "task {task}: counter {n}, but {} increments were acknowledged and {} tried",
                l.increments_acked, l.increments_tried
            ));
        }
        failures.extend(l.violations.iter().cloned());
        (ok, failed) = (ok + l.ok, failed + l.failed);
        for (kind, n) in &l.errors {
            *errors.entry(*kind).or_default() += n;
        }
    }
    lost.extend(probe_keys.iter().filter(|k| !present.contains(k)));
    acked += probe_keys.len() as u64;

    eprintln!(
        "[{label}] {} operations in {load_time:.1?} ({ok} ok, {failed} failed: {errors:?}); {} kills in {} rounds; \
         transactions {txs_acked}/{txs_tried} acknowledged; {acked} acknowledged rows, {} lost; {} partial \
         transactions; recovery {recovered:?} after the last kill ({probe_failures} failed probes); \
         sessions left in a transaction: {}",
        ok + failed,
        kills.kills,
        kills.rounds,
        lost.len(),
        partial.len(),
        left_open.len()
    );
    if kills.kills == 0 {
        failures.push("the killer killed no session: the test proved nothing".into());
    }
    if ok < OPERATIONS / 10 {
        failures
            .push(format!("only {ok} of {} operations succeeded: the pool does not serve under kills", ok + failed));
    }
    if !lost.is_empty() {
        failures.push(format!("{} acknowledged rows lost, e.g. keys {:?}", lost.len(), &lost[..lost.len().min(5)]));
    }
    if !partial.is_empty() {
        failures.push(format!("{} partial transactions, e.g. {:?}", partial.len(), &partial[..partial.len().min(3)]));
    }
    match recovered {
        Some(t) if t <= RECOVERY => {}
        Some(t) => {
            failures.push(format!("the pool served {} operations in a row only {t:?} after the last kill", 2 * POOL))
        }
        None => failures.push(format!(
            "the pool did not serve {} operations in a row within 10 s of the last kill ({probe_failures} failures)",
            2 * POOL
        )),
    }
    if !left_open.is_empty() {
        failures.push(format!("sessions left inside a transaction: {left_open:?}"));
    }
    db.close().await;
    sessions.close().await;
    assert!(failures.is_empty(), "{label}:\n  {}", failures.join("\n  "));
}

#[test]
fn postgres() {
    run_isolated("kills-pg", Backend::Postgres, |url, db| load_with_kills(Backend::Postgres, url, db));
}

#[test]
fn mysql() {
    run_isolated("kills-my", Backend::Mysql, |url, db| load_with_kills(Backend::Mysql, url, db));
}
