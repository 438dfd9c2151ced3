//! Common table expressions before a typed selection.

use kakaorm::prelude::*;

use crate::models::*;

conformance! {
    async fn a_typed_selection_reads_a_cte(db: Db) -> Result<()> {
        db.create_table::<User>().await?;
        for (name, age) in [("Ann", 30), ("Ben", 12), ("Cy", 50), ("Di", 30)] {
            user(&db, name, age).await?;
        }
        let per_age: Vec<(i32, i64)> = User::query()
            .from_cte("adults")
            .select((User::age, count()))
            .group_by(User::age)
            .order_by(User::age)
            .with_cte("adults", User::filter(User::age.ge(18)))
            .all(&db)
            .await?;
        assert_eq!(per_age, [(30, 2), (50, 1)]);
        let bad = User::query().from_cte("adults").select(User::name).with_cte("adults; --", User::query()).all(&db).await;
        assert_eq!(bad.unwrap_err().kind(), kakaorm::ErrorKind::InvalidInput);
        Ok(())
    }
}
