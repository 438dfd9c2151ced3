//! Builds every worker before a run (a no-op when they are up to date).

use std::path::Path;
use std::process::Command;

/// The workspaces holding workers, relative to `bench/`. Each has its own `Cargo.lock`;
/// all build into `bench/target`.
pub const WORKSPACES: &[&str] = &["Cargo.toml", "workers/sqlx-seaorm/Cargo.toml"];

pub fn build_workers(bench: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    for ws in WORKSPACES {
        eprintln!("building workers of {ws} (release)…");
        let status = Command::new(&cargo)
            .args(["build", "--release", "--workspace", "--bins", "--manifest-path"])
            .arg(bench.join(ws))
            .arg("--target-dir")
            .arg(bench.join("target"))
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("building {ws} failed"));
        }
    }
    Ok(())
}
