//! Joins of three and four models, ON conditions of any shape, self-joins through
//! aliases and aggregates over joined models.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::*;

/// Staff and their managers, from one table.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "jm_staff")]
pub struct Staff {
    pub id: i64,
    #[kakaorm(max_length = 20)]
    pub name: String,
    pub manager_id: Option<i64>,
    pub salary: i32,
}

/// Ann wrote a1 and a2, Ben b1, Cy nothing. a1 is reviewed by Ben (5) and Cy (3), b1 by
/// Ann (4), a2 by nobody known (2).
async fn blog(db: &Db) -> kakaorm::Result<[User; 3]> {
    blog_schema(db).await?;
    let ann = user(db, "Ann", 30).await?;
    let ben = user(db, "Ben", 40).await?;
    let cy = user(db, "Cy", 50).await?;
    let mut posts = Vec::new();
    for (who, title) in [(&ann, "a1"), (&ann, "a2"), (&ben, "b1")] {
        posts.push(Post::create().user_id(who.id).title(title).exec(db).await?);
    }
    let reviews = [(Some(ben.id), 0, 5), (Some(cy.id), 0, 3), (Some(ann.id), 2, 4), (None, 1, 2)];
    for (reviewer, post, stars) in reviews {
        Review::create().reviewer_id(reviewer).post_id(posts[post].id).stars(stars).exec(db).await?;
    }
    Ok([ann, ben, cy])
}

/// Boss manages Mia, who manages Ned.
async fn staff(db: &Db) -> kakaorm::Result<()> {
    db.create_table::<Staff>().await?;
    let boss = Staff::create().name("Boss").salary(300).exec(db).await?;
    let mia = Staff::create().name("Mia").manager_id(boss.id).salary(200).exec(db).await?;
    Staff::create().name("Ned").manager_id(mia.id).salary(100).exec(db).await?;
    Ok(())
}

conformance! {
    async fn three_models_inner_join_decodes_each_model(db: Db) -> Result<()> {
        let [ann, ben, _] = blog(&db).await?;
        let rows = Review::query()
            .join(Post::id, Review::post_id)
            .join(User::id, Post::user_id)
            .order_by(Review::stars.desc())
            .all(&db)
            .await?;
        let flat: Vec<(i16, &str, &str)> =
            rows.iter().map(|(r, p, u)| (r.stars, p.title.as_str(), u.name.as_str())).collect();
        assert_eq!(flat, [(5, "a1", "Ann"), (4, "b1", "Ben"), (3, "a1", "Ann"), (2, "a2", "Ann")]);
        assert!(rows.iter().all(|(r, p, u)| r.post_id == p.id && p.user_id == u.id), "ids are not mixed up");
        assert_eq!(rows[1].2, ben, "the third model decodes whole");
        let anns = Review::query()
            .join(Post::id, Review::post_id)
            .join(User::id, Post::user_id)
            .filter(User::name.eq("Ann"))
            .filter(Review::stars.ge(3))
            .order_by(Review::stars)
            .all(&db)
            .await?;
        let stars: Vec<i16> = anns.iter().map(|(r, _, _)| r.stars).collect();
        assert_eq!(stars, [3, 5]);
        assert!(anns.iter().all(|(_, _, u)| u.id == ann.id));
        Ok(())
    }

    async fn left_joins_of_three_models_give_none_for_missing_rows(db: Db) -> Result<()> {
        let [_, _, cy] = blog(&db).await?;
        let rows = User::query()
            .left_join(Post::user_id, User::id)
            .left_join(Review::post_id, Post::id)
            .order_by(User::name)
            .then_order_by(Review::stars)
            .all(&db)
            .await?;
        let flat: Vec<(&str, Option<&str>, Option<i16>)> = rows
            .iter()
            .map(|(u, p, r)| (u.name.as_str(), p.as_ref().map(|p| p.title.as_str()), r.as_ref().map(|r| r.stars)))
            .collect();
        assert_eq!(
            flat,
            [
                ("Ann", Some("a2"), Some(2)),
                ("Ann", Some("a1"), Some(3)),
                ("Ann", Some("a1"), Some(5)),
                ("Ben", Some("b1"), Some(4)),
                ("Cy", None, None),
            ]
        );
        assert_eq!(rows[4].0, cy);
        Ok(())
    }

    async fn four_models_with_an_aliased_left_join(db: Db) -> Result<()> {
        let [ann, ben, cy] = blog(&db).await?;
        let reviewer = User::alias("reviewer");
        let rows = Review::query()
            .join(Post::id, Review::post_id)
            .join(User::id, Post::user_id)
            .left_join_as(reviewer, User::id.eq(Review::reviewer_id.qualified()))
            .order_by(Review::stars.desc())
            .all(&db)
            .await?;
        let flat: Vec<(i16, &str, Option<&str>)> = rows
            .iter()
            .map(|(r, _, author, by)| (r.stars, author.name.as_str(), by.as_ref().map(|u| u.name.as_str())))
            .collect();
        assert_eq!(flat, [(5, "Ann", Some("Ben")), (4, "Ben", Some("Ann")), (3, "Ann", Some("Cy")), (2, "Ann", None)]);
        assert_eq!(rows[0].3.as_ref(), Some(&ben), "the aliased model decodes whole");
        assert_eq!(rows[2].3.as_ref(), Some(&cy));
        let by_ann = Review::query()
            .join(Post::id, Review::post_id)
            .join(User::id, Post::user_id)
            .join_as(reviewer, User::id.eq(Review::reviewer_id.qualified()))
            .filter(reviewer.col(User::name).eq("Ann"))
            .all(&db)
            .await?;
        assert_eq!(by_ann.len(), 1);
        assert_eq!((by_ann[0].1.title.as_str(), by_ann[0].3.id), ("b1", ann.id));
        Ok(())
    }

    async fn compound_on_conditions_keep_unmatched_rows_of_a_left_join(db: Db) -> Result<()> {
        blog(&db).await?;
        let rows = User::query()
            .left_join_on(Post::user_id.eq(User::id.qualified()) & Post::title.ne("a2"))
            .order_by(User::name)
            .all(&db)
            .await?;
        let flat: Vec<(&str, Option<&str>)> =
            rows.iter().map(|(u, p)| (u.name.as_str(), p.as_ref().map(|p| p.title.as_str()))).collect();
        assert_eq!(flat, [("Ann", Some("a1")), ("Ben", Some("b1")), ("Cy", None)]);
        let inner = User::query()
            .join_on(Post::user_id.eq(User::id.qualified()) & (Post::title.eq("a2") | Post::title.eq("b1")))
            .order_by(Post::title)
            .select((User::name, Post::title))
            .all(&db)
            .await?;
        assert_eq!(inner, [("Ann".to_owned(), "a2".to_owned()), ("Ben".to_owned(), "b1".to_owned())]);
        Ok(())
    }

    async fn self_join_through_an_alias(db: Db) -> Result<()> {
        staff(&db).await?;
        let mgr = Staff::alias("mgr");
        let rows = Staff::query()
            .left_join_as(mgr, Staff::id.eq(Staff::manager_id.qualified()))
            .order_by(Staff::name)
            .all(&db)
            .await?;
        let flat: Vec<(&str, Option<&str>)> =
            rows.iter().map(|(s, m)| (s.name.as_str(), m.as_ref().map(|m| m.name.as_str()))).collect();
        assert_eq!(flat, [("Boss", None), ("Mia", Some("Boss")), ("Ned", Some("Mia"))]);
        assert_eq!(rows[2].1.as_ref().map(|m| m.salary), Some(200), "the manager is a whole row");
        let paid_less_than_boss = Staff::query()
            .join_as(mgr, Staff::id.eq(Staff::manager_id.qualified()))
            .filter(mgr.col(Staff::salary).ge(250))
            .select((Staff::name, mgr.col(Staff::name)))
            .all(&db)
            .await?;
        assert_eq!(paid_less_than_boss, [("Mia".to_owned(), "Boss".to_owned())]);
        Ok(())
    }

    async fn aggregates_over_a_join_with_having(db: Db) -> Result<()> {
        blog(&db).await?;
        let per_author = || {
            Post::query()
                .join(User::id, Post::user_id)
                .join(Review::post_id, Post::id)
                .select((User::name, count::<Review>(), Review::stars.sum()))
                .group_by(User::name)
                .order_by(User::name)
        };
        let all: Vec<(String, i64, Option<i64>)> = per_author().all(&db).await?;
        assert_eq!(all, [("Ann".to_owned(), 3, Some(10)), ("Ben".to_owned(), 1, Some(4))]);
        let busy = per_author().having(count::<Review>().ge(2)).all(&db).await?;
        assert_eq!(busy, [("Ann".to_owned(), 3, Some(10))]);
        #[derive(FromRow, Debug, PartialEq)]
        struct Stars {
            author: String,
            best: Option<i16>,
        }
        let best = Post::query()
            .join(User::id, Post::user_id)
            .join(Review::post_id, Post::id)
            .select((User::name.label("author"), Review::stars.max().label("best")))
            .group_by(User::name)
            .having(Review::stars.sum().lt(5))
            .decode_as::<Stars>()
            .all(&db)
            .await?;
        assert_eq!(best, [Stars { author: "Ben".into(), best: Some(4) }]);
        Ok(())
    }

    async fn bad_aliases_and_strangers_are_invalid_input(db: Db) -> Result<()> {
        blog(&db).await?;
        for name in ["x\"; DROP TABLE users; --", "mgr`; DROP TABLE users; --", "two words", "", "1st"] {
            let alias = User::alias(name);
            let err = Post::query().join_as(alias, User::id.eq(Post::user_id.qualified())).all(&db).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{name:?}");
            let err = Post::query()
                .join(User::id, Post::user_id)
                .select((Post::title, alias.col(User::name)))
                .all(&db)
                .await
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{name:?} as a stranger");
        }
        assert_eq!(User::query().count(&db).await?, 3, "the users table is intact");
        let stranger = Post::query().join_on(User::id.eq(Post::user_id.qualified())).filter(Tag::label.eq("x")).all(&db).await.unwrap_err();
        assert_eq!(stranger.kind(), ErrorKind::InvalidInput);
        assert!(stranger.to_string().contains("tags"), "{stranger}");
        let selected = Post::query().join_on(User::id.eq(Post::user_id.qualified())).select(Review::stars).all(&db).await;
        assert_eq!(selected.unwrap_err().kind(), ErrorKind::InvalidInput);
        let twice = User::query().join_on(User::id.eq(User::id.qualified())).all(&db).await.unwrap_err();
        assert_eq!(twice.kind(), ErrorKind::InvalidInput, "a table read twice needs an alias");
        Ok(())
    }
}
