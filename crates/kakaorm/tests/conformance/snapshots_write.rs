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

#[test]
fn bulk_update_from_a_list_of_rows() {
    use kakaorm::ast::UpdateFrom;
    use kakaorm::{ColumnType, Value, render};
    check(
        crate::snapshots::show(|d| {
            let key = ("id", ColumnType::BigInt);
            let cols = vec![("name", ColumnType::Varchar(50)), ("email", ColumnType::Varchar(100))];
            let values =
                vec![Value::I64(1), Value::from("a"), Value::Null, Value::I64(2), Value::from("b"), Value::Null];
            render(UpdateFrom::new("users", key, cols, values).into(), d)
        }),
        expect![[r#"
            postgres: UPDATE "users" SET "name" = "kakaorm_rows"."name", "email" = "kakaorm_rows"."email" FROM UNNEST($1::BIGINT[], $2::VARCHAR(50)[], $3::VARCHAR(100)[]) AS "kakaorm_rows" ("id", "name", "email") WHERE "users"."id" = "kakaorm_rows"."id"  -- 3 params
            mysql: UPDATE `users` INNER JOIN JSON_TABLE(?, '$[*]' COLUMNS (`id` BIGINT PATH '$[0]' ERROR ON ERROR, `name` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin PATH '$[1]' ERROR ON ERROR, `email` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin PATH '$[2]' ERROR ON ERROR)) AS `kakaorm_rows` ON `users`.`id` = `kakaorm_rows`.`id` SET `users`.`name` = `kakaorm_rows`.`name`, `users`.`email` = `kakaorm_rows`.`email`  -- 1 params
            mariadb: UPDATE `users` INNER JOIN JSON_TABLE(?, '$[*]' COLUMNS (`id` BIGINT PATH '$[0]' ERROR ON ERROR, `name` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin PATH '$[1]' ERROR ON ERROR, `email` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin PATH '$[2]' ERROR ON ERROR)) AS `kakaorm_rows` ON `users`.`id` = `kakaorm_rows`.`id` SET `users`.`name` = `kakaorm_rows`.`name`, `users`.`email` = `kakaorm_rows`.`email`  -- 1 params
            sqlite: UPDATE "users" SET "name" = "kakaorm_rows"."column2", "email" = "kakaorm_rows"."column3" FROM (VALUES (?, ?, ?), (?, ?, ?)) AS "kakaorm_rows" WHERE "users"."id" = "kakaorm_rows"."column1"  -- 6 params
        "#]],
    );
}

#[test]
fn bulk_update_through_json_table_and_union_all() {
    use kakaorm::ast::UpdateFrom;
    use kakaorm::{ColumnType, MysqlDialect, Value, render};
    let dialects: [(&str, &dyn Dialect); 4] = [
        ("mysql", &MysqlDialect::MYSQL),
        ("mysql 8.0.3", &MysqlDialect::MYSQL_BEFORE_8_0_4),
        ("mariadb", &MysqlDialect::MARIADB),
        ("mariadb 10.5", &MysqlDialect::MARIADB_10_5),
    ];
    let mut out = String::new();
    for (name, d) in dialects {
        let key = ("code", ColumnType::Uuid);
        let cols = vec![("body", ColumnType::Bytes), ("price", ColumnType::Decimal { precision: 10, scale: 2 })];
        let values = vec![Value::Uuid(uuid::Uuid::nil()), Value::Bytes(vec![0, 255]), Value::Null];
        let r = render(UpdateFrom::new("items", key, cols, values).into(), d).expect("render");
        out.push_str(&format!("{name}: {}  -- {:?}\n", r.sql, r.params));
    }
    expect![[r#"
        mysql: UPDATE `items` INNER JOIN JSON_TABLE(?, '$[*]' COLUMNS (`code` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin PATH '$[0]' ERROR ON ERROR, `body` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin PATH '$[1]' ERROR ON ERROR, `price` DECIMAL(10, 2) PATH '$[2]' ERROR ON ERROR)) AS `kakaorm_rows` ON `items`.`code` = `kakaorm_rows`.`code` SET `items`.`body` = FROM_BASE64(`kakaorm_rows`.`body`), `items`.`price` = `kakaorm_rows`.`price`  -- [String("[[\"00000000-0000-0000-0000-000000000000\",\"AP8=\",null]]")]
        mysql 8.0.3: UPDATE `items` INNER JOIN (SELECT ? AS `code`, CAST(? AS BINARY) AS `body`, ? AS `price`) AS `kakaorm_rows` ON `items`.`code` = `kakaorm_rows`.`code` SET `items`.`body` = `kakaorm_rows`.`body`, `items`.`price` = `kakaorm_rows`.`price`  -- [Uuid(00000000-0000-0000-0000-000000000000), Bytes([0, 255]), Null]
        mariadb: UPDATE `items` INNER JOIN JSON_TABLE(?, '$[*]' COLUMNS (`code` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin PATH '$[0]' ERROR ON ERROR, `body` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin PATH '$[1]' ERROR ON ERROR, `price` DECIMAL(10, 2) PATH '$[2]' ERROR ON ERROR)) AS `kakaorm_rows` ON `items`.`code` = `kakaorm_rows`.`code` SET `items`.`body` = FROM_BASE64(`kakaorm_rows`.`body`), `items`.`price` = `kakaorm_rows`.`price`  -- [String("[[\"00000000-0000-0000-0000-000000000000\",\"AP8=\",null]]")]
        mariadb 10.5: UPDATE `items` INNER JOIN (SELECT ? AS `code`, CAST(? AS BINARY) AS `body`, ? AS `price`) AS `kakaorm_rows` ON `items`.`code` = `kakaorm_rows`.`code` SET `items`.`body` = `kakaorm_rows`.`body`, `items`.`price` = `kakaorm_rows`.`price`  -- [Uuid(00000000-0000-0000-0000-000000000000), Bytes([0, 255]), Null]
    "#]].assert_eq(&out);
}
