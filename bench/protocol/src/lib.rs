//! The shared core of the benchmark: what a workload is, the seed data every contender
//! sees, how a worker measures a batch, and the line protocol between orchestrator and
//! workers.
//!
//! Protocol (one line each way, UTF-8):
//! - worker → orchestrator on start: `ready`
//! - orchestrator → worker: `run <workload> <n> <ops>`; the worker runs `ops` operations
//!   of `<workload>` at size `n`, checks every result outside the timed region, and
//!   answers `ok <wall_ns> <cpu_ns> <allocs> <rows> <checksum> <peak_heap_bytes>`,
//!   `unsupported <reason>` or `err <message>`. `peak_heap_bytes` is the high-water mark
//!   of live heap bytes during the batch, over what was live when it started.
//! - orchestrator → worker: `quit`.
//!
//! `concurrent` is the one pooled workload: see [`Pooled`].

mod check;
mod data;
mod measure;
mod pooled;
mod serve;
mod workload;

pub use check::{
    Bulk, Check, CommentRow, Eager, Grouped, Id, Inserted, JoinRow, Joined, Nested, PostRow, Rows, Streamed, Updated,
    UserRow, WithComments,
};
pub use data::*;
pub use measure::{CountingAlloc, Outcome, Sample, allocations, cpu_ns, heap_peak_since, measure, reset_heap_peak};
pub use pooled::{KeyOps, Keyed, POOL_SIZE, Pooled, RUNTIME_THREADS, TASKS};
pub use serve::{Contender, WorkerArgs, serve};
pub use workload::{Backend, Job, Workload};
