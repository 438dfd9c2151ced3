//! `#[kakaorm(hooks)]` without an `impl Hooks`.

use kakaorm::Model;

#[derive(Model)]
#[kakaorm(hooks)]
pub struct Hooked {
    pub id: i64,
}

fn main() {}
