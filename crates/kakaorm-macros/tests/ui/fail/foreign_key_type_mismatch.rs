use kakaorm::Model;

#[derive(Model)]
pub struct Team {
    pub id: i64,
}

#[derive(Model)]
pub struct Member {
    pub id: i64,
    #[kakaorm(references = Team)]
    pub team_id: Option<i32>,
}

fn main() {}
