//! Typed expressions: arithmetic, text functions, COALESCE, casts and literals in select,
//! filter, order_by, group_by and update values.

use kakaorm::prelude::*;

use crate::query_models::*;

conformance! {
    async fn arithmetic_in_select_filter_and_order(db: Db) -> Result<()> {
        articles(&db).await?;
        let rows: Vec<(String, i32, i32, i64, f64)> = Article::filter((Article::views * 2).gt(30))
            .select((Article::title, Article::views + 1, Article::views / 4, Article::likes - 1, Article::score / 2.0))
            .order_by(((Article::views - Article::views / 3).desc(), Article::id))
            .all(&db)
            .await?;
        let want = vec![
            ("Go".to_owned(), 31, 7, 8, 1.25),
            ("Zig".to_owned(), 21, 5, 0, 2.0),
            ("Ada".to_owned(), 21, 5, 6, 1.5),
        ];
        assert_eq!(rows, want, "integer division truncates on every backend");
        let negative: Vec<i32> = Article::filter(Article::id.eq(4_i64)).select(lit(0) - Article::views / 2).all(&db).await?;
        assert_eq!(negative, [-2]);
        Ok(())
    }

    async fn text_functions_and_coalesce(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        let row: (String, String, String, i64, String, String) = Article::filter(Article::id.eq(a[0].id))
            .select((
                Article::title.trim().upper(),
                Article::title.trim().lower(),
                Article::title.trim().substring(2, 2),
                Article::title.length(),
                Article::nick.coalesce("anon"),
                Article::author.concat("/").concat(Article::title.trim()),
            ))
            .one(&db)
            .await?;
        assert_eq!(row, ("RUST".into(), "rust".into(), "us".into(), 8, "anon".into(), "ann/Rust".into()));
        let nulls: Vec<Option<String>> = Article::query().select(Article::nick.concat("!")).order_by(Article::id).all(&db).await?;
        assert_eq!(nulls, [None, Some("g!".into()), None, Some("c!".into()), None], "concat with NULL is NULL");
        let short: Vec<String> =
            Article::filter(Article::title.trim().length().le(2)).select(Article::title).order_by(Article::id).all(&db).await?;
        assert_eq!(short, ["Go", "C"]);
        Ok(())
    }

    async fn casts_and_literals(db: Db) -> Result<()> {
        articles(&db).await?;
        let rows: Vec<(String, f64, i64, String)> = Article::filter(Article::views.ge(20))
            .select((Article::views.cast::<String>(), Article::views.cast::<f64>(), Article::score.cast::<i64>(), lit("x")))
            .order_by((Article::views, Article::id))
            .all(&db)
            .await?;
        assert_eq!(rows[0], ("20".into(), 20.0, 4, "x".into()));
        assert_eq!(rows[2].0, "30");
        Ok(())
    }

    async fn group_by_an_expression(db: Db) -> Result<()> {
        articles(&db).await?;
        let rows: Vec<(i64, i64, Option<i64>)> = Article::query()
            .select((Article::title.trim().length(), count(), (Article::likes * 2).sum()))
            .group_by(Article::title.trim().length())
            .order_by(Article::title.trim().length())
            .all(&db)
            .await?;
        assert_eq!(rows, [(1, 1, Some(0)), (2, 1, Some(18)), (3, 2, Some(16)), (4, 1, Some(6))]);
        Ok(())
    }

    async fn update_with_expressions(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        let n = Article::filter(Article::author.eq("bob"))
            .update()
            .set(Article::views, Article::views * 2 + 1)
            .set(Article::title, Article::title.lower().concat("?"))
            .set(Article::nick, Article::title)
            .exec(&db)
            .await?;
        assert_eq!(n, 3);
        let zig = Article::get(Article::id.eq(a[2].id), &db).await?;
        // MySQL evaluates assignments left to right, each seeing the ones before it; the
        // others read every right-hand side from the row as it was.
        let nick = if db.dialect().backend() == kakaorm::Backend::Mysql { "zig?" } else { "Zig" };
        assert_eq!((zig.views, zig.title.as_str(), zig.nick.as_deref()), (41, "zig?", Some(nick)));
        let ann = Article::get(Article::id.eq(a[0].id), &db).await?;
        assert_eq!(ann.views, 10, "rows outside the filter are untouched");
        Ok(())
    }
}
