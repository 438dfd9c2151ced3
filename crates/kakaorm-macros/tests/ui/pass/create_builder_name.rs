//! The create builder can be renamed, so a web app's own `UserCreate` request type can live
//! in the same module as the model.
use kakaorm::{CreateBuilder, Model};

/// The app's own request body, named like the default builder.
pub struct UserCreate {
    pub name: String,
}

#[derive(Model)]
#[kakaorm(table = "users", create_builder = "NewUser")]
pub struct User {
    pub id: i64,
    pub name: String,
}

fn main() {
    let request = UserCreate { name: "ann".into() };
    let builder: NewUser = User::create().name(request.name.as_str());
    let row = builder.into_row(chrono::Utc::now()).unwrap();
    assert_eq!(row.columns, ["name"]);
}
