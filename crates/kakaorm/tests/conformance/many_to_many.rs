//! Many-to-many relations through a join model, including one from a model to itself:
//! prefetch (filtered, nested), load, and add / remove / set / clear.

use kakaorm::prelude::*;
use kakaorm::relation::{BelongsTo, ManyToMany};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "m2m_articles")]
pub struct Article {
    pub id: i64,
    #[kakaorm(max_length = 60)]
    pub title: String,
    #[kakaorm(many_to_many, through = ArticleTag)]
    pub tags: ManyToMany<Tag>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "m2m_tags")]
pub struct Tag {
    pub id: i64,
    #[kakaorm(max_length = 30, unique)]
    pub name: String,
    #[kakaorm(many_to_many, through = ArticleTag, foreign_key = "tag_id", target_key = "article_id")]
    pub articles: ManyToMany<Article>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "m2m_article_tags", unique = "article_id, tag_id")]
pub struct ArticleTag {
    pub id: i64,
    #[kakaorm(references = Article, on_delete = "cascade")]
    pub article_id: i64,
    #[kakaorm(references = Tag, on_delete = "cascade")]
    pub tag_id: i64,
    #[kakaorm(auto_now_add)]
    pub linked_at: DateTime<Utc>,
    #[kakaorm(belongs_to)]
    pub tag: BelongsTo<Tag>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "m2m_people")]
pub struct Person {
    pub id: i64,
    #[kakaorm(max_length = 30)]
    pub name: String,
    #[kakaorm(many_to_many, through = Follow, foreign_key = "follower_id", target_key = "followed_id")]
    pub following: ManyToMany<Person>,
    #[kakaorm(many_to_many, through = Follow, foreign_key = "followed_id", target_key = "follower_id")]
    pub followers: ManyToMany<Person>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "m2m_follows", unique = "follower_id, followed_id")]
pub struct Follow {
    pub id: i64,
    #[kakaorm(references = Person)]
    pub follower_id: i64,
    #[kakaorm(references = Person)]
    pub followed_id: i64,
}

/// ann follows bob and cy; bob follows cy.
async fn follows(db: &Db) -> kakaorm::Result<[Person; 3]> {
    db.create_tables::<(Person, Follow)>().await?;
    let ann = Person::create().name("ann").exec(db).await?;
    let bob = Person::create().name("bob").exec(db).await?;
    let cy = Person::create().name("cy").exec(db).await?;
    Person::following.add(&ann, [bob.id, cy.id], db).await?;
    Person::following.add(&bob, [cy.id], db).await?;
    Ok([ann, bob, cy])
}

fn names<'a>(tags: impl IntoIterator<Item = &'a Tag>) -> Vec<&'a str> {
    tags.into_iter().map(|t| t.name.as_str()).collect()
}

async fn tagged(db: &Db) -> kakaorm::Result<(Vec<Article>, Vec<Tag>)> {
    db.create_tables::<(Article, Tag, ArticleTag)>().await?;
    let mut articles = Vec::new();
    for title in ["one", "two", "three"] {
        articles.push(Article::create().title(title).exec(db).await?);
    }
    let mut tags = Vec::new();
    for name in ["rust", "sql", "web"] {
        tags.push(Tag::create().name(name).exec(db).await?);
    }
    Ok((articles, tags))
}

conformance! {
    async fn add_remove_set_and_clear_links(db: Db) -> Result<()> {
        let (articles, tags) = tagged(&db).await?;
        let (one, two) = (&articles[0], &articles[1]);
        let (rust, sql, web) = (tags[0].id, tags[1].id, tags[2].id);
        assert_eq!(Article::tags.add(one, [rust, sql], &db).await?, 2);
        assert_eq!(Article::tags.add(one, [sql, web, web], &db).await?, 1, "existing links and duplicates are skipped");
        assert_eq!(ArticleTag::count(&db).await?, 3);
        assert_eq!(Article::tags.remove(one, [sql, 424_242], &db).await?, 1);
        Article::tags.add(two, [rust], &db).await?;
        Article::tags.set(one, [sql], &db).await?;
        let mut loaded = one.clone();
        loaded.load(Article::tags, &db).await?;
        assert_eq!(names(loaded.tags.get()?), ["sql"]);
        assert_eq!(Article::tags.clear(one, &db).await?, 1);
        assert_eq!(Article::tags.clear(one, &db).await?, 0);
        // The other article's link was never touched; auto_now_add was filled in.
        let left = ArticleTag::all(&db).await?;
        assert_eq!(left.len(), 1);
        assert_eq!((left[0].article_id, left[0].tag_id), (two.id, rust));
        assert!(left[0].linked_at <= Utc::now());
        // A missing target is refused, and nothing of the call is kept.
        let err = Article::tags.add(one, [rust, 424_242], &db).await.unwrap_err();
        assert_eq!(err.kind(), kakaorm::ErrorKind::ForeignKeyViolation, "{err}");
        assert_eq!(ArticleTag::count(&db).await?, 1);
        Ok(())
    }

    async fn prefetch_both_directions_filtered_and_nested(db: Db) -> Result<()> {
        let (articles, tags) = tagged(&db).await?;
        let (rust, sql, web) = (tags[0].id, tags[1].id, tags[2].id);
        Article::tags.set(&articles[0], [rust, sql, web], &db).await?;
        Article::tags.set(&articles[1], [web], &db).await?;
        let loaded = Article::query()
            .order_by(Article::id)
            .prefetch(Article::tags.filter(Tag::name.ne("sql")).order_by(Tag::name.desc()))
            .all(&db)
            .await?;
        let per_article: Vec<Vec<&str>> = loaded.iter().map(|a| names(a.tags.get().unwrap())).collect();
        assert_eq!(per_article, [vec!["web", "rust"], vec!["web"], vec![]]);
        let tags = Tag::query()
            .order_by(Tag::name)
            .prefetch(Tag::articles.order_by(Article::title).prefetch(Article::tags.order_by(Tag::name)))
            .all(&db)
            .await?;
        let web = &tags[2];
        let titles: Vec<&str> = web.articles.get()?.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["one", "two"]);
        assert_eq!(names(web.articles.get()?[0].tags.get()?), ["rust", "sql", "web"]);
        let links = ArticleTag::query().order_by(ArticleTag::id).prefetch(ArticleTag::tag).all(&db).await?;
        assert_eq!(links.iter().map(|l| l.tag.get().map(|t| t.name.clone())).collect::<kakaorm::Result<Vec<_>>>()?, ["rust", "sql", "web", "web"]);
        Ok(())
    }

    async fn a_model_related_to_itself(db: Db) -> Result<()> {
        follows(&db).await?;
        let people = Person::query().order_by(Person::name).prefetch(Person::following).prefetch(Person::followers).all(&db).await?;
        let view: Vec<(Vec<&str>, Vec<&str>)> = people
            .iter()
            .map(|p| {
                let following = p.following.get().unwrap().iter().map(|q| q.name.as_str()).collect();
                let followers = p.followers.get().unwrap().iter().map(|q| q.name.as_str()).collect();
                (following, followers)
            })
            .collect();
        let mut sorted = view.clone();
        for (a, b) in &mut sorted {
            a.sort_unstable();
            b.sort_unstable();
        }
        assert_eq!(sorted, [(vec!["bob", "cy"], vec![]), (vec!["cy"], vec!["ann"]), (vec![], vec!["ann", "bob"])]);
        Ok(())
    }
}

conformance! {
    async fn filters_and_queries_through_the_join_model(db: Db) -> Result<()> {
        let (articles, tags) = tagged(&db).await?;
        let (rust, sql, web) = (tags[0].id, tags[1].id, tags[2].id);
        Article::tags.set(&articles[0], [rust, web], &db).await?;
        Article::tags.set(&articles[1], [web], &db).await?;
        let titles = |v: Vec<Article>| v.into_iter().map(|a| a.title).collect::<Vec<_>>();
        let web_articles = Article::filter(Article::tags.any(Tag::name.eq("web"))).order_by(Article::title).all(&db).await?;
        assert_eq!(titles(web_articles), ["one", "two"]);
        let untagged = Article::filter(Article::tags.not_exists()).all(&db).await?;
        assert_eq!(titles(untagged), ["three"]);
        assert_eq!(Article::tags.of(&articles[0]).order_by(Tag::name).all(&db).await?.len(), 2);
        assert_eq!(Article::tags.of(&articles[2]).count(&db).await?, 0);
        assert_eq!(Tag::articles.of(&tags[2]).count(&db).await?, 2);
        assert!(!Tag::articles.of(&tags[1]).exists(&db).await?);
        let _ = sql;
        Ok(())
    }

    async fn filters_on_a_model_related_to_itself(db: Db) -> Result<()> {
        let [_, bob, _] = follows(&db).await?;
        let names = |v: Vec<Person>| v.into_iter().map(|p| p.name).collect::<Vec<_>>();
        let follow_cy = Person::filter(Person::following.any(Person::name.eq("cy"))).order_by(Person::name).all(&db).await?;
        assert_eq!(names(follow_cy), ["ann", "bob"]);
        // Followed by someone who follows bob: only cy (ann follows bob and cy).
        let nested = Person::followers.any(Person::following.any(Person::name.eq("bob")));
        let got = Person::filter(nested).order_by(Person::name).all(&db).await?;
        assert_eq!(names(got), ["bob", "cy"]);
        assert_eq!(Person::following.of(&bob).all(&db).await?.into_iter().map(|p| p.name).collect::<Vec<_>>(), ["cy"]);
        Ok(())
    }
}

conformance! {
    async fn counts_through_the_join_model(db: Db) -> Result<()> {
        let (articles, tags) = tagged(&db).await?;
        Article::tags.set(&articles[0], [tags[0].id, tags[2].id], &db).await?;
        Article::tags.set(&articles[1], [tags[2].id], &db).await?;
        let counted = Tag::query().with_count(Tag::articles).order_by_count(true).all(&db).await?;
        let view: Vec<(&str, i64)> = counted.iter().map(|(t, n)| (t.name.as_str(), *n)).collect();
        assert_eq!(view, [("web", 2), ("rust", 1), ("sql", 0)]);
        Ok(())
    }
}

conformance! {
    async fn adding_links_statements_per_backend(db: Db) -> Result<()> {
        let (articles, tags) = tagged(&db).await?;
        let (one, rust, sql) = (&articles[0], tags[0].id, tags[1].id);
        Article::tags.add(one, [rust], &db).await?;
        let (log, guard) = crate::logs::capture();
        let added = Article::tags.add(one, [rust, sql], &db).await?;
        let sent = crate::relations::sent_sql(&log.take());
        drop(guard);
        assert_eq!(added, 1);
        // With a unique key over the pair, PostgreSQL and SQLite skip existing links in
        // the INSERT itself: one statement, no transaction. MySQL's ON DUPLICATE KEY would
        // count the skipped rows, so it reads the existing links first, in a transaction.
        let expected: &[&str] = match db.backend() {
            kakaorm::Backend::Postgres => &[
                r#"INSERT INTO "m2m_article_tags" ("article_id", "tag_id", "linked_at") VALUES ($1, $2, $3), ($4, $5, $6) ON CONFLICT ("article_id", "tag_id") DO NOTHING"#,
            ],
            kakaorm::Backend::Sqlite => &[
                r#"INSERT INTO "m2m_article_tags" ("article_id", "tag_id", "linked_at") VALUES (?, ?, ?), (?, ?, ?) ON CONFLICT ("article_id", "tag_id") DO NOTHING"#,
            ],
            kakaorm::Backend::Mysql => &[
                "START TRANSACTION",
                "SELECT `tag_id` FROM `m2m_article_tags` WHERE `article_id` = ? AND `tag_id` IN (?, ?)",
                "INSERT INTO `m2m_article_tags` (`article_id`, `tag_id`, `linked_at`) VALUES (?, ?, ?)",
                "COMMIT",
            ],
        };
        assert_eq!(sent, expected);
        Ok(())
    }
}
