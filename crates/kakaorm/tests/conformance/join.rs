//! Inner, left and right joins between two models.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::*;

/// Ann has two posts, Ben one, Cy none.
async fn authors(db: &Db) -> kakaorm::Result<(User, User, User)> {
    blog_schema(db).await?;
    let ann = user(db, "Ann", 30).await?;
    let ben = user(db, "Ben", 40).await?;
    let cy = user(db, "Cy", 50).await?;
    for (who, title) in [(&ann, "a1"), (&ann, "a2"), (&ben, "b1")] {
        Post::create().user_id(who.id).title(title).exec(db).await?;
    }
    Ok((ann, ben, cy))
}

conformance! {
    async fn inner_join_pairs_both_models(db: Db) -> Result<()> {
        let (ann, ben, _) = authors(&db).await?;
        let pairs = User::query()
            .join(Post::user_id, User::id)
            .order_by(User::name)
            .then_order_by_joined(Post::title.desc())
            .all(&db)
            .await?;
        let flat: Vec<(String, String)> = pairs.iter().map(|(u, p)| (u.name.clone(), p.title.clone())).collect();
        assert_eq!(flat, [("Ann".into(), "a2".into()), ("Ann".into(), "a1".into()), ("Ben".into(), "b1".into())]);
        assert_eq!(pairs[0].0, ann, "the left model decodes whole");
        assert_eq!(pairs[2].1.user_id, ben.id, "the joined model decodes from its own columns");
        assert!(pairs.iter().all(|(u, p)| p.user_id == u.id), "ids are not mixed up");
        let filtered = User::filter(User::age.ge(40)).join(Post::user_id, User::id).filter_joined(Post::title.like("b%")).all(&db).await?;
        assert_eq!(filtered.len(), 1);
        assert_eq!(User::query().join(Post::user_id, User::id).limit(2).offset(1).all(&db).await?.len(), 2);
        Ok(())
    }

    async fn outer_joins_fill_missing_sides_with_none(db: Db) -> Result<()> {
        let (_, _, cy) = authors(&db).await?;
        let left = User::query().left_join(Post::user_id, User::id).order_by(User::name).all(&db).await?;
        assert_eq!(left.len(), 4);
        assert_eq!(left[3].0.id, cy.id);
        assert!(left[3].1.is_none(), "Cy has no post");
        assert!(left[..3].iter().all(|(_, p)| p.is_some()));
        let right = Post::query().right_join(User::id, Post::user_id).all(&db).await?;
        assert_eq!(right.len(), 4);
        assert_eq!(right.iter().filter(|(p, _)| p.is_none()).count(), 1);
        let (_, lonely) = right.iter().find(|(p, _)| p.is_none()).expect("a user without posts");
        assert_eq!(lonely.id, cy.id);
        Ok(())
    }

    async fn self_joins_are_refused(db: Db) -> Result<()> {
        db.create_table::<User>().await?;
        let err = User::query().join(User::id, User::id).all(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Unsupported);
        Ok(())
    }
}
