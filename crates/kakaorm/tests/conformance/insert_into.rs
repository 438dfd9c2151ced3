//! INSERT … SELECT from a query into another model.

use kakaorm::prelude::*;
use kakaorm::{ErrorKind, fill};

use crate::models::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "archived_posts")]
pub struct ArchivedPost {
    pub id: i64,
    #[kakaorm(unique)]
    pub post_id: i64,
    #[kakaorm(max_length = 200)]
    pub title: String,
    #[kakaorm(default = "archived")]
    #[kakaorm(max_length = 20)]
    pub reason: String,
}

conformance! {
    async fn insert_into_copies_the_matching_rows(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        db.create_table::<ArchivedPost>().await?;
        let ann = user(&db, "Ann", 30).await?;
        for title in ["old 1", "new", "old 2", "x'); DROP TABLE posts; --"] {
            Post::create().user_id(ann.id).title(title).exec(&db).await?;
        }
        let copied = Post::filter(Post::title.starts_with("old"))
            .insert_into::<ArchivedPost>((fill(ArchivedPost::post_id, Post::id), fill(ArchivedPost::title, Post::title)))
            .exec(&db)
            .await?;
        assert_eq!(copied, 2);
        let archived = ArchivedPost::query().order_by(ArchivedPost::post_id).all(&db).await?;
        let view: Vec<(i64, &str, &str)> = archived.iter().map(|a| (a.post_id, a.title.as_str(), a.reason.as_str())).collect();
        assert_eq!(view, [(1, "old 1", "archived"), (3, "old 2", "archived")]);
        // Ordered and limited: the newest post only.
        let one = Post::query()
            .order_by(Post::id.desc())
            .limit(1)
            .insert_into::<ArchivedPost>((fill(ArchivedPost::post_id, Post::id), fill(ArchivedPost::title, Post::title)))
            .exec(&db)
            .await?;
        assert_eq!(one, 1);
        let last = ArchivedPost::filter(ArchivedPost::post_id.eq(4)).get(&db).await?;
        assert_eq!(last.title, "x'); DROP TABLE posts; --", "values travel as values");
        // A second copy of the same rows breaks the unique key: nothing is inserted.
        let again = Post::query()
            .insert_into::<ArchivedPost>((fill(ArchivedPost::post_id, Post::id), fill(ArchivedPost::title, Post::title)))
            .exec(&db)
            .await;
        assert_eq!(again.unwrap_err().kind(), ErrorKind::UniqueViolation);
        assert_eq!(ArchivedPost::query().count(&db).await?, 3);
        assert_eq!(Post::query().count(&db).await?, 4);
        Ok(())
    }
}
