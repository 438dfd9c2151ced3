use kakaorm::Model;

#[derive(Model)]
pub struct OptionalKey {
    #[kakaorm(primary_key)]
    pub code: Option<String>,
}

#[derive(Model)]
pub struct TextId {
    pub id: String,
}

#[derive(Model)]
pub struct FloatKey {
    #[kakaorm(primary_key, auto_increment)]
    pub key: f64,
    #[kakaorm(auto_increment)]
    pub other: i64,
}

fn main() {}
