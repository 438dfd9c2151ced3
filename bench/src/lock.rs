//! One bench run at a time: runs share the SQLite directory and the `kb_*` schemas and
//! databases on the servers, so a second run refuses to start while another holds the
//! lock file (the owner's pid); a lock left by a run that died is taken over.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The held lock; released (the file removed) when dropped.
pub struct RunLock {
    path: PathBuf,
}

impl RunLock {
    /// Takes the lock at `path`, or says which run holds it.
    pub fn take(path: &Path) -> Result<RunLock, String> {
        for _ in 0..2 {
            match OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut file) => {
                    write!(file, "{}", std::process::id()).map_err(|e| format!("{}: {e}", path.display()))?;
                    return Ok(RunLock { path: path.to_owned() });
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let owner = fs::read_to_string(path).ok().and_then(|s| s.trim().parse::<u32>().ok());
                    if let Some(pid) = owner.filter(|pid| alive(*pid)) {
                        return Err(busy(path, pid));
                    }
                    // Left by a run that died: take it over.
                    let _ = fs::remove_file(path);
                }
                Err(e) => return Err(format!("{}: {e}", path.display())),
            }
        }
        Err(format!("{}: could not take the bench lock", path.display()))
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn busy(path: &Path, pid: u32) -> String {
    format!(
        "another bench run (pid {pid}) holds {}: runs share the SQLite directory and the kb_* schemas and \
         databases, so two at once would overwrite each other's tables; wait for it to finish (or remove the \
         file if pid {pid} is not a bench run)",
        path.display()
    )
}

/// Whether process `pid` exists (assumed so where `/proc` is missing).
fn alive(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_is_refused_until_the_first_ends_and_a_dead_owner_is_replaced() {
        let path = std::env::temp_dir().join(format!("kakaorm-bench-lock-test-{}", std::process::id()));
        let first = RunLock::take(&path).expect("free");
        let err = RunLock::take(&path).err().expect("held");
        assert!(err.starts_with(&format!("another bench run (pid {}) holds", std::process::id())), "{err}");
        drop(first);
        assert!(!path.exists());
        // A pid no process has (above the kernel's maximum).
        fs::write(&path, "4294967295").expect("write");
        let taken = RunLock::take(&path).expect("stale lock taken over");
        assert_eq!(fs::read_to_string(&path).expect("read"), std::process::id().to_string());
        drop(taken);
    }
}
