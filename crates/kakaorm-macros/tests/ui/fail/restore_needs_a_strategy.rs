use kakaorm::prelude::*;

#[derive(Model)]
#[kakaorm(table = "plain")]
pub struct Plain {
    pub id: i64,
}

fn main() {
    let _ = Plain::query().only_deleted();
}
