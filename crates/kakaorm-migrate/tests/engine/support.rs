//! Schemas built by hand, and applying plans with checks on the live database.

use kakaorm::schema::ReferentialAction;
use kakaorm::{ColumnType, Db, Executor, Result};
use kakaorm_migrate::schema::{Check, Column, ColumnDefault, ForeignKey, Index, Schema, Table};
use kakaorm_migrate::{Diff, DiffOptions, Plan, apply, diff, introspect, plan};

/// A column, NOT NULL without default.
pub fn col(name: &str, ty: ColumnType) -> Column {
    Column::new(name, ty)
}

/// An auto-increment BIGINT `id` primary key.
pub fn id() -> Column {
    let mut c = col("id", ColumnType::BigInt);
    c.auto_increment = true;
    c
}

/// `users` and `posts` (a foreign key with ON DELETE CASCADE, an index, a check).
pub fn base() -> Schema {
    let mut users = Table::new("users");
    let mut created = col("created_at", ColumnType::TimestampTz);
    created.auto_now_add = true;
    users.columns = vec![
        id(),
        col("name", ColumnType::Varchar(50)),
        col("age", ColumnType::Integer).default(Some(ColumnDefault::Int(0))),
        created,
    ];
    users.primary_key = vec!["id".into()];
    users.indexes = vec![Index::new("idx_users_age", vec!["age".into()])];
    users.checks = vec![Check::new("ck_users_age", "age >= 0")];
    let mut posts = Table::new("posts");
    posts.columns =
        vec![id(), col("user_id", ColumnType::BigInt), col("title", ColumnType::Varchar(200)).nullable(true)];
    posts.primary_key = vec!["id".into()];
    let fk = ForeignKey::new(Some("fk_posts_user_id".into()), vec!["user_id".into()], "users", vec!["id".into()]);
    posts.foreign_keys = vec![fk.actions(ReferentialAction::Cascade, ReferentialAction::NoAction)];
    Schema::new(vec![users, posts])
}

/// The table called `name`.
pub fn table<'a>(s: &'a mut Schema, name: &str) -> &'a mut Table {
    s.tables.iter_mut().find(|t| t.name == name).unwrap_or_else(|| panic!("no table {name}"))
}

/// A plan's statements for PostgreSQL, MySQL and SQLite, one per line.
pub fn rendered(from: &Schema, to: &Schema, options: impl Fn(DiffOptions) -> DiffOptions) -> String {
    let mut out = String::new();
    for backend in [kakaorm::Backend::Postgres, kakaorm::Backend::Mysql, kakaorm::Backend::Sqlite] {
        let d = backend.dialect();
        let p = plan(&diff(from, to, &options(DiffOptions::new(d))), d).unwrap_or_else(|e| panic!("{backend:?}: {e}"));
        out.push_str(&format!("-- {}\n", backend.name()));
        for (label, list) in [("up", &p.up), ("down", &p.down)] {
            out.push_str(&format!("{label}:\n"));
            for s in list {
                out.push_str(&format!("  {s}\n"));
            }
        }
    }
    out
}

/// The live schema restricted to the tables of `like`.
pub async fn live(db: &Db) -> Result<Schema> {
    introspect(db).await
}

/// Asserts that the database holds exactly `expected` (compared after normalisation).
pub async fn assert_schema(db: &Db, expected: &Schema, context: &str) -> Result<()> {
    let live = live(db).await?;
    let d = diff(&live, expected, &DiffOptions::new(db.dialect()).destructive(true));
    assert!(
        d.is_empty(),
        "{:?} {context}: the database differs from the expected schema:\n{d}\nlive: {live:#?}",
        db.backend()
    );
    Ok(())
}

/// Plans `from` → `to` for the database's dialect and applies UP.
pub async fn up(db: &Db, from: &Schema, to: &Schema, options: &DiffOptions) -> Result<(Diff, Plan)> {
    let d = diff(from, to, options);
    let p = plan(&d, db.dialect())?;
    apply(&p.up, db).await?;
    Ok((d, p))
}

/// The number of rows in `table`.
pub async fn count(db: &Db, table: &str) -> Result<i64> {
    let mut sql = String::from("SELECT COUNT(*) FROM ");
    db.dialect().quote_ident(&mut sql, table);
    let n: Vec<i64> = db.fetch_raw(&sql, vec![]).await?;
    Ok(n.first().copied().unwrap_or(-1))
}
