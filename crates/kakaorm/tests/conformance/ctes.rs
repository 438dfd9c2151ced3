//! Common table expressions: one and several read by the main query, recursive tree walks,
//! and names checked as identifiers.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::query_models::*;

conformance! {
    async fn cte_read_by_the_main_query(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        let popular = Article::query()
            .from_cte("popular")
            .filter(Article::author.eq("bob"))
            .order_by(Article::id)
            .with_cte("popular", Article::filter(Article::views.ge(20)))
            .all(&db)
            .await?;
        assert_eq!(popular, [a[2].clone(), a[4].clone()]);
        Ok(())
    }

    async fn several_ctes(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        // The second CTE reads the first; the main query reads the second.
        let rows = Article::query()
            .from_cte("ranked")
            .order_by(Article::id)
            .with_cte("liked", Article::filter(Article::likes.ge(3)))
            .with_cte("ranked", Article::query().from_cte("liked").filter(Article::views.gt(10)))
            .all(&db)
            .await?;
        assert_eq!(rows, [a[1].clone(), a[4].clone()]);
        Ok(())
    }

    async fn recursive_tree_walk(db: Db) -> Result<()> {
        let root = categories(&db).await?;
        let mut names: Vec<String> = Category::query()
            .from_cte("tree")
            .with_tree("tree", Category::filter(Category::id.eq(root)), Category::parent_id, Category::id)
            .all(&db)
            .await?
            .into_iter()
            .map(|c| c.name)
            .collect();
        names.sort();
        assert_eq!(names, ["a", "a1", "a11", "b", "root"]);
        let a = Category::get(Category::name.eq("a"), &db).await?;
        let below_a = Category::query()
            .from_cte("sub")
            .filter(Category::id.ne(a.id))
            .order_by(Category::name)
            .with_tree("sub", Category::filter(Category::id.eq(a.id)), Category::parent_id, Category::id)
            .all(&db)
            .await?;
        let names: Vec<&str> = below_a.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a1", "a11"]);
        Ok(())
    }

    async fn cte_names_are_checked_identifiers(db: Db) -> Result<()> {
        articles(&db).await?;
        for bad in ["x\" AS (SELECT 1); DROP TABLE articles; --", "x` AS (SELECT 1); --", "9lives", "", "two words"] {
            let q = Article::query().from_cte(bad).with_cte(bad, Article::query());
            assert_eq!(q.to_sql(db.dialect()).unwrap_err().kind(), ErrorKind::InvalidInput, "{bad:?}");
            let err = q.all(&db).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{bad:?}");
        }
        // A bad name read without a WITH, or beside a good one, is refused as well.
        for bad in ["x\" ; DROP TABLE articles; --", "a.b"] {
            let alone = Article::query().from_cte(bad);
            assert_eq!(alone.clone().all(&db).await.unwrap_err().kind(), ErrorKind::InvalidInput, "{bad:?}");
            assert_eq!(alone.count(&db).await.unwrap_err().kind(), ErrorKind::InvalidInput, "{bad:?}");
            let beside = Article::query().from_cte(bad).with_cte("good", Article::query());
            assert_eq!(beside.all(&db).await.unwrap_err().kind(), ErrorKind::InvalidInput, "{bad:?}");
        }
        assert_eq!(Article::query().count(&db).await?, 5, "nothing was dropped");
        Ok(())
    }
}
