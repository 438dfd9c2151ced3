//! A model related to its own kind: a tree of comments.
use kakaorm::Model;
use kakaorm::relation::{BelongsTo, HasMany, HasOne};

#[derive(Model, Clone, Debug, PartialEq)]
pub struct Comment {
    pub id: i64,
    #[kakaorm(references = Comment, on_delete = "cascade")]
    pub parent_id: Option<i64>,
    #[kakaorm(belongs_to)]
    pub parent: BelongsTo<Comment>,
    #[kakaorm(has_many, foreign_key = "parent_id")]
    pub replies: HasMany<Comment>,
    #[kakaorm(has_one, foreign_key = "parent_id")]
    pub first_reply: HasOne<Comment>,
}

fn main() {
    assert_eq!(Comment::SCHEMA.columns.len(), 2, "relations are not columns");
    assert_eq!(Comment::parent.name(), "parent");
    let _ = Comment::replies.prefetch(Comment::parent);
}
