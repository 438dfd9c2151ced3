//! Foreign keys between two models that refer to each other, and to the model itself.

use kakaorm::schema::ReferentialAction;
use kakaorm::Model;

#[derive(Model)]
#[kakaorm(table = "teams")]
pub struct Team {
    #[kakaorm(primary_key, auto_increment)]
    pub team_id: i32,
    pub name: String,
    #[kakaorm(references = Member, on_delete = "SET_NULL", on_update = "Cascade")]
    pub captain_id: Option<i64>,
}

#[derive(Model)]
pub struct Member {
    pub id: i64,
    #[kakaorm(references = Team, on_delete = "cascade")]
    pub team_id: i32,
    #[kakaorm(references = Self, on_delete = "set null", on_update = "restrict")]
    pub mentor_id: Option<i64>,
    #[kakaorm(references = crate::Team, on_delete = "no action", on_update = "set default", default = 1)]
    pub former_team_id: i32,
}

fn main() {
    let fks: Vec<_> = Member::SCHEMA.foreign_keys().collect();
    assert_eq!(fks.len(), 3);
    assert_eq!(fks[0].0.name, "team_id");
    assert_eq!((fks[0].1.target)().name, "teams");
    assert_eq!(fks[0].1.on_delete, ReferentialAction::Cascade);
    assert_eq!(fks[0].1.on_update, ReferentialAction::NoAction);
    assert_eq!((fks[1].1.target)().name, "member");
    assert_eq!(fks[1].1.on_delete, ReferentialAction::SetNull);
    assert_eq!(fks[1].1.on_update, ReferentialAction::Restrict);
    assert_eq!(fks[2].1.on_update, ReferentialAction::SetDefault);
    let (column, fk) = Team::SCHEMA.foreign_keys().next().unwrap();
    assert_eq!(column.name, "captain_id");
    assert_eq!((fk.target)().name, "member");
    assert_eq!(fk.on_update, ReferentialAction::Cascade);
}
