//! Introspection of tables created from models reads back the models' schema.

use kakaorm::prelude::*;

use kakaorm_migrate::{DiffOptions, diff, introspect, schema_of};

use crate::conformance;
use crate::models::*;

conformance! {
    async fn introspected_tables_equal_their_models(db: Db) -> Result<()> {
        db.create_tables::<(User, Post, Review, Order, AllTypes)>().await?;
        let live = introspect(&db).await?;
        let models = schema_of::<(User, Post, Review, Order, AllTypes)>();
        let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["all_types", "order", "posts", "reviews", "users"]);
        let d = diff(&live, &models, &DiffOptions::new(db.dialect()).destructive(true));
        assert!(d.is_empty() && d.warnings().is_empty(), "{:#?}\n{d}", live.table("users"));
        let users = live.table("users").expect("users");
        assert_eq!(users.primary_key, ["id"]);
        assert!(users.columns[0].auto_increment);
        assert_eq!(users.checks.len(), 1);
        assert_eq!(users.checks[0].name, "ck_users_age");
        let posts = live.table("posts").expect("posts");
        assert_eq!(posts.foreign_keys.len(), 1);
        assert_eq!(posts.foreign_keys[0].ref_table, "users");
        assert_eq!(posts.foreign_keys[0].on_delete, kakaorm::schema::ReferentialAction::Cascade);
        Ok(())
    }
}
