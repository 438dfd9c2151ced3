//! The `concurrent` workload: `n` tasks sharing a pool of [`POOL_SIZE`] connections on a
//! multi-threaded runtime of [`RUNTIME_THREADS`] workers, built for this workload only.
//!
//! Every other workload runs on the worker's current-thread runtime with one connection.
//! A worker keeps a [`Pooled`] beside its connection: the first `concurrent` command builds
//! the runtime and connects the pool on it, later ones reuse both (so statements prepared
//! by the warm-up batches stay prepared), and the first command of another workload tears
//! them down.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use tokio::runtime::Runtime;

use crate::check::{Check, Id, Updated, UserRow};
use crate::data::{KeyOp, concurrent_ops, expected};
use crate::measure::{Outcome, Sample, allocations, cpu_ns, heap_peak_since, reset_heap_peak};
use crate::workload::{Job, Workload};

/// Tasks sharing the pool: the `n` of the `concurrent` cell.
pub const TASKS: usize = 64;
/// Connections in the pool of every contender.
pub const POOL_SIZE: usize = 8;
/// Worker threads of the runtime (the machine has 2 cores).
pub const RUNTIME_THREADS: usize = 2;

/// What a contender does with its pool: a read or a write by primary key. Each call takes
/// a connection from the pool (or hands the request to one) and gives it back.
pub trait KeyOps: Send + Sync + 'static {
    type User: UserRow + Send + 'static;

    /// `SELECT id, name, hair_color FROM users WHERE id = ?`.
    fn get(&self, id: i64) -> impl Future<Output = Result<Option<Self::User>, String>> + Send;

    /// `UPDATE uusers SET name = ? WHERE id = ?`: the rows affected.
    fn update(&self, id: i64, name: &str) -> impl Future<Output = Result<u64, String>> + Send;

    /// Closes the pool gracefully before its runtime stops.
    fn close(&self) -> impl Future<Output = ()> + Send {
        async {}
    }
}

/// The result of one operation, kept until the clock stops.
pub enum Keyed<U> {
    Got(Id<U>),
    Updated(Updated),
}

impl<U: UserRow> Check for Keyed<U> {
    fn check(&self) -> Result<(u64, u64), String> {
        match self {
            Keyed::Got(r) => r.check(),
            Keyed::Updated(r) => r.check(),
        }
    }
}

/// A pool and the runtime it lives on, while a worker runs `concurrent` commands.
pub struct Pooled<K> {
    live: Option<(Runtime, Arc<K>)>,
}

impl<K: KeyOps> Default for Pooled<K> {
    fn default() -> Self {
        Pooled { live: None }
    }
}

impl<K: KeyOps> Pooled<K> {
    /// Runs a `concurrent` job; the first one builds the runtime and runs `connect` on it
    /// (connecting [`POOL_SIZE`] connections, untimed).
    pub async fn run<F, Fut>(&mut self, job: &Job, connect: F) -> Outcome
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<K, String>> + Send + 'static,
    {
        if self.live.is_none() {
            match start(connect()).await {
                Ok(live) => self.live = Some(live),
                Err(e) => return Outcome::Failed(format!("pool: {e}")),
            }
        }
        let Some((rt, ops)) = &self.live else { return Outcome::Failed("pool: not started".into()) };
        match rt.spawn(measure_pooled(*job, Arc::clone(ops))).await {
            Ok(outcome) => outcome,
            Err(e) => Outcome::Failed(format!("concurrent: {e}")),
        }
    }

    /// Closes the pool and stops its runtime, if they are running: every worker calls this
    /// before a job of another workload.
    pub async fn release(&mut self) {
        let Some((rt, ops)) = self.live.take() else { return };
        let _ = rt.spawn(async move { ops.close().await }).await;
        // A runtime cannot be dropped (it blocks) on a runtime thread: drop it on another.
        let _ = std::thread::spawn(move || drop(rt)).join();
    }
}

async fn start<K: KeyOps>(
    connect: impl Future<Output = Result<K, String>> + Send + 'static,
) -> Result<(Runtime, Arc<K>), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(RUNTIME_THREADS)
        .thread_name("bench-pooled")
        .enable_all()
        .build()
        .map_err(|e| format!("runtime: {e}"))?;
    // Connect on the pool's runtime: drivers spawn their connection tasks there.
    let ops = rt.spawn(connect).await.map_err(|e| e.to_string())??;
    Ok((rt, Arc::new(ops)))
}

/// `job.ops` operations spread over `job.n` tasks (operation `i` to task `i % n`, so each
/// task walks a fixed sequence), measured from the first spawn to the last join.
async fn measure_pooled<K: KeyOps>(job: Job, ops: Arc<K>) -> Outcome {
    if job.workload != Workload::Concurrent {
        return Outcome::Failed(format!("{} is not a pooled workload", job.workload));
    }
    let tasks = job.n.clamp(1, job.ops.max(1));
    let plan: Arc<[KeyOp]> = concurrent_ops(&job, job.ops).into();
    let a0 = allocations();
    let heap0 = reset_heap_peak();
    let c0 = cpu_ns();
    let t0 = Instant::now();
    let handles: Vec<_> =
        (0..tasks).map(|t| tokio::spawn(task(t, tasks, Arc::clone(&plan), Arc::clone(&ops)))).collect();
    let mut per_task = Vec::with_capacity(tasks);
    for h in handles {
        per_task.push(h.await);
    }
    let wall_ns = t0.elapsed().as_nanos() as u64;
    let cpu = cpu_ns() - c0;
    let allocs = allocations() - a0;
    let peak_heap = heap_peak_since(heap0);
    let (mut rows, mut checksum) = (0u64, 0u64);
    for (t, results) in per_task.into_iter().enumerate() {
        let results = match results {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => return Outcome::Failed(format!("concurrent task {t}: {e}")),
            Err(e) => return Outcome::Failed(format!("concurrent task {t}: {e}")),
        };
        for (k, r) in results.iter().enumerate() {
            let i = t + k * tasks;
            let got = match r.check() {
                Ok(got) => got,
                Err(e) => return Outcome::Failed(format!("concurrent op {i}: {e}")),
            };
            if let Some(want) = expected(&job, i, &[], &[])
                && got != want
            {
                return Outcome::Failed(format!("concurrent op {i}: got (rows, checksum) {got:?}, expected {want:?}"));
            }
            rows += got.0;
            checksum = checksum.wrapping_add(got.1);
        }
    }
    Outcome::Done(Sample { wall_ns, cpu_ns: cpu, allocs, rows, checksum, peak_heap })
}

/// Operations `t`, `t + tasks`, `t + 2·tasks`… in order.
async fn task<K: KeyOps>(
    t: usize,
    tasks: usize,
    plan: Arc<[KeyOp]>,
    ops: Arc<K>,
) -> Result<Vec<Keyed<K::User>>, String> {
    let mut out = Vec::with_capacity(plan.len() / tasks + 1);
    for op in plan.iter().skip(t).step_by(tasks) {
        out.push(match op {
            KeyOp::Get(id) => Keyed::Got(Id(ops.get(*id).await?)),
            KeyOp::Update(id, name) => Keyed::Updated(Updated { affected: ops.update(*id, name).await?, id: *id }),
        });
    }
    Ok(out)
}
