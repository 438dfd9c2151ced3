use kakaorm::prelude::*;
use kakaorm::fill;

#[derive(Model)]
#[kakaorm(table = "posts")]
pub struct Post {
    pub id: i64,
    pub title: String,
    pub views: i64,
}

#[derive(Model)]
#[kakaorm(table = "archived")]
pub struct Archived {
    pub id: i64,
    pub title: String,
}

fn main() {
    // A destination column of another type.
    let _ = Post::query().insert_into::<Archived>(fill(Archived::title, Post::views));
    // A destination column of the source model, not the destination.
    let _ = Post::query().insert_into::<Archived>(fill(Post::title, Post::title));
}
