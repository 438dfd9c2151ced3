//! Window functions: ROW_NUMBER, RANK, DENSE_RANK, LAG, LEAD, and aggregates over
//! partitions, orders and frames.

use kakaorm::ast::FrameBound;
use kakaorm::prelude::*;

use crate::query_models::*;

/// A partition total, a running total, a count and an average, per row.
type WindowRow = (Option<i64>, Option<i64>, i64, Option<f64>);

conformance! {
    async fn ranking_functions(db: Db) -> Result<()> {
        articles(&db).await?;
        let by_views = || over().order_by(Article::views.desc());
        let rows: Vec<(i64, i64, i64, i64)> = Article::query()
            .select((
                Article::id,
                row_number().over(over().partition_by(Article::author).order_by((Article::views.desc(), Article::id))),
                rank().over(by_views()),
                dense_rank().over(by_views()),
            ))
            .order_by(Article::id)
            .all(&db)
            .await?;
        // views: 10, 30, 20, 5, 20
        assert_eq!(rows, [(1, 2, 4, 3), (2, 1, 1, 1), (3, 1, 2, 2), (4, 3, 5, 4), (5, 2, 2, 2)]);
        Ok(())
    }

    async fn lag_and_lead(db: Db) -> Result<()> {
        articles(&db).await?;
        let by_id = || over().order_by(Article::id);
        let rows: Vec<(Option<i32>, i32, Option<i32>, i32)> = Article::query()
            .select((
                Article::views.lag(1).over(by_id()),
                Article::views.lag_or(2, -1).over(by_id()),
                Article::views.lead(1).over(by_id()),
                Article::views.lead_or(1, 0).over(over().partition_by(Article::author).order_by(Article::id)),
            ))
            .order_by(Article::id)
            .all(&db)
            .await?;
        assert_eq!(
            rows,
            [(None, -1, Some(30), 30), (Some(10), -1, Some(20), 0), (Some(30), 10, Some(5), 5), (Some(20), 30, Some(20), 20), (Some(5), 20, None, 0)]
        );
        Ok(())
    }

    async fn aggregates_over_windows(db: Db) -> Result<()> {
        articles(&db).await?;
        let rows: Vec<WindowRow> = Article::query()
            .select((
                Article::views.sum().over(over().partition_by(Article::author)),
                Article::views.sum().over(over().order_by(Article::id).rows(FrameBound::UnboundedPreceding, FrameBound::CurrentRow)),
                count().over(over().partition_by(Article::author)),
                Article::score.avg().over(over().order_by(Article::id).rows(FrameBound::Preceding(1), FrameBound::Following(1))),
            ))
            .order_by(Article::id)
            .all(&db)
            .await?;
        let sums: Vec<_> = rows.iter().map(|r| (r.0, r.1, r.2)).collect();
        assert_eq!(
            sums,
            [(Some(40), Some(10), 2), (Some(40), Some(40), 2), (Some(45), Some(60), 3), (Some(45), Some(65), 3), (Some(45), Some(85), 3)]
        );
        let avgs: Vec<f64> = rows.iter().map(|r| r.3.unwrap_or(f64::NAN)).collect();
        assert_eq!(avgs, [2.0, 8.0 / 3.0, 7.0 / 3.0, 2.5, 1.75]);
        Ok(())
    }
}
