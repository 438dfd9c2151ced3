use kakaorm::Model;
use kakaorm::prelude::*;

#[derive(Model)]
#[kakaorm(soft_delete)]
pub struct NoField {
    pub id: i64,
    pub deleted_on: Option<DateTime<Utc>>,
}

#[derive(Model)]
#[kakaorm(soft_delete = "removed")]
pub struct NotOptional {
    pub id: i64,
    pub removed: DateTime<Utc>,
}

#[derive(Model)]
#[kakaorm(soft_delete)]
pub struct NotATimestamp {
    pub id: i64,
    pub deleted_at: Option<String>,
}

#[derive(Model)]
#[kakaorm(soft_delete, archive)]
pub struct Both {
    pub id: i64,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Model)]
#[kakaorm(archive(now))]
pub struct ArchiveWithValue {
    pub id: i64,
}

#[derive(Model)]
#[kakaorm(archive)]
pub struct ArchivedAtClash {
    pub id: i64,
    pub archived_at: Option<DateTime<Utc>>,
}

#[derive(Model)]
#[kakaorm(soft_delete)]
pub struct AutoStamp {
    pub id: i64,
    #[kakaorm(auto_now)]
    pub deleted_at: Option<DateTime<Utc>>,
}

fn main() {}
