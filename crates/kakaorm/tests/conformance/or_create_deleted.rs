//! get_or_create, update_or_create and restore_or_create when the lookup matches a deleted
//! row: a soft-deleted row still holds its unique key, so creating fails with an error
//! that names it; restore_or_create brings it back instead.

use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ocd_tags", soft_delete)]
pub struct OcdTag {
    pub id: i64,
    #[kakaorm(unique, max_length = 40)]
    pub name: String,
    pub uses: i32,
    pub deleted_at: Option<DateTime<Utc>>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ocd_notes", archive)]
pub struct OcdNote {
    pub id: i64,
    #[kakaorm(unique, max_length = 40)]
    pub title: String,
}

fn tag(name: &str, uses: i32) -> OcdTagCreate {
    OcdTag::create().name(name).uses(uses)
}

/// The server's code for a unique violation.
fn unique_code(db: &Db) -> &'static str {
    match db.backend() {
        Backend::Postgres => "23505",
        Backend::Mysql => "1062",
        _ => "2067",
    }
}

fn names_deleted_row(id: i64) -> String {
    format!(
        "unique violation: `OcdTag` has a soft-deleted row matching the lookup (id = {id}), which still holds its \
         unique key: restore it (`restore_or_create` does) or purge it"
    )
}

conformance! {
    /// get_or_create and update_or_create on a key a soft-deleted row holds: a
    /// UniqueViolation naming the row, the server's details kept, nothing written, and a
    /// transaction around the call still usable.
    async fn creating_over_a_soft_deleted_row_names_it(db: Db) -> Result<()> {
        db.create_table::<OcdTag>().await?;
        let rust = tag("rust", 5).exec(&db).await?;
        rust.delete(&db).await?;
        let err = OcdTag::get_or_create(OcdTag::name.eq("rust"), tag("rust", 1), &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation);
        assert_eq!(err.to_string(), names_deleted_row(rust.id));
        assert_eq!(err.db_error().map(|i| i.code.as_str()), Some(unique_code(&db)));
        let err = OcdTag::update_or_create(OcdTag::name.eq("rust"), tag("rust", 2), &db).await.unwrap_err();
        assert_eq!(err.to_string(), names_deleted_row(rust.id));
        assert_eq!(OcdTag::query().include_deleted().count(&db).await?, 1, "nothing was written");
        assert_eq!(OcdTag::count(&db).await?, 0, "the row stays deleted");

        let tx = db.begin().await?;
        let err = OcdTag::get_or_create(OcdTag::name.eq("rust"), tag("rust", 1), &tx).await.unwrap_err();
        assert_eq!(err.to_string(), names_deleted_row(rust.id));
        tag("go", 1).exec(&tx).await?;
        tx.commit().await?;
        assert_eq!(OcdTag::count(&db).await?, 1, "the transaction went on");

        // A lookup the deleted row does not match: the server's own unique violation.
        let err = OcdTag::get_or_create(OcdTag::uses.eq(77), tag("rust", 77), &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation);
        assert!(!err.to_string().contains("soft-deleted"), "{err}");
        Ok(())
    }

    /// restore_or_create restores the deleted row matching the lookup (same id, fields
    /// as they were), finds a live one, or creates one; several deleted matches are an
    /// error that restores nothing.
    async fn restore_or_create_brings_a_soft_deleted_row_back(db: Db) -> Result<()> {
        db.create_table::<OcdTag>().await?;
        let rust = tag("rust", 5).exec(&db).await?;
        rust.delete(&db).await?;
        let (back, created) = OcdTag::restore_or_create(OcdTag::name.eq("rust"), tag("rust", 1), &db).await?;
        assert_eq!((back.id, back.uses, back.deleted_at, created), (rust.id, 5, None, false));
        let (again, created) = OcdTag::restore_or_create(OcdTag::name.eq("rust"), tag("rust", 1), &db).await?;
        assert_eq!((again.id, created), (rust.id, false));
        let (go, created) = OcdTag::restore_or_create(OcdTag::name.eq("go"), tag("go", 3), &db).await?;
        assert_eq!((go.name.as_str(), go.uses, created), ("go", 3, true));

        tag("a", 9).exec(&db).await?.delete(&db).await?;
        tag("b", 9).exec(&db).await?.delete(&db).await?;
        let err = OcdTag::restore_or_create(OcdTag::uses.eq(9), tag("c", 9), &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::MultipleRows);
        assert_eq!(OcdTag::query().only_deleted().count(&db).await?, 2, "nothing was restored");
        assert_eq!(OcdTag::count(&db).await?, 2);
        Ok(())
    }

    /// An archived row holds no key (the archive has no unique constraints):
    /// get_or_create inserts a new row; restore_or_create moves the archived one back.
    async fn archived_rows_hold_no_key_and_restore_or_create_moves_them_back(db: Db) -> Result<()> {
        db.create_table::<OcdNote>().await?;
        let old = OcdNote::create().title("todo").exec(&db).await?;
        old.delete(&db).await?;
        let (back, created) = OcdNote::restore_or_create(OcdNote::title.eq("todo"), OcdNote::create().title("todo"), &db).await?;
        assert_eq!((back.id, created), (old.id, false));
        assert_eq!(OcdNote::query().only_deleted().count(&db).await?, 0);
        back.delete(&db).await?;
        let (new, created) = OcdNote::get_or_create(OcdNote::title.eq("todo"), OcdNote::create().title("todo"), &db).await?;
        assert!(created && new.id != old.id, "{new:?}");
        assert_eq!(OcdNote::query().include_deleted().count(&db).await?, 2);
        Ok(())
    }
}
