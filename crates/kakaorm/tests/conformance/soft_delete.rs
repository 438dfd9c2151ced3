//! Soft delete: `delete` sets `deleted_at`, and every read leaves deleted rows out (count,
//! get, find, exists, aggregates, relations, prefetch, relation filters and counts, joins)
//! unless asked for them; restore and purge.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;
use kakaorm::relation::{BelongsTo, HasMany};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "sd_authors", soft_delete)]
pub struct Author {
    pub id: i64,
    #[kakaorm(max_length = 40)]
    pub name: String,
    pub deleted_at: Option<DateTime<Utc>>,
    #[kakaorm(has_many)]
    pub books: HasMany<Book>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "sd_books", soft_delete = "removed_at")]
pub struct Book {
    pub id: i64,
    #[kakaorm(references = Author)]
    pub author_id: i64,
    #[kakaorm(max_length = 40)]
    pub title: String,
    pub pages: i32,
    pub removed_at: Option<NaiveDateTime>,
    #[kakaorm(belongs_to)]
    pub author: BelongsTo<Author>,
}

/// Ann wrote Alpha (10 pages), Beta (20) and Gamma (30); Bob wrote Delta (40). Beta and
/// Bob are soft-deleted, and so, through Bob, nothing else: Delta stays live.
async fn library(db: &Db) -> kakaorm::Result<(Author, Author, Vec<Book>)> {
    db.create_tables::<(Author, Book)>().await?;
    let ann = Author::create().name("Ann").exec(db).await?;
    let bob = Author::create().name("Bob").exec(db).await?;
    let mut books = Vec::new();
    for (author, title, pages) in [(&ann, "Alpha", 10), (&ann, "Beta", 20), (&ann, "Gamma", 30), (&bob, "Delta", 40)] {
        books.push(Book::create().author_id(author.id).title(title).pages(pages).exec(db).await?);
    }
    assert_eq!(books[1].delete(db).await?, 1);
    assert_eq!(bob.delete(db).await?, 1);
    Ok((ann, bob, books))
}

fn titles(books: &[Book]) -> Vec<&str> {
    books.iter().map(|b| b.title.as_str()).collect()
}

conformance! {
    async fn delete_sets_the_timestamp_and_reads_skip_the_row(db: Db) -> Result<()> {
        let (ann, bob, books) = library(&db).await?;
        // The rows are still there, stamped.
        let stamped: Vec<i64> = db.fetch_raw("SELECT id FROM sd_books WHERE removed_at IS NOT NULL", vec![]).await?;
        assert_eq!(stamped, [books[1].id]);
        let mut beta = books[1].clone();
        beta.refresh(&db).await?;
        assert!(beta.removed_at.is_some(), "refresh reads a soft-deleted row");
        // A second delete finds nothing live.
        assert_eq!(books[1].delete(&db).await?, 0);
        assert_eq!(Author::count(&db).await?, 1);
        assert_eq!(Book::count(&db).await?, 3);
        assert!(Book::find(books[1].id, &db).await?.is_none());
        assert!(Author::find(bob.id, &db).await?.is_none());
        assert_eq!(Author::get(Author::name.eq("Bob"), &db).await.map_err(|e| e.kind()), Err(ErrorKind::NotFound));
        assert!(Author::get_or_none(Author::name.eq("Ann"), &db).await?.is_some());
        assert!(!Book::filter(Book::title.eq("Beta")).exists(&db).await?);
        assert_eq!(titles(&Book::query().order_by(Book::id).all(&db).await?), ["Alpha", "Gamma", "Delta"]);
        assert_eq!(Book::query().first(&db).await?.map(|b| b.title), Some("Alpha".to_owned()));
        assert_eq!(Book::query().last(&db).await?.map(|b| b.title), Some("Delta".to_owned()));
        let (sum, max) = Book::query().select((Book::pages.sum(), Book::pages.max())).one(&db).await?;
        assert_eq!((sum, max), (Some(80), Some(40)));
        assert_eq!(Author::query().include_deleted().count(&db).await?, 2);
        assert_eq!(Author::query().only_deleted().all(&db).await?.iter().map(|a| a.id).collect::<Vec<_>>(), [bob.id]);
        assert!(Author::query().only_deleted().all(&db).await?[0].deleted_at.is_some());
        assert_eq!(Book::query().include_deleted().count(&db).await?, 4);
        assert_eq!(titles(&Book::query().only_deleted().all(&db).await?), ["Beta"]);
        assert_eq!(Book::filter(Book::pages.ge(20)).include_deleted().count(&db).await?, 3);
        assert_eq!(ann.name, "Ann");
        Ok(())
    }

    async fn relations_and_prefetch_skip_deleted_rows(db: Db) -> Result<()> {
        let (mut ann, _bob, books) = library(&db).await?;
        ann.load(Author::books, &db).await?;
        assert_eq!(titles(ann.books.get()?), ["Alpha", "Gamma"]);
        assert_eq!(Author::books.of(&ann).count(&db).await?, 2);
        assert_eq!(Author::books.of(&ann).include_deleted().count(&db).await?, 3);
        let authors = Author::query().prefetch(Author::books).all(&db).await?;
        assert_eq!(authors.len(), 1);
        assert_eq!(titles(authors[0].books.get()?), ["Alpha", "Gamma"]);
        let all = Author::query().include_deleted().order_by(Author::id).prefetch(Author::books.include_deleted()).all(&db).await?;
        let per_author: Vec<usize> = all.iter().map(|a| a.books.get().map_or(0, <[Book]>::len)).collect();
        assert_eq!(per_author, [3, 1]);
        // Delta's author is deleted: belongs-to finds nothing live.
        let mut delta = Book::get(Book::title.eq("Delta"), &db).await?;
        delta.load(Book::author, &db).await?;
        assert_eq!(delta.author.get_opt()?, None);
        let with_authors = Book::query().order_by(Book::id).prefetch(Book::author).all(&db).await?;
        let names: Vec<Option<&str>> =
            with_authors.iter().map(|b| b.author.get_opt().ok().flatten().map(|a| a.name.as_str())).collect();
        assert_eq!(names, [Some("Ann"), Some("Ann"), None]);
        // Relation filters and counts see live rows only.
        assert_eq!(Author::filter(Author::books.any(Book::title.eq("Beta"))).include_deleted().count(&db).await?, 0);
        assert_eq!(Author::filter(Author::books.any(Book::title.eq("Alpha"))).count(&db).await?, 1);
        assert_eq!(Book::filter(Book::author.is(Author::name.eq("Bob"))).count(&db).await?, 0);
        assert_eq!(Book::filter(Book::author.is(Author::name.eq("Ann"))).count(&db).await?, 2);
        let counted = Author::query().include_deleted().order_by(Author::id).with_count(Author::books).all(&db).await?;
        let counts: Vec<i64> = counted.iter().map(|(_, n)| *n).collect();
        assert_eq!(counts, [2, 1]);
        // Joins leave out deleted rows on both sides.
        let pairs = Book::query().join(Author::id, Book::author_id).all(&db).await?;
        assert_eq!(pairs.iter().map(|(b, _)| b.title.as_str()).collect::<Vec<_>>().len(), 2);
        let left = Book::query().order_by(Book::id).left_join(Author::id, Book::author_id).all(&db).await?;
        assert_eq!(left.iter().map(|(_, a)| a.is_some()).collect::<Vec<_>>(), [true, true, false]);
        assert_eq!(books.len(), 4);
        Ok(())
    }

    async fn queryset_delete_restore_and_purge(db: Db) -> Result<()> {
        let (ann, bob, _books) = library(&db).await?;
        assert_eq!(Book::filter(Book::pages.le(20)).delete(&db).await?, 1, "Beta was deleted already");
        assert_eq!(Book::count(&db).await?, 2);
        // Update touches live rows only.
        assert_eq!(Book::query().update().set(Book::pages, 1).exec(&db).await?, 2);
        assert_eq!(Book::query().only_deleted().update().set(Book::pages, 2).exec(&db).await?, 2);
        assert_eq!(Book::filter(Book::title.eq("Beta")).restore(&db).await?, 1);
        assert_eq!(Book::filter(Book::title.eq("Beta")).restore(&db).await?, 0, "already live");
        assert_eq!(titles(&Book::query().order_by(Book::id).all(&db).await?), ["Beta", "Gamma", "Delta"]);
        assert_eq!(bob.restore(&db).await?, 1);
        assert_eq!(Author::count(&db).await?, 2);
        // Purge: only_deleted removes the deleted rows for good.
        assert_eq!(Book::filter(Book::title.eq("Alpha")).only_deleted().purge(&db).await?, 1);
        assert_eq!(Book::query().include_deleted().count(&db).await?, 3);
        let delta = Book::get(Book::title.eq("Delta"), &db).await?;
        assert_eq!(delta.purge(&db).await?, 1);
        assert_eq!(Book::query().include_deleted().count(&db).await?, 2);
        assert_eq!(Book::query().purge(&db).await?, 2);
        assert_eq!(Book::query().include_deleted().count(&db).await?, 0);
        let limited = Author::query().limit(1).restore(&db).await.map_err(|e| e.kind());
        assert_eq!(limited, Err(ErrorKind::InvalidInput));
        assert_eq!(ann.purge(&db).await?, 1);
        Ok(())
    }

    /// An upsert meeting a soft-deleted row: `update` revives it (the row exists as
    /// proposed afterwards), `do_nothing` keeps it as it is, deleted, and returns it.
    async fn an_upsert_that_updates_a_soft_deleted_row_revives_it(db: Db) -> Result<()> {
        let (_, bob, books) = library(&db).await?;
        let up = |name: &str| Author::upsert(Author::create().id(bob.id).name(name)).on_conflict(Author::id);
        let kept = up("Robert").do_nothing().exec(&db).await?;
        assert_eq!(kept.name, "Bob");
        assert!(kept.deleted_at.is_some(), "do_nothing keeps the row deleted");
        assert_eq!(Author::count(&db).await?, 1);
        let revived = up("Robert").update(Author::name).exec(&db).await?;
        assert_eq!((revived.id, revived.name.as_str(), revived.deleted_at), (bob.id, "Robert", None));
        assert_eq!(Author::count(&db).await?, 2);
        assert_eq!(Author::query().only_deleted().count(&db).await?, 0);
        let many = Book::upsert_many([Book::create().id(books[1].id).author_id(bob.id).title("Beta 2").pages(1)])
            .on_conflict(Book::id)
            .update((Book::title, Book::pages))
            .exec(&db)
            .await?;
        assert_eq!((many[0].title.as_str(), many[0].removed_at), ("Beta 2", None));
        assert_eq!(Book::count(&db).await?, 4);
        Ok(())
    }

    /// Counts in every read mode: live, every row, deleted only; filtered and through a
    /// relation.
    async fn counts_in_every_read_mode(db: Db) -> Result<()> {
        let (ann, _, _) = library(&db).await?;
        let modes = async |q: kakaorm::Query<Book>| -> kakaorm::Result<[i64; 3]> {
            Ok([q.clone().count(&db).await?, q.clone().include_deleted().count(&db).await?, q.only_deleted().count(&db).await?])
        };
        assert_eq!(modes(Book::query()).await?, [3, 4, 1]);
        assert_eq!(modes(Book::filter(Book::pages.ge(20))).await?, [2, 3, 1]);
        assert_eq!(modes(Author::books.of(&ann)).await?, [2, 3, 1]);
        let authors = [
            Author::count(&db).await?,
            Author::query().include_deleted().count(&db).await?,
            Author::query().only_deleted().count(&db).await?,
        ];
        assert_eq!(authors, [1, 2, 1]);
        Ok(())
    }
}
