//! Bulk create: chunked multi-row inserts, all or nothing.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::*;

/// More rows than one statement can carry on any backend (5 columns a row).
const MANY: usize = 14_000;

fn users(n: usize) -> Vec<UserCreate> {
    (0..n).map(|i| User::create().name(format!("u{i}")).email(format!("u{i}@x.org")).age((i % 90) as i32)).collect()
}

conformance! {
    async fn bulk_create_inserts_every_row_in_chunks(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        assert_eq!(User::bulk_create(&db, users(MANY)).await?, MANY as u64);
        assert_eq!(User::count(&db).await?, MANY as u64);
        let last = User::get(&db, User::name.eq(format!("u{}", MANY - 1))).await?;
        assert_eq!(last.age, ((MANY - 1) % 90) as i32);
        assert!(last.created_at <= Utc::now());
        let defaults = User::bulk_create(&db, [User::create().name("d")]).await?;
        assert_eq!(defaults, 1);
        assert_eq!(User::get(&db, User::name.eq("d")).await?.age, 0, "defaults apply");
        assert_eq!(User::bulk_create(&db, Vec::<UserCreate>::new()).await?, 0);
        Ok(())
    }

    async fn bulk_create_is_all_or_nothing(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let mut rows = users(MANY);
        rows.push(User::create().name("dup").email("u0@x.org"));
        let err = User::bulk_create(&db, rows).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation, "{err}");
        assert_eq!(User::count(&db).await?, 0, "earlier chunks rolled back");
        let mut bad = users(10);
        bad.push(User::create().name("x".repeat(51)));
        assert_eq!(User::bulk_create(&db, bad).await.unwrap_err().kind(), ErrorKind::Validation);
        assert_eq!(User::count(&db).await?, 0, "validated before writing");
        let tx = db.begin().await?;
        assert_eq!(User::bulk_create(&tx, users(MANY)).await?, MANY as u64);
        tx.rollback().await?;
        assert_eq!(User::count(&db).await?, 0, "the caller's transaction decides");
        let mixed = vec![User::create().id(100_000).name("a"), User::create().name("b"), User::create().id(100_002).name("c")];
        assert_eq!(User::bulk_create(&db, mixed).await?, 3);
        assert_eq!(User::find(&db, 100_002).await?.map(|u| u.name), Some("c".into()));
        Ok(())
    }
}
