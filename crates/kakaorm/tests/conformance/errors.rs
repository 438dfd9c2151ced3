//! Constraint violations map to typed errors; bad values are refused before any write.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::*;

conformance! {
    async fn unique_violation(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        user(&db, "Uma", 1).await?;
        let err = User::create().name("Other").email("uma@example.com").exec(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation, "{err}");
        let info = err.db_error().expect("server details");
        assert!(!info.code.is_empty());
        assert!(!info.message.is_empty());
        let composite = User::create().name("Uma").email("uma@example.com").exec(&db).await.unwrap_err();
        assert_eq!(composite.kind(), ErrorKind::UniqueViolation);
        assert_eq!(User::count(&db).await?, 1);
        Ok(())
    }

    async fn foreign_key_violation(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let err = Post::create().user_id(424_242).title("orphan").exec(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ForeignKeyViolation, "{err}");
        assert!(err.db_error().is_some());
        assert_eq!(Post::count(&db).await?, 0);
        Ok(())
    }

    async fn not_null_violation(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        // A builder's missing field never reaches the server (see `validation.rs`); a NULL
        // written by raw SQL does.
        let u = User::create().name("Ann").exec(&db).await?;
        let err = db.execute_raw("UPDATE users SET name = NULL", vec![]).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotNullViolation, "{err}");
        assert_eq!(User::find(u.id, &db).await?.map(|u| u.name).as_deref(), Some("Ann"));
        Ok(())
    }

    async fn check_violation(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let err = User::create().name("Neg").age(-1).exec(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CheckViolation, "{err}");
        let mut ok = user(&db, "Pos", 1).await?;
        ok.age = -5;
        assert_eq!(ok.save(&db).await.unwrap_err().kind(), ErrorKind::CheckViolation);
        assert_eq!(User::get(User::name.eq("Pos"), &db).await?.age, 1);
        Ok(())
    }

    async fn max_length_is_checked_before_any_write(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let long = "x".repeat(51);
        let err = User::create().name(long.as_str()).exec(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(err.to_string(), "validation failed: `User`: name must be at most 50 characters long");
        assert_eq!(User::count(&db).await?, 0);
        let fifty_wide = "é".repeat(50);
        let mut u = User::create().name(fifty_wide.as_str()).exec(&db).await?;
        assert_eq!(u.name.chars().count(), 50, "limit counts characters, not bytes");
        u.name = long.clone();
        assert_eq!(u.save(&db).await.unwrap_err().kind(), ErrorKind::Validation);
        let upd = User::query().update().set(User::name, long.as_str()).exec(&db).await.unwrap_err();
        assert_eq!(upd.kind(), ErrorKind::Validation);
        assert_eq!(User::get(User::id.eq(u.id), &db).await?.name, fifty_wide);
        Ok(())
    }

    async fn decode_error_names_the_column(db: Db) -> Result<()> {
        db.execute_raw("CREATE TABLE probe (id BIGINT PRIMARY KEY, value TEXT NOT NULL)", vec![]).await?;
        db.execute_raw("INSERT INTO probe (id, value) VALUES (1, 'not a number')", vec![]).await?;
        let err = Probe::all(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.to_string().contains("value"), "{err}");
        assert_eq!(db.execute_raw("DELETE FROM probe", vec![]).await?, 1, "table left intact");
        Ok(())
    }

    async fn null_in_a_non_nullable_field_is_a_decode_error(db: Db) -> Result<()> {
        db.execute_raw("CREATE TABLE probe (id BIGINT PRIMARY KEY, value INTEGER)", vec![]).await?;
        db.execute_raw("INSERT INTO probe (id, value) VALUES (1, NULL)", vec![]).await?;
        let err = Probe::all(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.to_string().contains("`value`"), "{err}");
        assert!(err.to_string().to_lowercase().contains("null"), "{err}");
        Ok(())
    }

    async fn null_text_in_a_non_nullable_string_is_a_decode_error(db: Db) -> Result<()> {
        db.execute_raw("CREATE TABLE text_probe (id BIGINT PRIMARY KEY, value TEXT)", vec![]).await?;
        db.execute_raw("INSERT INTO text_probe (id, value) VALUES (1, 'kept'), (2, NULL)", vec![]).await?;
        let first = TextProbe::filter(TextProbe::id.eq(1)).all(&db).await?;
        assert_eq!(first, vec![TextProbe { id: 1, value: "kept".into() }]);
        let err = TextProbe::all(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.to_string().contains("`value`"), "{err}");
        assert!(err.to_string().to_lowercase().contains("null"), "{err}");
        Ok(())
    }

    async fn limits_beyond_i64_are_refused(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let err = User::query().limit(u64::MAX).all(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!(User::query().offset(u64::MAX).count(&db).await.unwrap_err().kind(), ErrorKind::InvalidInput);
        Ok(())
    }
}
