use chrono::{DateTime, Utc};
use kakaorm::Model;

#[derive(Model)]
pub struct Post {
    pub id: i64,
    #[kakaorm(auto_now, auto_now_add)]
    pub created_at: DateTime<Utc>,
    #[kakaorm(auto_now, default = "2024-01-01T00:00:00Z")]
    pub updated_at: DateTime<Utc>,
}

fn main() {}
