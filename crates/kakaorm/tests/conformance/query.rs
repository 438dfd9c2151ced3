//! Typed expressions: comparisons, IN, LIKE family, NULL tests, BETWEEN, combinators.

use kakaorm::prelude::*;
use kakaorm::{Query, Result};

use crate::models::*;

/// Matching names in byte order (sorted here, so server collations don't matter).
async fn names(db: &Db, q: Query<User>) -> Result<Vec<String>> {
    let mut v: Vec<String> = q.all(db).await?.into_iter().map(|u| u.name).collect();
    v.sort();
    Ok(v)
}

async fn people(db: &Db) -> Result<()> {
    blog_schema(db).await?;
    user(db, "Alice", 30).await?;
    user(db, "bob", 17).await?;
    User::create().name("Carol_1").age(45).exec(db).await?;
    User::create().name("100% Dan").age(17).email("dan@x.org").exec(db).await?;
    Ok(())
}

conformance! {
    async fn comparisons(db: Db) -> Result<()> {
        people(&db).await?;
        assert_eq!(names(&db, User::filter(User::age.eq(17))).await?, ["100% Dan", "bob"]);
        assert_eq!(names(&db, User::filter(User::age.ne(17))).await?, ["Alice", "Carol_1"]);
        assert_eq!(names(&db, User::filter(User::age.lt(30))).await?, ["100% Dan", "bob"]);
        assert_eq!(names(&db, User::filter(User::age.le(30))).await?, ["100% Dan", "Alice", "bob"]);
        assert_eq!(names(&db, User::filter(User::age.gt(30))).await?, ["Carol_1"]);
        assert_eq!(names(&db, User::filter(User::age.ge(30))).await?, ["Alice", "Carol_1"]);
        assert_eq!(names(&db, User::filter(User::age.between(17, 30))).await?, ["100% Dan", "Alice", "bob"]);
        assert_eq!(names(&db, User::filter(User::name.eq("bob"))).await?, ["bob"]);
        assert_eq!(names(&db, User::filter(User::name.eq("BOB"))).await?, Vec::<String>::new(), "= is case-sensitive");
        Ok(())
    }

    async fn in_and_not_in_including_empty_lists(db: Db) -> Result<()> {
        people(&db).await?;
        assert_eq!(names(&db, User::filter(User::age.in_([17, 45]))).await?, ["100% Dan", "Carol_1", "bob"]);
        assert_eq!(names(&db, User::filter(User::age.not_in([17, 45]))).await?, ["Alice"]);
        assert!(names(&db, User::filter(User::age.in_(Vec::<i32>::new()))).await?.is_empty());
        assert_eq!(names(&db, User::filter(User::email.not_in(Vec::<String>::new()))).await?.len(), 4, "NULL emails included");
        assert_eq!(User::filter(User::email.in_(Vec::<String>::new())).count(&db).await?, 0);
        assert_eq!(names(&db, User::filter(User::name.in_(["Alice", "nobody"]))).await?, ["Alice"]);
        Ok(())
    }

    async fn like_family_escapes_and_cases(db: Db) -> Result<()> {
        people(&db).await?;
        assert_eq!(names(&db, User::filter(User::name.like("A%"))).await?, ["Alice"]);
        assert!(names(&db, User::filter(User::name.like("a%"))).await?.is_empty(), "like is case-sensitive");
        assert_eq!(names(&db, User::filter(User::name.ilike("a%"))).await?, ["Alice"]);
        assert_eq!(names(&db, User::filter(User::name.ilike("%O%"))).await?, ["Carol_1", "bob"]);
        assert_eq!(names(&db, User::filter(User::name.like("Carol_1"))).await?, ["Carol_1"]);
        assert_eq!(names(&db, User::filter(User::name.contains("_"))).await?, ["Carol_1"], "_ is literal");
        assert_eq!(names(&db, User::filter(User::name.contains("%"))).await?, ["100% Dan"], "% is literal");
        assert_eq!(names(&db, User::filter(User::name.starts_with("100%"))).await?, ["100% Dan"]);
        assert!(names(&db, User::filter(User::name.starts_with("1000"))).await?.is_empty());
        assert_eq!(names(&db, User::filter(User::name.ends_with("_1"))).await?, ["Carol_1"]);
        assert!(names(&db, User::filter(User::name.ends_with("l1"))).await?.is_empty());
        assert_eq!(names(&db, User::filter(User::name.icontains("DAN"))).await?, ["100% Dan"]);
        assert_eq!(names(&db, User::filter(User::email.contains("@x."))).await?, ["100% Dan"]);
        Ok(())
    }

    async fn null_tests(db: Db) -> Result<()> {
        people(&db).await?;
        assert_eq!(names(&db, User::filter(User::email.is_null())).await?, ["Carol_1"]);
        assert_eq!(names(&db, User::filter(User::email.eq(None::<String>))).await?, ["Carol_1"]);
        assert_eq!(User::filter(User::email.is_not_null()).count(&db).await?, 3);
        assert_eq!(User::filter(User::email.ne(None::<String>)).count(&db).await?, 3);
        assert_eq!(names(&db, User::filter(User::email.eq("dan@x.org"))).await?, ["100% Dan"]);
        Ok(())
    }

    async fn combinators_and_exclude(db: Db) -> Result<()> {
        people(&db).await?;
        let teen = User::age.lt(18);
        assert_eq!(names(&db, User::filter(User::age.lt(18) & User::name.like("b%"))).await?, ["bob"]);
        assert_eq!(names(&db, User::filter(User::name.eq("Alice") | User::age.gt(40))).await?, ["Alice", "Carol_1"]);
        assert_eq!(names(&db, User::filter(!User::age.lt(18))).await?, ["Alice", "Carol_1"]);
        assert_eq!(names(&db, User::filter(!!User::age.lt(18))).await?, ["100% Dan", "bob"]);
        let nested = (User::age.lt(18) | User::age.gt(40)) & !(User::name.eq("bob") | User::name.eq("Carol_1"));
        assert_eq!(names(&db, User::filter(nested)).await?, ["100% Dan"]);
        assert_eq!(names(&db, User::exclude(teen)).await?, ["Alice", "Carol_1"]);
        assert_eq!(names(&db, User::filter(User::age.lt(40)).filter(User::age.gt(20))).await?, ["Alice"]);
        assert_eq!(names(&db, User::query().exclude(User::age.eq(17)).exclude(User::name.eq("Alice"))).await?, ["Carol_1"]);
        Ok(())
    }

    async fn reserved_words_as_identifiers(db: Db) -> Result<()> {
        db.create_table::<Order>().await?;
        Order::create().code("X").select_(1).group("g").exec(&db).await?;
        Order::create().code("Y").select_(2).exec(&db).await?;
        let o = Order::get(Order::select_.eq(2), &db).await?;
        assert_eq!((o.code.as_str(), o.group.as_str()), ("Y", "none"));
        Order::filter(Order::group.eq("g")).update().set(Order::select_, 5).exec(&db).await?;
        assert_eq!(Order::find("X", &db).await?.map(|o| o.select_), Some(5));
        let mut y = o;
        y.group = "h".into();
        y.save(&db).await?;
        assert_eq!(Order::filter(Order::group.eq("h")).count(&db).await?, 1);
        Order::truncate(&db).await?;
        assert_eq!(Order::count(&db).await?, 0);
        Ok(())
    }
}
