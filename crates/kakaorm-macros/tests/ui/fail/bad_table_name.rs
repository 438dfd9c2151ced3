use kakaorm::Model;

#[derive(Model)]
#[kakaorm(table = "user\"s")]
pub struct User {
    pub id: i64,
    #[kakaorm(column = "")]
    pub name: String,
}

fn main() {}
