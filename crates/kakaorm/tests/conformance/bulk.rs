//! Bulk create: chunked multi-row inserts, all or nothing.

use std::time::Duration;

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
        assert_eq!(User::bulk_create(users(MANY), &db).await?, MANY as u64);
        assert_eq!(User::count(&db).await?, MANY as i64);
        let last = User::get(User::name.eq(format!("u{}", MANY - 1)), &db).await?;
        assert_eq!(last.age, ((MANY - 1) % 90) as i32);
        assert!(last.created_at <= Utc::now());
        let defaults = User::bulk_create([User::create().name("d")], &db).await?;
        assert_eq!(defaults, 1);
        assert_eq!(User::get(User::name.eq("d"), &db).await?.age, 0, "defaults apply");
        assert_eq!(User::bulk_create(Vec::<UserCreate>::new(), &db).await?, 0);
        Ok(())
    }

    async fn bulk_create_is_all_or_nothing(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let mut rows = users(MANY);
        rows.push(User::create().name("dup").email("u0@x.org"));
        let err = User::bulk_create(rows, &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation, "{err}");
        assert_eq!(User::count(&db).await?, 0, "earlier chunks rolled back");
        let mut bad = users(10);
        bad.push(User::create().name("x".repeat(51)));
        assert_eq!(User::bulk_create(bad, &db).await.unwrap_err().kind(), ErrorKind::Validation);
        assert_eq!(User::count(&db).await?, 0, "validated before writing");
        let tx = db.begin().await?;
        assert_eq!(User::bulk_create(users(MANY), &tx).await?, MANY as u64);
        tx.rollback().await?;
        assert_eq!(User::count(&db).await?, 0, "the caller's transaction decides");
        let mixed = vec![User::create().id(100_000).name("a"), User::create().name("b"), User::create().id(100_002).name("c")];
        assert_eq!(User::bulk_create(mixed, &db).await?, 3);
        assert_eq!(User::find(100_002, &db).await?.map(|u| u.name), Some("c".into()));
        Ok(())
    }

    async fn bulk_create_checks_every_value_before_writing(db: Db) -> Result<()> {
        db.create_table::<NullableTypes>().await?;
        // Enough rows for several statements where rows go in VALUES lists.
        let mut rows: Vec<_> = (0..MANY * 3).map(|i| NullableTypes::create().double(i as f64).text("ok")).collect();
        rows.push(NullableTypes::create().double(f64::NAN));
        let tx = db.begin().await?;
        let res = NullableTypes::bulk_create(rows, &tx).await;
        if db.backend() == kakaorm::Backend::Postgres {
            assert_eq!(res?, MANY as u64 * 3 + 1);
        } else {
            assert_eq!(res.unwrap_err().kind(), ErrorKind::InvalidInput);
            assert_eq!(NullableTypes::count(&tx).await?, 0, "no statement ran in the caller's transaction");
        }
        tx.rollback().await?;
        Ok(())
    }

    async fn bulk_create_keeps_row_order_across_column_lists(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        // An explicit key changes the column list twice, inside long runs of generated keys
        // (after it, MySQL and SQLite go on counting from it; PostgreSQL does not).
        let mut rows = users(3_000);
        rows.push(User::create().id(900_000).name("explicit").email("explicit@x.org"));
        rows.extend((0..3_000).map(|i| User::create().name(format!("v{i}")).email(format!("v{i}@x.org"))));
        assert_eq!(User::bulk_create(rows, &db).await?, 6_001);
        assert_eq!(User::find(900_000, &db).await?.and_then(|u| u.email).as_deref(), Some("explicit@x.org"));
        let names: Vec<String> =
            User::filter(User::name.ne("explicit")).order_by(User::id.asc()).select(User::name).all(&db).await?;
        assert_eq!(names.len(), 6_000);
        assert_eq!((names[0].as_str(), names[2_999].as_str()), ("u0", "u2999"));
        assert_eq!((names[3_000].as_str(), names[5_999].as_str()), ("v0", "v2999"));
        Ok(())
    }

    async fn bulk_create_stops_at_the_first_failing_statement(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        // The duplicate sits in the first statement; later ones must not run.
        let mut rows = vec![User::create().name("a").email("same@x.org"), User::create().name("b").email("same@x.org")];
        rows.extend(users(MANY));
        let err = User::bulk_create(rows, &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation, "{err}");
        assert_eq!(User::count(&db).await?, 0);
        assert_eq!(User::bulk_create(users(3), &db).await?, 3, "the connection is usable afterwards");
        Ok(())
    }

    async fn cancelled_bulk_inserts_are_all_or_nothing(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        for i in 0..10u64 {
            db.execute_raw("DELETE FROM users", vec![]).await?;
            // Cancelled before, during or after its statements (several on MySQL and SQLite).
            let bulk = User::bulk_create(users(MANY), &db);
            let _ = tokio::time::timeout(Duration::from_micros(1 + 1_500 * i), bulk).await;
            let n = User::count(&db).await?;
            assert!(n == 0 || n == MANY as i64, "cancelled after {} µs: {n} rows", 1 + 1_500 * i);
        }
        // The last call may have finished: start from an empty table.
        db.execute_raw("DELETE FROM users", vec![]).await?;
        assert_eq!(User::bulk_create(users(3), &db).await?, 3, "the pool still serves");
        Ok(())
    }
}
