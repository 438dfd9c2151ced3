//! Transactions: commit, rollback, rollback on drop, and failures inside.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::*;

/// Inserts a user whose email is taken by "Base", which must fail.
async fn insert_duplicate_of_base(e: &impl Executor) {
    let err = User::create().name("Dup").email("base@example.com").exec(e).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UniqueViolation);
}

/// Every user's name, sorted.
async fn sorted_names(db: &Db) -> kakaorm::Result<Vec<String>> {
    let mut names: Vec<String> = User::all(db).await?.into_iter().map(|u| u.name).collect();
    names.sort();
    Ok(names)
}

conformance! {
    async fn commit_persists_and_rollback_discards(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let tx = db.begin().await?;
        user(&tx, "Kept", 1).await?;
        tx.commit().await?;
        let tx = db.begin().await?;
        user(&tx, "Undone", 2).await?;
        assert_eq!(User::count(&tx).await?, 2, "visible inside");
        tx.rollback().await?;
        let names: Vec<String> = User::all(&db).await?.into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["Kept"]);
        Ok(())
    }

    async fn dropping_a_transaction_rolls_back(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        {
            let tx = db.begin().await?;
            user(&tx, "Dropped", 1).await?;
        }
        // The rollback of a dropped transaction finishes before its connection is reused.
        assert_eq!(User::count(&db).await?, 0);
        let tx = db.begin().await?;
        user(&tx, "After", 2).await?;
        tx.commit().await?;
        assert_eq!(User::count(&db).await?, 1);
        Ok(())
    }

    async fn duplicate_key_inside_a_transaction_then_rollback(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        user(&db, "Base", 1).await?;
        let tx = db.begin().await?;
        user(&tx, "Inside", 2).await?;
        insert_duplicate_of_base(&tx).await;
        tx.rollback().await?;
        let names: Vec<String> = User::all(&db).await?.into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["Base"], "database unchanged");
        Ok(())
    }

    async fn savepoints_commit_into_and_roll_back_within_a_transaction(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let mut tx = db.begin().await?;
        user(&tx, "Outer", 1).await?;
        let sp = tx.begin().await?;
        user(&sp, "Undone", 2).await?;
        sp.rollback().await?;
        let mut sp = tx.begin().await?;
        user(&sp, "Released", 3).await?;
        let inner = sp.begin().await?;
        user(&inner, "InnerUndone", 4).await?;
        inner.rollback().await?;
        let inner = sp.begin().await?;
        user(&inner, "InnerKept", 5).await?;
        inner.commit().await?;
        sp.commit().await?;
        assert_eq!(User::count(&tx).await?, 3, "visible inside the transaction");
        tx.commit().await?;
        let names = sorted_names(&db).await?;
        assert_eq!(names, ["InnerKept", "Outer", "Released"]);
        // The enclosing transaction still decides: released work goes with its rollback.
        let mut tx = db.begin().await?;
        let sp = tx.begin().await?;
        user(&sp, "Gone", 6).await?;
        sp.commit().await?;
        tx.rollback().await?;
        assert_eq!(User::count(&db).await?, 3);
        Ok(())
    }

    async fn a_savepoint_recovers_from_a_failed_statement(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        user(&db, "Base", 1).await?;
        let mut tx = db.begin().await?;
        user(&tx, "Before", 2).await?;
        let sp = tx.begin().await?;
        insert_duplicate_of_base(&sp).await;
        sp.rollback().await?;
        // PostgreSQL refuses every statement after a failure unless a savepoint rolled it back.
        user(&tx, "After", 3).await?;
        tx.commit().await?;
        let names = sorted_names(&db).await?;
        assert_eq!(names, ["After", "Base", "Before"]);
        Ok(())
    }

    async fn a_dropped_savepoint_is_rolled_back_before_the_next_statement(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let mut tx = db.begin().await?;
        user(&tx, "Kept", 1).await?;
        {
            let mut sp = tx.begin().await?;
            user(&sp, "Dropped", 2).await?;
            let inner = sp.begin().await?;
            user(&inner, "DroppedToo", 3).await?;
        }
        assert_eq!(User::count(&tx).await?, 1, "both savepoints undone");
        {
            let sp = tx.begin().await?;
            user(&sp, "LastDropped", 4).await?;
        }
        // Commit undoes a savepoint dropped just before it, too.
        tx.commit().await?;
        let names: Vec<String> = User::all(&db).await?.into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["Kept"]);
        Ok(())
    }
}
