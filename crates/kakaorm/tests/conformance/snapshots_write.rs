//! SQL snapshots of the write shapes: upserts and bulk updates, in every dialect.

use expect_test::expect;
use kakaorm::prelude::*;
use kakaorm::{Dialect, Rendered};

use crate::models::*;
use crate::snapshots::{DIALECTS, check};

/// Every statement of a multi-statement write, one line each, per dialect.
fn show_all(render: impl Fn(&dyn Dialect) -> kakaorm::Result<Vec<Rendered>>) -> String {
    let mut out = String::new();
    for (name, d) in DIALECTS {
        match render(d) {
            Ok(all) => {
                for r in all {
                    out.push_str(&format!("{name}: {}  -- {} params\n", r.sql, r.params.len()));
                }
            }
            Err(e) => out.push_str(&format!("{name}: error: {e}\n")),
        }
    }
    out
}

fn order(code: &str, select: i32) -> OrderCreate {
    Order::create().code(code).select_(select)
}

#[test]
fn upsert_one_row_updating_chosen_columns() {
    check(
        show_all(|d| Order::upsert(order("a1", 1)).on_conflict(Order::code).update(Order::select_).to_sql(d)),
        expect![[r#"
            postgres: INSERT INTO "order" ("code", "select", "group") VALUES ($1, $2, $3) ON CONFLICT ("code") DO UPDATE SET "select" = EXCLUDED."select" RETURNING "code", "select", "group"  -- 3 params
            mysql: INSERT INTO `order` (`code`, `select`, `group`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `select` = VALUES(`select`)  -- 3 params
            mysql: SELECT `code`, `select`, `group` FROM `order` WHERE (`code` = ?)  -- 1 params
            mariadb: INSERT INTO `order` (`code`, `select`, `group`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `select` = VALUES(`select`)  -- 3 params
            mariadb: SELECT `code`, `select`, `group` FROM `order` WHERE (`code` = ?)  -- 1 params
            sqlite: INSERT INTO "order" ("code", "select", "group") VALUES (?, ?, ?) ON CONFLICT ("code") DO UPDATE SET "select" = EXCLUDED."select" RETURNING "code", "select", "group"  -- 3 params
        "#]],
    );
}

#[test]
fn upsert_many_rows_doing_nothing_on_a_composite_key() {
    check(
        show_all(|d| {
            let rows = ["a", "b"].map(|n| User::create().name(n).email(format!("{n}@x.org")).age(3));
            User::upsert_many(rows).on_conflict((User::name, User::email)).do_nothing().to_sql(d)
        }),
        expect![[r#"
            postgres: INSERT INTO "users" ("name", "email", "age", "created_at", "updated_at") VALUES ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10) ON CONFLICT ("name", "email") DO NOTHING  -- 10 params
            postgres: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE ("name" = $1 AND "email" = $2) OR ("name" = $3 AND "email" = $4)  -- 4 params
            mysql: INSERT INTO `users` (`name`, `email`, `age`, `created_at`, `updated_at`) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE `name` = `name`  -- 10 params
            mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE (`name` = ? AND `email` = ?) OR (`name` = ? AND `email` = ?)  -- 4 params
            mariadb: INSERT INTO `users` (`name`, `email`, `age`, `created_at`, `updated_at`) VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE `name` = `name`  -- 10 params
            mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE (`name` = ? AND `email` = ?) OR (`name` = ? AND `email` = ?)  -- 4 params
            sqlite: INSERT INTO "users" ("name", "email", "age", "created_at", "updated_at") VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?) ON CONFLICT ("name", "email") DO NOTHING  -- 10 params
            sqlite: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE ("name" = ? AND "email" = ?) OR ("name" = ? AND "email" = ?)  -- 4 params
        "#]],
    );
}
