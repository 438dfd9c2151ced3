//! Options checked on the resolved type when an alias hides it from the derive.

use kakaorm::Model;

type Number = i32;
type Key = String;
type Required = i64;
type Maybe = Option<i64>;

#[derive(Model)]
pub struct Target {
    pub id: i64,
}

#[derive(Model)]
pub struct Aliased {
    pub id: Key,
    #[kakaorm(max_length = 3)]
    pub age: Number,
    #[kakaorm(max_digits = 5, decimal_places = 2)]
    pub price: Number,
    #[kakaorm(references = Target, on_delete = "set null")]
    pub parent: Required,
}

#[derive(Model)]
pub struct OptionalKey {
    #[kakaorm(primary_key)]
    pub key: Maybe,
}

fn main() {}
