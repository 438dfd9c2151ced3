//! Transactions: commit, rollback, rollback on drop, and failures inside.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::*;

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
        let err = User::create().name("Dup").email("base@example.com").exec(&tx).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation);
        tx.rollback().await?;
        let names: Vec<String> = User::all(&db).await?.into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["Base"], "database unchanged");
        Ok(())
    }
}
