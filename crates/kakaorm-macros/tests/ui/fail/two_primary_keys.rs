use kakaorm::Model;

#[derive(Model)]
pub struct Pair {
    #[kakaorm(primary_key)]
    pub left: i64,
    #[kakaorm(primary_key)]
    pub right: i64,
}

fn main() {}
