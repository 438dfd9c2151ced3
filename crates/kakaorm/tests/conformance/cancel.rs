//! Cancelled futures: whatever point an operation is dropped at, `Ok` means stored,
//! nothing half-done is ever committed, and no connection is handed out again with a
//! transaction open. Each test cancels at a spread of points, from before the first
//! statement is sent to after the last one returned.

use std::time::Duration;

use kakaorm::prelude::*;
use kakaorm::{ErrorKind, Executor};

use crate::models::*;

/// The `i`-th deadline of a sweep: from zero (polled once) up to a few milliseconds.
fn deadline(i: u32) -> Duration {
    Duration::from_micros(u64::from(i) * u64::from(i) * 3)
}

/// A pool of one connection on the test's database, so every operation reuses it.
async fn single(url: &str) -> kakaorm::Result<Db> {
    Db::builder(url).max_connections(1).connect().await
}

/// Users named `name`.
async fn count_named(e: &impl Executor, name: &str) -> kakaorm::Result<i64> {
    User::filter(User::name.eq(name)).count(e).await
}

/// Users whose name starts with `prefix`.
async fn count_prefixed(e: &impl Executor, prefix: &str) -> kakaorm::Result<i64> {
    User::filter(User::name.starts_with(prefix)).count(e).await
}

/// `n` user builders that alternate between two column lists (with and without an email),
/// so a bulk insert of them takes one statement per row on every backend.
fn alternating(prefix: &str, n: i32) -> Vec<<User as Model>::Create> {
    (0..n)
        .map(|i| {
            let b = User::create().name(format!("{prefix}{i}")).age(i);
            if i % 2 == 0 { b.email(format!("{prefix}{i}@example.com")) } else { b }
        })
        .collect()
}

/// Whether the transaction went on after a cancelled operation. PostgreSQL and SQLite
/// always go on; on MySQL an exchange cancelled midway leaves the wire state unknown, so the
/// connection is closed (the server rolls back) and the transaction fails with a
/// `Connection` error.
fn goes_on<T>(db: &Db, res: kakaorm::Result<T>) -> kakaorm::Result<bool> {
    match res {
        Ok(_) => Ok(true),
        Err(e) if db.backend() == kakaorm::Backend::Mysql && e.kind() == ErrorKind::Connection => Ok(false),
        Err(e) => Err(e),
    }
}

/// After MySQL closed a transaction's connection: its commit fails and nothing of it is
/// stored.
async fn closed_mid_exchange(db: &Db, tx: Tx) -> kakaorm::Result<()> {
    let err = tx.commit().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
    assert!(err.message().contains("nothing of a transaction on it was committed"), "{err}");
    assert_eq!(User::count(db).await?, 0);
    Ok(())
}

shared_conformance! {
    async fn a_cancelled_begin_never_leaves_a_transaction_open(db: Db, url: String) -> Result<()> {
        blog_schema(&db).await?;
        let one = single(&url).await?;
        for i in 0..40 {
            // Dropped before BEGIN is sent, while it is on the wire, or after it returned.
            let _ = tokio::time::timeout(deadline(i), one.begin()).await;
            user(&one, &format!("U{i}"), i as i32).await?;
        }
        // Every acknowledged autocommit write is visible to another pool, and stays after
        // the first pool closes (a write left inside an open transaction would vanish).
        let other = single(&url).await?;
        assert_eq!(count_prefixed(&other, "U").await?, 40);
        one.close().await;
        assert_eq!(count_prefixed(&other, "U").await?, 40);
        Ok(())
    }

    async fn a_cancelled_commit_either_stored_everything_or_nothing(db: Db, url: String) -> Result<()> {
        blog_schema(&db).await?;
        let one = single(&url).await?;
        let mut acked = Vec::new();
        for i in 0..40 {
            let tx = one.begin().await?;
            user(&tx, &format!("A{i}"), i as i32).await?;
            user(&tx, &format!("B{i}"), i as i32).await?;
            if let Ok(Ok(())) = tokio::time::timeout(deadline(i), tx.commit()).await {
                acked.push(i);
            }
            // The next user of the connection writes in autocommit, never inside a
            // transaction left open by the cancelled commit.
            user(&one, &format!("C{i}"), i as i32).await?;
        }
        one.close().await;
        let other = single(&url).await?;
        assert_eq!(count_prefixed(&other, "C").await?, 40, "autocommit writes after a cancelled commit");
        for i in 0..40 {
            let a = count_named(&other, &format!("A{i}")).await?;
            let b = count_named(&other, &format!("B{i}")).await?;
            assert_eq!(a, b, "transaction {i} stored partially");
            if acked.contains(&i) {
                assert_eq!(a, 1, "acknowledged commit {i} lost");
            }
        }
        Ok(())
    }

    async fn a_cancelled_bulk_create_is_all_or_nothing(db: Db, url: String) -> Result<()> {
        blog_schema(&db).await?;
        let one = single(&url).await?;
        for i in 0..12 {
            let prefix = format!("K{i}_");
            let bulk = User::bulk_create(alternating(&prefix, 40), &one);
            let acked = matches!(tokio::time::timeout(deadline(i * 3), bulk).await, Ok(Ok(40)));
            let stored = count_prefixed(&one, &prefix).await?;
            assert!(stored == 0 || stored == 40, "bulk {i} stored {stored} of 40 rows");
            if acked {
                assert_eq!(stored, 40, "acknowledged bulk {i} lost");
            }
        }
        one.close().await;
        // Nothing was left pending in a transaction of the closed pool.
        let other = single(&url).await?;
        for i in 0..12 {
            let stored = count_prefixed(&other, &format!("K{i}_")).await?;
            assert!(stored == 0 || stored == 40, "bulk {i} stored {stored} of 40 rows");
        }
        Ok(())
    }
}

conformance! {
    async fn a_cancelled_bulk_create_inside_a_transaction_cannot_be_committed_in_part(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        for i in 0..12 {
            let prefix = format!("K{i}_");
            let tx = db.begin().await?;
            user(&tx, &format!("Before{i}"), 1).await?;
            let bulk = User::bulk_create(alternating(&prefix, 40), &tx);
            let bulk_acked = matches!(tokio::time::timeout(deadline(i * 3), bulk).await, Ok(Ok(40)));
            match tx.commit().await {
                Ok(()) => {
                    let stored = count_prefixed(&db, &prefix).await?;
                    assert!(stored == 0 || stored == 40, "commit {i} stored {stored} of 40 bulk rows");
                    if bulk_acked {
                        assert_eq!(stored, 40, "acknowledged bulk {i} lost");
                    }
                }
                Err(e) => {
                    // The bulk stopped midway: the transaction refuses to commit any of it.
                    // On MySQL an exchange cancelled midway also closes the connection.
                    assert!(!bulk_acked, "a finished bulk must not stop the commit: {e}");
                    let closed = db.backend() == kakaorm::Backend::Mysql && e.kind() == ErrorKind::Connection;
                    assert!(e.kind() == ErrorKind::TransactionAborted || closed, "{e}");
                    let said = ["cannot commit", "nothing of a transaction on it was committed"];
                    assert!(said.iter().any(|s| e.message().contains(s)), "{e}");
                    assert_eq!(count_named(&db, &format!("Before{i}")).await?, 0);
                    assert_eq!(count_prefixed(&db, &prefix).await?, 0);
                }
            }
        }
        Ok(())
    }

    async fn a_cancelled_savepoint_commit_keeps_its_work_and_the_transaction_goes_on(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let mut tx = db.begin().await?;
        for i in 0..30 {
            let sp = tx.begin().await?;
            user(&sp, &format!("S{i}"), i).await?;
            let _ = tokio::time::timeout(deadline(i as u32), sp.commit()).await;
            if !goes_on(&db, user(&tx, &format!("T{i}"), i).await)? {
                return closed_mid_exchange(&db, tx).await;
            }
        }
        tx.commit().await?;
        assert_eq!(count_prefixed(&db, "S").await?, 30, "savepoints whose commit was cancelled are kept");
        assert_eq!(count_prefixed(&db, "T").await?, 30);
        Ok(())
    }

    async fn a_cancelled_savepoint_rollback_is_finished_before_the_next_statement(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let mut tx = db.begin().await?;
        for i in 0..30 {
            let sp = tx.begin().await?;
            user(&sp, &format!("S{i}"), i).await?;
            let _ = tokio::time::timeout(deadline(i as u32), sp.rollback()).await;
            if !goes_on(&db, user(&tx, &format!("T{i}"), i).await)? {
                return closed_mid_exchange(&db, tx).await;
            }
        }
        tx.commit().await?;
        assert_eq!(count_prefixed(&db, "S").await?, 0, "savepoints rolled back (or dropped) are undone");
        assert_eq!(count_prefixed(&db, "T").await?, 30);
        Ok(())
    }
}

/// SQLite: a job whose caller has gone is skipped, so a storm of cancelled writes waiting
/// on another connection's lock does not delay the next user by their busy waits.
#[tokio::test]
async fn sqlite_skips_operations_whose_caller_has_gone() {
    let Some(iso) = crate::harness::isolated_shared(crate::harness::Backend::Sqlite).await else { return };
    let url = iso.url.clone();
    let outcome: kakaorm::Result<()> = async {
        blog_schema(&iso.db).await?;
        let holder = single(&url).await?;
        let lock = holder.begin().await?;
        user(&lock, "Holder", 0).await?; // BEGIN IMMEDIATE: the write lock is held
        let one = single(&url).await?;
        for i in 0..20 {
            let name = format!("Cancelled{i}");
            let write = user(&one, &name, i);
            assert!(tokio::time::timeout(Duration::from_millis(2), write).await.is_err(), "write {i} waited");
        }
        lock.rollback().await?;
        // Only a write that had already started may still finish; without skipping, the
        // next one would wait behind 20 busy timeouts of 5 s.
        let next = tokio::time::timeout(Duration::from_secs(8), user(&one, "Next", 1)).await;
        assert!(next.is_ok(), "the next operation waited behind cancelled ones");
        next.map_err(|_| kakaorm::Error::new(ErrorKind::Timeout, "next write"))??;
        let cancelled_stored = count_prefixed(&one, "Cancelled").await?;
        assert!(cancelled_stored <= 1, "{cancelled_stored} cancelled writes ran");
        Ok(())
    }
    .await;
    iso.cleanup().await;
    outcome.expect("sqlite cancellation");
}
