//! Faults: a connection killed mid-transaction, and cancelled futures. SQLite runs in
//! process, so it has no connection to lose; its cancellation test still runs.

use std::time::Duration;

use kakaorm::prelude::*;
use kakaorm::{ErrorKind, Value};

use crate::harness::{Backend, isolated};
use crate::models::*;

/// Kills the server session behind `tx`, from another pooled connection.
async fn kill_session(db: &Db, tx: &Tx, backend: Backend) -> kakaorm::Result<()> {
    if backend == Backend::Postgres {
        let pid: Vec<i64> = tx.fetch_raw("SELECT pg_backend_pid()::bigint", vec![]).await?;
        db.execute_raw("SELECT pg_terminate_backend($1::int)", vec![Value::I64(pid[0])]).await?;
    } else {
        let id: Vec<i64> = tx.fetch_raw("SELECT CONNECTION_ID()", vec![]).await?;
        // KILL cannot be prepared; the id is an integer from the server, not user input.
        db.execute_raw(&format!("KILL {}", id[0]), vec![]).await?;
    }
    Ok(())
}

async fn killed_mid_transaction(backend: Backend) {
    let Some(iso) = isolated(backend).await else { return };
    let db = iso.db.clone();
    let outcome: kakaorm::Result<()> = async {
        blog_schema(&db).await?;
        user(&db, "Before", 1).await?;
        let tx = db.begin().await?;
        user(&tx, "Lost", 2).await?;
        kill_session(&db, &tx, backend).await?;
        let err = User::count(&tx).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
        assert!(tx.commit().await.is_err(), "commit on a dead connection fails");
        // The pool replaces the dead connection; the lost insert was never committed.
        let names: Vec<String> = User::all(&db).await?.into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["Before"]);
        user(&db, "After", 3).await?;
        assert_eq!(User::count(&db).await?, 2);
        Ok(())
    }
    .await;
    iso.cleanup().await;
    outcome.expect("fault handling");
}

#[tokio::test]
async fn postgres_connection_killed_mid_transaction() {
    killed_mid_transaction(Backend::Postgres).await;
}

#[tokio::test]
async fn mysql_connection_killed_mid_transaction() {
    killed_mid_transaction(Backend::Mysql).await;
}

/// Ends every server session of the pool behind `url` (named by `app` on PostgreSQL, by
/// its database on MySQL) from the admin pool; returns how many were ended.
async fn kill_pool_sessions(admin: &Db, backend: Backend, url: &str, app: &str) -> kakaorm::Result<usize> {
    if backend == Backend::Postgres {
        let sql = "SELECT pg_terminate_backend(pid)::int::bigint FROM pg_stat_activity WHERE application_name = $1";
        let killed: Vec<i64> = admin.fetch_raw(sql, vec![Value::String(app.into())]).await?;
        return Ok(killed.len());
    }
    let database = url.rsplit('/').next().unwrap_or_default().to_owned();
    let ids: Vec<i64> = admin
        .fetch_raw("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ?", vec![Value::String(database)])
        .await?;
    for id in &ids {
        // KILL cannot be prepared; the id is an integer from the server, not user input.
        admin.execute_raw(&format!("KILL {id}"), vec![]).await?;
    }
    Ok(ids.len())
}

/// Every session of a pool is killed while idle: each dead connection fails at most one
/// operation (with a `Connection` error), is discarded, and the pool opens new ones.
async fn pool_heals_after_its_sessions_are_killed(backend: Backend) {
    let Some(iso) = isolated(backend).await else { return };
    let app = format!("kakaorm_heal_{}", std::process::id());
    let url = match backend {
        Backend::Postgres => format!("{}&application_name={app}", iso.url),
        _ => iso.url.clone(),
    };
    let outcome: kakaorm::Result<()> = async {
        let db = Db::builder(&url).max_connections(3).min_connections(3).connect().await?;
        blog_schema(&db).await?;
        let admin = iso.admin().expect("server backends have an admin pool");
        for round in 0..3 {
            let killed = kill_pool_sessions(admin, backend, &url, &app).await?;
            assert!(killed >= 1, "round {round}: no session to kill");
            let (mut failures, mut streak, mut i) = (0, 0, 0);
            while streak < 12 && i < 60 {
                i += 1;
                match user(&db, &format!("R{round}_{i}"), i).await {
                    Ok(_) => streak += 1,
                    Err(e) => {
                        assert_eq!(e.kind(), ErrorKind::Connection, "{e}");
                        failures += 1;
                        streak = 0;
                    }
                }
            }
            eprintln!(
                "{backend:?} round {round}: killed {killed}, {failures} operations failed before the pool healed"
            );
            assert_eq!(streak, 12, "round {round}: the pool did not heal");
            assert!(failures <= 3, "round {round}: {failures} failures for 3 dead connections");
        }
        Ok(())
    }
    .await;
    iso.cleanup().await;
    outcome.expect("pool healing");
}

#[tokio::test]
async fn postgres_pool_heals_after_its_sessions_are_killed() {
    pool_heals_after_its_sessions_are_killed(Backend::Postgres).await;
}

#[tokio::test]
async fn mysql_pool_heals_after_its_sessions_are_killed() {
    pool_heals_after_its_sessions_are_killed(Backend::Mysql).await;
}

/// A query that runs for about half a second, or longer on SQLite.
fn slow_query(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "SELECT 1::bigint FROM pg_sleep(0.5)",
        Backend::Mysql => "SELECT SLEEP(0.5)",
        Backend::Sqlite | Backend::SqliteInline => {
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT COUNT(*) FROM c"
        }
    }
}

conformance! {
    async fn cancelled_futures_lose_nothing(db: Db) -> Result<()> {
        let backend = match db.backend() {
            kakaorm::Backend::Postgres => Backend::Postgres,
            kakaorm::Backend::Mysql => Backend::Mysql,
            _ => Backend::Sqlite,
        };
        blog_schema(&db).await?;
        let mut acknowledged = Vec::new();
        for i in 0..20 {
            // Cancel at a different point each time: before sending, mid-flight, or after.
            let fut = User::create().name(format!("C{i}")).age(i).exec(&db);
            if let Ok(created) = tokio::time::timeout(Duration::from_micros(50 * i as u64), fut).await {
                acknowledged.push(created?.name);
            }
        }
        for i in 0..30 {
            let read = User::query().order_by(User::name).all(&db);
            let _ = tokio::time::timeout(Duration::from_micros(25 * i), read).await;
        }
        // Every row is either fully written or absent, every acknowledged one is stored, and
        // the pool still works.
        let rows = User::all(&db).await?;
        for u in &rows {
            assert_eq!(u.name, format!("C{}", u.age));
        }
        for name in &acknowledged {
            assert!(rows.iter().any(|u| &u.name == name), "{name} was acknowledged but is not stored");
        }
        let tx = db.begin().await?;
        let slow = tokio::time::timeout(Duration::from_millis(50), tx.fetch_raw::<i64>(slow_query(backend), vec![])).await;
        // PostgreSQL and SQLite finish the interrupted statement and go on; MySQL's wire
        // state is unknown after a cancelled exchange, so it refuses the rest of the
        // transaction and closes the connection.
        let next = user(&tx, "InTx", 99).await;
        if backend == Backend::Mysql {
            assert!(slow.is_err(), "SLEEP(0.5) outlasts 50 ms");
            assert_eq!(next.unwrap_err().kind(), ErrorKind::Connection);
        } else {
            assert_eq!(next?.name, "InTx");
        }
        tx.rollback().await?;
        assert_eq!(User::count(&db).await?, rows.len() as i64);
        user(&db, "Final", 100).await?;
        assert_eq!(User::count(&db).await?, rows.len() as i64 + 1);
        let mut committed = Vec::new();
        for i in 0..10 {
            let tx = db.begin().await?;
            User::create().name(format!("T{i}")).age(200 + i).exec(&tx).await?;
            if let Ok(res) = tokio::time::timeout(Duration::from_micros(20 * i as u64), tx.commit()).await {
                res?;
                committed.push(200 + i);
            }
        }
        // Each cancelled commit either happened or not; an acknowledged one is stored, and the
        // table (on SQLite, the in-memory database itself) survives and the pool still serves.
        let mut stored: Vec<i32> = User::filter(User::age.ge(200)).select(User::age).all(&db).await?;
        stored.sort_unstable();
        for age in &committed {
            assert!(stored.contains(age), "the commit of T{} was acknowledged but is not stored", age - 200);
        }
        assert!(stored.windows(2).all(|w| w[0] < w[1]) && stored.iter().all(|a| (200..210).contains(a)), "{stored:?}");
        user(&db, "Last", 300).await?;
        Ok(())
    }
}
