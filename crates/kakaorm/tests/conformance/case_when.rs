//! CASE WHEN … THEN … ELSE … END as a selected expression, in order_by and as an update
//! value.

use kakaorm::prelude::*;

use crate::query_models::*;

conformance! {
    async fn case_in_select_and_order_by(db: Db) -> Result<()> {
        articles(&db).await?;
        let tier = case_when(Article::views.ge(30), "hot").when(Article::views.ge(20), "warm").otherwise("cold");
        let rows: Vec<(String, String)> =
            Article::query().select((Article::title.trim(), tier)).order_by(Article::id).all(&db).await?;
        let tiers: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
        assert_eq!(tiers, ["cold", "hot", "warm", "cold", "warm"]);
        // Without ELSE: NULL where nothing matched; integer branches.
        let bonus: Vec<Option<i32>> = Article::query()
            .select(case_when(Article::author.eq("ann"), 1).when(Article::likes.gt(5), Article::views).end())
            .order_by(Article::id)
            .all(&db)
            .await?;
        assert_eq!(bonus, [Some(1), Some(1), None, None, Some(20)]);
        // Order: bob's articles first, then by title.
        let order = case_when(Article::author.eq("bob"), 0).otherwise(1);
        let titles: Vec<String> = Article::query().order_by((order.asc(), Article::title)).select(Article::title).all(&db).await?;
        assert_eq!(titles, ["Ada", "C", "Zig", "  Rust  ", "Go"]);
        Ok(())
    }

    async fn case_as_update_value(db: Db) -> Result<()> {
        articles(&db).await?;
        let n = Article::query()
            .update()
            .set(Article::likes, case_when(Article::views.ge(20), Article::likes * 10).otherwise(0))
            .set(Article::nick, case_when(Article::nick.is_null(), Article::title).otherwise(Article::author))
            .exec(&db)
            .await?;
        assert_eq!(n, 5);
        let rows: Vec<(i64, Option<String>)> =
            Article::query().select((Article::likes, Article::nick)).order_by(Article::id).all(&db).await?;
        let want: Vec<(i64, Option<String>)> =
            vec![(0, Some("  Rust  ".into())), (90, Some("ann".into())), (10, Some("Zig".into())), (0, Some("bob".into())), (70, Some("Ada".into()))];
        assert_eq!(rows, want);
        Ok(())
    }
}
