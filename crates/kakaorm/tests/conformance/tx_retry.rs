//! Scoped transactions: commit, rollback on error and panic, retry of serialization
//! failures and deadlocks, isolation levels, read-only transactions, and transactions on
//! a held connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use kakaorm::prelude::*;
use kakaorm::{Error, ErrorKind, IsolationLevel, TransactionOptions};

use crate::harness::{Backend, run};
use crate::models::*;

fn names(users: Vec<User>) -> Vec<String> {
    users.into_iter().map(|u| u.name).collect()
}

conformance! {
    async fn transaction_commits_on_ok_and_rolls_back_on_err(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let ann = db.transaction(|tx| async move { user(&tx, "Ann", 1).await }).await?;
        let err = db
            .transaction(|tx| async move {
                user(&tx, "Bob", 2).await?;
                Err::<(), _>(Error::validation("no thanks"))
            })
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(names(User::all(&db).await?), ["Ann"]);
        assert_eq!(User::find(ann.id, &db).await?.map(|u| u.name).as_deref(), Some("Ann"));
        Ok(())
    }

    async fn retry_that_exhausts_its_attempts_returns_the_last_error(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let attempts = AtomicU32::new(0);
        let opts = TransactionOptions::new().max_attempts(4).backoff(Duration::from_millis(1), Duration::from_millis(4));
        let err = db
            .transaction_with(opts, |tx| {
                let n = attempts.fetch_add(1, Ordering::SeqCst) + 1;
                async move {
                    user(&tx, &format!("Try{n}"), 1).await?;
                    Err::<(), _>(Error::new(ErrorKind::SerializationFailure, format!("attempt {n}")))
                }
            })
            .await
            .unwrap_err();
        assert_eq!(attempts.load(Ordering::SeqCst), 4);
        assert_eq!(err.kind(), ErrorKind::SerializationFailure);
        assert!(err.message().contains("attempt 4"), "{err}");
        assert_eq!(User::count(&db).await?, 0, "every attempt rolled back");
        // Errors a retry cannot cure are returned at once.
        let once = AtomicU32::new(0);
        let err = db
            .transaction(|_tx| {
                once.fetch_add(1, Ordering::SeqCst);
                async { Err::<(), _>(Error::new(ErrorKind::UniqueViolation, "dup")) }
            })
            .await
            .unwrap_err();
        assert_eq!((err.kind(), once.load(Ordering::SeqCst)), (ErrorKind::UniqueViolation, 1));
        Ok(())
    }

    async fn every_isolation_level_begins(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        for level in [IsolationLevel::ReadCommitted, IsolationLevel::RepeatableRead, IsolationLevel::Serializable] {
            let tx = db.begin_with(&TransactionOptions::new().isolation(level)).await?;
            user(&tx, &format!("{level:?}"), 1).await?;
            tx.commit().await?;
        }
        assert_eq!(User::count(&db).await?, 3);
        Ok(())
    }

    async fn read_only_transactions_refuse_writes(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        user(&db, "Ann", 1).await?;
        let opts = TransactionOptions::new().read_only();
        match db.backend() {
            // SQLite has no read-only transactions (only a connection-wide switch).
            kakaorm::Backend::Sqlite => {
                let err = db.begin_with(&opts).await.unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Unsupported, "{err}");
            }
            _ => {
                let tx = db.begin_with(&opts).await?;
                assert_eq!(User::count(&tx).await?, 1);
                let err = user(&tx, "Bob", 2).await.unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Database, "{err}");
                drop(tx);
            }
        }
        assert_eq!(User::count(&db).await?, 1);
        Ok(())
    }

    async fn a_held_connection_begins_transactions_and_gets_its_connection_back(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let conn = db.acquire().await?;
        let tx = conn.begin().await?;
        user(&tx, "Ann", 1).await?;
        let busy = User::count(&conn).await.unwrap_err();
        assert_eq!(busy.kind(), ErrorKind::InvalidInput, "{busy}");
        assert_eq!(conn.begin().await.unwrap_err().kind(), ErrorKind::InvalidInput);
        tx.commit().await?;
        assert_eq!(User::count(&conn).await?, 1);
        // Dropped without commit: rolled back, and the connection is back.
        let tx = conn.begin().await?;
        user(&tx, "Bob", 2).await?;
        drop(tx);
        assert_eq!(names(User::all(&conn).await?), ["Ann"]);
        conn.transaction_with(TransactionOptions::new(), |tx| async move { user(&tx, "Cid", 3).await.map(|_| ()) }).await?;
        drop(conn); // back to the pool (SQLite's in-memory pool has one connection)
        assert_eq!(names(User::query().order_by(User::name).all(&db).await?), ["Ann", "Cid"]);
        Ok(())
    }
}

shared_conformance! {
    async fn a_panic_inside_transaction_rolls_back_and_the_connection_is_reused(db: Db, url: String) -> Result<()> {
        blog_schema(&db).await?;
        let one = Db::builder(&url).max_connections(1).connect().await?;
        let task = {
            let one = one.clone();
            tokio::spawn(async move {
                one.transaction(|tx| async move {
                    user(&tx, "Doomed", 1).await?;
                    if tx.panics() {
                        panic!("boom inside the transaction");
                    }
                    Ok(())
                })
                .await
            })
        };
        let joined = task.await;
        assert!(joined.is_err_and(|e| e.is_panic()), "the panic reaches the caller");
        // The pool's only connection was rolled back and is used again.
        assert_eq!(User::count(&one).await?, 0);
        user(&one, "After", 2).await?;
        assert_eq!(names(User::all(&db).await?), ["After"]);
        Ok(())
    }
}

/// Lets a closure decide at run time to panic, so the code after it is not unreachable.
trait Panics {
    fn panics(&self) -> bool;
}

impl Panics for Tx {
    fn panics(&self) -> bool {
        true
    }
}

/// Two serializable transactions that each read every user and then insert one (write
/// skew): PostgreSQL fails one of them on the first attempt; the retry succeeds.
async fn serialization_failure_is_retried(db: Db) -> kakaorm::Result<()> {
    {
        blog_schema(&db).await?;
        let attempts = Arc::new(AtomicU32::new(0));
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let opts = TransactionOptions::new().isolation(IsolationLevel::Serializable).max_attempts(5);
        let run = |name: &'static str| {
            let (db, attempts, barrier, opts) = (db.clone(), Arc::clone(&attempts), Arc::clone(&barrier), opts.clone());
            tokio::spawn(async move {
                let mut first = true;
                db.transaction_with(opts, |tx| {
                    attempts.fetch_add(1, Ordering::SeqCst);
                    let (wait, barrier) = (std::mem::take(&mut first), Arc::clone(&barrier));
                    async move {
                        let seen = User::count(&tx).await?;
                        if wait {
                            barrier.wait().await; // both have read before either writes
                        }
                        user(&tx, name, i32::try_from(seen).unwrap_or(0)).await
                    }
                })
                .await
            })
        };
        let (a, b) = (run("A"), run("B"));
        let (a, b) = (a.await.expect("task"), b.await.expect("task"));
        a?;
        b?;
        // At least one retry (more when a retry starts before the winner commits).
        assert!(attempts.load(Ordering::SeqCst) >= 3, "a transaction ran again");
        let mut ages: Vec<i32> = User::all(&db).await?.into_iter().map(|u| u.age).collect();
        ages.sort_unstable();
        assert_eq!(ages, [0, 1], "serializable: the one that ran last saw the other's row");
        Ok(())
    }
}

#[tokio::test]
async fn postgres_serialization_failure_is_retried() {
    run(Backend::Postgres, serialization_failure_is_retried).await;
}

/// Two transactions update two rows in opposite orders: the server picks a deadlock
/// victim on the first attempt; the retry succeeds.
async fn deadlock_is_retried(db: Db) -> kakaorm::Result<()> {
    {
        blog_schema(&db).await?;
        let (a, b) = (user(&db, "A", 0).await?.id, user(&db, "B", 0).await?.id);
        let attempts = Arc::new(AtomicU32::new(0));
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let run = |first_id: i64, second_id: i64| {
            let (db, attempts, barrier) = (db.clone(), Arc::clone(&attempts), Arc::clone(&barrier));
            tokio::spawn(async move {
                let mut first = true;
                db.transaction(|tx| {
                    attempts.fetch_add(1, Ordering::SeqCst);
                    let (wait, barrier) = (std::mem::take(&mut first), Arc::clone(&barrier));
                    async move {
                        User::filter(User::id.eq(first_id)).update().set(User::age, 1).exec(&tx).await?;
                        if wait {
                            barrier.wait().await; // both hold their first row
                        }
                        User::filter(User::id.eq(second_id)).update().set(User::age, 2).exec(&tx).await
                    }
                })
                .await
            })
        };
        let (t1, t2) = (run(a, b), run(b, a));
        t1.await.expect("task")?;
        t2.await.expect("task")?;
        assert!(attempts.load(Ordering::SeqCst) >= 3, "the victim ran again");
        assert_eq!(User::filter(User::age.eq(0)).count(&db).await?, 0);
        Ok(())
    }
}

#[tokio::test]
async fn mysql_deadlock_is_retried() {
    run(Backend::Mysql, deadlock_is_retried).await;
}

#[tokio::test]
async fn postgres_deadlock_is_retried() {
    run(Backend::Postgres, deadlock_is_retried).await;
}

/// READ COMMITTED sees a row committed meanwhile; REPEATABLE READ does not.
async fn isolation_levels_differ(db: Db) -> kakaorm::Result<()> {
    {
        blog_schema(&db).await?;
        user(&db, "First", 1).await?;
        for (level, expected) in [(IsolationLevel::ReadCommitted, 2), (IsolationLevel::RepeatableRead, 1)] {
            User::filter(User::name.eq("Second")).delete(&db).await?;
            let tx = db.begin_with(&TransactionOptions::new().isolation(level)).await?;
            assert_eq!(User::count(&tx).await?, 1);
            user(&db, "Second", 2).await?;
            assert_eq!(User::count(&tx).await?, expected, "{level:?}");
            tx.commit().await?;
        }
        Ok(())
    }
}

#[tokio::test]
async fn postgres_isolation_levels_differ() {
    run(Backend::Postgres, isolation_levels_differ).await;
}

#[tokio::test]
async fn mysql_isolation_levels_differ() {
    run(Backend::Mysql, isolation_levels_differ).await;
}
