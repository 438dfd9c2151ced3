//! Subqueries: IN / NOT IN over a query, EXISTS / NOT EXISTS, scalar subqueries in select,
//! filter and update values, and correlated subqueries.

use kakaorm::prelude::*;
use kakaorm::{exists, not_exists};

use crate::query_models::*;

async fn ids(q: kakaorm::Query<Article>, db: &Db) -> kakaorm::Result<Vec<i64>> {
    q.order_by(Article::id).select(Article::id).all(db).await
}

conformance! {
    async fn in_and_not_in_over_a_subquery(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        let liked = Remark::filter(Remark::stars.ge(4)).select(Remark::article_id);
        assert_eq!(ids(Article::filter(Article::id.in_(liked.clone())), &db).await?, [a[0].id, a[1].id]);
        let remarked = Remark::query().select(Remark::article_id);
        assert_eq!(ids(Article::filter(Article::id.not_in(remarked)), &db).await?, [a[3].id, a[4].id]);
        let none = Remark::filter(Remark::stars.gt(10)).select(Remark::article_id);
        assert_eq!(ids(Article::filter(Article::id.in_(none.clone())), &db).await?, Vec::<i64>::new());
        assert_eq!(ids(Article::filter(Article::id.not_in(none)), &db).await?.len(), 5);
        Ok(())
    }

    async fn in_over_an_ordered_and_limited_subquery(db: Db) -> Result<()> {
        // MySQL and MariaDB refuse LIMIT inside IN (…): the subquery is read through a
        // derived table there, with the same rows on every backend.
        let a = articles(&db).await?;
        let best = Remark::query().order_by((Remark::stars.desc(), Remark::id)).limit(1).select(Remark::article_id);
        assert_eq!(ids(Article::filter(Article::id.in_(best)), &db).await?, [a[0].id]);
        let lowest = Remark::query().order_by(Remark::stars).limit(2).select(Remark::article_id);
        assert_eq!(ids(Article::filter(Article::id.not_in(lowest)), &db).await?, [a[1].id, a[3].id, a[4].id]);
        let middle = Remark::query().order_by((Remark::stars.desc(), Remark::id)).limit(2).offset(1).select(Remark::article_id);
        assert_eq!(ids(Article::filter(Article::id.in_(middle)), &db).await?, [a[0].id, a[1].id]);
        Ok(())
    }

    async fn correlated_exists_and_not_exists(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        let remarks = Remark::filter(Remark::article_id.eq(Article::id.outer()));
        assert_eq!(ids(Article::filter(exists(remarks.clone())), &db).await?, [a[0].id, a[1].id, a[2].id]);
        assert_eq!(ids(Article::filter(not_exists(remarks)), &db).await?, [a[3].id, a[4].id]);
        let high = Remark::filter(Remark::article_id.eq(Article::id.outer()) & Remark::stars.ge(5)).select(Remark::id);
        assert_eq!(ids(Article::filter(exists(high)), &db).await?, [a[0].id]);
        Ok(())
    }

    async fn scalar_subqueries_in_select_filter_and_update(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        let remark_count = Remark::filter(Remark::article_id.eq(Article::id.outer())).select(count());
        let counts: Vec<(String, i64)> = Article::query()
            .select((Article::author, remark_count.clone().scalar().label("remarks")))
            .order_by(Article::id)
            .all(&db)
            .await?;
        let n: Vec<i64> = counts.iter().map(|c| c.1).collect();
        assert_eq!(n, [2, 1, 1, 0, 0]);
        let average = Article::query().select(Article::views.avg()).scalar();
        assert_eq!(ids(Article::filter(average.lt(Article::views.cast::<f64>())), &db).await?, [a[1].id, a[2].id, a[4].id]);
        // Correlated over the same table: each author's least-viewed article.
        let least = Article::filter(Article::author.eq(Article::author.outer())).select(Article::views.min()).scalar();
        assert_eq!(ids(Article::filter(least.eq(Article::views)), &db).await?, [a[0].id, a[3].id]);
        let n = Article::query().update().set(Article::likes, remark_count.scalar()).exec(&db).await?;
        assert_eq!(n, 5);
        let likes: Vec<i64> = Article::query().order_by(Article::id).select(Article::likes).all(&db).await?;
        assert_eq!(likes, [2, 1, 1, 0, 0]);
        Ok(())
    }

    async fn nested_subqueries(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        // Articles by authors who wrote an article with a five-star remark.
        let starred = Remark::filter(Remark::stars.eq(5)).select(Remark::article_id);
        let authors = Article::filter(Article::id.in_(starred)).select(Article::author);
        assert_eq!(ids(Article::filter(Article::author.in_(authors)), &db).await?, [a[0].id, a[1].id]);
        Ok(())
    }
}
