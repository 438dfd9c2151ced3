//! Upsert: insert, or update or keep the row whose unique key is taken, for one row and
//! many, returning the stored rows on every backend.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::*;

fn person(name: &str, email: &str, age: i32) -> UserCreate {
    User::create().name(name).email(email).age(age)
}

conformance! {
    async fn upsert_one_row_inserts_then_updates_the_chosen_columns(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let first = User::upsert(person("Ann", "ann@x.org", 30)).on_conflict(User::email).update(User::name).exec(&db).await?;
        assert_eq!((first.name.as_str(), first.age), ("Ann", 30));
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let second = User::upsert(person("Anne", "ann@x.org", 99)).on_conflict(User::email).update(User::name).exec(&db).await?;
        assert_eq!(second.id, first.id, "the existing row is updated");
        assert_eq!(second.name, "Anne");
        assert_eq!(second.age, 30, "columns not named keep their value");
        assert_eq!(second.created_at, first.created_at, "auto_now_add is kept");
        assert!(second.updated_at > first.updated_at, "auto_now is refreshed");
        assert_eq!(User::count(&db).await?, 1);
        assert_eq!(User::find(first.id, &db).await?, Some(second));
        Ok(())
    }

    async fn upsert_do_nothing_keeps_and_returns_the_existing_row(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let ann = user(&db, "Ann", 30).await?;
        let kept = User::upsert(person("Other", "ann@example.com", 1)).on_conflict(User::email).do_nothing().exec(&db).await?;
        assert_eq!(kept, ann);
        let new = User::upsert(person("Bob", "bob@example.com", 2)).on_conflict(User::email).do_nothing().exec(&db).await?;
        assert_eq!((new.name.as_str(), new.age), ("Bob", 2));
        assert_eq!(User::count(&db).await?, 2);
        Ok(())
    }

    async fn upsert_many_on_a_composite_unique_key(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        user(&db, "Ann", 30).await?;
        user(&db, "Bob", 40).await?;
        let rows = vec![person("Ann", "ann@example.com", 31), person("Cid", "cid@example.com", 50), person("Bob", "bob@example.com", 41)];
        let mut stored = User::upsert_many(rows).on_conflict((User::email, User::name)).update(User::age).exec(&db).await?;
        stored.sort_by(|a, b| a.name.cmp(&b.name));
        let got: Vec<(&str, i32)> = stored.iter().map(|u| (u.name.as_str(), u.age)).collect();
        assert_eq!(got, [("Ann", 31), ("Bob", 41), ("Cid", 50)]);
        assert_eq!(User::count(&db).await?, 3);
        let all: Vec<i32> = User::query().order_by(User::name).all(&db).await?.into_iter().map(|u| u.age).collect();
        assert_eq!(all, [31, 41, 50]);
        // update_all writes every proposed column but the target and the key.
        let again = User::upsert(person("Cid", "cid@example.com", 7)).on_conflict((User::name, User::email)).update_all().exec(&db).await?;
        assert_eq!(again.age, 7);
        Ok(())
    }

    async fn upsert_many_spans_several_statements_all_or_nothing(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let n = 14_000;
        let rows = (0..n).map(|i| person(&format!("u{i}"), &format!("u{i}@x.org"), 1));
        let stored = User::upsert_many(rows).on_conflict(User::email).update(User::age).exec(&db).await?;
        assert_eq!(stored.len(), n);
        let rows = (0..n).map(|i| person(&format!("u{i}"), &format!("u{i}@x.org"), 2));
        let stored = User::upsert_many(rows).on_conflict(User::email).update(User::age).exec(&db).await?;
        assert!(stored.iter().all(|u| u.age == 2));
        assert_eq!(User::filter(User::age.eq(2)).count(&db).await?, n as i64);
        // A row over max_length anywhere: nothing is written.
        let mut rows: Vec<_> = (0..n).map(|i| person(&format!("u{i}"), &format!("u{i}@x.org"), 3)).collect();
        rows.push(person(&"x".repeat(51), "long@x.org", 3));
        let err = User::upsert_many(rows).on_conflict(User::email).update(User::age).exec(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(User::filter(User::age.eq(3)).count(&db).await?, 0);
        Ok(())
    }

    async fn upsert_refuses_a_target_that_is_not_unique(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let not_unique = User::upsert(person("Ann", "a@x.org", 1)).on_conflict(User::age).do_nothing().exec(&db).await.unwrap_err();
        assert_eq!(not_unique.kind(), ErrorKind::InvalidInput, "{not_unique}");
        assert!(not_unique.message().contains("User: the upsert target (age)"), "{not_unique}");
        let null = User::upsert(User::create().name("Ann")).on_conflict(User::email).do_nothing().exec(&db).await.unwrap_err();
        assert_eq!(null.kind(), ErrorKind::InvalidInput, "{null}");
        assert!(null.message().contains("`email` to NULL"), "{null}");
        let unset = User::upsert(person("Ann", "a@x.org", 1)).on_conflict(User::id).do_nothing().exec(&db).await.unwrap_err();
        assert_eq!(unset.kind(), ErrorKind::InvalidInput, "{unset}");
        assert_eq!(User::count(&db).await?, 0);
        Ok(())
    }

    async fn upsert_runs_inside_a_transaction(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let tx = db.begin().await?;
        User::upsert(person("Ann", "a@x.org", 1)).on_conflict(User::email).do_nothing().exec(&tx).await?;
        let rows = [person("Ann", "a@x.org", 2), person("Bob", "b@x.org", 2)];
        let stored = User::upsert_many(rows).on_conflict(User::email).update(User::age).exec(&tx).await?;
        assert_eq!(stored.len(), 2);
        tx.rollback().await?;
        assert_eq!(User::count(&db).await?, 0);
        Ok(())
    }
}
