//! Every validation option, hooks, a version column and custom validators compile.

use kakaorm::prelude::*;
use kakaorm::validate::Invalid;
use rust_decimal::Decimal;

type Text = String;

#[derive(Model)]
#[kakaorm(hooks, validate_with = Shop::check, validate_with = whole)]
pub struct Shop {
    pub id: i64,
    #[kakaorm(min_length = 1, max_length = 20, regex = r"^\w+$", validate_with = not_blank)]
    pub name: Text,
    #[kakaorm(email)]
    pub email: Option<String>,
    #[kakaorm(url)]
    pub site: Option<String>,
    #[kakaorm(min_value = -5, max_value = 5)]
    pub small: i16,
    #[kakaorm(min_value = 0.5, max_value = 10)]
    pub rating: f32,
    #[kakaorm(min_value = 0, max_value = 99.99, max_digits = 4, decimal_places = 2)]
    pub price: Decimal,
    #[kakaorm(one_of = ["a", "b"], default = "a")]
    pub plan: String,
    #[kakaorm(one_of = [-1, 1])]
    pub sign: Option<i64>,
    #[kakaorm(version)]
    pub version: i64,
}

fn not_blank(name: &String) -> Result<(), &'static str> {
    if name.trim().is_empty() { Err("blank") } else { Ok(()) }
}

fn whole(_: &Shop) -> Result<(), String> {
    Ok(())
}

impl Shop {
    fn check(&self) -> Result<(), Invalid> {
        if self.small > 0 && self.sign == Some(-1) { Err(Invalid::field("sign", "contradicts small")) } else { Ok(()) }
    }
}

impl Hooks for Shop {
    async fn before_update(&mut self, tx: &Tx) -> kakaorm::Result<()> {
        let _ = Shop::count(tx).await?;
        Ok(())
    }
}

fn main() {
    assert!(<Shop as Model>::HAS_HOOKS && <Shop as Model>::CUSTOM_VALIDATION);
    assert_eq!(Shop::SCHEMA.version_column(), Some(9));
    assert_eq!(Shop::SCHEMA.columns[1].rules.len(), 3);
}
