//! The validation locale of a database handle: two pools (or two handles on one pool)
//! with different locales report the same failures, at the same time, each in its own
//! language, through every write that validates; custom messages pass through unchanged.

use kakaorm::prelude::*;
use kakaorm::validate::Locale;
use kakaorm::{Error, ErrorKind};
use serde_json::json;

#[derive(Model, Debug, Clone)]
#[kakaorm(table = "loc_members")]
pub struct LocMember {
    pub id: i64,
    #[kakaorm(unique, min_length = 3, max_length = 20)]
    pub name: String,
    #[kakaorm(min_value = 18)]
    pub age: i32,
    #[kakaorm(validate_with = not_root)]
    pub nick: String,
}

fn not_root(nick: &String) -> Result<(), String> {
    if nick == "root" { Err("nick `root` is reserved / 予約済み".into()) } else { Ok(()) }
}

fn bad() -> LocMemberCreate {
    LocMember::create().name("al").age(7).nick("root")
}

const EN: [&str; 3] = ["name must be at least 3 characters long", "age must be at least 18", CUSTOM];
const JA: [&str; 3] = ["nameは3文字以上で入力してください", "ageは18以上にしてください", CUSTOM];
const CUSTOM: &str = "nick `root` is reserved / 予約済み";

/// The messages of a validation error, in order.
fn messages(err: &Error) -> Vec<String> {
    assert_eq!(err.kind(), ErrorKind::Validation, "{err}");
    let failures = err.validation_errors().unwrap_or_else(|| panic!("no structured failures in {err:?}"));
    failures.iter().map(|f| f.message.clone()).collect()
}

/// Every write that validates, through `db`: each fails with the same three failures.
async fn every_write_fails<E: Executor>(db: &E, stored: &LocMember) -> Vec<Error> {
    let mut changed = stored.clone();
    changed.name = "al".into();
    changed.age = 7;
    changed.nick = "root".into();
    let mut errors = vec![bad().exec(db).await.unwrap_err()];
    errors.push(changed.clone().save(db).await.unwrap_err());
    errors.push(LocMember::bulk_create([bad()], db).await.unwrap_err());
    errors.push(
        LocMember::bulk_update(&mut [changed], (LocMember::name, LocMember::age, LocMember::nick), db)
            .await
            .unwrap_err(),
    );
    errors.push(LocMember::get_or_create(LocMember::name.eq("al"), bad(), db).await.unwrap_err());
    errors.push(LocMember::update_or_create(LocMember::name.eq(stored.name.clone()), bad(), db).await.unwrap_err());
    errors
        .push(LocMember::upsert(bad()).on_conflict(LocMember::name).update(LocMember::age).exec(db).await.unwrap_err());
    errors
}

fn assert_all_in(errors: &[Error], expected: [&str; 3], what: &str) {
    assert_eq!(errors.len(), 7, "{what}");
    for (i, err) in errors.iter().enumerate() {
        // Bulk writes mark each failure with its row (0); the messages are the same.
        let rows: Vec<_> = err.validation_errors().map(|v| v.iter().map(|f| f.row).collect()).unwrap_or_default();
        assert!(rows.iter().all(|r| r.is_none() || *r == Some(0)), "{what} write {i}: {rows:?}");
        assert_eq!(messages(err), expected, "{what} write {i}: {err}");
    }
}

shared_conformance! {
    /// Two pools on one database, one Japanese and one English, validating the same bad
    /// rows and models concurrently: each error is in its pool's language.
    async fn two_pools_report_the_same_failures_each_in_its_own_locale(db: Db, url: String) -> Result<()> {
        db.create_table::<LocMember>().await?;
        let stored = LocMember::create().name("alice").age(30).nick("al").exec(&db).await?;
        let ja = Db::builder(&url).max_connections(2).locale("ja-JP").connect().await?;
        let en = Db::builder(&url).max_connections(2).locale(Locale::En).connect().await?;
        assert_eq!((ja.locale(), en.locale(), db.locale()), (Locale::Ja, Locale::En, Locale::En));
        let mut tasks = Vec::new();
        for i in 0..6 {
            let (pool, stored) = (if i % 2 == 0 { ja.clone() } else { en.clone() }, stored.clone());
            tasks.push(tokio::spawn(async move { (i, every_write_fails(&pool, &stored).await) }));
        }
        for task in tasks {
            let (i, errors) = task.await.expect("task");
            match i % 2 {
                0 => assert_all_in(&errors, JA, "ja pool"),
                _ => assert_all_in(&errors, EN, "en pool"),
            }
        }
        // The default pool writes in the program's locale (English unless set).
        assert_all_in(&every_write_fails(&db, &stored).await, EN, "default pool");
        assert_eq!(LocMember::count(&db).await?, 1, "nothing was written");
        assert_eq!(LocMember::get(LocMember::id.eq(stored.id), &db).await?.age, 30);
        ja.close().await;
        en.close().await;
        Ok(())
    }
}

conformance! {
    /// A handle with its own locale on the same pool, and the transactions and held
    /// connections of a Japanese pool, validate in Japanese; the error serializes with
    /// its Japanese messages.
    async fn transactions_connections_and_handles_keep_their_pools_locale(db: Db) -> Result<()> {
        db.create_table::<LocMember>().await?;
        let stored = LocMember::create().name("alice").age(30).nick("al").exec(&db).await?;
        let ja = db.with_locale(Locale::Ja);
        assert_eq!((ja.locale(), db.locale()), (Locale::Ja, Locale::En));
        let (a, b) = tokio::join!(every_write_fails(&ja, &stored), every_write_fails(&db, &stored));
        assert_all_in(&a, JA, "ja handle");
        assert_all_in(&b, EN, "en handle");

        let mut tx = ja.begin().await?;
        assert_all_in(&every_write_fails(&tx, &stored).await, JA, "ja transaction");
        let sp = tx.begin().await?;
        assert_all_in(&every_write_fails(&sp, &stored).await, JA, "ja savepoint");
        sp.rollback().await?;
        tx.rollback().await?;
        let conn = ja.acquire().await?;
        assert_all_in(&every_write_fails(&conn, &stored).await, JA, "ja connection");
        let in_tx = conn.begin().await?;
        assert_all_in(&every_write_fails(&in_tx, &stored).await, JA, "ja connection's transaction");
        in_tx.rollback().await?;
        drop(conn);
        let err = ja.transaction(|tx| async move { bad().exec(&tx).await }).await.unwrap_err();
        assert_eq!(messages(&err), JA);

        assert_eq!(
            err.to_string(),
            "validation failed: `LocMember`: nameは3文字以上で入力してください; ageは18以上にしてください; \
             nick `root` is reserved / 予約済み"
        );
        let json = serde_json::to_value(err.validation_errors().expect("failures")).expect("json");
        assert_eq!(
            json,
            json!({"model": "LocMember", "errors": [
                {"field": "name", "rule": "min_length", "message": "nameは3文字以上で入力してください", "value": "al", "min": 3},
                {"field": "age", "rule": "min_value", "message": "ageは18以上にしてください", "value": 7, "min": 18},
                {"field": "nick", "rule": "not_root", "message": "nick `root` is reserved / 予約済み", "value": "root"},
            ]})
        );
        assert_eq!(LocMember::count(&db).await?, 1, "nothing was written");
        Ok(())
    }
}

/// Without a database: `validate` is in the program's locale, `validate_in` in the one
/// given; an unsupported locale fails the builder's `connect` with a Config error.
#[tokio::test]
async fn validation_without_a_database_and_unsupported_locales() {
    let mut m = LocMember { id: 1, name: "al".into(), age: 7, nick: "root".into() };
    assert_eq!(messages(&m.validate().unwrap_err()), EN);
    assert_eq!(messages(&m.validate_in(Locale::Ja).unwrap_err()), JA);
    assert_eq!(messages(&bad().validate_in(Locale::Ja).unwrap_err()), JA);
    m.name = "alice".into();
    assert_eq!(messages(&m.validate_in(Locale::Ja).unwrap_err())[0], JA[1]);
    for tag in ["fr", "", "jp"] {
        let err = Db::builder("sqlite::memory:").locale(tag).connect().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{tag}");
        assert_eq!(
            err.to_string(),
            format!("configuration error: unsupported locale `{tag}`: messages exist in en and ja")
        );
    }
    let err = m.validate_in(Locale::Ja).unwrap_err().localized(Locale::En);
    assert_eq!(messages(&err), ["age must be at least 18", CUSTOM]);
    assert_eq!(err.to_string(), format!("validation failed: `LocMember`: age must be at least 18; {CUSTOM}"));
}
