use kakaorm::prelude::*;

#[derive(Model)]
pub struct Post {
    pub id: i64,
    pub title: String,
    pub views: i32,
}

fn main() {
    // Arithmetic between a number and text.
    let _ = Post::views + "x";
    // Arithmetic on text.
    let _ = Post::title * 2;
    // Comparing an expression with a value of another type.
    let _ = (Post::views + 1).gt("ten");
    // Text functions on a number.
    let _ = Post::views.upper();
}
