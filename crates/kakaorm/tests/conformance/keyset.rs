//! Keyset pagination: pages forwards and backwards over composite, mixed-direction keys,
//! and cursors checked on the way back.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kakaorm::prelude::*;
use kakaorm::{ErrorKind, Page, Query};

use crate::models::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "articles")]
pub struct Article {
    pub id: i64,
    pub views: i64,
    #[kakaorm(unique, max_length = 40)]
    pub title: String,
    pub day: NaiveDate,
    pub note: Option<String>,
}

/// 23 articles with repeated view counts and days.
async fn articles(db: &Db) -> kakaorm::Result<()> {
    db.create_table::<Article>().await?;
    for i in 0..23_i64 {
        let day = NaiveDate::from_ymd_opt(2024, 1, 1 + u32::try_from(i % 4).unwrap_or(0)).unwrap_or_default();
        Article::create().views(i % 5).title(format!("t{:02}", (i * 7) % 23)).day(day).exec(db).await?;
    }
    Ok(())
}

fn ids(page: &Page<Article>) -> Vec<i64> {
    page.items.iter().map(|a| a.id).collect()
}

/// Walks every page forwards, then backwards from the last, and checks both against the
/// whole result in the order `total` (the query's, with its tie-breaker spelled out).
async fn walk(db: &Db, query: Query<Article>, total: Query<Article>, size: u64) -> kakaorm::Result<()> {
    let expected: Vec<i64> = total.all(db).await?.iter().map(|a| a.id).collect();
    let mut pages = vec![query.clone().paginate(size).page(db).await?];
    assert!(pages[0].prev.is_none());
    while let Some(next) = pages.last().and_then(|p| p.next.clone()) {
        assert!(next.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "URL-safe: {next}");
        pages.push(query.clone().paginate(size).after(next).page(db).await?);
        assert!(pages.len() < 30, "pagination does not end");
    }
    let forward: Vec<i64> = pages.iter().flat_map(ids).collect();
    assert_eq!(forward, expected, "pages forward cover the rows once, in order");
    assert_eq!(pages.len(), expected.len().div_ceil(usize::try_from(size).unwrap_or(1)));
    let mut back = vec![pages.last().map(ids).unwrap_or_default()];
    let mut prev = pages.last().and_then(|p| p.prev.clone());
    while let Some(cursor) = prev {
        let page = query.clone().paginate(size).before(cursor).page(db).await?;
        assert!(page.next.is_some());
        prev = page.prev.clone();
        back.push(ids(&page));
    }
    back.reverse();
    let expected_pages: Vec<Vec<i64>> = pages.iter().map(ids).collect();
    assert_eq!(back, expected_pages, "pages backward are the same pages");
    Ok(())
}

conformance! {
    async fn keyset_pages_walk_both_ways(db: Db) -> Result<()> {
        articles(&db).await?;
        let q = Article::query;
        walk(&db, q(), q().order_by(Article::id), 5).await?;
        let by_views = q().order_by((Article::views.desc(), Article::title));
        walk(&db, by_views.clone(), by_views, 4).await?;
        let by_day = (Article::day, Article::views.desc());
        let by_day_id = (Article::day, Article::views.desc(), Article::id.desc());
        walk(&db, q().order_by(by_day), q().order_by(by_day_id), 6).await?;
        let some = Article::filter(Article::views.ge(2)).order_by(Article::title.desc());
        walk(&db, some.clone(), some, 3).await?;
        for size in [23, 100] {
            walk(&db, q().order_by(Article::views), q().order_by((Article::views, Article::id)), size).await?;
        }
        let first = Article::query().order_by(Article::title).paginate(3).page(&db).await?;
        assert_eq!(first.items.iter().map(|a| a.title.as_str()).collect::<Vec<_>>(), ["t00", "t01", "t02"]);
        Ok(())
    }

    async fn keyset_cursors_are_checked(db: Db) -> Result<()> {
        articles(&db).await?;
        let by_views = || Article::query().order_by((Article::views.desc(), Article::title));
        let next = by_views().paginate(4).page(&db).await?.next.unwrap_or_default();
        let raw = URL_SAFE_NO_PAD.decode(&next).unwrap_or_default();
        let mut wrong_type = raw.clone();
        wrong_type[6] = 3; // the first key claims to be an i32
        let mut longer = raw.clone();
        longer.push(0);
        let other_order = Article::query().order_by(Article::title).paginate(4).page(&db).await?.next.unwrap_or_default();
        let attempts = [
            String::new(),
            "not a cursor!".to_owned(),
            "' OR 1=1 --".to_owned(),
            next[..next.len() - 3].to_owned(),
            URL_SAFE_NO_PAD.encode(&raw[..raw.len() - 1]),
            URL_SAFE_NO_PAD.encode(longer),
            URL_SAFE_NO_PAD.encode(wrong_type),
            other_order,
            "A".repeat(5000),
        ];
        for bad in attempts {
            for page in [by_views().paginate(4).after(bad.clone()), by_views().paginate(4).before(bad.clone())] {
                let err = page.page(&db).await.unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}: {err}");
            }
        }
        let refused = [
            Article::query().order_by(Article::note).paginate(4),
            by_views().limit(3).paginate(4),
            by_views().paginate(0),
        ];
        for q in refused {
            assert_eq!(q.page(&db).await.unwrap_err().kind(), ErrorKind::InvalidInput);
        }
        Ok(())
    }

    async fn keyset_cursors_hold_timestamps_and_text(db: Db) -> Result<()> {
        db.create_table::<User>().await?;
        for (name, age) in [("Ann", 30), ("Ben", 30), ("Cy", 20), ("Di", 40), ("Ed", 30)] {
            user(&db, name, age).await?;
        }
        let q = User::query().order_by((User::age, User::created_at.desc(), User::name));
        let all: Vec<String> = q.clone().all(&db).await?.into_iter().map(|u| u.name).collect();
        let mut seen = Vec::new();
        let mut page = q.clone().paginate(2).page(&db).await?;
        loop {
            seen.extend(page.items.iter().map(|u| u.name.clone()));
            let Some(next) = page.next.clone() else { break };
            page = q.clone().paginate(2).after(next).page(&db).await?;
        }
        assert_eq!(seen, all);
        Ok(())
    }
}
