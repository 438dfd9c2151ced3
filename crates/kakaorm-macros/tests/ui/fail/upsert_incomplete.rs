use kakaorm::prelude::*;

#[derive(Model)]
#[kakaorm(table = "users")]
pub struct User {
    pub id: i64,
    #[kakaorm(unique)]
    pub email: String,
}

#[derive(Model)]
#[kakaorm(table = "tags")]
pub struct Tag {
    pub id: i64,
    #[kakaorm(unique)]
    pub name: String,
}

async fn run(db: &Db) {
    // No action chosen: neither `update` nor `do_nothing`.
    let _ = User::upsert(User::create().email("a")).on_conflict(User::email).exec(db).await;
    // A conflict target of another model.
    let _ = User::upsert(User::create().email("a")).on_conflict(Tag::name).do_nothing();
}

fn main() {}
