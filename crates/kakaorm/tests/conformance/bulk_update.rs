//! bulk_update: chosen fields of many models, one statement per chunk, all or nothing.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::*;

/// More rows than one statement can carry where rows go in VALUES lists.
const MANY: usize = 14_000;

conformance! {
    async fn bulk_update_writes_the_chosen_fields_of_every_model(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let rows = (0..MANY).map(|i| User::create().name(format!("u{i}")).email(format!("u{i}@x.org")).age(1));
        User::bulk_create(rows, &db).await?;
        let mut users = User::query().order_by(User::id).all(&db).await?;
        for (i, u) in users.iter_mut().enumerate() {
            u.age = i32::try_from(i % 90).unwrap_or(0) + 2;
            u.name = format!("renamed{i}");
            u.email = None; // a nullable column to NULL
        }
        assert_eq!(User::bulk_update(&mut users, (User::age, User::email), &db).await?, MANY as u64);
        let stored = User::query().order_by(User::id).all(&db).await?;
        assert!(stored.iter().all(|u| u.email.is_none()));
        assert!(stored.iter().zip(&users).all(|(s, u)| s.age == u.age), "each row got its own value");
        assert!(stored.iter().all(|u| u.name.starts_with('u')), "fields not named are not written");
        assert_eq!(User::bulk_update(&mut [] as &mut [User], User::age, &db).await?, 0);
        Ok(())
    }

    async fn bulk_update_is_all_or_nothing(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let rows = (0..MANY).map(|i| User::create().name(format!("u{i}")).email(format!("u{i}@x.org")));
        User::bulk_create(rows, &db).await?;
        let mut users = User::query().order_by(User::id).all(&db).await?;
        for u in &mut users {
            u.age = 5;
        }
        // The last row breaks the CHECK (age >= 0): earlier chunks are undone.
        if let Some(last) = users.last_mut() {
            last.age = -1;
        }
        let err = User::bulk_update(&mut users, User::age, &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CheckViolation, "{err}");
        assert_eq!(User::filter(User::age.eq(5)).count(&db).await?, 0);
        // Validation happens before anything is written.
        users[0].name = "x".repeat(51);
        let err = User::bulk_update(&mut users, (User::age, User::name), &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        let err = User::bulk_update(&mut users, User::id, &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        // Inside a transaction the caller decides.
        users[0].name = "ok".into();
        if let Some(last) = users.last_mut() {
            last.age = 5;
        }
        let tx = db.begin().await?;
        assert_eq!(User::bulk_update(&mut users, User::age, &tx).await?, MANY as u64);
        tx.rollback().await?;
        assert_eq!(User::filter(User::age.eq(5)).count(&db).await?, 0);
        Ok(())
    }

    async fn bulk_update_handles_every_column_type(db: Db) -> Result<()> {
        db.create_table::<NullableTypes>().await?;
        NullableTypes::bulk_create((0..3).map(|i| NullableTypes::create().int(i).text("t")), &db).await?;
        let mut rows = NullableTypes::query().order_by(NullableTypes::id).all(&db).await?;
        rows[0].text = None;
        rows[1].json = Some(serde_json::json!({"k": [1, 2]}));
        rows[2].stamp_tz = Some(DateTime::from_timestamp(1_700_000_000, 123_000).expect("time"));
        rows[2].money = Some(rust_decimal::Decimal::new(12345, 2));
        let fields = (NullableTypes::text, NullableTypes::json, NullableTypes::stamp_tz, NullableTypes::money);
        NullableTypes::bulk_update(&mut rows, fields, &db).await?;
        let stored = NullableTypes::query().order_by(NullableTypes::id).all(&db).await?;
        assert_eq!(stored, rows);
        Ok(())
    }

    /// `auto_now` fields are refreshed on the models and written, as `save` does.
    async fn bulk_update_refreshes_auto_now(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        User::bulk_create((0..3).map(|i| User::create().name(format!("u{i}"))), &db).await?;
        let mut users = User::query().order_by(User::id).all(&db).await?;
        let old = DateTime::from_timestamp(1_000_000_000, 0).expect("time");
        for u in &mut users {
            u.updated_at = old;
            u.age = 7;
        }
        assert_eq!(User::bulk_update(&mut users, User::age, &db).await?, 3);
        assert!(users.iter().all(|u| u.updated_at != old), "the models got the time written");
        let stored = User::query().order_by(User::id).all(&db).await?;
        assert_eq!(stored, users);
        Ok(())
    }

    /// A batch size splits the rows into statements of at most that many rows.
    async fn bulk_update_with_a_batch_size_sends_a_statement_per_batch(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        User::bulk_create((0..5).map(|i| User::create().name(format!("u{i}"))), &db).await?;
        let mut users = User::query().order_by(User::id).all(&db).await?;
        for u in &mut users {
            u.age = 3;
        }
        let (log, guard) = crate::logs::capture();
        let opts = kakaorm::BulkUpdateOptions::new().batch_size(2);
        let n = User::bulk_update_with(&mut users, User::age, opts, &db).await?;
        let sent = log.take();
        drop(guard);
        assert_eq!(n, 5);
        let updates: Vec<&str> = sent.lines().filter(|l| l.contains("kakaorm::query") && l.contains("sql=UPDATE")).collect();
        if db.backend() == kakaorm::Backend::Sqlite {
            // One statement of 2 rows, logged once, run over the 5 rows (2 + 2, then 1).
            assert_eq!(updates.len(), 1, "{sent}");
            assert_eq!(updates[0].matches("), (").count(), 1, "2 rows per statement: {sent}");
            assert!(updates[0].contains("5 rows"), "{sent}");
        } else {
            assert_eq!(updates.len(), 3, "{sent}");
        }
        assert_eq!(User::filter(User::age.eq(3)).count(&db).await?, 5);
        Ok(())
    }

    /// The count is of rows updated: a model whose row is gone counts for nothing, in any
    /// chunk (here the first of three on SQLite, whose statements take 64 rows).
    async fn bulk_update_counts_only_the_rows_it_found(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        User::bulk_create((0..130).map(|i| User::create().name(format!("u{i}"))), &db).await?;
        let mut users = User::query().order_by(User::id).all(&db).await?;
        User::filter(User::id.eq(users[10].id)).delete(&db).await?;
        for u in &mut users {
            u.age = 9;
        }
        assert_eq!(User::bulk_update(&mut users, User::age, &db).await?, 129);
        assert_eq!(User::filter(User::age.eq(9)).count(&db).await?, 129);
        Ok(())
    }
}
