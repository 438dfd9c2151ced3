//! The models every conformance test uses.

use kakaorm::prelude::*;
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

#[derive(Model, Debug, Clone, PartialEq, Serialize)]
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
    #[kakaorm(auto_now)]
    pub updated_at: DateTime<Utc>,
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

/// Reserved words as table and column names, and a custom string key.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "order")]
pub struct Order {
    #[kakaorm(primary_key, max_length = 12)]
    pub code: String,
    #[kakaorm(column = "select")]
    pub select_: i32,
    #[kakaorm(column = "group", max_length = 20, default = "none")]
    pub group: String,
}

/// A UUID key.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "tags")]
pub struct Tag {
    #[kakaorm(primary_key)]
    pub id: Uuid,
    #[kakaorm(max_length = 30)]
    pub label: String,
}

/// Every column type, non-null.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "all_types")]
pub struct AllTypes {
    pub id: i64,
    pub small: i16,
    pub int: i32,
    pub big: i64,
    pub real: f32,
    pub double: f64,
    pub flag: bool,
    pub text: String,
    #[kakaorm(max_length = 40)]
    pub short: String,
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub stamp: NaiveDateTime,
    pub stamp_tz: DateTime<Utc>,
    #[kakaorm(max_digits = 28, decimal_places = 10)]
    pub money: Decimal,
    pub uuid: Uuid,
    pub json: serde_json::Value,
    pub bytes: Vec<u8>,
}

/// Every column type, nullable.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "nullable_types")]
pub struct NullableTypes {
    pub id: i64,
    pub small: Option<i16>,
    pub int: Option<i32>,
    pub big: Option<i64>,
    pub real: Option<f32>,
    pub double: Option<f64>,
    pub flag: Option<bool>,
    pub text: Option<String>,
    pub date: Option<NaiveDate>,
    pub time: Option<NaiveTime>,
    pub stamp: Option<NaiveDateTime>,
    pub stamp_tz: Option<DateTime<Utc>>,
    #[kakaorm(max_digits = 28, decimal_places = 10)]
    pub money: Option<Decimal>,
    pub uuid: Option<Uuid>,
    pub json: Option<serde_json::Value>,
    pub bytes: Option<Vec<u8>>,
}

/// Fields named like the query methods still work.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "collisions")]
pub struct Collision {
    pub id: i64,
    pub filter: i32,
    #[kakaorm(max_length = 10)]
    pub create: String,
    pub count: i64,
    pub all: bool,
}

/// A column whose stored type will not match (created by hand in the decode test).
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "probe")]
pub struct Probe {
    pub id: i64,
    pub value: i32,
}

/// A text column read into a non-nullable `String` (created by hand in the decode tests).
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "text_probe")]
pub struct TextProbe {
    pub id: i64,
    pub value: String,
}

/// Creates users, posts and reviews.
pub async fn blog_schema(db: &Db) -> kakaorm::Result<()> {
    db.create_tables::<(Review, Post, User)>().await
}

/// Inserts a user.
pub async fn user(db: &impl Executor, name: &str, age: i32) -> kakaorm::Result<User> {
    User::create().name(name).age(age).email(format!("{}@example.com", name.to_lowercase())).exec(db).await
}
