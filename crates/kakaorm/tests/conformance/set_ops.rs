//! Set operations: UNION, UNION ALL, INTERSECT, EXCEPT, and their ALL forms where the
//! backend has them.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::harness::Backend;
use crate::query_models::*;

fn backend(db: &Db) -> Backend {
    match db.dialect().backend() {
        kakaorm::Backend::Postgres => Backend::Postgres,
        kakaorm::Backend::Mysql => Backend::Mysql,
        kakaorm::Backend::Sqlite => Backend::Sqlite,
    }
}

conformance! {
    async fn union_intersect_except_over_models_and_columns(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        let ann = || Article::filter(Article::author.eq("ann"));
        let busy = || Article::filter(Article::views.ge(20));
        let either = ann().union(busy()).order_by(Article::id).all(&db).await?;
        assert_eq!(either, [a[0].clone(), a[1].clone(), a[2].clone(), a[4].clone()]);
        let both: Vec<i64> = ann().select(Article::id).intersect(busy().select(Article::id)).all(&db).await?;
        assert_eq!(both, [a[1].id]);
        let only_ann: Vec<i64> = ann().select(Article::id).except(busy().select(Article::id)).all(&db).await?;
        assert_eq!(only_ann, [a[0].id]);
        let authors: Vec<String> = ann()
            .select(Article::author)
            .union_all(busy().select(Article::author))
            .union(Remark::query().select(Remark::stars.cast::<String>()))
            .order_by(Article::author)
            .all(&db)
            .await?;
        assert_eq!(authors, ["1", "3", "4", "5", "ann", "bob"], "UNION after UNION ALL removes duplicates");
        let all: Vec<String> =
            ann().select(Article::author).union_all(busy().select(Article::author)).order_by(Article::author).all(&db).await?;
        assert_eq!(all, ["ann", "ann", "ann", "bob", "bob"]);
        Ok(())
    }

    async fn operations_combine_left_to_right(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        // (ann ∪ {Zig}) ∩ remarked: SQL alone would read ann ∪ ({Zig} ∩ remarked).
        let ann = Article::filter(Article::author.eq("ann")).select(Article::id);
        let zig = Article::filter(Article::title.eq("Zig")).select(Article::id);
        let c = Article::filter(Article::id.ne(a[0].id)).select(Article::id);
        let ids: Vec<i64> = ann.union(zig).intersect(c).order_by(Article::id).all(&db).await?;
        assert_eq!(ids, [a[1].id, a[2].id]);
        Ok(())
    }

    async fn members_with_their_own_order_and_limit(db: Db) -> Result<()> {
        let a = articles(&db).await?;
        let top = Article::query().order_by(Article::views.desc()).limit(1).select(Article::id);
        let low = Article::query().order_by(Article::views).limit(1).select(Article::id);
        let ids: Vec<i64> = top.union(low).order_by(Article::id).all(&db).await?;
        assert_eq!(ids, [a[1].id, a[3].id]);
        Ok(())
    }

    async fn all_forms_or_a_clear_unsupported_error(db: Db) -> Result<()> {
        articles(&db).await?;
        let authors = || Article::query().select(Article::author);
        let result = authors().intersect_all(authors()).order_by(Article::author).all(&db).await;
        let except = authors().except_all(Article::filter(Article::views.ge(20)).select(Article::author)).all(&db).await;
        if backend(&db) == Backend::Sqlite {
            let err = result.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Unsupported);
            assert!(err.to_string().contains("INTERSECT ALL"), "{err}");
            assert_eq!(except.unwrap_err().kind(), ErrorKind::Unsupported);
        } else {
            assert_eq!(result?, ["ann", "ann", "bob", "bob", "bob"]);
            let mut rest = except?;
            rest.sort();
            assert_eq!(rest, ["ann", "bob"]);
        }
        Ok(())
    }
}

/// MySQL before 8.0.31 has no INTERSECT or EXCEPT: the local server is MariaDB, so this
/// test speaks that older MySQL's dialect to it, and the two operations fail before any
/// SQL is sent, while UNION still runs.
#[tokio::test]
async fn intersect_and_except_are_unsupported_before_mysql_8_0_31() {
    let Some(iso) = crate::harness::isolated(Backend::Mysql).await else { return };
    let outcome: kakaorm::Result<()> = async {
        let a = articles(&iso.db).await?;
        let old = Db::builder(&iso.url).force_dialect(&kakaorm::MysqlDialect::MYSQL_BEFORE_8_0_31).connect().await?;
        let ann = || Article::filter(Article::author.eq("ann")).select(Article::id);
        let busy = || Article::filter(Article::views.ge(20)).select(Article::id);
        for (op, result) in [
            ("INTERSECT", ann().intersect(busy()).all(&old).await),
            ("EXCEPT", ann().except(busy()).all(&old).await),
            ("INTERSECT ALL", ann().intersect_all(busy()).all(&old).await),
            ("EXCEPT", ann().union(busy()).except(ann()).all(&old).await),
        ] {
            let err = result.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Unsupported, "{op}: {err}");
            assert!(err.to_string().contains(&format!("has no {op}")), "{err}");
        }
        let either: Vec<i64> = ann().union(busy()).order_by(Article::id).all(&old).await?;
        assert_eq!(either, [a[0].id, a[1].id, a[2].id, a[4].id]);
        old.close().await;
        Ok(())
    }
    .await;
    iso.cleanup().await;
    outcome.expect("set operations on MySQL before 8.0.31");
}
