//! Create, fetch, save, delete, refresh, bulk update and delete, truncate.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;
use uuid::Uuid;

use crate::models::*;

conformance! {
    async fn create_returns_stored_model_with_defaults(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let before = Utc::now() - chrono::Duration::seconds(5);
        let alice = User::create().name("Alice").exec(&db).await?;
        assert!(alice.id > 0);
        assert_eq!(alice.name, "Alice");
        assert_eq!(alice.age, 0, "default applied");
        assert_eq!(alice.email, None);
        assert!(alice.created_at > before && alice.created_at <= Utc::now());
        let bob = User::create().name("Bob").age(41).exec(&db).await?;
        assert!(bob.id > alice.id);
        let post = Post::create().user_id(bob.id).title("Hello").exec(&db).await?;
        assert!(post.published, "bool default applied");
        assert_eq!(post.body, None);
        assert_eq!(User::find(bob.id, &db).await?, Some(bob));
        Ok(())
    }

    async fn create_with_explicit_keys(db: Db) -> Result<()> {
        db.create_tables::<(Order, Tag, User)>().await?;
        let o = Order::create().code("A-1").select_(7).exec(&db).await?;
        assert_eq!((o.code.as_str(), o.select_, o.group.as_str()), ("A-1", 7, "none"));
        assert_eq!(Order::find("A-1", &db).await?.map(|o| o.select_), Some(7));
        let id = Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        let t = Tag::create().id(id).label("rust").exec(&db).await?;
        assert_eq!(t.id, id);
        assert_eq!(Tag::get(Tag::id.eq(id), &db).await?.label, "rust");
        let u = User::create().id(1000).name("Explicit").exec(&db).await?;
        assert_eq!(u.id, 1000);
        Ok(())
    }

    async fn get_find_first_last(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        assert!(User::first(&db).await?.is_none());
        assert!(User::last(&db).await?.is_none());
        let a = user(&db, "Ann", 30).await?;
        let b = user(&db, "Ben", 20).await?;
        let c = user(&db, "Cid", 20).await?;
        assert_eq!(User::get(User::name.eq("Ben"), &db).await?.id, b.id);
        let missing = User::get(User::name.eq("Zed"), &db).await.unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::NotFound);
        let many = User::get(User::age.eq(20), &db).await.unwrap_err();
        assert_eq!(many.kind(), ErrorKind::MultipleRows);
        assert_eq!(User::get_or_none(User::name.eq("Zed"), &db).await?, None);
        assert_eq!(User::get_or_none(User::age.eq(20), &db).await.unwrap_err().kind(), ErrorKind::MultipleRows);
        assert_eq!(User::find(a.id, &db).await?.map(|u| u.name), Some("Ann".into()));
        assert_eq!(User::find(99_999, &db).await?, None);
        assert_eq!(User::first(&db).await?.map(|u| u.id), Some(a.id));
        assert_eq!(User::last(&db).await?.map(|u| u.id), Some(c.id));
        let youngest_first = User::query().order_by((User::age.asc(), User::name.desc()));
        assert_eq!(youngest_first.clone().first(&db).await?.map(|u| u.id), Some(c.id));
        assert_eq!(youngest_first.last(&db).await?.map(|u| u.id), Some(a.id));
        Ok(())
    }

    async fn count_exists_order_limit_offset_distinct(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        for (i, name) in ["Eve", "Dan", "Cat", "Bob", "Amy"].into_iter().enumerate() {
            user(&db, name, 20 + (i as i32 % 2)).await?;
        }
        assert_eq!(User::count(&db).await?, 5);
        assert_eq!(User::filter(User::age.eq(21)).count(&db).await?, 2);
        assert!(User::filter(User::name.eq("Amy")).exists(&db).await?);
        assert!(!User::filter(User::name.eq("Zoe")).exists(&db).await?);
        let names = |us: Vec<User>| us.into_iter().map(|u| u.name).collect::<Vec<_>>();
        let sorted = User::query().order_by(User::name).all(&db).await?;
        assert_eq!(names(sorted), ["Amy", "Bob", "Cat", "Dan", "Eve"]);
        let page = User::query().order_by(User::name.desc()).limit(2).offset(1).all(&db).await?;
        assert_eq!(names(page), ["Dan", "Cat"]);
        let tail = User::query().order_by(User::name).offset(3).all(&db).await?;
        assert_eq!(names(tail), ["Dan", "Eve"]);
        let multi = User::query().order_by((User::age.desc(), User::name.asc())).all(&db).await?;
        assert_eq!(names(multi), ["Bob", "Dan", "Amy", "Cat", "Eve"]);
        assert_eq!(User::query().limit(3).count(&db).await?, 3);
        assert_eq!(User::query().offset(4).count(&db).await?, 1);
        assert_eq!(User::query().distinct().count(&db).await?, 5);
        assert_eq!(User::query().distinct().order_by(User::name).limit(1).all(&db).await?.len(), 1);
        assert_eq!(User::query().limit(0).all(&db).await?.len(), 0);
        Ok(())
    }

    async fn save_refreshes_auto_now_and_keeps_auto_now_add(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let mut u = user(&db, "Sam", 10).await?;
        let created = u.created_at;
        let updated = u.updated_at;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        u.age = 11;
        u.name = "Samuel".into();
        u.save(&db).await?;
        assert!(u.updated_at > updated, "auto_now refreshed in the struct");
        let stored = User::find(u.id, &db).await?.expect("row");
        assert_eq!(stored, u, "struct matches the stored row");
        assert_eq!(stored.created_at, created);
        assert_eq!(stored.age, 11);
        Ok(())
    }

    async fn delete_and_refresh(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let u = user(&db, "Del", 1).await?;
        let mut copy = u.clone();
        User::filter(User::id.eq(u.id)).update().set(User::age, 5).exec(&db).await?;
        copy.refresh(&db).await?;
        assert_eq!(copy.age, 5);
        assert_eq!(u.delete(&db).await?, 1);
        assert_eq!(u.delete(&db).await?, 0);
        assert_eq!(copy.refresh(&db).await.unwrap_err().kind(), ErrorKind::NotFound);
        let mut gone = copy.clone();
        gone.age = 9;
        assert_eq!(gone.save(&db).await.unwrap_err().kind(), ErrorKind::NotFound);
        Ok(())
    }

    async fn queryset_update_and_delete_count_rows(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        for (n, a) in [("A", 1), ("B", 2), ("C", 3), ("D", 3)] {
            user(&db, n, a).await?;
        }
        let n = User::filter(User::age.ge(2)).update().set(User::age, 3).exec(&db).await?;
        assert_eq!(n, 3, "rows matched, including ones already at 3");
        assert_eq!(User::filter(User::age.eq(3)).count(&db).await?, 3);
        let n = User::filter(User::name.eq("A")).update().set(User::email, None::<String>).set(User::name, "A2").exec(&db).await?;
        assert_eq!(n, 1);
        assert_eq!(User::get(User::name.eq("A2"), &db).await?.email, None);
        assert_eq!(User::filter(User::age.eq(3)).delete(&db).await?, 3);
        assert_eq!(User::query().delete(&db).await?, 1);
        assert_eq!(User::count(&db).await?, 0);
        assert_eq!(User::query().limit(1).delete(&db).await.unwrap_err().kind(), ErrorKind::InvalidInput);
        Ok(())
    }

    async fn truncate_empties_and_resets_identity(db: Db) -> Result<()> {
        db.create_table::<User>().await?;
        user(&db, "One", 1).await?;
        user(&db, "Two", 2).await?;
        User::truncate(&db).await?;
        assert_eq!(User::count(&db).await?, 0);
        assert_eq!(user(&db, "Again", 3).await?.id, 1);
        Ok(())
    }

    async fn every_executor_kind_runs_the_same_calls(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        user(&db, "Pool", 1).await?;
        {
            let conn = db.acquire().await?;
            user(&conn, "Conn", 2).await?;
            assert_eq!(User::count(&conn).await?, 2);
        }
        let tx = db.begin().await?;
        user(&tx, "Tx", 3).await?;
        assert_eq!(User::filter(User::age.ge(2)).count(&tx).await?, 2);
        tx.commit().await?;
        assert_eq!(User::count(&&db).await?, 3);
        Ok(())
    }

    async fn names_that_collide_with_methods(db: Db) -> Result<()> {
        db.create_table::<Collision>().await?;
        let c = <Collision as Model>::create().filter(3).create("x").count(9).all(true).exec(&db).await?;
        let found = <Collision as ModelExt>::filter(Collision::filter.eq(3) & Collision::count.gt(1)).all(&db).await?;
        assert_eq!(found, vec![c.clone()]);
        assert_eq!(Collision::query().filter(Collision::create.eq("x")).count(&db).await?, 1);
        assert_eq!(<Collision as ModelExt>::count(&db).await?, 1);
        assert!(Collision::query().filter(Collision::all.eq(true)).exists(&db).await?);
        Ok(())
    }

    async fn serde_serialize_gives_a_field_map(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let u = user(&db, "Json", 7).await?;
        let v = serde_json::to_value(&u).expect("serialize");
        assert_eq!(v["name"], "Json");
        assert_eq!(v["age"], 7);
        assert_eq!(v["email"], "json@example.com");
        assert_eq!(v.as_object().map(|m| m.len()), Some(6));
        Ok(())
    }
}
