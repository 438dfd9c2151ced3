//! Text compares the same way everywhere: trailing spaces count (MariaDB's PAD SPACE
//! collations ignored them).

use kakaorm::prelude::*;
use kakaorm::{Cond, ErrorKind};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "words")]
pub struct Word {
    pub id: i64,
    #[kakaorm(unique, max_length = 20)]
    pub text: String,
}

async fn words(db: &Db, texts: &[&str]) -> kakaorm::Result<()> {
    db.create_table::<Word>().await?;
    for t in texts {
        Word::create().text(*t).exec(db).await?;
    }
    Ok(())
}

/// The texts of the rows matching `cond`, sorted.
async fn matching(db: &Db, cond: Cond<Word>) -> kakaorm::Result<Vec<String>> {
    let mut out: Vec<String> = Word::filter(cond).all(db).await?.into_iter().map(|w| w.text).collect();
    out.sort();
    Ok(out)
}

conformance! {
    async fn trailing_spaces_count_in_comparisons(db: Db) -> Result<()> {
        words(&db, &["alpha", "alpha ", "beta"]).await?;
        assert_eq!(matching(&db, Word::text.eq("alpha")).await?, ["alpha"]);
        assert_eq!(matching(&db, Word::text.eq("alpha ")).await?, ["alpha "]);
        assert_eq!(matching(&db, Word::text.ne("alpha")).await?, ["alpha ", "beta"]);
        assert_eq!(matching(&db, Word::text.in_(["alpha", "gamma"])).await?, ["alpha"]);
        assert_eq!(matching(&db, Word::text.between("alpha", "alpha")).await?, ["alpha"]);
        assert_eq!(matching(&db, Word::text.lt("alpha ")).await?, ["alpha"]);
        Ok(())
    }

    async fn trailing_spaces_make_distinct_unique_values(db: Db) -> Result<()> {
        words(&db, &["alpha", "alpha ", "alpha  "]).await?;
        let dup = Word::create().text("alpha ").exec(&db).await.unwrap_err();
        assert_eq!(dup.kind(), ErrorKind::UniqueViolation, "{dup}");
        assert_eq!(Word::all(&db).await?.len(), 3);
        Ok(())
    }
}
