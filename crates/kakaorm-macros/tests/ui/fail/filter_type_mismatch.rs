use kakaorm::Model;

#[derive(Model)]
pub struct User {
    pub id: i64,
    pub age: i32,
}

fn main() {
    let _ = User::age.eq("x");
}
