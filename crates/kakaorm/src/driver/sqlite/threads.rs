//! The connection threads of one SQLite pool and the queues they take jobs from.
//!
//! Every thread has a private queue, for the connection checked out of the pool (a
//! transaction, a held `Connection`, a stream), and the threads that are not checked out
//! ("serving") also take jobs from one shared queue: an autocommit statement from `Db` goes
//! there and whichever connection is free runs it, with no checkout. A thread runs its
//! private jobs first and takes no shared job while it is checked out ("pinned"), so a
//! shared statement never lands inside someone's transaction.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread::Thread;
use std::time::{Duration, Instant};

use kakaorm_core::Result;
use rusqlite::{Connection, InterruptHandle};
use tokio::sync::oneshot;

use super::worker::{WORKER_SPIN, parked, spin_allowed, stopped};

/// A job for a connection thread.
pub(crate) type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// The threads of one pool, their queues and who is free.
pub(crate) struct Threads {
    state: Mutex<State>,
    /// Bumped whenever a job is queued, so a spinning thread sees new work without the lock.
    pushes: AtomicU64,
    /// How long the last job ran on any thread, in nanoseconds: a caller spins about that
    /// long for its answer before parking.
    last_job_ns: AtomicU64,
    /// The pool's `max_connections`.
    max: usize,
    /// Callers waiting for an answer.
    waiting: AtomicUsize,
}

/// Counts a caller as waiting while it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

struct State {
    /// Jobs any serving thread may run, with their ids.
    shared: VecDeque<(u64, Job)>,
    /// One slot per thread; a stopped thread's slot is taken by the next one.
    lanes: Vec<Lane>,
    /// Serving threads looking for work (spinning or parked), the latest last.
    idle: Vec<usize>,
    /// Live threads not checked out.
    serving: usize,
    /// Live threads.
    live: usize,
    /// The id of the last job queued (0: none).
    next_id: u64,
}

struct Lane {
    /// The thread runs; once it has stopped, the slot is free.
    live: bool,
    private: VecDeque<(u64, Job)>,
    pinned: bool,
    /// The handle is gone: the thread stops once its private queue is empty.
    closing: bool,
    parked: bool,
    /// The id of the job running on the thread (0: none).
    running: u64,
    thread: Thread,
    interrupt: InterruptHandle,
}

impl State {
    fn lane(&mut self, i: usize) -> &mut Lane {
        &mut self.lanes[i]
    }

    /// Lane `i` while its thread runs.
    fn live(&mut self, i: usize) -> Option<&mut Lane> {
        self.lanes.get_mut(i).filter(|l| l.live)
    }

    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Takes lane `i` out of `idle`, returning its thread when it is parked, to wake.
    fn claim(&mut self, i: usize) -> Option<Thread> {
        self.idle.retain(|&t| t != i);
        let lane = self.lane(i);
        std::mem::take(&mut lane.parked).then(|| lane.thread.clone())
    }
}

fn wake(thread: Option<Thread>) {
    if let Some(t) = thread {
        t.unpark();
    }
}

impl Threads {
    /// No threads yet, for a pool of at most `max` connections.
    pub(crate) fn new(max: usize) -> Threads {
        Threads {
            state: Mutex::new(State {
                shared: VecDeque::new(),
                lanes: Vec::new(),
                idle: Vec::new(),
                serving: 0,
                live: 0,
                next_id: 0,
            }),
            pushes: AtomicU64::new(0),
            last_job_ns: AtomicU64::new(0),
            max,
            waiting: AtomicUsize::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Jobs run outside the lock: nothing panics while holding it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds the calling thread, serving; returns its lane.
    pub(crate) fn join(&self, interrupt: InterruptHandle) -> usize {
        let lane = Lane {
            live: true,
            private: VecDeque::new(),
            pinned: false,
            closing: false,
            parked: false,
            running: 0,
            thread: std::thread::current(),
            interrupt,
        };
        let mut st = self.lock();
        st.serving += 1;
        st.live += 1;
        match st.lanes.iter().position(|l| !l.live) {
            Some(i) => {
                st.lanes[i] = lane;
                i
            }
            None => {
                st.lanes.push(lane);
                st.lanes.len() - 1
            }
        }
    }

    /// Queues `job` for any serving thread and returns its id, or gives it back when
    /// no thread would take it soon: none serves, or all are busy and the pool may still
    /// open a connection (the caller then checks one out, which grows the pool).
    pub(crate) fn submit_shared(&self, job: Job) -> std::result::Result<u64, Job> {
        let mut st = self.lock();
        if st.serving == 0 || (st.idle.is_empty() && st.live < self.max) {
            return Err(job);
        }
        let id = st.next_id();
        st.shared.push_back((id, job));
        self.pushes.fetch_add(1, Ordering::Release);
        let thread = st.idle.last().copied().and_then(|i| st.claim(i));
        drop(st);
        wake(thread);
        Ok(id)
    }

    /// Queues `job` on thread `lane`; `false` (the job dropped) when it has stopped.
    pub(crate) fn submit_to(&self, lane: usize, job: Job) -> bool {
        let mut st = self.lock();
        let id = st.next_id();
        let Some(l) = st.live(lane) else {
            return false;
        };
        l.private.push_back((id, job));
        self.pushes.fetch_add(1, Ordering::Release);
        let thread = std::mem::take(&mut l.parked).then(|| l.thread.clone());
        drop(st);
        wake(thread);
        true
    }

    /// Checks thread `lane` out: it takes no more shared jobs. Should it be the last
    /// serving thread, the shared jobs still queued move to its private queue, ahead of
    /// anything its new user queues.
    pub(crate) fn pin(&self, lane: usize) {
        let mut st = self.lock();
        if st.live(lane).is_none_or(|l| l.pinned) {
            return;
        }
        st.lane(lane).pinned = true;
        st.serving -= 1;
        st.idle.retain(|&t| t != lane);
        let mut thread = None;
        if st.serving == 0 && !st.shared.is_empty() {
            let left = std::mem::take(&mut st.shared);
            let l = st.lane(lane);
            l.private.extend(left);
            thread = std::mem::take(&mut l.parked).then(|| l.thread.clone());
        }
        drop(st);
        wake(thread);
    }

    /// Gives thread `lane` back to the shared queue, after its private jobs.
    pub(crate) fn unpin(&self, lane: usize) {
        let mut st = self.lock();
        let Some(l) = st.live(lane) else {
            return;
        };
        if !l.pinned || l.closing {
            return;
        }
        l.pinned = false;
        let parked = l.parked;
        st.serving += 1;
        let mut thread = None;
        if parked {
            st.idle.push(lane);
            if !st.shared.is_empty() {
                thread = st.claim(lane);
            }
        }
        drop(st);
        wake(thread);
    }

    /// The handle of thread `lane` is gone: it serves no more and stops once its private
    /// queue (with the shared jobs left, should it have been the last serving thread) is
    /// empty.
    pub(crate) fn close(&self, lane: usize) {
        self.pin(lane);
        let mut st = self.lock();
        let Some(l) = st.live(lane) else {
            return;
        };
        l.closing = true;
        let thread = std::mem::take(&mut l.parked).then(|| l.thread.clone());
        drop(st);
        wake(thread);
    }

    /// Interrupts job `id` if a thread is running it (under the lock, so the thread cannot
    /// have moved on to another job).
    pub(crate) fn interrupt(&self, id: u64) {
        let st = self.lock();
        for lane in &st.lanes {
            if id != 0 && lane.live && lane.running == id {
                lane.interrupt.interrupt();
            }
        }
    }

    /// Waits for the answer of a job queued on these threads.
    pub(crate) async fn answer<R>(&self, mut rx: oneshot::Receiver<Result<R>>) -> Result<R> {
        // A query like the last one is usually answered within the spin window, which saves
        // parking and waking this thread (the larger cost for short queries). A long query
        // is awaited without spinning: its wake-up cost is small beside it, and a spinning
        // core can slow the connection thread down (on virtual machines especially). Only a
        // lone caller spins: with others waiting, the spin would hold up the runtime thread
        // that should queue their next statements (and keep the connection threads busy).
        let others = self.waiting.fetch_add(1, Ordering::Relaxed);
        let _waiting = Waiting(&self.waiting);
        let last = Duration::from_nanos(self.last_job_ns.load(Ordering::Relaxed));
        let window = last + last / 2 + CALLER_SPIN_MIN;
        if others == 0 && spin_allowed() && window <= CALLER_SPIN_MAX {
            let start = Instant::now();
            while start.elapsed() < window {
                match rx.try_recv() {
                    Ok(result) => return result,
                    Err(oneshot::error::TryRecvError::Closed) => return Err(stopped()),
                    Err(oneshot::error::TryRecvError::Empty) => std::hint::spin_loop(),
                }
            }
        }
        rx.await.map_err(|_| stopped())?
    }

    /// The loop of the thread of `lane`, which owns `conn`: its private jobs first, then
    /// shared ones while it serves; it spins briefly for the next job when jobs have been
    /// arriving back to back and [`spin_allowed`], and parks otherwise. Returns once the
    /// handle is gone and the private queue is empty.
    pub(crate) fn serve(&self, me: usize, conn: &mut Connection) {
        // Whether the last job arrived within a spin window of the one before.
        let mut busy = false;
        let mut finished = Instant::now();
        let mut st = self.lock();
        loop {
            st.lane(me).running = 0;
            let next = match st.lane(me).private.pop_front() {
                Some(job) => Some((job, false)),
                None if !st.lane(me).pinned && !st.lane(me).closing => st.shared.pop_front().map(|job| (job, true)),
                None => None,
            };
            if let Some(((id, job), shared)) = next {
                st.lane(me).running = id;
                drop(st);
                let started = Instant::now();
                busy = started.duration_since(finished) < WORKER_SPIN;
                if shared {
                    close_stray_transaction(conn);
                }
                job(conn);
                finished = Instant::now();
                let ns = u64::try_from(finished.duration_since(started).as_nanos()).unwrap_or(u64::MAX);
                self.last_job_ns.store(ns, Ordering::Relaxed);
                st = self.lock();
                continue;
            }
            if st.lane(me).closing {
                return self.leave(st, me);
            }
            let serving = !st.lane(me).pinned;
            if serving {
                st.idle.push(me);
            }
            if std::mem::take(&mut busy) && spin_allowed() {
                let seen = self.pushes.load(Ordering::Acquire);
                drop(st);
                let start = Instant::now();
                while start.elapsed() < WORKER_SPIN && self.pushes.load(Ordering::Acquire) == seen {
                    std::hint::spin_loop();
                }
                st = self.lock();
            } else {
                st.lane(me).parked = true;
                parked(|| {
                    drop(st);
                    std::thread::park();
                });
                st = self.lock();
                st.lane(me).parked = false;
            }
            st.idle.retain(|&t| t != me);
        }
    }

    /// Removes the stopping thread of `me` (pinned since [`close`](Self::close)).
    fn leave(&self, mut st: MutexGuard<'_, State>, me: usize) {
        st.lane(me).live = false;
        st.live -= 1;
    }
}

/// A shared job always starts outside a transaction: one left open by a raw `BEGIN`
/// from `Db` (or a rollback that failed) is rolled back first, so it cannot swallow
/// someone else's statement.
fn close_stray_transaction(conn: &mut Connection) {
    if !conn.is_autocommit()
        && let Err(e) = conn.execute_batch("ROLLBACK")
    {
        tracing::warn!(target: "kakaorm::pool", error = %e, "sqlite rollback of a stray transaction failed");
    }
}

/// A caller spins for its answer about 1.5 times as long as the last job took, at least
/// this long...
const CALLER_SPIN_MIN: Duration = Duration::from_micros(20);
/// ...and not at all when that would exceed this: waking up then costs little compared to
/// the query.
const CALLER_SPIN_MAX: Duration = Duration::from_micros(250);

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::Threads;
    use crate::config::SqliteTarget;
    use crate::driver::sqlite::worker::{Worker, answered};

    /// Each connection's in-memory database holds its own marker, so a job can tell
    /// which connection ran it.
    async fn marked(threads: &Arc<Threads>, mark: i64) -> Worker {
        let w = Worker::spawn(SqliteTarget::Memory, 16, std::time::Duration::from_secs(1), Arc::clone(threads))
            .await
            .unwrap();
        let sql = format!("CREATE TABLE mark AS SELECT {mark} AS m");
        w.run(move |c| c.execute_batch(&sql).map_err(super::super::error::map_error)).await.unwrap();
        w
    }

    async fn shared_mark(threads: &Threads) -> i64 {
        let (job, rx) = answered(|c| {
            c.query_row("SELECT m FROM mark", [], |r| r.get::<_, i64>(0)).map_err(super::super::error::map_error)
        });
        assert!(threads.submit_shared(job).is_ok(), "a serving thread takes shared jobs");
        threads.answer(rx).await.unwrap()
    }

    #[tokio::test]
    async fn a_pinned_thread_takes_no_shared_job_and_the_last_one_hands_them_over() {
        let threads = Arc::new(Threads::new(2));
        let one = marked(&threads, 1).await;
        let two = marked(&threads, 2).await;
        one.pin();
        for _ in 0..20 {
            assert_eq!(shared_mark(&threads).await, 2, "only the serving connection runs shared jobs");
        }
        one.unpin();
        two.pin();
        assert_eq!(shared_mark(&threads).await, 1);
        // Nobody serves: a shared job is refused, for the caller to check a connection out.
        one.pin();
        assert!(threads.submit_shared(Box::new(|_| {})).is_err());
        two.unpin();
        assert_eq!(shared_mark(&threads).await, 2);
        // Closing the last serving thread runs what was queued before it stops.
        drop(one);
        drop(two);
        assert!(threads.submit_shared(Box::new(|_| {})).is_err(), "a closed pool serves nothing");
    }
}
