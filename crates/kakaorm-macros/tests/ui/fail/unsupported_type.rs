use std::collections::HashMap;

use kakaorm::Model;

#[derive(Model)]
pub struct Settings {
    pub id: i64,
    pub values: HashMap<String, i32>,
}

fn main() {}
