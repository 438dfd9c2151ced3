//! Relations: has-many, has-one and belongs-to (twice to one model), loaded by prefetch
//! (flat, nested, filtered, with empty parents and tens of thousands of keys), by `load`,
//! and queried with `of`; reading a relation that was not loaded is an error.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;
use kakaorm::relation::{BelongsTo, HasMany, HasOne};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "rel_authors")]
pub struct Author {
    pub id: i64,
    #[kakaorm(max_length = 40)]
    pub name: String,
    #[kakaorm(has_many)]
    pub books: HasMany<Book>,
    #[kakaorm(has_many, foreign_key = "editor_id")]
    pub edited: HasMany<Book>,
    #[kakaorm(has_one)]
    pub profile: HasOne<Profile>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "rel_books")]
pub struct Book {
    pub id: i64,
    #[kakaorm(references = Author)]
    pub author_id: i64,
    #[kakaorm(references = Author, on_delete = "set null")]
    pub editor_id: Option<i64>,
    #[kakaorm(max_length = 60)]
    pub title: String,
    #[kakaorm(belongs_to)]
    pub author: BelongsTo<Author>,
    #[kakaorm(belongs_to)]
    pub editor: BelongsTo<Author>,
    #[kakaorm(has_many)]
    pub chapters: HasMany<Chapter>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "rel_chapters")]
pub struct Chapter {
    pub id: i64,
    #[kakaorm(references = Book)]
    pub book_id: i64,
    pub pages: i32,
    #[kakaorm(belongs_to)]
    pub book: BelongsTo<Book>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "rel_profiles")]
pub struct Profile {
    pub id: i64,
    #[kakaorm(references = Author, unique)]
    pub author_id: i64,
    #[kakaorm(max_length = 60)]
    pub bio: String,
}

/// Ann wrote "Alpha" (2 chapters) and "Beta" (edited by Bob); Bob wrote "Gamma" (1
/// chapter, edited by Ann); Cy wrote nothing. Only Ann has a profile.
async fn library(db: &Db) -> kakaorm::Result<[Author; 3]> {
    db.create_tables::<(Author, Book, Chapter, Profile)>().await?;
    let ann = Author::create().name("Ann").exec(db).await?;
    let bob = Author::create().name("Bob").exec(db).await?;
    let cy = Author::create().name("Cy").exec(db).await?;
    let alpha = Book::create().author_id(ann.id).title("Alpha").exec(db).await?;
    Book::create().author_id(ann.id).editor_id(bob.id).title("Beta").exec(db).await?;
    let gamma = Book::create().author_id(bob.id).editor_id(ann.id).title("Gamma").exec(db).await?;
    for (book, pages) in [(alpha.id, 10), (alpha.id, 20), (gamma.id, 30)] {
        Chapter::create().book_id(book).pages(pages).exec(db).await?;
    }
    Profile::create().author_id(ann.id).bio("writes").exec(db).await?;
    Ok([ann, bob, cy])
}

fn titles(books: &[Book]) -> Vec<&str> {
    books.iter().map(|b| b.title.as_str()).collect()
}

conformance! {
    async fn prefetch_has_many_gives_every_parent_its_rows(db: Db) -> Result<()> {
        library(&db).await?;
        let authors = Author::query()
            .order_by(Author::id)
            .prefetch(Author::books.order_by(Book::title))
            .prefetch(Author::edited)
            .prefetch(Author::profile)
            .all(&db)
            .await?;
        let books: Vec<Vec<&str>> = authors.iter().map(|a| titles(a.books.get().unwrap())).collect();
        assert_eq!(books, [vec!["Alpha", "Beta"], vec!["Gamma"], vec![]]);
        let edited: Vec<Vec<&str>> = authors.iter().map(|a| titles(a.edited.get().unwrap())).collect();
        assert_eq!(edited, [vec!["Gamma"], vec!["Beta"], vec![]]);
        let bios: Vec<Option<&str>> =
            authors.iter().map(|a| a.profile.get().unwrap().map(|p| p.bio.as_str())).collect();
        assert_eq!(bios, [Some("writes"), None, None]);
        Ok(())
    }

    async fn prefetch_belongs_to_shares_parents_and_keeps_null_keys(db: Db) -> Result<()> {
        library(&db).await?;
        let books = Book::query().order_by(Book::title).prefetch(Book::author).prefetch(Book::editor).all(&db).await?;
        let authors: Vec<&str> = books.iter().map(|b| b.author.get().unwrap().name.as_str()).collect();
        assert_eq!(authors, ["Ann", "Ann", "Bob"]);
        let editors: Vec<Option<&str>> =
            books.iter().map(|b| b.editor.get_opt().unwrap().map(|a| a.name.as_str())).collect();
        assert_eq!(editors, [None, Some("Bob"), Some("Ann")]);
        assert_eq!(books[0].editor.get().unwrap_err().kind(), ErrorKind::NotFound);
        Ok(())
    }

    async fn nested_and_filtered_prefetch(db: Db) -> Result<()> {
        library(&db).await?;
        let authors = Author::query()
            .order_by(Author::id)
            .prefetch(
                Author::books
                    .filter(Book::title.ne("Beta"))
                    .prefetch(Book::chapters.order_by(Chapter::pages.desc()).prefetch(Chapter::book)),
            )
            .all(&db)
            .await?;
        let pages: Vec<Vec<Vec<i32>>> = authors
            .iter()
            .map(|a| a.books.get().unwrap().iter().map(|b| b.chapters.get().unwrap().iter().map(|c| c.pages).collect()).collect())
            .collect();
        assert_eq!(pages, [vec![vec![20, 10]], vec![vec![30]], vec![]]);
        // Third level: each chapter's book, loaded from the chapters.
        let chapter = &authors[0].books.get()?[0].chapters.get()?[0];
        assert_eq!(chapter.book.get()?.title, "Alpha");
        // Levels below what was asked for stay unloaded.
        assert_eq!(chapter.book.get()?.chapters.get().unwrap_err().kind(), ErrorKind::NotLoaded);
        Ok(())
    }

    async fn load_one_relation_and_query_it(db: Db) -> Result<()> {
        let [mut ann, _, mut cy] = library(&db).await?;
        let err = ann.books.get().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotLoaded);
        assert!(err.message().contains("Author.books"), "{err}");
        ann.load(Author::books.order_by(Book::title.desc()), &db).await?;
        assert_eq!(titles(ann.books.get()?), ["Beta", "Alpha"]);
        cy.load(Author::profile, &db).await?;
        assert_eq!(cy.profile.get()?, None);
        assert_eq!(Author::books.of(&ann).count(&db).await?, 2);
        assert!(Author::books.of(&ann).filter(Book::title.eq("Beta")).exists(&db).await?);
        assert!(!Author::books.of(&cy).exists(&db).await?);
        let beta = Book::get(Book::title.eq("Beta"), &db).await?;
        let editor = Book::editor.of(&beta).get(&db).await?;
        assert_eq!(editor.name, "Bob");
        let alpha = Book::get(Book::title.eq("Alpha"), &db).await?;
        assert_eq!(Book::editor.of(&alpha).count(&db).await?, 0, "a NULL key matches nothing");
        // Relation fields are not columns: saving a model leaves them alone.
        ann.name = "Anne".into();
        ann.save(&db).await?;
        assert_eq!(Author::get(Author::id.eq(ann.id), &db).await?.name, "Anne");
        Ok(())
    }

    async fn load_many_and_a_prefetch_inside_a_transaction(db: Db) -> Result<()> {
        library(&db).await?;
        let tx = db.begin().await?;
        let mut books = Book::query().order_by(Book::id).all(&tx).await?;
        Book::load_many(&mut books, Book::chapters, &tx).await?;
        let counts: Vec<usize> = books.iter().map(|b| b.chapters.get().map_or(0, <[Chapter]>::len)).collect();
        assert_eq!(counts, [2, 0, 1]);
        let gamma = Book::get(Book::title.eq("Gamma"), &tx).await?;
        Chapter::create().book_id(gamma.id).pages(99).exec(&tx).await?;
        let seen = Book::query().filter(Book::id.eq(gamma.id)).prefetch(Book::chapters).all(&tx).await?;
        assert_eq!(seen[0].chapters.get()?.len(), 2, "the prefetch ran inside the transaction");
        tx.rollback().await?;
        Ok(())
    }

    async fn prefetch_over_seventy_thousand_keys(db: Db) -> Result<()> {
        db.create_tables::<(Author, Book, Chapter, Profile)>().await?;
        const AUTHORS: i64 = 70_000;
        Author::bulk_create((0..AUTHORS).map(|i| Author::create().name(format!("a{i}"))), &db).await?;
        let ids: Vec<i64> = Author::query().order_by(Author::id).all(&db).await?.iter().map(|a| a.id).collect();
        let with_books: Vec<i64> = ids.iter().copied().step_by(1000).collect();
        Book::bulk_create(with_books.iter().map(|&id| Book::create().author_id(id).title(format!("b{id}"))), &db).await?;
        let authors = Author::query().prefetch(Author::books).all(&db).await?;
        assert_eq!(authors.len(), AUTHORS as usize);
        let mut loaded = 0;
        for a in &authors {
            let books = a.books.get()?;
            let expected = usize::from(with_books.binary_search(&a.id).is_ok());
            assert_eq!(books.len(), expected, "author {}", a.id);
            loaded += books.len();
        }
        assert_eq!(loaded, with_books.len());
        Ok(())
    }
}

/// The statement shape of a prefetch: one array parameter on PostgreSQL, one JSON array
/// on SQLite (for integer, text and UUID keys), an `IN` list padded to a power of two
/// elsewhere (so 3 and 4 keys share one statement text).
#[test]
fn prefetch_keys_render_per_dialect() {
    use kakaorm::ast::{ColumnRef, Expr};
    use kakaorm::{Backend, Value};
    let any =
        |values: Vec<Value>| Expr::AnyOf { expr: Box::new(Expr::Column(ColumnRef::new(None, "author_id"))), values };
    let ints = |n: i64| (1..=n).map(Value::I64).collect::<Vec<_>>();
    let sql = |backend: Backend, values: Vec<Value>| {
        let rendered = kakaorm::render::render_expr(any(values), backend.dialect()).unwrap();
        (rendered.sql.into_owned(), rendered.params)
    };
    assert_eq!(sql(Backend::Postgres, ints(3)).0, r#""author_id" = ANY($1)"#);
    assert_eq!(sql(Backend::Postgres, ints(5000)).1.len(), 1);
    let (text, params) = sql(Backend::Sqlite, ints(3));
    assert_eq!(text, r#""author_id" IN (SELECT value FROM json_each(?))"#);
    assert_eq!(params, [Value::String("[1,2,3]".into())]);
    let dates: Vec<Value> = (1..=3).map(|d| Value::Date(NaiveDate::from_ymd_opt(2026, 1, d).unwrap())).collect();
    assert_eq!(sql(Backend::Sqlite, dates).0, r#""author_id" IN (?, ?, ?, ?)"#);
    assert_eq!(sql(Backend::Mysql, ints(5)).0, "`author_id` IN (?, ?, ?, ?, ?, ?, ?, ?)");
    assert_eq!(sql(Backend::Mysql, ints(4)).0, sql(Backend::Mysql, ints(3)).0);
}

conformance! {
    async fn loading_into_the_same_row_twice_is_refused(db: Db) -> Result<()> {
        let [ann, ..] = library(&db).await?;
        let mut twice = vec![ann.clone(), ann];
        let err = Author::load_many(&mut twice, Author::books, &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
        // Belongs-to copies the shared row, so repeated children are fine.
        let beta = Book::get(Book::title.eq("Beta"), &db).await?;
        let mut books = vec![beta.clone(), beta];
        Book::load_many(&mut books, Book::author, &db).await?;
        assert!(books.iter().all(|b| b.author.get().is_ok_and(|a| a.name == "Ann")));
        Ok(())
    }
}

fn names_of(authors: &[Author]) -> Vec<&str> {
    authors.iter().map(|a| a.name.as_str()).collect()
}

conformance! {
    async fn filters_across_relations(db: Db) -> Result<()> {
        library(&db).await?;
        let by = |cond| Author::filter(cond).order_by(Author::name).all(&db);
        assert_eq!(names_of(&by(Author::books.any(Book::title.eq("Alpha"))).await?), ["Ann"]);
        assert_eq!(names_of(&by(Author::books.none(Book::title.starts_with("A"))).await?), ["Bob", "Cy"]);
        assert_eq!(names_of(&by(Author::books.exists()).await?), ["Ann", "Bob"]);
        assert_eq!(names_of(&by(Author::books.not_exists()).await?), ["Cy"]);
        assert_eq!(names_of(&by(Author::edited.any(Book::title.eq("Beta")) | Author::profile.exists()).await?), ["Ann", "Bob"]);
        // Two levels: authors with a book that has a chapter over 25 pages.
        let deep = Author::books.any(Book::chapters.any(Chapter::pages.gt(25)));
        assert_eq!(names_of(&by(deep.clone()).await?), ["Bob"]);
        // exclude is the complement, and a parent is never returned twice.
        let rest = Author::exclude(deep).order_by(Author::name).all(&db).await?;
        assert_eq!(names_of(&rest), ["Ann", "Cy"]);
        assert_eq!(Author::filter(Author::books.any(Book::id.gt(0))).count(&db).await?, 2);
        // Belongs-to reads naturally with `is`.
        let bobs: Vec<String> =
            Book::filter(Book::author.is(Author::name.eq("Bob"))).all(&db).await?.into_iter().map(|b| b.title).collect();
        assert_eq!(bobs, ["Gamma"]);
        // A relation filter inside a prefetch's own filter.
        let authors = Author::query()
            .order_by(Author::name)
            .prefetch(Author::books.filter(Book::chapters.exists()))
            .all(&db)
            .await?;
        let with_chapters: Vec<Vec<&str>> = authors.iter().map(|a| titles(a.books.get().unwrap())).collect();
        assert_eq!(with_chapters, [vec!["Alpha"], vec!["Gamma"], vec![]]);
        Ok(())
    }
}

/// The statement shapes of relation filters and relation queries, per dialect.
#[test]
fn relation_filters_render_per_dialect() {
    use kakaorm::Backend;
    let sql = |q: &kakaorm::Query<Author>, b: Backend| q.to_sql(b.dialect()).unwrap().sql.into_owned();
    let nested = Author::filter(Author::books.any(Book::chapters.any(Chapter::pages.gt(25))));
    assert_eq!(
        sql(&nested, Backend::Sqlite),
        r#"SELECT "id", "name" FROM "rel_authors" WHERE EXISTS (SELECT 1 FROM "rel_books" "kakaorm_r2" WHERE "kakaorm_r2"."author_id" = "rel_authors"."id" AND EXISTS (SELECT 1 FROM "rel_chapters" "kakaorm_r1" WHERE "kakaorm_r1"."book_id" = "kakaorm_r2"."id" AND "kakaorm_r1"."pages" > ?))"#
    );
    let none = Author::filter(Author::books.none(Book::title.eq("x")));
    assert_eq!(
        sql(&none, Backend::Mysql),
        "SELECT `id`, `name` FROM `rel_authors` WHERE NOT EXISTS (SELECT 1 FROM `rel_books` `kakaorm_r1` WHERE `kakaorm_r1`.`author_id` = `rel_authors`.`id` AND `kakaorm_r1`.`title` = ?)"
    );
    let author = Author {
        id: 7,
        name: "a".into(),
        books: HasMany::default(),
        edited: HasMany::default(),
        profile: HasOne::default(),
    };
    let of = Author::books.of(&author);
    assert_eq!(
        of.to_sql(Backend::Postgres.dialect()).unwrap().sql,
        r#"SELECT "id", "author_id", "editor_id", "title" FROM "rel_books" WHERE "author_id" = $1"#
    );
}

conformance! {
    async fn prefetch_sends_one_statement_per_level_whatever_the_row_count(db: Db) -> Result<()> {
        library(&db).await?;
        let query = || {
            Author::query()
                .prefetch(Author::books.prefetch(Book::chapters.prefetch(Chapter::book)))
                .prefetch(Author::profile)
        };
        let statements = |log: &str| log.lines().filter(|l| l.contains("kakaorm::query")).count();
        let (log, guard) = crate::logs::capture();
        let few = query().all(&db).await?;
        let sent_for_few = statements(&log.take());
        // Ten times the authors, books and chapters.
        for i in 0..27 {
            let a = Author::create().name(format!("extra{i}")).exec(&db).await?;
            let b = Book::create().author_id(a.id).title(format!("t{i}")).exec(&db).await?;
            Chapter::create().book_id(b.id).pages(i).exec(&db).await?;
        }
        log.take();
        let many = query().all(&db).await?;
        let sent_for_many = statements(&log.take());
        drop(guard);
        assert_eq!((few.len(), many.len()), (3, 30));
        // Authors, books, chapters, each chapter's book, profiles: five statements.
        assert_eq!((sent_for_few, sent_for_many), (5, 5));
        Ok(())
    }
}

conformance! {
    async fn counts_of_related_rows_per_row(db: Db) -> Result<()> {
        library(&db).await?;
        let counted = Author::query().with_count(Author::books).order_by_count(true).all(&db).await?;
        let view: Vec<(&str, i64)> = counted.iter().map(|(a, n)| (a.name.as_str(), *n)).collect();
        assert_eq!(view, [("Ann", 2), ("Bob", 1), ("Cy", 0)]);
        // Filters, order and prefetches of the query still apply.
        let edited = Author::filter(Author::name.ne("Cy"))
            .order_by(Author::name.desc())
            .prefetch(Author::books)
            .with_count(Author::edited)
            .all(&db)
            .await?;
        let view: Vec<(&str, i64, usize)> =
            edited.iter().map(|(a, n)| (a.name.as_str(), *n, a.books.get().map_or(0, <[Book]>::len))).collect();
        assert_eq!(view, [("Bob", 1, 1), ("Ann", 1, 2)]);
        Ok(())
    }
}

/// A relation over a text key (the SQLite JSON key list carries strings too).
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "rel_shelves")]
pub struct Shelf {
    #[kakaorm(primary_key, max_length = 20)]
    pub code: String,
    #[kakaorm(has_many, foreign_key = "shelf_code")]
    pub items: HasMany<Item>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "rel_items")]
pub struct Item {
    pub id: i64,
    #[kakaorm(references = Shelf, max_length = 20)]
    pub shelf_code: String,
    #[kakaorm(belongs_to, foreign_key = "shelf_code")]
    pub shelf: BelongsTo<Shelf>,
}

conformance! {
    async fn relations_over_text_keys(db: Db) -> Result<()> {
        db.create_tables::<(Shelf, Item)>().await?;
        for code in ["a'1", "b\"2", "c 3"] {
            Shelf::create().code(code).exec(&db).await?;
        }
        for code in ["a'1", "a'1", "c 3"] {
            Item::create().shelf_code(code).exec(&db).await?;
        }
        let shelves = Shelf::query().order_by(Shelf::code).prefetch(Shelf::items).all(&db).await?;
        let counts: Vec<usize> = shelves.iter().map(|s| s.items.get().map_or(9, <[Item]>::len)).collect();
        assert_eq!(counts, [2, 0, 1]);
        let items = Item::query().order_by(Item::id).prefetch(Item::shelf).all(&db).await?;
        let codes: Vec<&str> = items.iter().map(|i| i.shelf.get().map_or("?", |s| s.code.as_str())).collect();
        assert_eq!(codes, ["a'1", "a'1", "c 3"]);
        let empty = Shelf::filter(Shelf::items.not_exists()).all(&db).await?;
        assert_eq!(empty.into_iter().map(|s| s.code).collect::<Vec<_>>(), ["b\"2"]);
        Ok(())
    }
}

/// The text of each statement in a `kakaorm::query` log, in the order sent.
pub(crate) fn sent_sql(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains("kakaorm::query"))
        .filter_map(|l| l.split_once(" sql=").map(|(_, rest)| rest))
        .map(|rest| rest.split_once(" elapsed_us=").map_or(rest, |(sql, _)| sql).to_owned())
        .collect()
}

conformance! {
    async fn nested_prefetch_statements_per_backend(db: Db) -> Result<()> {
        library(&db).await?;
        let (log, guard) = crate::logs::capture();
        let authors = Author::query()
            .order_by(Author::name.asc())
            .prefetch(Author::books.filter(Book::title.ne("")).order_by(Book::title).prefetch(Book::chapters))
            .prefetch(Author::profile)
            .all(&db)
            .await?;
        let sent = sent_sql(&log.take());
        drop(guard);
        let chapters: Vec<usize> =
            authors.iter().flat_map(|a| a.books.get().unwrap_or_default()).map(|b| b.chapters.get().map_or(0, <[Chapter]>::len)).collect();
        // Alpha has two chapters, Beta none, Gamma one.
        assert_eq!(chapters, [2, 0, 1]);
        // PostgreSQL sends the three prefetches in one round trip: the chapters are keyed
        // by a subquery repeating the books' own filter, so they need not wait for the
        // books' rows (and without their order). The other backends key each level by the values read from the one
        // above.
        let expected: &[&str] = match db.backend() {
            kakaorm::Backend::Postgres => &[
                r#"SELECT "id", "name" FROM "rel_authors" ORDER BY "name" ASC"#,
                r#"SELECT "id", "author_id", "editor_id", "title" FROM "rel_books" WHERE "author_id" = ANY($1) AND "title" <> $2 ORDER BY "title" ASC"#,
                r#"SELECT "id", "book_id", "pages" FROM "rel_chapters" WHERE "book_id" IN (SELECT "rel_books"."id" FROM "rel_books" WHERE "author_id" = ANY($1) AND "title" <> $2)"#,
                r#"SELECT "id", "author_id", "bio" FROM "rel_profiles" WHERE "author_id" = ANY($1)"#,
            ],
            kakaorm::Backend::Mysql => &[
                "SELECT `id`, `name` FROM `rel_authors` ORDER BY `name` ASC",
                "SELECT `id`, `author_id`, `editor_id`, `title` FROM `rel_books` WHERE `author_id` IN (?, ?, ?, ?) AND `title` <> ? ORDER BY `title` ASC",
                "SELECT `id`, `book_id`, `pages` FROM `rel_chapters` WHERE `book_id` IN (?, ?, ?, ?)",
                "SELECT `id`, `author_id`, `bio` FROM `rel_profiles` WHERE `author_id` IN (?, ?, ?, ?)",
            ],
            kakaorm::Backend::Sqlite => &[
                r#"SELECT "id", "name" FROM "rel_authors" ORDER BY "name" ASC"#,
                r#"SELECT "id", "author_id", "editor_id", "title" FROM "rel_books" WHERE "author_id" IN (SELECT value FROM json_each(?)) AND "title" <> ? ORDER BY "title" ASC"#,
                r#"SELECT "id", "book_id", "pages" FROM "rel_chapters" WHERE "book_id" IN (SELECT value FROM json_each(?))"#,
                r#"SELECT "id", "author_id", "bio" FROM "rel_profiles" WHERE "author_id" IN (SELECT value FROM json_each(?))"#,
            ],
        };
        assert_eq!(sent, expected);
        Ok(())
    }
}

shared_conformance! {
    async fn loading_one_row_at_a_time_past_the_threshold_warns_once(db: Db, url: String) -> Result<()> {
        library(&db).await?;
        let watched = Db::builder(url.as_str()).max_connections(1).warn_n_plus_one(2).connect().await?;
        let warnings = |log: &str| log.lines().filter(|l| l.contains("kakaorm::n_plus_one")).map(str::to_owned).collect::<Vec<_>>();
        let (log, guard) = crate::logs::capture();
        let mut authors = Author::query().order_by(Author::id).all(&watched).await?;
        // Two single-row loads stay under the threshold.
        for a in authors.iter_mut().take(2) {
            a.load(Author::books, &watched).await?;
        }
        let under = warnings(&log.take());
        // The third crosses it: one warning, and no more for the loads after it.
        authors[2].load(Author::books, &watched).await?;
        for a in &mut authors {
            a.load(Author::books, &watched).await?;
        }
        let past = warnings(&log.take());
        // A prefetch, and loads on a pool without the detector, never warn.
        Author::query().prefetch(Author::books).all(&watched).await?;
        for a in &mut authors {
            a.load(Author::profile, &db).await?;
        }
        let quiet = warnings(&log.take());
        drop(guard);
        assert!(under.is_empty(), "{under:?}");
        assert_eq!(past.len(), 1, "{past:?}");
        assert!(past[0].contains("WARN") && past[0].contains("`books` of `Author`") && past[0].contains("loads=3"), "{}", past[0]);
        assert!(quiet.is_empty(), "{quiet:?}");
        Ok(())
    }
}
