//! Validation rules that contradict the field type, or each other.

use kakaorm::Model;

#[derive(Model)]
#[kakaorm(validate_with = "not_a_path")]
pub struct Form {
    pub id: i64,
    #[kakaorm(min_length = 2, email, url, regex = "^a")]
    pub age: i32,
    #[kakaorm(min_value = 0)]
    pub name: String,
    #[kakaorm(min_value = 1.5, max_value = 70000)]
    pub small: i16,
    #[kakaorm(min_length = 5, max_length = 3)]
    pub code: String,
    #[kakaorm(min_value = 10, max_value = 1)]
    pub score: f64,
    #[kakaorm(one_of = [1, 2])]
    pub label: String,
    #[kakaorm(one_of = ["a", 1])]
    pub mixed: String,
    #[kakaorm(one_of = ["a"])]
    pub count: i32,
    #[kakaorm(regex = "(unclosed")]
    pub pattern: String,
    #[kakaorm(min_value = "ten")]
    pub text_bound: i32,
}

fn main() {}
