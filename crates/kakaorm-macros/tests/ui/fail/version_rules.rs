//! `version` needs a plain integer field that is not the key.

use kakaorm::Model;

#[derive(Model)]
pub struct Versioned {
    #[kakaorm(primary_key, version)]
    pub id: i64,
    #[kakaorm(version)]
    pub maybe: Option<i32>,
    #[kakaorm(version = 1)]
    pub valued: i32,
    #[kakaorm(version)]
    pub text: String,
}

fn main() {}
