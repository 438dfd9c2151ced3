use kakaorm::Model;

// The derive cannot see through the alias; the compiler checks the resolved type.
type Stamp = i64;

#[derive(Model)]
#[kakaorm(soft_delete)]
pub struct ThroughAnAlias {
    pub id: i64,
    pub deleted_at: Option<Stamp>,
}

fn main() {}
