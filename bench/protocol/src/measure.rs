//! Wall time, client CPU time and heap allocations of a batch of operations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::check::Check;
use crate::data::{expected, lookup_ids, update_ids};
use crate::workload::Job;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
/// Heap bytes live now, and the most live since the last [`reset_heap_peak`].
static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);

/// The system allocator, counting every allocation and reallocation and tracking the live
/// heap bytes and their high-water mark (all threads). Every worker installs it:
/// `#[global_allocator] static A: CountingAlloc = CountingAlloc;`
pub struct CountingAlloc;

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes as u64, Ordering::Relaxed) + bytes as u64;
    if live > PEAK.load(Ordering::Relaxed) {
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes as u64, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            match new_size.checked_sub(layout.size()) {
                Some(more) => grew(more),
                None => shrank(layout.size() - new_size),
            }
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }
}

/// Allocations so far, process-wide.
pub fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Starts a new high-water mark at the heap bytes live now, and returns them.
pub fn reset_heap_peak() -> u64 {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

/// The most heap bytes live since [`reset_heap_peak`] returned `base`, over `base`.
pub fn heap_peak_since(base: u64) -> u64 {
    PEAK.load(Ordering::Relaxed).saturating_sub(base)
}

/// User plus system CPU time of the whole process (every thread), in nanoseconds.
pub fn cpu_ns() -> u64 {
    // SAFETY: getrusage writes into the zeroed struct we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| t.tv_sec as u64 * 1_000_000_000 + t.tv_usec as u64 * 1_000;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// The measurements of one batch.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sample {
    pub wall_ns: u64,
    pub cpu_ns: u64,
    pub allocs: u64,
    pub rows: u64,
    pub checksum: u64,
    /// High-water mark of live heap bytes during the batch, over those live at its start.
    pub peak_heap: u64,
}

impl Sample {
    pub fn to_line(&self) -> String {
        let Sample { wall_ns, cpu_ns, allocs, rows, checksum, peak_heap } = self;
        format!("ok {wall_ns} {cpu_ns} {allocs} {rows} {checksum} {peak_heap}")
    }

    pub fn parse(line: &str) -> Result<Sample, String> {
        let v: Vec<u64> = line
            .split_whitespace()
            .skip(1)
            .map(|s| s.parse::<u64>().map_err(|e| format!("bad reply `{line}`: {e}")))
            .collect::<Result<_, _>>()?;
        let [wall_ns, cpu_ns, allocs, rows, checksum, peak_heap] = v[..] else {
            return Err(format!("bad reply `{line}`"));
        };
        Ok(Sample { wall_ns, cpu_ns, allocs, rows, checksum, peak_heap })
    }
}

/// What a worker answers to a job.
#[derive(Debug)]
pub enum Outcome {
    Done(Sample),
    /// The contender has no API for this workload (yet).
    Unsupported(String),
    Failed(String),
}

impl Outcome {
    pub fn to_line(&self) -> String {
        match self {
            Outcome::Done(s) => s.to_line(),
            Outcome::Unsupported(why) => format!("unsupported {}", why.replace('\n', " ")),
            Outcome::Failed(why) => format!("err {}", why.replace('\n', " ")),
        }
    }
}

/// Runs `op(0..job.ops)` and measures the loop. Results are kept and checked after the
/// clock stops, so checking (and freeing) is never timed; any mismatch fails the job.
pub async fn measure<R: Check>(job: &Job, mut op: impl AsyncFnMut(usize) -> Result<R, String>) -> Outcome {
    let mut results = Vec::with_capacity(job.ops);
    let (lookups, updates) = (lookup_ids(), update_ids());
    let a0 = allocations();
    let heap0 = reset_heap_peak();
    let c0 = cpu_ns();
    let t0 = Instant::now();
    for i in 0..job.ops {
        match op(i).await {
            Ok(r) => results.push(r),
            Err(e) => return Outcome::Failed(format!("{} op {i}: {e}", job.workload)),
        }
    }
    let wall_ns = t0.elapsed().as_nanos() as u64;
    let cpu = cpu_ns() - c0;
    let allocs = allocations() - a0;
    let peak_heap = heap_peak_since(heap0);
    let (mut rows, mut checksum) = (0u64, 0u64);
    for (i, r) in results.iter().enumerate() {
        let got = match r.check() {
            Ok(got) => got,
            Err(e) => return Outcome::Failed(format!("{} op {i}: {e}", job.workload)),
        };
        if let Some(want) = expected(job, i, &lookups, &updates)
            && got != want
        {
            return Outcome::Failed(format!(
                "{} n={} op {i}: got (rows, checksum) {got:?}, expected {want:?}",
                job.workload, job.n
            ));
        }
        rows += got.0;
        checksum = checksum.wrapping_add(got.1);
    }
    drop(results);
    Outcome::Done(Sample { wall_ns, cpu_ns: cpu, allocs, rows, checksum, peak_heap })
}
