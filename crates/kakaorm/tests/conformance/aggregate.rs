//! Selected columns and aggregates, grouped and filtered with HAVING.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;
use rust_decimal::Decimal;

use crate::models::*;

async fn reviews(db: &Db) -> kakaorm::Result<()> {
    blog_schema(db).await?;
    let a = user(db, "A", 30).await?;
    let b = user(db, "B", 40).await?;
    let post = Post::create().user_id(a.id).title("p").exec(db).await?;
    for (who, stars) in [(Some(a.id), 5), (Some(a.id), 3), (Some(b.id), 4), (None, 1)] {
        Review::create().reviewer_id(who).post_id(post.id).stars(stars).exec(db).await?;
    }
    Ok(())
}

conformance! {
    async fn ungrouped_aggregates(db: Db) -> Result<()> {
        reviews(&db).await?;
        let (n, sum, avg, lo, hi) = Review::query()
            .select((count(), Review::stars.sum(), Review::stars.avg(), Review::stars.min(), Review::stars.max()))
            .one(&db)
            .await?;
        assert_eq!((n, sum, lo, hi), (4, Some(13), Some(1), Some(5)));
        assert!((avg.expect("avg") - 3.25).abs() < 1e-9);
        let reviewers: i64 = Review::query().select(Review::reviewer_id.count()).one(&db).await?;
        assert_eq!(reviewers, 3, "COUNT(column) skips NULLs");
        let none = Review::filter(Review::stars.gt(10)).select((count(), Review::stars.sum(), Review::stars.max())).one(&db).await?;
        assert_eq!(none, (0, None, None), "aggregates over no rows");
        let ages = User::query().select(User::age.sum()).one(&db).await?;
        assert_eq!(ages, Some(70));
        Ok(())
    }

    async fn group_by_having_and_order(db: Db) -> Result<()> {
        reviews(&db).await?;
        let per_reviewer: Vec<(Option<i64>, i64, Option<i64>)> = Review::query()
            .select((Review::reviewer_id, count(), Review::stars.sum()))
            .group_by(Review::reviewer_id)
            .order_by(count().desc())
            .all(&db)
            .await?;
        assert_eq!(per_reviewer.len(), 3);
        assert_eq!((per_reviewer[0].1, per_reviewer[0].2), (2, Some(8)));
        let busy: Vec<(Option<i64>, i64)> = Review::query()
            .select((Review::reviewer_id, count()))
            .group_by(Review::reviewer_id)
            .having(count().ge(2))
            .all(&db)
            .await?;
        assert_eq!(busy.len(), 1);
        let names: Vec<String> = User::query().select(User::name).order_by(User::name.desc()).all(&db).await?;
        assert_eq!(names, ["B", "A"]);
        let err = Review::query().select((Review::reviewer_id, count())).group_by(Review::reviewer_id).one(&db).await;
        assert_eq!(err.unwrap_err().kind(), ErrorKind::MultipleRows);
        Ok(())
    }

    async fn decimal_and_float_aggregates(db: Db) -> Result<()> {
        db.create_table::<NullableTypes>().await?;
        for (m, d) in [("1.25", 0.5), ("2.50", 1.5)] {
            NullableTypes::create().money(m.parse::<Decimal>().expect("decimal")).double(d).exec(&db).await?;
        }
        let (sum, total, mean) = NullableTypes::query()
            .select((NullableTypes::money.sum(), NullableTypes::double.sum(), NullableTypes::double.avg()))
            .one(&db)
            .await?;
        assert_eq!(sum, Some("3.75".parse::<Decimal>().expect("decimal")));
        assert_eq!((total, mean), (Some(2.0), Some(1.0)));
        Ok(())
    }
}
