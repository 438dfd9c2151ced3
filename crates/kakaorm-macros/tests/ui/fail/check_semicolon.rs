use kakaorm::Model;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[kakaorm(check = "age >= 0; DROP TABLE users")]
    pub age: i32,
    #[kakaorm(check = "score > 0 -- positive")]
    pub score: i32,
}

fn main() {}
