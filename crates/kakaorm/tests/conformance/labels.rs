//! Labelled selections decoded into tuples and `#[derive(FromRow)]` structs, and
//! `also_select` next to the model's columns.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::query_models::*;

#[derive(FromRow, Debug, PartialEq)]
struct Totals {
    total: Option<i64>,
    author: String,
    best: Option<f64>,
}

#[derive(FromRow, Debug, PartialEq)]
struct Extra {
    clean: String,
    double_views: i32,
}

conformance! {
    async fn labelled_selection_into_tuple_and_struct(db: Db) -> Result<()> {
        articles(&db).await?;
        let by_author = Article::query()
            .select((Article::author, Article::views.sum().label("total"), Article::score.max().label("best")))
            .group_by(Article::author)
            .order_by(Article::author);
        let tuples: Vec<(String, Option<i64>, Option<f64>)> = by_author.clone().all(&db).await?;
        assert_eq!(tuples, [("ann".into(), Some(40), Some(2.5)), ("bob".into(), Some(45), Some(4.0))]);
        let structs: Vec<Totals> = by_author.decode_as::<Totals>().all(&db).await?;
        assert_eq!(structs[1], Totals { total: Some(45), author: "bob".into(), best: Some(4.0) });
        Ok(())
    }

    async fn also_select_decodes_next_to_the_model(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        let rows = Article::filter(Article::author.eq("ann"))
            .order_by(Article::id)
            .also_select((Article::views * 2, Article::title.trim().label("clean")))
            .all(&db)
            .await?;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, a[0]);
        assert_eq!(rows[0].1, (20, "Rust".to_owned()));
        let named = Article::filter(Article::id.eq(a[1].id))
            .also_select(((Article::views * 2).label("double_views"), Article::title.label("clean")))
            .decode_as::<Extra>()
            .all(&db)
            .await?;
        assert_eq!(named, [(a[1].clone(), Extra { clean: "Go".into(), double_views: 60 })]);
        Ok(())
    }

    async fn labels_are_checked_identifiers(db: Db) -> Result<()> {
        articles(&db).await?;
        for bad in ["x\" FROM articles; --", "x` FROM articles; --", "1abc", "", "a b", "tötal"] {
            let q = Article::query().select(Article::views.sum().label(bad));
            let err = q.clone().all(&db).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}");
            assert!(err.to_string().contains("is not an identifier"), "{err}");
            assert!(q.to_sql(db.dialect()).is_err());
        }
        let long = Article::query().select(Article::views.label("a_label_that_is_far_too_long_to_be_an_identifier_on_postgresql_x"));
        assert_eq!(long.all(&db).await.unwrap_err().kind(), ErrorKind::InvalidInput);
        let missing = Article::query().select((Article::author, Article::views.sum())).group_by(Article::author).decode_as::<Totals>();
        let err = missing.all(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert!(err.to_string().contains("total"), "{err}");
        Ok(())
    }
}
