use kakaorm::Model;

#[derive(Model)]
pub struct Counter {
    #[kakaorm(primary_key, auto_increment, default = 1)]
    pub counter_id: i64,
}

#[derive(Model)]
pub struct Conventional {
    #[kakaorm(default = 1)]
    pub id: i64,
}

fn main() {}
