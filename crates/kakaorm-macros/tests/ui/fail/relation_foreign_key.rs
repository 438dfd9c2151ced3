use kakaorm::Model;
use kakaorm::relation::{BelongsTo, HasMany};

#[derive(Model, Clone)]
pub struct User {
    pub id: i64,
    // `Post` has no `owner_id` field.
    #[kakaorm(has_many, foreign_key = "owner_id")]
    pub posts: HasMany<Post>,
}

#[derive(Model, Clone)]
pub struct Post {
    pub id: i64,
    // An `i32` column cannot hold a `User` key (`i64`).
    pub user_id: i32,
    #[kakaorm(belongs_to)]
    pub user: BelongsTo<User>,
}

fn main() {}
