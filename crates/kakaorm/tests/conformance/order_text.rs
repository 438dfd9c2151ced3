//! Orderings from user input, checked against the model's columns.

use kakaorm::ErrorKind;
use kakaorm::prelude::*;

use crate::models::*;

async fn people(db: &Db) -> kakaorm::Result<()> {
    db.create_table::<User>().await?;
    for (name, age, email) in [("Ann", 30, Some("a@x")), ("Ben", 30, None), ("Cy", 20, Some("c@x")), ("Di", 40, None)] {
        User::create().name(name).age(age).email(email.map(str::to_owned)).exec(db).await?;
    }
    Ok(())
}

async fn names(db: &Db, order: &str) -> kakaorm::Result<Vec<String>> {
    Ok(User::query().order_by_str(order)?.all(db).await?.into_iter().map(|u| u.name).collect())
}

conformance! {
    async fn string_orderings_sort_by_model_columns(db: Db) -> Result<()> {
        people(&db).await?;
        assert_eq!(names(&db, "age desc, name").await?, ["Di", "Ann", "Ben", "Cy"]);
        assert_eq!(names(&db, "  users.age   ASC ,users.name DESC ").await?, ["Cy", "Ben", "Ann", "Di"]);
        assert_eq!(names(&db, "email NULLS FIRST, name").await?, ["Ben", "Di", "Ann", "Cy"]);
        assert_eq!(names(&db, "email desc nulls last, name").await?, ["Cy", "Ann", "Ben", "Di"]);
        assert_eq!(names(&db, "email asc nulls last, name desc").await?, ["Ann", "Cy", "Di", "Ben"]);
        Ok(())
    }

    async fn string_orderings_refuse_everything_else(db: Db) -> Result<()> {
        people(&db).await?;
        let long = "name, ".repeat(20);
        let attempts = [
            "",
            " , name",
            "name,",
            "name; DROP TABLE users",
            "name desc --",
            "name /* */",
            "(SELECT 1)",
            "1",
            "\"name\"",
            "`name`",
            "'name'",
            "name desc nulls",
            "name asc asc",
            "name nulls middle",
            "posts.id",
            "users.password",
            "name\0",
            "nаme",
            "age + 1",
            "LOWER(name)",
            "name COLLATE C",
            long.as_str(),
        ];
        for text in attempts {
            let err = User::query().order_by_str(text).map(|_| ()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "{text:?}: {err}");
        }
        assert_eq!(User::query().count(&db).await?, 4, "nothing ran");
        Ok(())
    }
}
