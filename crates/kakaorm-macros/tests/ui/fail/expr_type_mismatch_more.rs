use kakaorm::prelude::*;

#[derive(Model)]
pub struct Post {
    pub id: i64,
    pub title: String,
    pub views: i32,
    pub note: Option<String>,
}

#[derive(Model)]
pub struct User {
    pub id: i64,
    pub age: i32,
}

fn main() {
    // A COALESCE fallback of another type.
    let _ = Post::note.coalesce(3);
    // CASE branches of different types.
    let _ = case_when(Post::views.gt(1), 1).otherwise("many");
    let _ = case_when(Post::views.gt(1), "a").when(Post::views.gt(2), Post::views).end();
    // A cast to a type without a portable spelling.
    let _ = Post::views.cast::<bool>();
    // A LAG default of another type.
    let _ = Post::views.lag_or(1, "none");
    // IN over a subquery selecting another type.
    let _ = Post::id.in_(Post::query().select(Post::title));
    // A filter over another model's column.
    let _ = Post::filter(User::age.gt(3));
    // A scalar subquery of another type compared with a column.
    let _ = Post::filter(Post::views.eq(Post::query().select(Post::title.max()).scalar()));
}
