//! Many-to-many prefetch of soft-delete and archive targets follows the prefetch's read
//! mode (live rows by default, every row with `include_deleted`), and a soft-deleted link
//! links nothing.

use kakaorm::prelude::*;
use kakaorm::relation::ManyToMany;

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "mdd_shelves")]
pub struct Shelf {
    pub id: i64,
    #[kakaorm(max_length = 30)]
    pub name: String,
    #[kakaorm(many_to_many, through = Placement, foreign_key = "shelf_id", target_key = "volume_id")]
    pub volumes: ManyToMany<Volume>,
    #[kakaorm(many_to_many, through = Placement, foreign_key = "shelf_id", target_key = "page_id")]
    pub pages: ManyToMany<Page>,
}

/// An archive target: an archived volume moves out of the main table.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "mdd_volumes", archive)]
pub struct Volume {
    pub id: i64,
    #[kakaorm(max_length = 30)]
    pub title: String,
}

/// A soft-delete target.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "mdd_pages", soft_delete)]
pub struct Page {
    pub id: i64,
    #[kakaorm(max_length = 30)]
    pub title: String,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// The links, soft-deleted themselves; without foreign keys, so archiving a volume keeps
/// its links (as an archive table keeps no constraint either).
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "mdd_placements", soft_delete)]
pub struct Placement {
    pub id: i64,
    pub shelf_id: i64,
    pub volume_id: i64,
    pub page_id: i64,
    pub deleted_at: Option<DateTime<Utc>>,
}

fn titles<'a>(titles: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = titles.into_iter().collect();
    v.sort_unstable();
    v
}

conformance! {
    /// Volume b is archived, page b soft-deleted, and the link to c soft-deleted.
    async fn many_to_many_prefetch_follows_the_read_mode_of_its_target(db: Db) -> Result<()> {
        db.create_tables::<(Shelf, Volume, Page, Placement)>().await?;
        let shelf = Shelf::create().name("s").exec(&db).await?;
        let mut links = Vec::new();
        for t in ["a", "b", "c"] {
            let v = Volume::create().title(t).exec(&db).await?;
            let p = Page::create().title(t).exec(&db).await?;
            links.push(Placement::create().shelf_id(shelf.id).volume_id(v.id).page_id(p.id).exec(&db).await?);
            if t == "b" {
                assert_eq!(v.delete(&db).await?, 1);
                assert_eq!(p.delete(&db).await?, 1);
            }
        }
        assert_eq!(links[2].delete(&db).await?, 1);
        assert_eq!(Volume::query().only_deleted().count(&db).await?, 1);

        let live = Shelf::query().prefetch(Shelf::volumes).prefetch(Shelf::pages).filter(Shelf::id.eq(shelf.id)).get(&db).await?;
        assert_eq!(titles(live.volumes.get()?.iter().map(|v| v.title.as_str())), ["a"]);
        assert_eq!(titles(live.pages.get()?.iter().map(|p| p.title.as_str())), ["a"]);

        let all = Shelf::query()
            .prefetch(Shelf::volumes.include_deleted())
            .prefetch(Shelf::pages.include_deleted())
            .filter(Shelf::id.eq(shelf.id)).get(&db)
            .await?;
        assert_eq!(titles(all.volumes.get()?.iter().map(|v| v.title.as_str())), ["a", "b"], "the archived volume, not the unlinked one");
        assert_eq!(titles(all.pages.get()?.iter().map(|p| p.title.as_str())), ["a", "b"]);

        let filtered = Shelf::query()
            .prefetch(Shelf::volumes.include_deleted().filter(Volume::title.ne("a")))
            .all(&db)
            .await?;
        assert_eq!(titles(filtered[0].volumes.get()?.iter().map(|v| v.title.as_str())), ["b"]);
        Ok(())
    }
}
