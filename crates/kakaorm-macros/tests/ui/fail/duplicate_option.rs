use kakaorm::Model;

#[derive(Model)]
#[kakaorm(table = "users")]
#[kakaorm(table = "people")]
pub struct User {
    pub id: i64,
    #[kakaorm(unique, unique)]
    pub email: String,
    #[kakaorm(max_length = 5)]
    #[kakaorm(max_length = 6)]
    pub name: String,
}

fn main() {}
