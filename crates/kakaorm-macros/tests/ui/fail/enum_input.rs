use kakaorm::Model;

#[derive(Model)]
pub enum Status {
    Active,
    Banned,
}

#[derive(Model)]
pub struct Pair(i64, String);

fn main() {}
