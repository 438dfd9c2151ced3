//! Random cancellation: 2 000 operations (begin, commit, savepoints, bulk_create, creates,
//! updates, reads) each cut short at a random point: a deadline of a few µs to a few ms,
//! or after a few polls. What the library acknowledged is recorded here and checked against
//! the database in `cancel_check`.

use std::collections::HashMap;
use std::future::Future;
use std::task::Poll;
use std::time::{Duration, Instant};

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::{Entry, entry, increment_sql};
use crate::rng::Rng;

pub const TASKS: i32 = 4;
pub const PER_TASK: u64 = 500;
/// An operation left to run to its end must answer within this long, or it hangs (on
/// SQLite, waiting for another connection's write lock ends after the pool's 1 s statement
/// timeout).
pub const HANG: Duration = Duration::from_secs(5);
/// The whole storm must end within this long: operations are hanging otherwise.
const BUDGET: Duration = Duration::from_secs(45);

/// Where an operation is cut short.
#[derive(Debug, Clone, Copy)]
enum Cut {
    /// `tokio::time::timeout` with this deadline.
    Deadline(Duration),
    /// Dropped after this many polls that did not finish it.
    Polls(u32),
    /// Run to the end (within [`HANG`]).
    Never,
}

impl Cut {
    fn draw(rng: &mut Rng) -> Cut {
        match rng.below(10) {
            0..=5 => Cut::Deadline(rng.short_deadline()),
            6..=7 => Cut::Polls(rng.range(1, 6) as u32),
            _ => Cut::Never,
        }
    }
}

/// A transaction tried: the rows it must store if it commits, and the rows it must not.
#[derive(Debug, Default)]
pub struct TxLog {
    pub grp: i64,
    /// Rows whose insert returned Ok outside any savepoint, or in a savepoint whose commit
    /// returned Ok.
    pub definite: Vec<i64>,
    /// Rows written in a savepoint that was rolled back, dropped, or whose commit failed.
    pub excluded: Vec<i64>,
    /// Whether `commit` returned Ok.
    pub acked: bool,
}

/// What one task did, and what the database acknowledged.
#[derive(Default)]
pub struct Ledger {
    pub task: i32,
    pub acked_keys: Vec<i64>,
    /// Bulk inserts: group id, rows, acknowledged.
    pub bulks: Vec<(i64, i32, bool)>,
    pub txs: Vec<TxLog>,
    pub increments_tried: i64,
    pub increments_acked: i64,
    /// Rows of this task acknowledged so far: a read must never see fewer.
    acked_rows: u64,
    pub ops: u64,
    pub cancelled: u64,
    pub hangs: u64,
    pub errors: HashMap<ErrorKind, u64>,
    pub events: HashMap<&'static str, u64>,
    pub violations: Vec<String>,
    /// The operation under way, named in reports of a hang.
    doing: &'static str,
}

impl Ledger {
    /// Runs `fut` until `cut`: `Some` with its output if it finished, `None` if cut short.
    async fn cut<F, T>(&mut self, what: &'static str, cut: Cut, fut: F) -> Option<kakaorm::Result<T>>
    where
        F: Future<Output = kakaorm::Result<T>>,
    {
        self.doing = what;
        let out = match cut {
            Cut::Deadline(d) => tokio::time::timeout(d, fut).await.ok(),
            Cut::Polls(n) => after_polls(n, fut).await,
            Cut::Never => match tokio::time::timeout(HANG, fut).await {
                Ok(out) => Some(out),
                Err(_) => {
                    self.hangs += 1;
                    let what = format!("task {}: {} run to its end hung for {HANG:?}", self.task, self.doing);
                    self.violations.push(what);
                    None
                }
            },
        };
        match &out {
            None => self.cancelled += 1,
            Some(Err(e)) => *self.errors.entry(e.kind()).or_default() += 1,
            Some(Ok(_)) => {}
        }
        out
    }

    fn note(&mut self, event: &'static str) {
        *self.events.entry(event).or_default() += 1;
    }
}

/// Polls `fut` at most `polls` times; `None` when it has not finished by then.
async fn after_polls<F: Future>(polls: u32, fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    let mut left = polls;
    std::future::poll_fn(move |cx| match fut.as_mut().poll(cx) {
        Poll::Ready(v) => Poll::Ready(Some(v)),
        Poll::Pending if left <= 1 => Poll::Ready(None),
        Poll::Pending => {
            left -= 1;
            Poll::Pending
        }
    })
    .await
}

/// A key unique to (task, operation, row < 1024). A group's id is the key of its row 0.
pub fn key(task: i32, seq: u64, row: u64) -> i64 {
    (i64::from(task) << 40) | ((seq as i64) << 10) | row as i64
}

/// The storm of one task.
pub async fn storm(db: Db, task: i32, mut rng: Rng, started: Instant) -> Ledger {
    let mut l = Ledger { task, ..Ledger::default() };
    for seq in 1..=PER_TASK {
        if started.elapsed() > BUDGET {
            l.violations.push(format!("task {task}: the storm passed {BUDGET:?} after {} operations", l.ops));
            break;
        }
        l.ops += 1;
        match rng.below(100) {
            0..=29 => transaction(&db, task, seq, &mut rng, &mut l).await,
            30..=44 => bulk(&db, task, seq, &mut rng, &mut l).await,
            45..=64 => {
                let k = key(task, seq, 0);
                if let Some(Ok(_)) = l.cut("a create", Cut::draw(&mut rng), entry(k, 0, 1, task).exec(&db)).await {
                    l.acked_keys.push(k);
                    l.acked_rows += 1;
                }
            }
            65..=79 => {
                l.increments_tried += 1;
                match l.cut("an increment", Cut::draw(&mut rng), db.execute_raw(&increment_sql(task), vec![])).await {
                    Some(Ok(1)) => l.increments_acked += 1,
                    Some(Ok(n)) => l.violations.push(format!("task {task}: an increment matched {n} rows")),
                    _ => {}
                }
            }
            _ => {
                let floor = l.acked_rows;
                let read = Entry::filter(Entry::task.eq(task)).count(&db);
                if let Some(Ok(n)) = l.cut("a read", Cut::draw(&mut rng), read).await
                    && u64::try_from(n).is_ok_and(|n| n < floor)
                {
                    l.violations.push(format!("task {task}: a read saw {n} rows after {floor} were acknowledged"));
                }
            }
        }
    }
    l
}

async fn bulk(db: &Db, task: i32, seq: u64, rng: &mut Rng, l: &mut Ledger) {
    // From 256 rows PostgreSQL streams with COPY.
    let n = if rng.chance(15) { 300 } else { rng.range(2, 40) };
    let grp = key(task, seq, 0);
    let rows = (0..n).map(|r| entry(key(task, seq, r), grp, n as i32, task));
    let done = l.cut("a bulk_create", Cut::draw(rng), Entry::bulk_create(rows, db)).await;
    if let Some(Ok(stored)) = done
        && stored != n
    {
        l.violations.push(format!("task {task}: bulk_create of {n} rows reported {stored}"));
    }
    let acked = matches!(done, Some(Ok(_)));
    l.acked_rows += if acked { n } else { 0 };
    l.bulks.push((grp, n as i32, acked));
}

async fn transaction(db: &Db, task: i32, seq: u64, rng: &mut Rng, l: &mut Ledger) {
    let grp = key(task, seq, 0);
    let mut log = TxLog { grp, ..TxLog::default() };
    let mut row = 0;
    let Some(Ok(mut tx)) = l.cut("begin", Cut::draw(rng), db.begin()).await else {
        l.note("begin cut or failed");
        return;
    };
    for _ in 0..rng.range(1, 4) {
        match rng.below(10) {
            0..=4 => {
                let k = key(task, seq, row);
                row += 1;
                if let Some(Ok(_)) =
                    l.cut("an insert in a transaction", Cut::draw(rng), entry(k, grp, 0, task).exec(&tx)).await
                {
                    log.definite.push(k);
                }
            }
            5..=8 => savepoint(&mut tx, task, seq, &mut row, rng, l, &mut log).await,
            _ => {
                // A statement that fails: the key of a row this transaction wrote. On
                // PostgreSQL the transaction is then aborted and cannot commit.
                if let Some(&k) = log.definite.first() {
                    l.note("duplicate key in a transaction");
                    if let Some(Ok(_)) =
                        l.cut("a failing insert in a transaction", Cut::Never, entry(k, grp, 0, task).exec(&tx)).await
                    {
                        l.violations.push(format!("task {task}: a duplicate key {k} was accepted in a transaction"));
                    }
                }
            }
        }
    }
    match rng.below(10) {
        0..=7 => {
            log.acked = matches!(l.cut("commit", Cut::draw(rng), tx.commit()).await, Some(Ok(())));
            l.note(if log.acked { "commit acknowledged" } else { "commit cut or failed" });
        }
        8 => drop(l.cut("rollback", Cut::draw(rng), tx.rollback()).await),
        _ => drop(tx),
    }
    if log.acked {
        l.acked_rows += log.definite.len() as u64;
    }
    l.txs.push(log);
}

/// A savepoint with one or two rows, then committed, rolled back or dropped.
#[allow(clippy::too_many_arguments)]
async fn savepoint(tx: &mut Tx, task: i32, seq: u64, row: &mut u64, rng: &mut Rng, l: &mut Ledger, log: &mut TxLog) {
    let Some(Ok(sp)) = l.cut("a savepoint begin", Cut::draw(rng), tx.begin()).await else {
        l.note("savepoint begin cut or failed");
        return;
    };
    let (mut written, mut ok) = (Vec::new(), Vec::new());
    for _ in 0..rng.range(1, 2) {
        let k = key(task, seq, *row);
        *row += 1;
        written.push(k);
        if let Some(Ok(_)) =
            l.cut("an insert in a savepoint", Cut::draw(rng), entry(k, log.grp, 0, task).exec(&sp)).await
        {
            ok.push(k);
        }
    }
    // A commit cut short may or may not keep the savepoint's work (as a cut transaction
    // commit may or may not store it); one that returned an error, a rollback (even cut
    // short) and a drop undo it.
    let kept = match rng.below(10) {
        0..=5 => match l.cut("a savepoint commit", Cut::draw(rng), sp.commit()).await {
            Some(Ok(())) => Some(true),
            Some(Err(_)) => Some(false),
            None => None,
        },
        6..=8 => {
            let _ = l.cut("a savepoint rollback", Cut::draw(rng), sp.rollback()).await;
            Some(false)
        }
        _ => {
            drop(sp);
            Some(false)
        }
    };
    match kept {
        Some(true) => {
            l.note("savepoint committed");
            log.definite.extend(ok);
        }
        Some(false) => {
            l.note("savepoint undone");
            log.excluded.extend(written);
        }
        None => l.note("savepoint commit cut short"),
    }
}
