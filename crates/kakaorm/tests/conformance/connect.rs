//! Connecting: URL errors, unreachable servers, pool limits, redaction, close.

use std::time::Duration;

use kakaorm::prelude::*;
use kakaorm::{ConnectOptions, ErrorKind};

use crate::models::*;

/// Fails the test if `fut` hangs: a liveness guard, not a timing assertion.
async fn within<T>(fut: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), fut).await.expect("operation hung")
}

#[tokio::test]
async fn malformed_urls_are_config_errors_with_redacted_passwords() {
    for url in [
        "postgres://app:hunter2@db:notaport/x",
        "mysql://app:hunter2@/x",
        "oracle://app:hunter2@db/x",
        "postgres://app:hunter2@db/x?sslmode=bogus",
        "mysql://app:hunter2@db/x?ssl-mode=bogus",
        "sqlite://x.db?mode=fast",
        "nonsense",
    ] {
        let err = within(kakaorm::connect(url)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{url}: {err}");
        assert!(!err.to_string().contains("hunter2") && !format!("{err:?}").contains("hunter2"), "{err:?}");
        if url.contains("hunter2") {
            assert!(err.to_string().contains("app:***@"), "{err}");
        }
    }
}

#[tokio::test]
async fn refused_connections_are_connection_errors() {
    for url in ["postgres://postgres:secret@127.0.0.1:1/test", "mysql://root:secret@127.0.0.1:1/test"] {
        let err = within(Db::builder(url).connect_timeout(Duration::from_secs(2)).connect()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connection, "{url}: {err}");
        assert!(!format!("{err} {err:?}").contains("secret"));
    }
}

/// A connection error says why, pinned per backend: the operating system's refusal on
/// both servers (PostgreSQL's own message alone is "error connecting to server"), and
/// SQLite's reason for not opening a file.
#[tokio::test]
async fn connection_errors_say_why() {
    let missing = std::env::temp_dir().join("kakaorm-missing-dir").join("none.db");
    let cases = [
        ("postgres://postgres@127.0.0.1:1/test".to_owned(), "Connection refused"),
        ("mysql://root@127.0.0.1:1/test".to_owned(), "Connection refused"),
        (format!("sqlite://{}", missing.display()), "unable to open database file"),
    ];
    for (url, why) in cases {
        let err = within(Db::builder(&url).connect_timeout(Duration::from_secs(2)).connect()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connection, "{url}: {err}");
        assert!(err.to_string().contains(why), "{url}: the error does not say `{why}`: {err}");
    }
}

#[tokio::test]
async fn a_silent_server_fails_within_the_connect_timeout() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    for scheme in ["postgres", "mysql"] {
        let url = format!("{scheme}://u:p@127.0.0.1:{port}/db");
        let err = within(Db::builder(&url).connect_timeout(Duration::from_millis(300)).connect()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connection, "{scheme}: {err}");
    }
    drop(listener);
}

#[tokio::test]
async fn sqlite_file_modes() {
    let dir = std::env::temp_dir().join(format!("kakaorm-mode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("app.db");
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let err = kakaorm::connect(&url).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "missing file without rwc: {err}");
    let db = kakaorm::connect(&format!("{url}?mode=rwc")).await.expect("created");
    db.create_table::<User>().await.expect("table");
    user(&db, "File", 1).await.expect("insert");
    db.close().await;
    let again = kakaorm::connect(&url).await.expect("reopen");
    assert_eq!(User::count(&again).await.expect("count"), 1);
    again.close().await;
    let ro = kakaorm::connect(&format!("{url}?mode=ro")).await.expect("read-only");
    assert!(user(&ro, "Nope", 2).await.is_err(), "read-only refuses writes");
    ro.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn pool_exhaustion_is_a_pool_timeout() {
    let db = Db::builder("sqlite::memory:").acquire_timeout(Duration::from_millis(200)).connect().await.expect("db");
    let held = db.acquire().await.expect("the only connection");
    let err = within(User::count(&db)).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PoolTimeout, "{err}");
    drop(held);
    db.create_table::<User>().await.expect("connection is back");
    let err = Db::builder("sqlite::memory:").max_connections(2).connect().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}

/// With a password that ends nowhere near a `/`; `secrets.rs` tries every reserved
/// character, and `credentials.rs` a connected pool with a real password.
#[test]
fn debug_output_never_shows_passwords() {
    let opts = ConnectOptions::parse("postgresql://app:hunter2@db.example:5432/shop").expect("parse");
    assert!(!format!("{opts:?} {opts}").contains("hunter2"));
    let builder = Db::builder("mysql://app:hunter2@db.example/shop");
    assert!(!format!("{builder:?}").contains("hunter2"));
    let builder = Db::builder(opts);
    assert!(format!("{builder:?}").contains("app:***@db.example"), "{builder:?}");
}

#[tokio::test]
async fn closed_pools_refuse_work() {
    let db = kakaorm::connect("sqlite::memory:").await.expect("db");
    db.create_table::<User>().await.expect("table");
    db.close().await;
    let err = User::count(&db).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
}

#[test]
fn query_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let db: Option<Db> = None;
    if let Some(db) = db {
        let f = User::filter(User::age.gt(1)).all(&db);
        assert_send(&f);
        let g = User::create().name("x").exec(&db);
        assert_send(&g);
    }
}

#[tokio::test]
async fn sqlite_inline_is_a_config_error_on_server_backends() {
    // Refused before any connection is attempted, so no server is needed.
    for url in ["postgres://app:hunter2@127.0.0.1:1/x", "mysql://app:hunter2@127.0.0.1:1/x"] {
        let err = Db::builder(url).sqlite_inline(true).connect().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{url}: {err}");
        assert!(err.to_string().contains("sqlite_inline"), "{err}");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
    let db = Db::builder("sqlite::memory:").sqlite_inline(true).connect().await.expect("inline sqlite");
    blog_schema(&db).await.expect("schema");
    assert_eq!(User::bulk_create((0..150).map(|i| User::create().name(format!("u{i}"))), &db).await.unwrap(), 150);
    assert_eq!(User::count(&db).await.unwrap(), 150);
}
