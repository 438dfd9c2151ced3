//! Waiting for a quiet machine: a compiler or test run on the other core is noise.
//!
//! Between rounds our workers and the servers are idle, so CPU time the kernel counts in
//! that gap belongs to someone else. Before each round we sample `/proc/stat` briefly and,
//! while other processes keep the CPUs busy (or a `rustc` is running), we wait.

use std::time::{Duration, Instant};

fn busy_jiffies() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu = stat.lines().next()?.strip_prefix("cpu ")?;
    let v: Vec<u64> = cpu.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    let idle = v.get(3)? + v.get(4).copied().unwrap_or(0);
    let total: u64 = v.iter().take(8).sum();
    Some((total - idle, total))
}

fn compiler_running() -> bool {
    let Ok(dir) = std::fs::read_dir("/proc") else { return false };
    dir.flatten().any(|e| {
        std::fs::read_to_string(e.path().join("comm"))
            .is_ok_and(|c| matches!(c.trim(), "rustc" | "cc1" | "cc1plus" | "ld" | "ld.lld" | "mold"))
    })
}

/// The share (0..=1) of all CPUs busy over `window`.
fn load(window: Duration) -> f64 {
    let Some((b0, t0)) = busy_jiffies() else { return 0.0 };
    std::thread::sleep(window);
    let Some((b1, t1)) = busy_jiffies() else { return 0.0 };
    if t1 == t0 { 0.0 } else { (b1 - b0) as f64 / (t1 - t0) as f64 }
}

/// Waits until the machine is quiet, at most `max`. Returns the time waited and whether
/// it gave up (the round then runs anyway and the report says so).
pub fn wait(max: Duration) -> (Duration, bool) {
    let started = Instant::now();
    let mut told = false;
    loop {
        let compiling = compiler_running();
        let busy = if compiling { 1.0 } else { load(Duration::from_millis(100)) };
        if busy < 0.15 {
            return (started.elapsed(), false);
        }
        if started.elapsed() >= max {
            eprintln!("  machine still busy after {:.0} s; measuring anyway", started.elapsed().as_secs_f64());
            return (started.elapsed(), true);
        }
        if !told {
            let why =
                if compiling { "a compiler is running".to_owned() } else { format!("{:.0}% CPU busy", busy * 100.0) };
            eprintln!("  waiting for a quiet machine ({why})…");
            told = true;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
