use kakaorm::prelude::*;

#[derive(Model)]
#[kakaorm(table = "posts")]
pub struct Post {
    pub id: i64,
    pub views: i64,
}

fn main() {
    // order_by_str can fail: its result must be handled before the query is used.
    let _ = Post::query().order_by_str("views").limit(3);
}
