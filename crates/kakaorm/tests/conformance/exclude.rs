//! `exclude(c)` is the exact complement of `filter(c)` over nullable columns: together they
//! return every row, and never the same row twice.

use std::collections::BTreeSet;

use kakaorm::prelude::*;
use kakaorm::{Cond, Query};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "people")]
pub struct Person {
    pub id: i64,
    #[kakaorm(max_length = 20)]
    pub email: Option<String>,
    pub age: Option<i32>,
    pub score: Option<i32>,
}

/// id, email, age, score: every column NULL in some row, and in one row all of them.
const ROWS: [(Option<&str>, Option<i32>, Option<i32>); 6] = [
    (Some("x"), Some(10), Some(1)),
    (Some("y"), Some(20), None),
    (None, Some(30), Some(3)),
    (Some("x"), None, Some(30)),
    (None, None, None),
    (Some("ax"), Some(20), Some(20)),
];

async fn people(db: &Db) -> kakaorm::Result<Vec<i64>> {
    db.create_table::<Person>().await?;
    let mut ids = Vec::new();
    for (email, age, score) in ROWS {
        let mut b = Person::create().email(email);
        if let Some(a) = age {
            b = b.age(a);
        }
        if let Some(s) = score {
            b = b.score(s);
        }
        ids.push(b.exec(db).await?.id);
    }
    Ok(ids)
}

async fn ids(db: &Db, q: Query<Person>) -> kakaorm::Result<BTreeSet<i64>> {
    Ok(q.all(db).await?.into_iter().map(|p| p.id).collect())
}

/// Checks the complement and returns the rows (1-based, in `ROWS` order) `exclude` keeps.
async fn split(db: &Db, all: &[i64], c: Cond<Person>) -> kakaorm::Result<Vec<usize>> {
    let kept = ids(db, Person::filter(c.clone())).await?;
    let dropped = ids(db, Person::query().exclude(c.clone())).await?;
    assert!(kept.is_disjoint(&dropped), "{c:?}: filter {kept:?} and exclude {dropped:?} overlap");
    let union: BTreeSet<i64> = kept.union(&dropped).copied().collect();
    assert_eq!(union, all.iter().copied().collect(), "{c:?}: filter {kept:?} + exclude {dropped:?} miss rows");
    Ok(all.iter().enumerate().filter(|(_, id)| dropped.contains(id)).map(|(i, _)| i + 1).collect())
}

conformance! {
    async fn exclude_keeps_rows_where_the_condition_is_null(db: Db) -> Result<()> {
        let all = people(&db).await?;
        let email = Person::email;
        assert_eq!(split(&db, &all, email.eq("x")).await?, [2, 3, 5, 6]);
        assert_eq!(split(&db, &all, email.ne("x")).await?, [1, 3, 4, 5]);
        assert_eq!(split(&db, &all, email.in_(["x", "y"])).await?, [3, 5, 6]);
        assert_eq!(split(&db, &all, email.not_in(["x"])).await?, [1, 3, 4, 5]);
        assert_eq!(split(&db, &all, email.contains("x")).await?, [2, 3, 5]);
        assert_eq!(split(&db, &all, email.like("a%")).await?, [1, 2, 3, 4, 5]);
        assert_eq!(split(&db, &all, email.is_null()).await?, [1, 2, 4, 6]);
        assert_eq!(split(&db, &all, email.eq(None::<String>)).await?, [1, 2, 4, 6]);
        // A NULL in the list leaves the comparison NULL even for a non-NULL email: the
        // complement then tests the condition with IS TRUE.
        let with_null = [Some("x".to_owned()), None];
        assert_eq!(split(&db, &all, email.in_(with_null.clone())).await?, [2, 3, 5, 6]);
        assert_eq!(split(&db, &all, email.not_in(with_null)).await?, [1, 2, 3, 4, 5, 6]);
        Ok(())
    }

    async fn exclude_complements_every_comparison(db: Db) -> Result<()> {
        let all = people(&db).await?;
        let age = Person::age;
        assert_eq!(split(&db, &all, age.lt(20)).await?, [2, 3, 4, 5, 6]);
        assert_eq!(split(&db, &all, age.le(20)).await?, [3, 4, 5]);
        assert_eq!(split(&db, &all, age.gt(20)).await?, [1, 2, 4, 5, 6]);
        assert_eq!(split(&db, &all, age.ge(20)).await?, [1, 4, 5]);
        assert_eq!(split(&db, &all, age.between(15, 25)).await?, [1, 3, 4, 5]);
        assert_eq!(split(&db, &all, age.eq(Person::score)).await?, [1, 2, 3, 4, 5]);
        assert_eq!(split(&db, &all, age.gt(Person::score)).await?, [2, 4, 5, 6]);
        assert_eq!(split(&db, &all, age.in_(Vec::<i32>::new())).await?, [1, 2, 3, 4, 5, 6]);
        assert_eq!(split(&db, &all, age.not_in(Vec::<i32>::new())).await?, Vec::<usize>::new());
        Ok(())
    }

    async fn exclude_complements_compound_conditions(db: Db) -> Result<()> {
        let all = people(&db).await?;
        let (email, age, score) = (Person::email, Person::age, Person::score);
        assert_eq!(split(&db, &all, email.eq("x") & age.ge(10)).await?, [2, 3, 4, 5, 6]);
        assert_eq!(split(&db, &all, email.eq("x") | age.ge(25)).await?, [2, 5, 6]);
        assert_eq!(split(&db, &all, !email.eq("x")).await?, [1, 3, 4, 5]);
        assert_eq!(split(&db, &all, !(email.eq("x") | score.gt(10))).await?, [1, 2, 3, 4, 5, 6]);
        assert_eq!(split(&db, &all, !age.is_null() & !(score.lt(5) | email.is_null())).await?, [1, 2, 3, 4, 5]);
        Ok(())
    }
}
