//! Models and data for the query-language tests (expressions, subqueries, windows, CTEs,
//! set operations).

use kakaorm::prelude::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "articles")]
pub struct Article {
    pub id: i64,
    #[kakaorm(max_length = 40)]
    pub author: String,
    #[kakaorm(max_length = 80)]
    pub title: String,
    pub nick: Option<String>,
    pub views: i32,
    pub likes: i64,
    pub score: f64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "remarks")]
pub struct Remark {
    pub id: i64,
    #[kakaorm(references = Article, on_delete = "cascade")]
    pub article_id: i64,
    pub stars: i32,
}

/// A tree: each category's parent, NULL at the root.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "categories")]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    #[kakaorm(max_length = 40)]
    pub name: String,
}

/// Five articles by two authors, and remarks on the first three.
///
/// | id | author | title         | nick  | views | likes | score |
/// |----|--------|---------------|-------|-------|-------|-------|
/// | 1  | ann    | "  Rust  "    | NULL  | 10    | 3     | 1.5   |
/// | 2  | ann    | "Go"          | "g"   | 30    | 9     | 2.5   |
/// | 3  | bob    | "Zig"         | NULL  | 20    | 1     | 4.0   |
/// | 4  | bob    | "C"           | "c"   | 5     | 0     | 0.5   |
/// | 5  | bob    | "Ada"         | NULL  | 20    | 7     | 3.0   |
pub async fn articles(db: &Db) -> kakaorm::Result<Vec<Article>> {
    db.create_tables::<(Remark, Article)>().await?;
    let rows = [
        ("ann", "  Rust  ", None, 10, 3, 1.5),
        ("ann", "Go", Some("g"), 30, 9, 2.5),
        ("bob", "Zig", None, 20, 1, 4.0),
        ("bob", "C", Some("c"), 5, 0, 0.5),
        ("bob", "Ada", None, 20, 7, 3.0),
    ];
    let mut out = Vec::new();
    for (author, title, nick, views, likes, score) in rows {
        let a = Article::create()
            .author(author)
            .title(title)
            .nick(nick)
            .views(views)
            .likes(likes)
            .score(score)
            .exec(db)
            .await?;
        out.push(a);
    }
    for (article, stars) in [(0, 5), (0, 3), (1, 4), (2, 1)] {
        Remark::create().article_id(out[article].id).stars(stars).exec(db).await?;
    }
    Ok(out)
}

/// root ─┬─ a ─── a1 ─── a11
///       └─ b
/// other (a second root)
pub async fn categories(db: &Db) -> kakaorm::Result<i64> {
    db.create_table::<Category>().await?;
    let root = Category::create().name("root").exec(db).await?;
    let a = Category::create().parent_id(root.id).name("a").exec(db).await?;
    Category::create().parent_id(root.id).name("b").exec(db).await?;
    let a1 = Category::create().parent_id(a.id).name("a1").exec(db).await?;
    Category::create().parent_id(a1.id).name("a11").exec(db).await?;
    Category::create().name("other").exec(db).await?;
    Ok(root.id)
}
