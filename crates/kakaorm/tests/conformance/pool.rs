//! `min_connections`: that many connections are open once `connect` returns; with 0 none
//! is, yet `connect` still fails on a server it cannot reach.

use std::time::Duration;

use kakaorm::prelude::*;
use kakaorm::{ErrorKind, Value};

use crate::harness::{Backend, mysql_url, postgres_url, run_shared};
use crate::models::*;

/// The server sessions of the pool behind `url`: named by `app` on PostgreSQL, by the
/// database on MySQL.
async fn sessions(admin: &Db, backend: Backend, url: &str, app: &str) -> kakaorm::Result<usize> {
    let ids: Vec<i64> = if backend == Backend::Postgres {
        let sql = "SELECT pid::bigint FROM pg_stat_activity WHERE application_name = $1";
        admin.fetch_raw(sql, vec![Value::String(app.into())]).await?
    } else {
        let database = url.rsplit('/').next().unwrap_or_default().to_owned();
        let sql = "SELECT CAST(ID AS SIGNED) FROM information_schema.PROCESSLIST WHERE DB = ?";
        admin.fetch_raw(sql, vec![Value::String(database)]).await?
    };
    Ok(ids.len())
}

/// The session count once it reaches `expected`, or after 10 s (a closed connection leaves
/// the server's list shortly after the client lets it go).
async fn settled(admin: &Db, backend: Backend, url: &str, app: &str, expected: usize) -> kakaorm::Result<usize> {
    for _ in 0..100 {
        let n = sessions(admin, backend, url, app).await?;
        if n == expected {
            return Ok(n);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    sessions(admin, backend, url, app).await
}

async fn min_connections_open_that_many(backend: Backend) {
    let admin_url = if backend == Backend::Postgres { postgres_url() } else { mysql_url() };
    run_shared(backend, |harness_pool, url| async move {
        // The harness's own pool on the database would count among MySQL's sessions.
        harness_pool.close().await;
        let app = format!("kakaorm_min_{}", std::process::id());
        let url = if backend == Backend::Postgres { format!("{url}&application_name={app}") } else { url };
        let admin = Db::builder(&admin_url).max_connections(1).connect().await?;
        let none = Db::builder(&url).min_connections(0).connect().await?;
        assert_eq!(settled(&admin, backend, &url, &app, 0).await?, 0, "min_connections(0) keeps no connection");
        blog_schema(&none).await?;
        assert_eq!(User::all(&none).await?, []);
        assert_eq!(sessions(&admin, backend, &url, &app).await?, 1, "connections open on first use");
        none.close().await;
        assert_eq!(settled(&admin, backend, &url, &app, 0).await?, 0);
        let two = Db::builder(&url).min_connections(2).connect().await?;
        assert_eq!(sessions(&admin, backend, &url, &app).await?, 2, "min_connections(2) opens two");
        two.close().await;
        admin.close().await;
        let unreachable = match backend {
            Backend::Postgres => "postgres://postgres@127.0.0.1:1/test",
            _ => "mysql://root@127.0.0.1:1/test",
        };
        let err = Db::builder(unreachable).min_connections(0).connect().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connection, "min_connections(0) still checks the server: {err}");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn postgres_min_connections_open_that_many() {
    min_connections_open_that_many(Backend::Postgres).await;
}

#[tokio::test]
async fn mysql_min_connections_open_that_many() {
    min_connections_open_that_many(Backend::Mysql).await;
}

/// SQLite connections are not visible from outside the process (the unit test
/// `driver::pool::tests` counts them through the pool); here `min_connections(0)` still
/// opens the database to check it, and a pool that kept none works.
#[tokio::test]
async fn sqlite_min_connections_zero_still_checks_the_database() {
    let missing = std::env::temp_dir().join(format!("kakaorm_missing_{}/none.db", std::process::id()));
    let url = format!("sqlite://{}", missing.display());
    let err = Db::builder(&url).min_connections(0).connect().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    let db = Db::builder("sqlite::memory:").min_connections(0).connect().await.expect("connect");
    blog_schema(&db).await.expect("schema");
    assert_eq!(User::all(&db).await.expect("read"), []);
}
