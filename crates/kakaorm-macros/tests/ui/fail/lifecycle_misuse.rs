//! Misuses of the lifecycle attributes: `hooks` with a value, two `version` fields.

use kakaorm::Model;

#[derive(Model)]
#[kakaorm(hooks = true)]
pub struct Valued {
    pub id: i64,
}

#[derive(Model)]
pub struct TwoVersions {
    pub id: i64,
    #[kakaorm(version)]
    pub version: i32,
    #[kakaorm(version)]
    pub revision: i64,
}

fn main() {}
