//! Rules checked on the resolved type when an alias hides it from the derive.

use kakaorm::Model;

type Number = i32;
type Text = String;

#[derive(Model)]
pub struct Aliased {
    pub id: i64,
    #[kakaorm(min_length = 1)]
    pub age: Number,
    #[kakaorm(max_value = 3)]
    pub name: Text,
    #[kakaorm(version)]
    pub version: Text,
}

fn main() {}
