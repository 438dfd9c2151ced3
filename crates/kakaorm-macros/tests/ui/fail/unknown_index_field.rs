use kakaorm::Model;

#[derive(Model)]
#[kakaorm(unique = "name, emial", index(name = "ix"), index = "name, 3x")]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
}

fn main() {}
