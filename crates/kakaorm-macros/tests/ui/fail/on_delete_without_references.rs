use kakaorm::Model;

#[derive(Model)]
pub struct Post {
    pub id: i64,
    #[kakaorm(on_delete = "cascade")]
    pub author_id: i64,
    #[kakaorm(references = Post, on_delete = "explode")]
    pub parent_id: Option<i64>,
}

fn main() {}
