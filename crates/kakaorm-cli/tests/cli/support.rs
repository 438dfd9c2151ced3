//! A project directory with its own database, and running the binary in it.

use std::path::PathBuf;
use std::process::Output;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::harness::{self, Backend, Isolated};

/// A temporary project directory and an isolated database, removed on drop.
pub struct Project {
    pub dir: PathBuf,
    pub url: String,
    pub rt: tokio::runtime::Runtime,
    iso: Option<Isolated>,
}

impl Project {
    /// `None` when the backend's server is unreachable and skipping is allowed.
    pub fn new(backend: Backend) -> Option<Project> {
        static N: AtomicU32 = AtomicU32::new(0);
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let iso = rt.block_on(harness::isolated_shared(backend))?;
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("kakaorm-cli-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Some(Project { dir, url: iso.url.clone(), rt, iso: Some(iso) })
    }

    /// Writes `migrations/<full>/up.sql` and `down.sql`.
    pub fn migration(&self, full: &str, up: &str, down: &str) -> PathBuf {
        let path = self.dir.join("migrations").join(full);
        std::fs::create_dir_all(&path).unwrap();
        std::fs::write(path.join("up.sql"), up).unwrap();
        std::fs::write(path.join("down.sql"), down).unwrap();
        path
    }

    /// Runs the `kakaorm` binary in the project directory with `DATABASE_URL` set.
    pub fn kakaorm(&self, args: &[&str]) -> Run {
        self.kakaorm_env(args, Some(&self.url))
    }

    /// Runs the `kakaorm` binary with `DATABASE_URL` set to `url`, or unset.
    pub fn kakaorm_env(&self, args: &[&str], url: Option<&str>) -> Run {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kakaorm"));
        cmd.args(args).current_dir(&self.dir).env_remove("DATABASE_URL");
        if let Some(url) = url {
            cmd.env("DATABASE_URL", url);
        }
        Run(cmd.output().unwrap())
    }

    /// Rows of `sql` on the project's database, through a pool of its own.
    pub fn count(&self, table: &str) -> Option<i64> {
        use kakaorm::Executor;
        self.rt.block_on(async {
            let db = kakaorm::connect(self.url.as_str()).await.unwrap();
            let n: kakaorm::Result<Vec<i64>> = db.fetch_raw(&format!("SELECT COUNT(*) FROM {table}"), vec![]).await;
            db.close().await;
            n.ok().map(|n| n[0])
        })
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}

impl Drop for Project {
    fn drop(&mut self) {
        if let Some(iso) = self.iso.take() {
            self.rt.block_on(iso.cleanup());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A finished run of the binary.
pub struct Run(pub Output);

impl Run {
    pub fn ok(self) -> String {
        let (out, err) = (self.stdout(), self.stderr());
        assert!(self.0.status.success(), "failed: {}\nstdout: {out}\nstderr: {err}", self.0.status);
        out
    }

    pub fn fails(self) -> String {
        assert_eq!(self.0.status.code(), Some(1), "stdout: {}", self.stdout());
        self.stderr()
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
}

/// Declares a test `fn name(p: &Project)` run on each backend.
macro_rules! each_backend {
    ($( fn $name:ident($p:ident: &Project) $body:block )*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn body($p: &$crate::support::Project) $body

            #[test]
            fn sqlite() {
                if let Some(p) = $crate::support::Project::new($crate::harness::Backend::Sqlite) { body(&p) }
            }

            #[test]
            fn postgres() {
                if let Some(p) = $crate::support::Project::new($crate::harness::Backend::Postgres) { body(&p) }
            }

            #[test]
            fn mysql() {
                if let Some(p) = $crate::support::Project::new($crate::harness::Backend::Mysql) { body(&p) }
            }
        }
    )*};
}

pub(crate) use each_backend;
