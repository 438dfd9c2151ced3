//! The derive coexists with serde's derives and other attributes.

use chrono::{DateTime, Utc};
use kakaorm::Model;

#[derive(Model, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[kakaorm(table = "users")]
pub struct User {
    pub id: i64,
    #[serde(rename = "fullName")]
    #[kakaorm(max_length = 50)]
    pub name: String,
    #[kakaorm(auto_now_add)]
    #[serde(skip_serializing)]
    pub created_at: DateTime<Utc>,
}

fn main() {
    let user = User { id: 1, name: "Ann".into(), created_at: Utc::now() };
    let json = serde_json::to_string(&user).unwrap();
    assert_eq!(json, r#"{"id":1,"fullName":"Ann"}"#);
    assert_eq!(User::SCHEMA.name, "users");
}
