//! Text compares the same way everywhere: trailing spaces count (MariaDB's PAD SPACE
//! collations ignored them) and NUL characters are matched exactly (SQLite's LIKE stopped
//! at them) or refused where text cannot hold them (PostgreSQL).

use kakaorm::prelude::*;
use kakaorm::{Backend as Family, Cond, ErrorKind};

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

    async fn nul_characters_match_exactly_or_are_refused(db: Db) -> Result<()> {
        if db.dialect().backend() == Family::Postgres {
            // PostgreSQL text cannot hold NUL: refused before any SQL, in writes and filters.
            words(&db, &["plain"]).await?;
            let err = Word::create().text("a\0b").exec(&db).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
            for cond in [Word::text.contains("\0"), Word::text.starts_with("a\0"), Word::text.ends_with("\0"), Word::text.icontains("A\0")] {
                let err = Word::filter(cond).all(&db).await.unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
            }
            assert_eq!(Word::all(&db).await?.len(), 1);
            return Ok(());
        }
        // SQLite and MySQL store NUL and match it as any other character.
        words(&db, &["a\0b", "b\0", "\0z", "xa", "plain"]).await?;
        assert_eq!(matching(&db, Word::text.contains("\0")).await?, ["\0z", "a\0b", "b\0"]);
        assert_eq!(matching(&db, Word::text.contains("a\0b")).await?, ["a\0b"]);
        assert_eq!(matching(&db, Word::text.starts_with("\0")).await?, ["\0z"]);
        assert_eq!(matching(&db, Word::text.starts_with("a\0")).await?, ["a\0b"]);
        assert_eq!(matching(&db, Word::text.ends_with("\0")).await?, ["b\0"]);
        assert_eq!(matching(&db, Word::text.ends_with("\0b")).await?, ["a\0b"]);
        assert_eq!(matching(&db, Word::text.icontains("A\0B")).await?, ["a\0b"]);
        assert_eq!(matching(&db, Word::text.eq("a\0b")).await?, ["a\0b"]);
        let complement = Word::query().exclude(Word::text.contains("\0")).all(&db).await?;
        assert_eq!(complement.len(), 2);
        let raw_pattern = Word::filter(Word::text.like("%\0%")).all(&db).await;
        match db.dialect().backend() {
            // SQLite's LIKE stops at NUL: a hand-written pattern with one is refused.
            Family::Sqlite => assert_eq!(raw_pattern.unwrap_err().kind(), ErrorKind::InvalidInput),
            _ => assert_eq!(raw_pattern?.len(), 3),
        }
        Ok(())
    }
}
