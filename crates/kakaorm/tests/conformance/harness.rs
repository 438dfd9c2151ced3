//! Runs one test body against SQLite, PostgreSQL and MySQL, each in an isolated database.
//!
//! PostgreSQL tests get their own schema (through `search_path`), MySQL tests their own
//! database, SQLite tests a private in-memory database. Servers come from
//! `KAKAORM_TEST_POSTGRES_URL` / `KAKAORM_TEST_MYSQL_URL` (defaults: the local servers).
//! An unreachable server fails the test, unless `KAKAORM_TEST_ALLOW_SKIP=1`: then the test
//! is skipped with a `SKIPPED` line written past the harness's output capture, so it shows
//! even though the test passes. `KAKAORM_TEST_REQUIRE_ALL=1` (set by CI) always fails.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use kakaorm::{Db, Executor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    /// SQLite with statements run on the caller's thread (`DbBuilder::sqlite_inline`).
    SqliteInline,
    Postgres,
    Mysql,
}

pub fn postgres_url() -> String {
    std::env::var("KAKAORM_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub fn mysql_url() -> String {
    std::env::var("KAKAORM_TEST_MYSQL_URL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// Whether an unreachable server skips its tests instead of failing them.
fn allow_skip() -> bool {
    env_flag("KAKAORM_TEST_ALLOW_SKIP")
}

/// The URL with its password hidden, for messages.
fn shown(url: &str) -> String {
    kakaorm::ConnectOptions::parse(url).map_or_else(|_| "<an unparsable url>".to_owned(), |o| o.redacted_url())
}

/// A unique name for this test's schema or database.
fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("kt_{}_{}_{}", std::process::id(), n, nanos)
}

/// Replaces the path (database) of a server URL and appends a query string.
fn with_database(url: &str, db: &str, query: &str) -> String {
    let (base, _) = url.split_once('?').unwrap_or((url, ""));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    format!("{}/{db}{query}", &base[..path_start])
}

async fn connect_admin(url: &str) -> Option<Db> {
    let res = Db::builder(url).connect_timeout(Duration::from_secs(5)).max_connections(1).connect().await;
    match res {
        Ok(db) => Some(db),
        Err(e) if env_flag("KAKAORM_TEST_REQUIRE_ALL") => {
            panic!("KAKAORM_TEST_REQUIRE_ALL=1 but {} is unreachable: {e}", shown(url))
        }
        Err(e) if !allow_skip() => panic!(
            "{} is unreachable: {e}. Start the server, point KAKAORM_TEST_POSTGRES_URL / KAKAORM_TEST_MYSQL_URL \
             at one, or set KAKAORM_TEST_ALLOW_SKIP=1 to skip its tests",
            shown(url)
        ),
        Err(e) => {
            report_skip(&format!("{} is unreachable ({e})", shown(url)));
            None
        }
    }
}

/// A pool of one connection on a server backend's default database, for tests that create
/// server-wide objects (roles, databases); `None` (a loud skip) when it is unreachable.
pub async fn admin(backend: Backend) -> Option<Db> {
    match backend {
        Backend::Sqlite | Backend::SqliteInline => None,
        Backend::Postgres => connect_admin(&postgres_url()).await,
        Backend::Mysql => connect_admin(&mysql_url()).await,
    }
}

/// A name no other test or run uses, for a server-wide object.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}{}", unique_name().trim_start_matches("kt"))
}

/// Writes a `SKIPPED` line straight to stderr: the test harness captures `eprintln!` and
/// shows it only for failed tests, and a skipped test passes.
fn report_skip(why: &str) {
    use std::io::Write as _;
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let line = format!("\n*** SKIPPED {test}: {why}; KAKAORM_TEST_ALLOW_SKIP=1 let it pass ***\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// An isolated database and how to remove it afterwards.
pub struct Isolated {
    pub db: Db,
    /// The URL of the isolated database.
    pub url: String,
    admin: Option<Db>,
    drop_sql: Option<String>,
    /// An SQLite file to delete.
    file: Option<std::path::PathBuf>,
}

/// An isolated database that several pools can open: for SQLite a fresh file in the
/// temporary directory (pool of 4) instead of a private in-memory database.
pub async fn isolated_shared(backend: Backend) -> Option<Isolated> {
    if !matches!(backend, Backend::Sqlite | Backend::SqliteInline) {
        return isolated(backend).await;
    }
    let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let inline = backend == Backend::SqliteInline;
    let db = Db::builder(&url).max_connections(4).sqlite_inline(inline).connect().await.expect("sqlite file");
    Some(Isolated { db, url, admin: None, drop_sql: None, file: Some(path) })
}

pub async fn isolated(backend: Backend) -> Option<Isolated> {
    match backend {
        Backend::Sqlite | Backend::SqliteInline => {
            let inline = backend == Backend::SqliteInline;
            let db = Db::builder("sqlite::memory:").sqlite_inline(inline).connect().await.expect("sqlite in memory");
            Some(Isolated { db, url: "sqlite::memory:".into(), admin: None, drop_sql: None, file: None })
        }
        Backend::Postgres => {
            let url = postgres_url();
            let admin = connect_admin(&url).await?;
            let schema = unique_name();
            admin.execute_raw(&format!("CREATE SCHEMA \"{schema}\""), vec![]).await.expect("create schema");
            let database = url
                .split_once("://")
                .and_then(|(_, r)| r.split_once('/'))
                .map_or("test", |(_, d)| d.split('?').next().unwrap_or("test"));
            let test_url = with_database(&url, database, &format!("?options=-csearch_path%3D{schema}"));
            let db = Db::builder(&test_url).max_connections(4).connect().await.expect("connect to test schema");
            let drop_sql = Some(format!("DROP SCHEMA \"{schema}\" CASCADE"));
            Some(Isolated { db, url: test_url, admin: Some(admin), drop_sql, file: None })
        }
        Backend::Mysql => {
            let url = mysql_url();
            let admin = connect_admin(&url).await?;
            let name = unique_name();
            admin.execute_raw(&format!("CREATE DATABASE `{name}`"), vec![]).await.expect("create database");
            let test_url = with_database(&url, &name, "");
            let db = Db::builder(&test_url).max_connections(4).connect().await.expect("connect to test database");
            let drop_sql = Some(format!("DROP DATABASE `{name}`"));
            Some(Isolated { db, url: test_url, admin: Some(admin), drop_sql, file: None })
        }
    }
}

impl Isolated {
    /// Closes the test pool and removes the schema or database.
    pub async fn cleanup(self) {
        self.db.close().await;
        if let (Some(admin), Some(sql)) = (&self.admin, &self.drop_sql) {
            if let Err(e) = admin.execute_raw(sql, vec![]).await {
                eprintln!("cleanup failed ({sql}): {e}");
            }
            admin.close().await;
        }
        if let Some(path) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }

    /// The admin pool of a server backend (on the server's default database).
    pub fn admin(&self) -> Option<&Db> {
        self.admin.as_ref()
    }
}

/// Runs `body` with a database that a second pool can open through the URL it is given.
pub async fn run_shared<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(Db, String) -> Fut,
    Fut: Future<Output = kakaorm::Result<()>> + Send + 'static,
{
    let Some(iso) = isolated_shared(backend).await else { return };
    let outcome = tokio::spawn(body(iso.db.clone(), iso.url.clone())).await;
    iso.cleanup().await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("{backend:?}: test returned an error: {e} ({e:?})"),
        Err(join) => std::panic::resume_unwind(join.into_panic()),
    }
}

/// Runs `body` on an isolated database of `backend`, then removes that database, even when
/// the body fails.
pub async fn run<F, Fut>(backend: Backend, body: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = kakaorm::Result<()>> + Send + 'static,
{
    let Some(iso) = isolated(backend).await else { return };
    let outcome = tokio::spawn(body(iso.db.clone())).await;
    iso.cleanup().await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("{backend:?}: test returned an error: {e} ({e:?})"),
        Err(join) => std::panic::resume_unwind(join.into_panic()),
    }
}

/// Declares tests written once and run on every backend with a database that several pools
/// can open: each `async fn name(db: Db, url: String)` becomes a module `name` with tests
/// `sqlite`, `sqlite_inline` (statements on the caller's thread), `postgres` and `mysql`.
#[macro_export]
macro_rules! shared_conformance {
    ($( $(#[$meta:meta])* async fn $name:ident($db:ident: Db, $url:ident: String) -> Result<()> $body:block )*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($db: kakaorm::Db, $url: String) -> kakaorm::Result<()> $body

            #[tokio::test]
            async fn sqlite() {
                $crate::harness::run_shared($crate::harness::Backend::Sqlite, body).await
            }

            #[tokio::test]
            async fn sqlite_inline() {
                $crate::harness::run_shared($crate::harness::Backend::SqliteInline, body).await
            }

            #[tokio::test]
            async fn postgres() {
                $crate::harness::run_shared($crate::harness::Backend::Postgres, body).await
            }

            #[tokio::test]
            async fn mysql() {
                $crate::harness::run_shared($crate::harness::Backend::Mysql, body).await
            }
        }
    )*};
}

/// Declares tests written once and run on every backend: each `async fn name(db: Db)`
/// becomes a module `name` with tests `sqlite`, `sqlite_inline` (statements on the caller's
/// thread), `postgres` and `mysql`.
#[macro_export]
macro_rules! conformance {
    ($( $(#[$meta:meta])* async fn $name:ident($db:ident: Db) -> Result<()> $body:block )*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($db: kakaorm::Db) -> kakaorm::Result<()> $body

            #[tokio::test]
            async fn sqlite() {
                $crate::harness::run($crate::harness::Backend::Sqlite, body).await
            }

            #[tokio::test]
            async fn sqlite_inline() {
                $crate::harness::run($crate::harness::Backend::SqliteInline, body).await
            }

            #[tokio::test]
            async fn postgres() {
                $crate::harness::run($crate::harness::Backend::Postgres, body).await
            }

            #[tokio::test]
            async fn mysql() {
                $crate::harness::run($crate::harness::Backend::Mysql, body).await
            }
        }
    )*};
}
