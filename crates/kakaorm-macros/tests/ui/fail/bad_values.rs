use kakaorm::Model;

#[derive(Model)]
pub struct User {
    pub id: i64,
    #[kakaorm(max_length = "50")]
    pub name: String,
    #[kakaorm(default = [1])]
    pub age: i32,
    #[kakaorm(references = Team, on_delete = cascade)]
    pub team_id: i64,
    #[kakaorm(column)]
    pub email: String,
    #[kakaorm(max_digits = 300, decimal_places = 2)]
    pub price: rust_decimal::Decimal,
}

fn main() {}
