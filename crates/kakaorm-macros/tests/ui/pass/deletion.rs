use kakaorm::prelude::*;
use kakaorm::schema::Deletion;

#[derive(Model)]
#[kakaorm(table = "notes", soft_delete)]
pub struct Note {
    pub id: i64,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Model)]
#[kakaorm(table = "drafts", soft_delete = "removed")]
pub struct Draft {
    pub id: i64,
    #[kakaorm(column = "removed_on")]
    pub removed: Option<NaiveDateTime>,
}

#[derive(Model)]
#[kakaorm(table = "pages", archive)]
pub struct Page {
    pub id: i64,
    #[kakaorm(references = Note, on_delete = "cascade")]
    pub note_id: i64,
}

fn restorable<M: kakaorm::Restorable>() {}

fn main() {
    restorable::<Note>();
    restorable::<Draft>();
    restorable::<Page>();
    assert_eq!(Note::SCHEMA.deletion, Deletion::Soft { column: "deleted_at" });
    assert_eq!(Draft::SCHEMA.deletion, Deletion::Soft { column: "removed_on" });
    assert_eq!(Page::SCHEMA.deletion, Deletion::Archive { table: "archive_pages" });
    let _ = Page::query().include_deleted().only_deleted();
}
