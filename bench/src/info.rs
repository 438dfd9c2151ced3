//! The report header: versions, machine, commit, settings.

use std::path::Path;
use std::process::Command;

/// Crates whose versions the header records, from the lockfiles.
const CRATES: &[&str] = &[
    "tokio",
    "tokio-postgres",
    "mysql_async",
    "rusqlite",
    "libsqlite3-sys",
    "sqlx",
    "sea-orm",
    "sea-query",
    "diesel",
    "diesel-async",
];

/// `(crate, versions)` found in `Cargo.lock` files, in [`CRATES`] order.
pub fn crate_versions(lockfiles: &[&Path]) -> Vec<(String, Vec<String>)> {
    let mut found: Vec<(String, Vec<String>)> = CRATES.iter().map(|c| (c.to_string(), Vec::new())).collect();
    for lock in lockfiles {
        let Ok(text) = std::fs::read_to_string(lock) else { continue };
        let mut name: Option<String> = None;
        for line in text.lines() {
            if let Some(v) = line.strip_prefix("name = ") {
                name = Some(v.trim_matches('"').to_owned());
            } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), &name) {
                if let Some((_, versions)) = found.iter_mut().find(|(c, _)| c == n) {
                    let v = v.trim_matches('"').to_owned();
                    if !versions.contains(&v) {
                        versions.push(v);
                    }
                }
                name = None;
            }
        }
    }
    found.retain(|(_, v)| !v.is_empty());
    found
}

pub fn cpu_model() -> String {
    let text = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = text
        .lines()
        .find_map(|l| l.strip_prefix("model name").map(|r| r.trim_start_matches([' ', '\t', ':']).to_owned()))
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cores} logical CPUs")
}

fn git(repo: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(repo).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// `HEAD`, with `+dirty` when kakaorm's sources differ from it.
pub fn commit(repo: &Path) -> String {
    let head = git(repo, &["rev-parse", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let dirty = git(repo, &["status", "--porcelain", "--", "crates", "Cargo.toml", "Cargo.lock"])
        .is_some_and(|s| !s.is_empty());
    if dirty { format!("{head}+dirty") } else { head }
}

pub fn rustc_version() -> String {
    Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".into())
}

pub fn kernel() -> String {
    std::fs::read_to_string("/proc/sys/kernel/osrelease").map(|s| format!("Linux {}", s.trim())).unwrap_or_default()
}

pub fn now_utc() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}
