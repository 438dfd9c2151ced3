use kakaorm::Model;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[kakaorm(max_length = 3)]
    pub age: i32,
    #[kakaorm(max_length = 0)]
    pub name: String,
}

fn main() {}
