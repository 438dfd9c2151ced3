//! Runtimes that count panics, isolated databases that are removed even when a test fails,
//! URL rewriting and temporary SQLite files.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, Once};
use std::time::Duration;

use kakaorm::Db;

use crate::harness::{Backend, isolated};

/// Names of the threads that panicked, for [`panics_on`].
static PANICKED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Notes the name of every thread that panics, then reports the panic as usual. A panic in
/// a task spawned on a runtime (by the test or by kakaorm) is caught by tokio, so the
/// thread name is how a test finds out about it.
fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let name = std::thread::current().name().unwrap_or("<unnamed>").to_owned();
            PANICKED.lock().unwrap_or_else(|e| e.into_inner()).push(name);
            previous(info);
        }));
    });
}

/// How many panics happened on threads named `name`.
pub fn panics_on(name: &str) -> usize {
    PANICKED.lock().unwrap_or_else(|e| e.into_inner()).iter().filter(|n| *n == name).count()
}

/// A unique name: a prefix, the process id and a counter.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// Runs `body` on a two-worker runtime of its own, whose threads are named after `label`,
/// then fails if any task on those threads panicked (kakaorm's background tasks included).
/// The body itself runs on the test thread, so its own assertion failures are not counted.
pub fn run<Fut: Future<Output = ()>>(label: &str, body: impl FnOnce() -> Fut) {
    install_panic_hook();
    let threads = format!("faults-rt-{}", unique(label));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(threads.clone())
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(body());
    // Let background tasks (rollbacks of dropped transactions) finish before counting.
    rt.shutdown_timeout(Duration::from_secs(5));
    let panics = panics_on(&threads);
    eprintln!("[{label}] panics in runtime tasks: {panics}");
    assert_eq!(panics, 0, "{label}: {panics} task(s) panicked on the runtime (see the panic messages above)");
}

/// Runs `body` on an isolated database of `backend` (an unreachable server fails or skips
/// as in the conformance suite), then removes that database even when the body panics.
pub fn run_isolated<Fut>(label: &str, backend: Backend, body: impl FnOnce(String, Db) -> Fut)
where
    Fut: Future<Output = ()>,
{
    run(label, || async move {
        let Some(iso) = isolated(backend).await else { return };
        let outcome = {
            let fut = AssertUnwindSafe(body(iso.url.clone(), iso.db.clone()));
            CatchUnwind(Box::pin(fut)).await
        };
        iso.cleanup().await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    });
}

/// Polls a future and turns a panic inside it into an `Err` (what `futures`' `catch_unwind`
/// does, without the dependency).
struct CatchUnwind<F>(std::pin::Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        }
    }
}

/// Awaits `fut`, failing the test when it takes longer than `limit`: the operation hung.
pub async fn no_hang<T>(what: &str, limit: Duration, fut: impl Future<Output = T>) -> T {
    match tokio::time::timeout(limit, fut).await {
        Ok(v) => v,
        Err(_) => panic!("{what} hung: no answer within {limit:?}"),
    }
}

/// Adds `key=value` to the query string of a URL.
pub fn with_param(url: &str, key: &str, value: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{key}={value}")
}

/// The URL with its `host:port` replaced by `addr` (a proxy in front of the server).
pub fn with_host_port(url: &str, addr: std::net::SocketAddr) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..].find(['/', '?']).map_or(url.len(), |i| start + i);
    let host_start = url[start..end].rfind('@').map_or(start, |i| start + i + 1);
    format!("{}{addr}{}", &url[..host_start], &url[end..])
}

/// The database named in a server URL's path.
pub fn database_of(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let path = url[start..].split('?').next().unwrap_or("");
    path.split_once('/').map_or("", |(_, db)| db).to_owned()
}

/// An SQLite file in the temporary directory, removed (with its WAL files) on drop.
pub struct TempDb {
    pub path: PathBuf,
}

impl TempDb {
    pub fn new(label: &str) -> TempDb {
        let path = std::env::temp_dir().join(format!("{}.db", unique(&format!("kakaorm_faults_{label}"))));
        let db = TempDb { path };
        db.remove();
        db
    }

    /// The URL that opens (and creates) the file.
    pub fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.path.display())
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.path.display()));
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        self.remove();
    }
}

#[test]
fn url_rewriting() {
    let addr: std::net::SocketAddr = "127.0.0.1:4000".parse().unwrap();
    assert_eq!(
        with_host_port("postgres://postgres@127.0.0.1:5432/test?options=-cx", addr),
        "postgres://postgres@127.0.0.1:4000/test?options=-cx"
    );
    assert_eq!(with_host_port("mysql://root:pw@localhost/db", addr), "mysql://root:pw@127.0.0.1:4000/db");
    assert_eq!(database_of("mysql://root@127.0.0.1:3306/kt_1_2"), "kt_1_2");
    assert_eq!(
        with_param("postgres://h/d?options=x", "application_name", "a"),
        "postgres://h/d?options=x&application_name=a"
    );
}

/// How long after `since` the pool first served `in_a_row` reads in a row (None when it
/// did not within 10 s), and how many reads failed before that.
pub async fn time_to_serve(db: &Db, since: std::time::Instant, in_a_row: usize) -> (Option<Duration>, u64) {
    use kakaorm::ModelExt;
    let (mut streak, mut failures) = (0, 0);
    while since.elapsed() <= Duration::from_secs(10) {
        match tokio::time::timeout(Duration::from_secs(5), crate::models::Entry::count(db)).await {
            Ok(Ok(_)) => {
                streak += 1;
                if streak == in_a_row {
                    return (Some(since.elapsed()), failures);
                }
            }
            _ => {
                streak = 0;
                failures += 1;
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    }
    (None, failures)
}
