//! Every kind of change: its plan per dialect (snapshots), and applied to each backend
//! with rows in the tables: UP reaches the target, DOWN the base, and the rows survive.

use kakaorm::schema::ReferentialAction;
use kakaorm::{ColumnType, Result};
use kakaorm_migrate::schema::{Check, ColumnDefault, ForeignKey, Index, Schema, Table, Unique};
use kakaorm_migrate::{DiffOptions, Rename};

use crate::conformance;
use crate::support::*;

/// One change to the base schema.
pub struct Kind {
    pub name: &'static str,
    pub edit: fn(&mut Schema),
    pub renames: Vec<Rename>,
    pub destructive: bool,
}

fn kind(name: &'static str, edit: fn(&mut Schema)) -> Kind {
    Kind { name, edit, renames: Vec::new(), destructive: false }
}

/// The base schema of these tests: `support::base` with a unique constraint on posts.
pub fn start() -> Schema {
    let mut s = base();
    table(&mut s, "posts").uniques.push(Unique::new(Some("uq_posts_title".into()), vec!["title".into()]));
    let mut members = Table::new("members");
    members.columns = vec![col("user_id", ColumnType::BigInt), col("team", ColumnType::Varchar(30))];
    members.primary_key = vec!["user_id".into()];
    s.tables.push(members);
    s
}

pub fn kinds() -> Vec<Kind> {
    let mut out = vec![
        kind("create_table", |s| {
            let mut tags = Table::new("tags");
            tags.columns = vec![id(), col("label", ColumnType::Varchar(30))];
            tags.primary_key = vec!["id".into()];
            tags.uniques = vec![Unique::new(None, vec!["label".into()])];
            s.tables.push(tags);
        }),
        kind("add_nullable_column", |s| table(s, "users").columns.push(col("bio", ColumnType::Text).nullable(true))),
        kind("add_not_null_column", |s| table(s, "users").columns.push(col("score", ColumnType::Integer))),
        kind("add_auto_now_add_column", |s| {
            let mut c = col("joined_at", ColumnType::TimestampTz);
            c.auto_now_add = true;
            table(s, "users").columns.push(c);
        }),
        kind("alter_type", |s| table(s, "users").columns[1].ty = ColumnType::Varchar(120)),
        kind("alter_nullability", |s| table(s, "users").columns[1].nullable = true),
        kind("alter_default", |s| table(s, "users").columns[2].default = Some(ColumnDefault::Int(18))),
        kind("add_index", |s| {
            table(s, "users").indexes.push(Index::new("idx_users_name_age", vec!["name".into(), "age".into()]));
        }),
        kind("drop_index", |s| table(s, "users").indexes.clear()),
        kind("add_unique", |s| table(s, "users").uniques.push(Unique::new(None, vec!["name".into()]))),
        kind("drop_unique", |s| table(s, "posts").uniques.clear()),
        kind("add_foreign_key", |s| {
            let posts = table(s, "posts");
            posts.columns.push(col("editor_id", ColumnType::BigInt).nullable(true));
            let fk = ForeignKey::new(
                Some("fk_posts_editor_id".into()),
                vec!["editor_id".into()],
                "users",
                vec!["id".into()],
            );
            posts.foreign_keys.push(fk.actions(ReferentialAction::SetNull, ReferentialAction::NoAction));
        }),
        kind("drop_foreign_key", |s| table(s, "posts").foreign_keys.clear()),
        kind("change_foreign_key_action", |s| {
            table(s, "posts").foreign_keys[0].on_delete = ReferentialAction::Restrict
        }),
        kind("change_primary_key", |s| table(s, "members").primary_key.push("team".into())),
        kind("add_check", |s| table(s, "users").checks.push(Check::new("ck_users_name", "name <> ''"))),
        kind("drop_check", |s| table(s, "users").checks.clear()),
    ];
    out.push(Kind {
        destructive: true,
        ..kind("drop_column", |s| {
            let users = table(s, "users");
            users.columns.retain(|c| c.name != "age");
            users.indexes.clear();
            users.checks.clear();
        })
    });
    out.push(Kind { destructive: true, ..kind("drop_table", |s| s.tables.retain(|t| t.name != "posts")) });
    out.push(Kind {
        renames: vec![Rename::column("users", "name", "full_name")],
        ..kind("rename_column", |s| table(s, "users").columns[1].name = "full_name".into())
    });
    out.push(Kind {
        renames: vec![Rename::table("posts", "articles")],
        ..kind("rename_table", |s| table(s, "posts").name = "articles".into())
    });
    out
}

fn options(k: &Kind) -> impl Fn(DiffOptions) -> DiffOptions + '_ {
    move |o| k.renames.iter().cloned().fold(o.destructive(k.destructive), DiffOptions::confirm_rename)
}

#[test]
fn plans_of_every_change_kind() {
    let from = start();
    let mut all = String::new();
    for k in kinds() {
        let mut to = from.clone();
        (k.edit)(&mut to);
        all.push_str(&format!("==== {}\n{}", k.name, rendered(&from, &to, options(&k))));
    }
    expect_test::expect_file!["plans.txt"].assert_eq(&all);
}

async fn seed(db: &kakaorm::Db) -> Result<()> {
    for sql in [
        "INSERT INTO users (name, age, created_at) VALUES ('ann', 30, CURRENT_TIMESTAMP)",
        "INSERT INTO users (name, age, created_at) VALUES ('bob', 40, CURRENT_TIMESTAMP)",
        "INSERT INTO posts (user_id, title) VALUES (1, 'a')",
        "INSERT INTO posts (user_id, title) VALUES (1, 'b')",
        "INSERT INTO posts (user_id, title) VALUES (2, NULL)",
        "INSERT INTO members (user_id, team) VALUES (1, 'red')",
        "INSERT INTO members (user_id, team) VALUES (2, 'red')",
    ] {
        kakaorm::execute_ddl(sql, db).await?;
    }
    Ok(())
}

conformance! {
    async fn every_change_kind_applies_and_reverts(db: Db) -> Result<()> {
        let empty = Schema::default();
        let base = start();
        let all = DiffOptions::new(db.dialect()).destructive(true);
        for k in kinds() {
            let ctx = |step: &str| format!("{} ({step})", k.name);
            up(&db, &empty, &base, &all).await?;
            seed(&db).await?;
            let mut to = base.clone();
            (k.edit)(&mut to);
            let (d, p) = up(&db, &base, &to, &options(&k)(DiffOptions::new(db.dialect()))).await
                .map_err(|e| kakaorm::Error::new(e.kind(), format!("{}: {e}", ctx("up"))))?;
            assert!(!p.up.is_empty(), "{}", ctx("no statements"));
            assert_schema(&db, d.target(), &ctx("after up")).await?;
            assert_eq!(count(&db, "users").await?, 2, "{}", ctx("users after up"));
            assert_eq!(count(&db, "members").await?, 2, "{}", ctx("members after up"));
            if k.name != "drop_table" {
                let posts = if k.name == "rename_table" { "articles" } else { "posts" };
                assert_eq!(count(&db, posts).await?, 3, "{}", ctx("posts after up"));
            }
            kakaorm_migrate::apply(&p.down, &db).await
                .map_err(|e| kakaorm::Error::new(e.kind(), format!("{}: {e}", ctx("down"))))?;
            assert_schema(&db, &base, &ctx("after down")).await?;
            assert_eq!(count(&db, "users").await?, 2, "{}", ctx("users after down"));
            assert_eq!(count(&db, "members").await?, 2, "{}", ctx("members after down"));
            if k.name != "drop_table" {
                assert_eq!(count(&db, "posts").await?, 3, "{}", ctx("posts after down"));
            }
            up(&db, &base, &empty, &all).await?;
            assert_schema(&db, &empty, &ctx("after teardown")).await?;
        }
        Ok(())
    }
}

/// Renames are never guessed: without confirmation a renamed column is an added one plus
/// a kept one (a warning), and both renames are offered as candidates.
#[test]
fn renames_are_candidates_until_confirmed() {
    let from = start();
    let mut to = from.clone();
    table(&mut to, "users").columns[1].name = "full_name".into();
    table(&mut to, "posts").name = "articles".into();
    let d = kakaorm::Backend::Postgres.dialect();
    let guessed = kakaorm_migrate::diff(&from, &to, &DiffOptions::new(d));
    assert_eq!(
        guessed.rename_candidates(),
        [Rename::table("posts", "articles"), Rename::column("users", "name", "full_name")]
    );
    let shown: Vec<String> = guessed.changes().iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["create table articles", "add column users.full_name"]);
    assert_eq!(guessed.warnings().len(), 2, "{:?}", guessed.warnings());
    let confirmed = guessed.rename_candidates().iter().cloned().fold(DiffOptions::new(d), DiffOptions::confirm_rename);
    let renamed = kakaorm_migrate::diff(&from, &to, &confirmed);
    let shown: Vec<String> = renamed.changes().iter().map(ToString::to_string).collect();
    assert_eq!(shown, ["rename table posts to articles", "rename column users.name to full_name"]);
    assert!(renamed.warnings().is_empty() && renamed.rename_candidates().is_empty());
}
