use chrono::NaiveTime;
use kakaorm::Model;
use rust_decimal::Decimal;

#[derive(Model)]
pub struct Item {
    pub id: i64,
    #[kakaorm(max_digits = 10)]
    pub price: Decimal,
    #[kakaorm(max_digits = 4, decimal_places = 2)]
    pub count: i32,
    #[kakaorm(max_digits = 4, decimal_places = 6)]
    pub ratio: Decimal,
    #[kakaorm(auto_now)]
    pub at: NaiveTime,
    #[kakaorm(default = "seven")]
    pub seven: i32,
    #[kakaorm(default = 70000)]
    pub small: i16,
    #[kakaorm(default = "too long", max_length = 3)]
    pub code: String,
    #[kakaorm(unique = true)]
    pub sku: String,
}

fn main() {}
