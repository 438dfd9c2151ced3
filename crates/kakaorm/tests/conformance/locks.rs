//! Row locks: FOR UPDATE / FOR SHARE with SKIP LOCKED and NOWAIT, and a job queue.

use std::collections::BTreeSet;

use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "jobs")]
pub struct Job {
    pub id: i64,
    pub done: bool,
    pub worker: Option<i32>,
}

const JOBS: usize = 40;
const WORKERS: i32 = 8;

async fn jobs(db: &Db, n: usize) -> kakaorm::Result<()> {
    db.create_table::<Job>().await?;
    for _ in 0..n {
        Job::create().done(false).exec(db).await?;
    }
    Ok(())
}

/// One worker: takes the first free job with SKIP LOCKED, holds it a moment, marks it
/// done. Returns the ids it took.
async fn worker(db: Db, me: i32) -> kakaorm::Result<Vec<i64>> {
    let mut taken = Vec::new();
    loop {
        let tx = db.begin().await?;
        let Some(mut job) = Job::filter(Job::done.eq(false)).order_by(Job::id).skip_locked().first(&tx).await? else {
            tx.commit().await?;
            return Ok(taken);
        };
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        job.done = true;
        job.worker = Some(me);
        job.save(&tx).await?;
        tx.commit().await?;
        taken.push(job.id);
    }
}

shared_conformance! {
    async fn skip_locked_workers_never_take_the_same_job(db: Db, url: String) -> Result<()> {
        jobs(&db, JOBS).await?;
        if db.backend() == Backend::Sqlite {
            let err = Job::query().skip_locked().all(&db).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Unsupported);
            assert!(err.to_string().contains("no row locks"), "{err}");
            return Ok(());
        }
        let pool = Db::builder(&url).max_connections(8).connect().await?;
        let handles: Vec<_> = (0..WORKERS).map(|me| tokio::spawn(worker(pool.clone(), me))).collect();
        let mut all = Vec::new();
        let mut busy = 0;
        for h in handles {
            let taken = h.await.expect("worker task")?;
            busy += usize::from(!taken.is_empty());
            all.extend(taken);
        }
        let distinct: BTreeSet<i64> = all.iter().copied().collect();
        assert_eq!(all.len(), JOBS, "every job taken exactly once: {all:?}");
        assert_eq!(distinct.len(), JOBS, "no job taken twice");
        assert!(busy > 1, "the workers ran side by side");
        let stored = Job::filter(Job::done.eq(true)).all(&db).await?;
        assert_eq!(stored.len(), JOBS);
        for job in stored {
            assert!(job.worker.is_some());
        }
        pool.close().await;
        Ok(())
    }
}

conformance! {
    async fn locked_rows_are_skipped_or_refused(db: Db) -> Result<()> {
        jobs(&db, 3).await?;
        let backend = db.backend();
        let holder = db.begin().await?;
        let held = Job::filter(Job::id.eq(1)).for_update().all(&holder).await;
        if backend == Backend::Sqlite {
            assert_eq!(held.unwrap_err().kind(), ErrorKind::Unsupported);
            for q in [Job::query().for_share(), Job::query().nowait(), Job::query().for_share().skip_locked()] {
                assert_eq!(q.all(&db).await.unwrap_err().kind(), ErrorKind::Unsupported);
            }
            return Ok(());
        }
        assert_eq!(held?.len(), 1);
        let other = db.begin().await?;
        let free: Vec<i64> = Job::query().order_by(Job::id).skip_locked().all(&other).await?.iter().map(|j| j.id).collect();
        assert_eq!(free, [2, 3], "the locked row is skipped");
        let shared: Vec<i64> =
            Job::query().order_by(Job::id).for_share().skip_locked().all(&other).await?.iter().map(|j| j.id).collect();
        assert_eq!(shared, [2, 3], "a share lock skips it too");
        other.rollback().await?;
        let other = db.begin().await?;
        let refused = Job::filter(Job::id.eq(1)).nowait().all(&other).await.unwrap_err();
        let expected = match backend {
            Backend::Mysql => ErrorKind::SerializationFailure,
            _ => ErrorKind::Database,
        };
        assert_eq!(refused.kind(), expected, "{refused}");
        other.rollback().await?;
        holder.rollback().await?;
        let after = db.begin().await?;
        assert_eq!(Job::filter(Job::id.eq(1)).nowait().all(&after).await?.len(), 1, "free once the holder ends");
        after.commit().await?;
        Ok(())
    }
}
