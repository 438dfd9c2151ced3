//! A custom validator with the wrong signature, and one that does not exist.

use kakaorm::Model;

fn check_name(name: &i32) -> Result<(), String> {
    let _ = name;
    Ok(())
}

#[derive(Model)]
#[kakaorm(validate_with = Profile::whole)]
pub struct Profile {
    pub id: i64,
    #[kakaorm(validate_with = check_name)]
    pub name: String,
}

fn main() {}
