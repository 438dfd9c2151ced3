use kakaorm::prelude::*;

#[derive(Model)]
pub struct Post {
    pub id: i64,
    pub title: String,
    pub views: i32,
}

#[derive(Model)]
pub struct User {
    pub id: i64,
    pub age: i32,
}

fn main() {
    // A value of another type.
    let _ = Post::query().update().set(Post::views, "many");
    // An expression of another type.
    let _ = Post::query().update().set(Post::views, Post::title.length());
    // A column or expression of another model.
    let _ = Post::query().update().set(Post::views, User::age);
    let _ = Post::query().update().set(Post::views, User::age + 1);
    // A column of another model as the target.
    let _ = Post::query().update().set(User::age, 1);
}
