use kakaorm::Model;

#[derive(Model)]
pub struct Note {
    pub note_id: i64,
    pub text: String,
}

fn main() {}
