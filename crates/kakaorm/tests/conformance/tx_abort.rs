//! A transaction the server has rolled back, or can no longer commit, is never reported as
//! committed: later statements and `commit` fail with `TransactionAborted`.

use std::time::{Duration, Instant};

use kakaorm::prelude::*;
use kakaorm::{ErrorKind, Executor};

use crate::harness::{Backend, isolated};
use crate::models::*;

/// A statement that runs for seconds on each backend.
fn slow_sql(db: &Db) -> &'static str {
    match db.backend() {
        kakaorm::Backend::Postgres => "SELECT pg_sleep(5)",
        kakaorm::Backend::Mysql => "DO SLEEP(5)",
        _ => {
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) SELECT count(*) FROM c"
        }
    }
}

conformance! {
    async fn commit_after_a_failed_statement_is_pinned_per_backend(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        user(&db, "Base", 1).await?;
        let tx = db.begin().await?;
        user(&tx, "Inside", 2).await?;
        let dup = User::create().name("Dup").email("base@example.com").exec(&tx).await.unwrap_err();
        assert_eq!(dup.kind(), ErrorKind::UniqueViolation);
        let next = user(&tx, "After", 3).await;
        let commit = tx.commit().await;
        let stored = User::filter(User::age.ge(2)).count(&db).await?;
        match db.backend() {
            // PostgreSQL aborts the whole transaction on any failed statement: the client
            // refuses the rest without a round trip, and COMMIT is never reported as done.
            kakaorm::Backend::Postgres => {
                assert_eq!(next.unwrap_err().kind(), ErrorKind::TransactionAborted);
                let err = commit.unwrap_err();
                assert_eq!(err.kind(), ErrorKind::TransactionAborted, "{err}");
                assert!(err.message().contains("unique violation (23505)"), "{err}");
                assert_eq!(stored, 0);
            }
            // MySQL and SQLite undo only the failed statement; the transaction goes on.
            _ => {
                next?;
                commit?;
                assert_eq!(stored, 2);
            }
        }
        Ok(())
    }
}

shared_conformance! {
    async fn a_statement_timeout_is_a_typed_error_and_the_pool_goes_on(db: Db, url: String) -> Result<()> {
        blog_schema(&db).await?;
        let db = Db::builder(&url).max_connections(2).statement_timeout(Duration::from_millis(300)).connect().await?;
        let slow = slow_sql(&db);
        let started = Instant::now();
        let err = db.execute_raw(slow, vec![]).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
        // The statement runs for seconds; the caller hears of it at the deadline.
        assert!(started.elapsed() < Duration::from_secs(4), "timed out after {:?}", started.elapsed());
        user(&db, "After", 1).await?;

        let tx = db.begin().await?;
        user(&tx, "InTx", 2).await?;
        assert_eq!(tx.execute_raw(slow, vec![]).await.unwrap_err().kind(), ErrorKind::Timeout);
        let next = user(&tx, "Next", 3).await.unwrap_err();
        let commit = tx.commit().await.unwrap_err();
        // PostgreSQL and MySQL close the connection (the server rolls back); SQLite keeps
        // it (an in-memory database lives in it), and the transaction refuses to go on.
        let expected = match db.backend() {
            kakaorm::Backend::Sqlite => ErrorKind::TransactionAborted,
            _ => ErrorKind::Connection,
        };
        assert_eq!(next.kind(), expected, "{next}");
        assert_eq!(commit.kind(), expected, "{commit}");
        assert!(!commit.message().contains("unknown"), "nothing was sent, so nothing is ambiguous: {commit}");
        let names: Vec<String> = User::all(&db).await?.into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["After"]);
        Ok(())
    }
}

/// Both orders of a lock cycle between two transactions.
async fn deadlock(backend: Backend) {
    let Some(iso) = isolated(backend).await else { return };
    let db = iso.db.clone();
    let outcome: kakaorm::Result<()> = async {
        blog_schema(&db).await?;
        let a = user(&db, "A", 1).await?;
        let b = user(&db, "B", 2).await?;
        let t1 = db.begin().await?;
        let t2 = db.begin().await?;
        user(&t1, "T1", 10).await?;
        user(&t2, "T2", 20).await?;
        User::filter(User::id.eq(a.id)).update().set(User::age, 11).exec(&t1).await?;
        User::filter(User::id.eq(b.id)).update().set(User::age, 21).exec(&t2).await?;
        // Each now waits for the other's row: the server picks a victim.
        let first = User::filter(User::id.eq(b.id)).update().set(User::age, 12).exec(&t1);
        let second = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            User::filter(User::id.eq(a.id)).update().set(User::age, 22).exec(&t2).await
        };
        let (r1, r2) = tokio::join!(first, second);
        let (victim, winner, winner_name) = match (&r1, &r2) {
            (Err(e), Ok(_)) => (e.kind(), (t2, t1), "T2"),
            (Ok(_), Err(e)) => (e.kind(), (t1, t2), "T1"),
            other => panic!("expected exactly one deadlock victim, got {other:?}"),
        };
        assert_eq!(victim, ErrorKind::Deadlock);
        let (survivor, lost) = winner;
        // The victim's transaction is over on the server: nothing more runs in it, in
        // autocommit or otherwise, and its commit fails.
        let more = user(&lost, "AfterDeadlock", 30).await.unwrap_err();
        assert_eq!(more.kind(), ErrorKind::TransactionAborted, "{more}");
        let err = lost.commit().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TransactionAborted, "{err}");
        survivor.commit().await?;
        let inserted = User::filter(User::name.starts_with("T") | User::name.eq("AfterDeadlock"));
        let names: Vec<String> = inserted.all(&db).await?.into_iter().map(|u| u.name).collect();
        assert_eq!(names, [winner_name], "only the survivor's insert is stored");
        Ok(())
    }
    .await;
    iso.cleanup().await;
    outcome.expect("deadlock");
}

#[tokio::test]
async fn postgres_deadlock_victim_cannot_commit() {
    deadlock(Backend::Postgres).await;
}

#[tokio::test]
async fn mysql_deadlock_victim_cannot_commit() {
    deadlock(Backend::Mysql).await;
}

shared_conformance! {
    async fn a_per_handle_statement_timeout_applies_to_its_statements_only(db: Db, url: String) -> Result<()> {
        blog_schema(&db).await?;
        let db = Db::builder(&url).max_connections(2).connect().await?;
        assert_eq!(db.statement_timeout(), None);
        let quick = db.with_statement_timeout(Some(Duration::from_millis(300)));
        let slow = slow_sql(&db);
        let started = Instant::now();
        let err = quick.execute_raw(slow, vec![]).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
        assert!(started.elapsed() < Duration::from_secs(4), "timed out after {:?}", started.elapsed());
        // A transaction opened through the handle inherits its limit.
        let tx = quick.begin().await?;
        assert_eq!(tx.execute_raw(slow, vec![]).await.unwrap_err().kind(), ErrorKind::Timeout);
        drop(tx);
        // The original handle still has no limit, and both share one pool.
        user(&db, "Plain", 1).await?;
        assert_eq!(User::all(&quick).await?.len(), 1);
        assert_eq!(db.statement_timeout(), None);
        Ok(())
    }
}
