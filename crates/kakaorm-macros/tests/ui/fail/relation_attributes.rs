use kakaorm::Model;
use kakaorm::relation::{BelongsTo, HasMany};

#[derive(Model)]
pub struct Post {
    pub id: i64,
    pub user_id: i64,
    // The keyword contradicts the type.
    #[kakaorm(belongs_to)]
    pub replies: HasMany<Post>,
    // No `writer_id` field on `Post`.
    #[kakaorm(belongs_to)]
    pub writer: BelongsTo<Post>,
    // Column options do not apply to a relation.
    #[kakaorm(belongs_to, foreign_key = "user_id", max_length = 3)]
    pub user: BelongsTo<Post>,
}

fn main() {}
