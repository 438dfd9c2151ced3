use kakaorm::prelude::*;

#[derive(Model)]
pub struct User {
    pub id: i64,
    pub name: String,
}

#[derive(Model)]
pub struct Post {
    pub id: i64,
    pub user_id: i64,
    pub views: i32,
}

fn main() {
    // A compound ON condition comparing an i64 column with a String column.
    let _ = User::query().join_on(Post::user_id.eq(User::name.qualified()) & Post::views.gt(10));
    // The same mismatch through an alias.
    let other = User::alias("other");
    let _ = User::query().join_as(other, User::id.eq(other.col(User::name)));
    // A join's column pair of different types.
    let _ = User::query().join(Post::id, User::id).join(User::id, Post::views);
}
