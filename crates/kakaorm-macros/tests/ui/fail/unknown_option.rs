use kakaorm::Model;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[kakaorm(max_lenght = 50)]
    pub name: String,
    #[kakaorm(frobnicate)]
    pub nick: String,
    #[kakaorm(tabel = "users")]
    pub email: String,
}

#[derive(Model)]
#[kakaorm(tables = "users", max_length = 5)]
pub struct Account {
    pub id: i64,
}

fn main() {}
