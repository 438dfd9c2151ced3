//! Models the engine tests derive their schemas from.

use kakaorm::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "users", unique = "name, email", index = "age, name")]
pub struct User {
    pub id: i64,
    #[kakaorm(max_length = 50)]
    pub name: String,
    #[kakaorm(unique, max_length = 100)]
    pub email: Option<String>,
    #[kakaorm(default = 0, check = "age >= 0", index)]
    pub age: i32,
    #[kakaorm(auto_now_add)]
    pub created_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "posts")]
pub struct Post {
    pub id: i64,
    #[kakaorm(references = User, on_delete = "cascade")]
    pub user_id: i64,
    #[kakaorm(max_length = 200)]
    pub title: String,
    pub body: Option<String>,
    #[kakaorm(default = true)]
    pub published: bool,
}

/// Foreign keys with SET NULL and RESTRICT.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "reviews")]
pub struct Review {
    pub id: i64,
    #[kakaorm(references = User, on_delete = "set null")]
    pub reviewer_id: Option<i64>,
    #[kakaorm(references = Post, on_delete = "restrict")]
    pub post_id: i64,
    pub stars: i16,
}

/// Reserved words as names, a string key, string defaults.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "order")]
pub struct Order {
    #[kakaorm(primary_key, max_length = 12)]
    pub code: String,
    #[kakaorm(column = "select")]
    pub select_: i32,
    #[kakaorm(column = "group", max_length = 20, default = "it's")]
    pub group: String,
}

/// Every column type, with defaults where the type takes one.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "all_types")]
pub struct AllTypes {
    pub id: i64,
    #[kakaorm(default = -3)]
    pub small: i16,
    #[kakaorm(default = 7)]
    pub int: i32,
    pub big: i64,
    #[kakaorm(default = 1.5)]
    pub real: f32,
    pub double: Option<f64>,
    #[kakaorm(default = false)]
    pub flag: bool,
    pub text: String,
    #[kakaorm(max_length = 40, default = "x")]
    pub short: String,
    #[kakaorm(default = "2024-02-29")]
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
    pub stamp: NaiveDateTime,
    pub stamp_tz: Option<DateTime<Utc>>,
    #[kakaorm(max_digits = 12, decimal_places = 2, default = "1.50")]
    pub money: Decimal,
    #[kakaorm(unique)]
    pub uuid: Uuid,
    pub json: serde_json::Value,
    pub bytes: Option<Vec<u8>>,
}
