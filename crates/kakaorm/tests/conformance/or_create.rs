//! get_or_create and update_or_create, including 32 callers racing on one lookup.

use std::sync::Arc;

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::*;

/// Runs `n` calls of `op` at once (released together by a barrier) on a pool of 16.
async fn race<F, Fut>(url: &str, n: usize, op: F) -> kakaorm::Result<Vec<(User, bool)>>
where
    F: Fn(Db, usize) -> Fut,
    Fut: std::future::Future<Output = kakaorm::Result<(User, bool)>> + Send + 'static,
{
    let db = Db::builder(url).max_connections(16).connect().await?;
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (barrier, call) = (Arc::clone(&barrier), op(db.clone(), i));
            tokio::spawn(async move {
                barrier.wait().await;
                call.await
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task")?);
    }
    db.close().await;
    Ok(out)
}

fn one_created(results: &[(User, bool)]) -> i64 {
    assert_eq!(results.iter().filter(|(_, created)| *created).count(), 1, "exactly one caller creates");
    let id = results[0].0.id;
    assert!(results.iter().all(|(u, _)| u.id == id), "every caller gets the same row");
    id
}

shared_conformance! {
    async fn get_or_create_racing_callers_create_exactly_one_row(db: Db, url: String) -> Result<()> {
        blog_schema(&db).await?;
        let results = race(&url, 32, |db, i| async move {
            let create = User::create().name(format!("racer{i}")).email("race@x.org");
            User::get_or_create(User::email.eq("race@x.org"), create, &db).await
        })
        .await?;
        one_created(&results);
        assert_eq!(User::count(&db).await?, 1);
        Ok(())
    }

    async fn update_or_create_racing_callers_create_exactly_one_row(db: Db, url: String) -> Result<()> {
        blog_schema(&db).await?;
        let results = race(&url, 32, |db, i| async move {
            let defaults = User::create().name("racer").email("race@x.org").age(i32::try_from(i).unwrap_or(0));
            User::update_or_create(User::email.eq("race@x.org"), defaults, &db).await
        })
        .await?;
        let id = one_created(&results);
        assert_eq!(User::count(&db).await?, 1);
        let stored = User::find(id, &db).await?.expect("row");
        assert!((0..32).contains(&stored.age), "one of the callers' ages is stored");
        Ok(())
    }
}

conformance! {
    async fn get_or_create_reads_an_existing_row_and_creates_a_missing_one(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let ann = user(&db, "Ann", 30).await?;
        let (found, created) =
            User::get_or_create(User::email.eq("ann@example.com"), User::create().name("X").email("ann@example.com"), &db).await?;
        assert_eq!((found, created), (ann.clone(), false));
        let (bob, created) =
            User::get_or_create(User::email.eq("bob@x.org"), User::create().name("Bob").email("bob@x.org").age(5), &db).await?;
        assert!(created);
        assert_eq!((bob.name.as_str(), bob.age), ("Bob", 5));
        assert_eq!(User::count(&db).await?, 2);
        // Several matches are an error, not a pick.
        user(&db, "Cid", 30).await?;
        let err = User::get_or_create(User::age.eq(30), User::create().name("Y"), &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MultipleRows);
        Ok(())
    }

    async fn get_or_create_in_a_transaction_leaves_it_usable_after_a_conflict(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        user(&db, "Ann", 30).await?;
        let tx = db.begin().await?;
        let (bob, created) = User::get_or_create(User::name.eq("Bob"), User::create().name("Bob").email("bob@x.org"), &tx).await?;
        assert!(created);
        // The lookup finds nothing, but the insert collides on another unique column: the
        // violation is returned, and the savepoint keeps the transaction going (PostgreSQL
        // would otherwise refuse every later statement).
        let clash = User::create().name("Other").email("ann@example.com");
        let err = User::get_or_create(User::name.eq("Other"), clash, &tx).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation, "{err}");
        user(&tx, "Cid", 3).await?;
        tx.commit().await?;
        let names: Vec<String> = User::query().order_by(User::name).all(&db).await?.into_iter().map(|u| u.name).collect();
        assert_eq!(names, ["Ann", "Bob", "Cid"]);
        assert!(User::find(bob.id, &db).await?.is_some());
        Ok(())
    }

    async fn update_or_create_writes_only_the_fields_set(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let ann = user(&db, "Ann", 30).await?;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let (updated, created) =
            User::update_or_create(User::email.eq("ann@example.com"), User::create().name("Anne"), &db).await?;
        assert!(!created);
        assert_eq!((updated.id, updated.name.as_str(), updated.age), (ann.id, "Anne", 30), "age was not set: kept");
        assert_eq!(updated.email.as_deref(), Some("ann@example.com"));
        assert_eq!(updated.created_at, ann.created_at);
        assert!(updated.updated_at > ann.updated_at, "auto_now refreshed");
        let (new, created) =
            User::update_or_create(User::email.eq("new@x.org"), User::create().name("New").email("new@x.org"), &db).await?;
        assert!(created);
        assert_eq!(new.age, 0, "defaults apply to a new row");
        let err = User::update_or_create(User::email.eq("ann@example.com"), User::create().name("x".repeat(51)), &db)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(User::find(ann.id, &db).await?.map(|u| u.name).as_deref(), Some("Anne"));
        Ok(())
    }
}
