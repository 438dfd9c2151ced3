use kakaorm::Model;

#[derive(Model)]
pub struct Post {
    pub id: i64,
    #[kakaorm(references = Post, on_delete = "set null")]
    pub parent_id: i64,
}

fn main() {}
