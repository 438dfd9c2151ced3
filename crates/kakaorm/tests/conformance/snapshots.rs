//! SQL snapshots: every statement shape rendered for PostgreSQL, MySQL, MariaDB and SQLite.

use expect_test::{Expect, expect};
use kakaorm::prelude::*;
use kakaorm::{Dialect, MysqlDialect, PostgresDialect, Rendered, SqliteDialect};

use crate::models::*;

pub(crate) const DIALECTS: [(&str, &dyn Dialect); 4] = [
    ("postgres", &PostgresDialect),
    ("mysql", &MysqlDialect::MYSQL),
    ("mariadb", &MysqlDialect::MARIADB),
    ("sqlite", &SqliteDialect),
];

pub(crate) fn show(render: impl Fn(&dyn Dialect) -> kakaorm::Result<Rendered>) -> String {
    let mut out = String::new();
    for (name, d) in DIALECTS {
        match render(d) {
            Ok(r) => out.push_str(&format!("{name}: {}  -- {} params\n", r.sql, r.params.len())),
            Err(e) => out.push_str(&format!("{name}: error: {e}\n")),
        }
    }
    out
}

fn ddl<M: Model>() -> String {
    let mut out = String::new();
    for (name, d) in DIALECTS {
        match kakaorm::render::create_table(M::SCHEMA, d, false) {
            Ok(stmts) => out.push_str(&format!("{name}:\n  {}\n", stmts.join(";\n  "))),
            Err(e) => out.push_str(&format!("{name}: error: {e}\n")),
        }
    }
    out
}

pub(crate) fn check(actual: String, expected: Expect) {
    expected.assert_eq(&actual);
}

#[test]
fn select_with_every_clause() {
    check(
        show(|d| {
            User::filter(User::age.between(18, 65) & (User::name.ilike("a%") | User::email.is_null()))
                .exclude(User::id.in_([1, 2]))
                .order_by((User::age.desc().nulls_last(), User::name))
                .limit(10)
                .offset(20)
                .distinct()
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT DISTINCT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE "age" BETWEEN $1 AND $2 AND ("name" ILIKE $3 OR "email" IS NULL) AND NOT ("id" IN ($4, $5) AND "id" IS NOT NULL) ORDER BY "age" DESC NULLS LAST, "name" ASC LIMIT $6 OFFSET $7  -- 7 params
            mysql: SELECT DISTINCT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE `age` BETWEEN ? AND ? AND (LOWER(`name`) LIKE LOWER(?) OR `email` IS NULL) AND NOT (`id` IN (?, ?) AND `id` IS NOT NULL) ORDER BY `age` IS NULL ASC, `age` DESC, `name` ASC LIMIT ? OFFSET ?  -- 7 params
            mariadb: SELECT DISTINCT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE `age` BETWEEN ? AND ? AND (LOWER(`name`) LIKE LOWER(?) OR `email` IS NULL) AND NOT (`id` IN (?, ?) AND `id` IS NOT NULL) ORDER BY `age` IS NULL ASC, `age` DESC, `name` ASC LIMIT ? OFFSET ?  -- 7 params
            sqlite: SELECT DISTINCT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE "age" BETWEEN ? AND ? AND (LOWER("name") LIKE LOWER(?) OR "email" IS NULL) AND NOT ("id" IN (?, ?) AND "id" IS NOT NULL) ORDER BY "age" DESC NULLS LAST, "name" ASC LIMIT ? OFFSET ?  -- 7 params
        "#]],
    );
}

#[test]
fn exclude_guards_each_comparison_against_null() {
    check(
        show(|d| {
            User::query()
                .exclude(User::email.eq("x") | (User::age.gt(3) & !User::name.contains("a")) | User::email.is_null())
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE NOT (("email" = $1 AND "email" IS NOT NULL) OR (("age" > $2 AND "age" IS NOT NULL) AND (NOT ("name" LIKE $3 ESCAPE '!') AND "name" IS NOT NULL)) OR "email" IS NULL)  -- 3 params
            mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE NOT ((`email` = ? AND `email` IS NOT NULL) OR ((`age` > ? AND `age` IS NOT NULL) AND (NOT (`name` LIKE ? ESCAPE '!') AND `name` IS NOT NULL)) OR `email` IS NULL)  -- 3 params
            mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE NOT ((`email` = ? AND `email` IS NOT NULL) OR ((`age` > ? AND `age` IS NOT NULL) AND (NOT (`name` LIKE ? ESCAPE '!') AND `name` IS NOT NULL)) OR `email` IS NULL)  -- 3 params
            sqlite: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE NOT (("email" = ? AND "email" IS NOT NULL) OR (("age" > ? AND "age" IS NOT NULL) AND (NOT ("name" LIKE ? ESCAPE '!') AND "name" IS NOT NULL)) OR "email" IS NULL)  -- 3 params
        "#]],
    );
}

#[test]
fn text_with_nul_is_matched_byte_wise_where_like_stops_at_nul() {
    check(
        show(|d| {
            User::filter(
                User::name.contains("a\0b")
                    | User::name.starts_with("\0")
                    | User::name.ends_with("\0")
                    | User::name.icontains("A\0"),
            )
            .to_sql(d)
        }),
        expect![[r#"
            postgres: error: invalid input: postgres text cannot contain NUL characters
            mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE `name` LIKE ? ESCAPE '!' OR `name` LIKE ? ESCAPE '!' OR `name` LIKE ? ESCAPE '!' OR LOWER(`name`) LIKE LOWER(?) ESCAPE '!'  -- 4 params
            mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE `name` LIKE ? ESCAPE '!' OR `name` LIKE ? ESCAPE '!' OR `name` LIKE ? ESCAPE '!' OR LOWER(`name`) LIKE LOWER(?) ESCAPE '!'  -- 4 params
            sqlite: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE instr("name", ?) > 0 OR instr("name", ?) = 1 OR substr(CAST("name" AS BLOB), -length(CAST(? AS BLOB))) = CAST(? AS BLOB) OR instr(LOWER("name"), LOWER(?)) > 0  -- 5 params
        "#]],
    );
}

#[test]
fn empty_in_lists_and_escaped_likes() {
    check(
        show(|d| {
            User::filter(
                User::id.in_(Vec::<i64>::new()) | User::age.not_in(Vec::<i32>::new()) | User::name.contains("50%_off!"),
            )
            .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE FALSE OR TRUE OR "name" LIKE $1 ESCAPE '!'  -- 1 params
            mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE FALSE OR TRUE OR `name` LIKE ? ESCAPE '!'  -- 1 params
            mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE FALSE OR TRUE OR `name` LIKE ? ESCAPE '!'  -- 1 params
            sqlite: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE FALSE OR TRUE OR "name" LIKE ? ESCAPE '!'  -- 1 params
        "#]],
    );
}

#[test]
fn offset_without_limit_and_nulls_first() {
    check(
        show(|d| User::query().order_by(User::email.asc().nulls_first()).offset(5).to_sql(d)),
        expect![[r#"
        postgres: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" ORDER BY "email" ASC NULLS FIRST OFFSET $1  -- 1 params
        mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` ORDER BY `email` IS NULL DESC, `email` ASC LIMIT 18446744073709551615 OFFSET ?  -- 1 params
        mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` ORDER BY `email` IS NULL DESC, `email` ASC LIMIT 18446744073709551615 OFFSET ?  -- 1 params
        sqlite: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" ORDER BY "email" ASC NULLS FIRST LIMIT -1 OFFSET ?  -- 1 params
    "#]],
    );
}

#[test]
fn updates_and_deletes() {
    check(
        show(|d| {
            User::filter(User::name.starts_with("x"))
                .update()
                .set(User::age, 3)
                .set(User::email, None::<String>)
                .to_sql(d)
        }),
        expect![[r#"
            postgres: UPDATE "users" SET "age" = $1, "email" = $2 WHERE "name" LIKE $3 ESCAPE '!'  -- 3 params
            mysql: UPDATE `users` SET `age` = ?, `email` = ? WHERE `name` LIKE ? ESCAPE '!'  -- 3 params
            mariadb: UPDATE `users` SET `age` = ?, `email` = ? WHERE `name` LIKE ? ESCAPE '!'  -- 3 params
            sqlite: UPDATE "users" SET "age" = ?, "email" = ? WHERE "name" LIKE ? ESCAPE '!'  -- 3 params
        "#]],
    );
}

#[test]
fn reserved_words_are_quoted() {
    check(
        show(|d| Order::filter(Order::select_.eq(1) & Order::group.ne("x")).to_sql(d)),
        expect![[r#"
        postgres: SELECT "code", "select", "group" FROM "order" WHERE "select" = $1 AND "group" <> $2  -- 2 params
        mysql: SELECT `code`, `select`, `group` FROM `order` WHERE `select` = ? AND `group` <> ?  -- 2 params
        mariadb: SELECT `code`, `select`, `group` FROM `order` WHERE `select` = ? AND `group` <> ?  -- 2 params
        sqlite: SELECT "code", "select", "group" FROM "order" WHERE "select" = ? AND "group" <> ?  -- 2 params
    "#]],
    );
}

#[test]
fn create_table_users() {
    check(
        ddl::<User>(),
        expect![[r#"
        postgres:
          CREATE TABLE "users" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" VARCHAR(50) NOT NULL, "email" VARCHAR(100) UNIQUE, "age" INTEGER NOT NULL DEFAULT 0, "created_at" TIMESTAMPTZ NOT NULL, "updated_at" TIMESTAMPTZ NOT NULL, CONSTRAINT "ck_users_age" CHECK (age >= 0), CONSTRAINT "uq_users_name_email" UNIQUE ("name", "email"));
          CREATE INDEX "idx_users_age" ON "users" ("age");
          CREATE INDEX "idx_users_age_name" ON "users" ("age", "name")
        mysql:
          CREATE TABLE `users` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `name` VARCHAR(50) NOT NULL, `email` VARCHAR(100) UNIQUE, `age` INT NOT NULL DEFAULT 0, `created_at` DATETIME(6) NOT NULL, `updated_at` DATETIME(6) NOT NULL, CONSTRAINT `ck_users_age` CHECK (age >= 0), CONSTRAINT `uq_users_name_email` UNIQUE (`name`, `email`), INDEX `idx_users_age` (`age`), INDEX `idx_users_age_name` (`age`, `name`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin
        mariadb:
          CREATE TABLE `users` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `name` VARCHAR(50) NOT NULL, `email` VARCHAR(100) UNIQUE, `age` INT NOT NULL DEFAULT 0, `created_at` DATETIME(6) NOT NULL, `updated_at` DATETIME(6) NOT NULL, CONSTRAINT `ck_users_age` CHECK (age >= 0), CONSTRAINT `uq_users_name_email` UNIQUE (`name`, `email`), INDEX `idx_users_age` (`age`), INDEX `idx_users_age_name` (`age`, `name`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
        sqlite:
          CREATE TABLE "users" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "name" VARCHAR(50) NOT NULL, "email" VARCHAR(100) UNIQUE, "age" INTEGER NOT NULL DEFAULT 0, "created_at" TIMESTAMPTZ NOT NULL, "updated_at" TIMESTAMPTZ NOT NULL, CONSTRAINT "ck_users_age" CHECK (age >= 0), CONSTRAINT "uq_users_name_email" UNIQUE ("name", "email"));
          CREATE INDEX "idx_users_age" ON "users" ("age");
          CREATE INDEX "idx_users_age_name" ON "users" ("age", "name")
    "#]],
    );
}

#[test]
fn create_table_posts_and_reviews() {
    check(
        ddl::<Post>() + &ddl::<Review>(),
        expect![[r#"
        postgres:
          CREATE TABLE "posts" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "user_id" BIGINT NOT NULL, "title" VARCHAR(200) NOT NULL, "body" TEXT, "published" BOOLEAN NOT NULL DEFAULT TRUE, CONSTRAINT "fk_posts_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)
        mysql:
          CREATE TABLE `posts` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `user_id` BIGINT NOT NULL, `title` VARCHAR(200) NOT NULL, `body` LONGTEXT, `published` BOOLEAN NOT NULL DEFAULT TRUE, CONSTRAINT `fk_posts_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin
        mariadb:
          CREATE TABLE `posts` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `user_id` BIGINT NOT NULL, `title` VARCHAR(200) NOT NULL, `body` LONGTEXT, `published` BOOLEAN NOT NULL DEFAULT TRUE, CONSTRAINT `fk_posts_user_id` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
        sqlite:
          CREATE TABLE "posts" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "user_id" INTEGER NOT NULL, "title" VARCHAR(200) NOT NULL, "body" TEXT, "published" BOOLEAN NOT NULL DEFAULT TRUE, CONSTRAINT "fk_posts_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)
        postgres:
          CREATE TABLE "reviews" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "reviewer_id" BIGINT, "post_id" BIGINT NOT NULL, "stars" SMALLINT NOT NULL, CONSTRAINT "fk_reviews_reviewer_id" FOREIGN KEY ("reviewer_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "fk_reviews_post_id" FOREIGN KEY ("post_id") REFERENCES "posts" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)
        mysql:
          CREATE TABLE `reviews` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `reviewer_id` BIGINT, `post_id` BIGINT NOT NULL, `stars` SMALLINT NOT NULL, CONSTRAINT `fk_reviews_reviewer_id` FOREIGN KEY (`reviewer_id`) REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT `fk_reviews_post_id` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE RESTRICT ON UPDATE NO ACTION) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin
        mariadb:
          CREATE TABLE `reviews` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `reviewer_id` BIGINT, `post_id` BIGINT NOT NULL, `stars` SMALLINT NOT NULL, CONSTRAINT `fk_reviews_reviewer_id` FOREIGN KEY (`reviewer_id`) REFERENCES `users` (`id`) ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT `fk_reviews_post_id` FOREIGN KEY (`post_id`) REFERENCES `posts` (`id`) ON DELETE RESTRICT ON UPDATE NO ACTION) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
        sqlite:
          CREATE TABLE "reviews" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "reviewer_id" INTEGER, "post_id" INTEGER NOT NULL, "stars" INTEGER NOT NULL, CONSTRAINT "fk_reviews_reviewer_id" FOREIGN KEY ("reviewer_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION, CONSTRAINT "fk_reviews_post_id" FOREIGN KEY ("post_id") REFERENCES "posts" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)
    "#]],
    );
}

#[test]
fn create_table_every_type() {
    check(
        ddl::<AllTypes>() + &ddl::<NullableTypes>(),
        expect![[r#"
        postgres:
          CREATE TABLE "all_types" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "small" SMALLINT NOT NULL, "int" INTEGER NOT NULL, "big" BIGINT NOT NULL, "real" REAL NOT NULL, "double" DOUBLE PRECISION NOT NULL, "flag" BOOLEAN NOT NULL, "text" TEXT NOT NULL, "short" VARCHAR(40) NOT NULL, "date" DATE NOT NULL, "time" TIME NOT NULL, "stamp" TIMESTAMP NOT NULL, "stamp_tz" TIMESTAMPTZ NOT NULL, "money" NUMERIC(28, 10) NOT NULL, "uuid" UUID NOT NULL, "json" JSONB NOT NULL, "bytes" BYTEA NOT NULL)
        mysql:
          CREATE TABLE `all_types` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `small` SMALLINT NOT NULL, `int` INT NOT NULL, `big` BIGINT NOT NULL, `real` FLOAT NOT NULL, `double` DOUBLE NOT NULL, `flag` BOOLEAN NOT NULL, `text` LONGTEXT NOT NULL, `short` VARCHAR(40) NOT NULL, `date` DATE NOT NULL, `time` TIME(6) NOT NULL, `stamp` DATETIME(6) NOT NULL, `stamp_tz` DATETIME(6) NOT NULL, `money` DECIMAL(28, 10) NOT NULL, `uuid` CHAR(36) NOT NULL, `json` JSON NOT NULL, `bytes` LONGBLOB NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin
        mariadb:
          CREATE TABLE `all_types` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `small` SMALLINT NOT NULL, `int` INT NOT NULL, `big` BIGINT NOT NULL, `real` FLOAT NOT NULL, `double` DOUBLE NOT NULL, `flag` BOOLEAN NOT NULL, `text` LONGTEXT NOT NULL, `short` VARCHAR(40) NOT NULL, `date` DATE NOT NULL, `time` TIME(6) NOT NULL, `stamp` DATETIME(6) NOT NULL, `stamp_tz` DATETIME(6) NOT NULL, `money` DECIMAL(28, 10) NOT NULL, `uuid` CHAR(36) NOT NULL, `json` JSON NOT NULL, `bytes` LONGBLOB NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
        sqlite:
          CREATE TABLE "all_types" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "small" INTEGER NOT NULL, "int" INTEGER NOT NULL, "big" INTEGER NOT NULL, "real" REAL NOT NULL, "double" REAL NOT NULL, "flag" BOOLEAN NOT NULL, "text" TEXT NOT NULL, "short" VARCHAR(40) NOT NULL, "date" DATE NOT NULL, "time" TIME NOT NULL, "stamp" TIMESTAMP NOT NULL, "stamp_tz" TIMESTAMPTZ NOT NULL, "money" TEXT COLLATE "kakaorm_decimal" NOT NULL, "uuid" UUID NOT NULL, "json" TEXT NOT NULL, "bytes" BLOB NOT NULL)
        postgres:
          CREATE TABLE "nullable_types" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "small" SMALLINT, "int" INTEGER, "big" BIGINT, "real" REAL, "double" DOUBLE PRECISION, "flag" BOOLEAN, "text" TEXT, "date" DATE, "time" TIME, "stamp" TIMESTAMP, "stamp_tz" TIMESTAMPTZ, "money" NUMERIC(28, 10), "uuid" UUID, "json" JSONB, "bytes" BYTEA)
        mysql:
          CREATE TABLE `nullable_types` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `small` SMALLINT, `int` INT, `big` BIGINT, `real` FLOAT, `double` DOUBLE, `flag` BOOLEAN, `text` LONGTEXT, `date` DATE, `time` TIME(6), `stamp` DATETIME(6), `stamp_tz` DATETIME(6), `money` DECIMAL(28, 10), `uuid` CHAR(36), `json` JSON, `bytes` LONGBLOB) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin
        mariadb:
          CREATE TABLE `nullable_types` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `small` SMALLINT, `int` INT, `big` BIGINT, `real` FLOAT, `double` DOUBLE, `flag` BOOLEAN, `text` LONGTEXT, `date` DATE, `time` TIME(6), `stamp` DATETIME(6), `stamp_tz` DATETIME(6), `money` DECIMAL(28, 10), `uuid` CHAR(36), `json` JSON, `bytes` LONGBLOB) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
        sqlite:
          CREATE TABLE "nullable_types" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "small" INTEGER, "int" INTEGER, "big" INTEGER, "real" REAL, "double" REAL, "flag" BOOLEAN, "text" TEXT, "date" DATE, "time" TIME, "stamp" TIMESTAMP, "stamp_tz" TIMESTAMPTZ, "money" TEXT COLLATE "kakaorm_decimal", "uuid" UUID, "json" TEXT, "bytes" BLOB)
    "#]],
    );
}

#[test]
fn create_table_custom_keys() {
    check(
        ddl::<Order>() + &ddl::<Tag>(),
        expect![[r#"
        postgres:
          CREATE TABLE "order" ("code" VARCHAR(12) NOT NULL PRIMARY KEY, "select" INTEGER NOT NULL, "group" VARCHAR(20) NOT NULL DEFAULT 'none')
        mysql:
          CREATE TABLE `order` (`code` VARCHAR(12) NOT NULL PRIMARY KEY, `select` INT NOT NULL, `group` VARCHAR(20) NOT NULL DEFAULT 'none') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin
        mariadb:
          CREATE TABLE `order` (`code` VARCHAR(12) NOT NULL PRIMARY KEY, `select` INT NOT NULL, `group` VARCHAR(20) NOT NULL DEFAULT 'none') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
        sqlite:
          CREATE TABLE "order" ("code" VARCHAR(12) NOT NULL PRIMARY KEY, "select" INTEGER NOT NULL, "group" VARCHAR(20) NOT NULL DEFAULT 'none')
        postgres:
          CREATE TABLE "tags" ("id" UUID NOT NULL PRIMARY KEY, "label" VARCHAR(30) NOT NULL)
        mysql:
          CREATE TABLE `tags` (`id` CHAR(36) NOT NULL PRIMARY KEY, `label` VARCHAR(30) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin
        mariadb:
          CREATE TABLE `tags` (`id` CHAR(36) NOT NULL PRIMARY KEY, `label` VARCHAR(30) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
        sqlite:
          CREATE TABLE "tags" ("id" UUID NOT NULL PRIMARY KEY, "label" VARCHAR(30) NOT NULL)
    "#]],
    );
}

#[test]
fn drop_and_truncate() {
    let mut out = String::new();
    for (name, d) in DIALECTS {
        out.push_str(&format!(
            "{name}: {}; {}\n",
            kakaorm::render::drop_table("users", d, true),
            d.truncate("users", true).join("; ")
        ));
    }
    check(
        out,
        expect![[r#"
        postgres: DROP TABLE IF EXISTS "users"; TRUNCATE TABLE "users" RESTART IDENTITY
        mysql: DROP TABLE IF EXISTS `users`; TRUNCATE TABLE `users`
        mariadb: DROP TABLE IF EXISTS `users`; TRUNCATE TABLE `users`
        sqlite: DROP TABLE IF EXISTS "users"; DELETE FROM "users"; DELETE FROM sqlite_sequence WHERE name = 'users'
    "#]],
    );
}

#[test]
fn insert_count_exists_and_delete_shapes() {
    use kakaorm::ast::{Delete, Expr, Insert, Projection, Select, Statement};
    use kakaorm::{Value, render};
    let stmts = |d: &dyn Dialect| -> kakaorm::Result<Vec<Rendered>> {
        let mut insert = Insert::new(
            "users",
            vec!["name", "age"],
            vec![Value::from("a"), Value::I32(1), Value::from("b"), Value::I32(2)],
        );
        if d.supports_returning() {
            insert.returning = vec!["id", "name"];
        }
        let empty = Insert::new("owners", vec![], vec![]);
        let mut count =
            Select::new("users", Projection::Count(Box::new(Projection::Columns(vec![Expr::column("id")]))));
        count.filter = Some(Expr::column("age").ge(Value::I32(3)));
        let mut wrapped = count.clone();
        wrapped.distinct = true;
        wrapped.limit = Some(5);
        let mut exists = Select::new("users", Projection::One);
        exists.limit = Some(1);
        let delete = Delete::new("users", Some(Expr::column("id").eq(Value::I64(9))));
        [insert.into(), empty.into(), count.into(), wrapped.into(), exists.into(), Statement::Delete(delete)]
            .into_iter()
            .map(|s| render(s, d))
            .collect()
    };
    let mut out = String::new();
    for (name, d) in DIALECTS {
        for r in stmts(d).expect("renders") {
            out.push_str(&format!("{name}: {}\n", r.sql));
        }
    }
    check(
        out,
        expect![[r#"
        postgres: INSERT INTO "users" ("name", "age") VALUES ($1, $2), ($3, $4) RETURNING "id", "name"
        postgres: INSERT INTO "owners" DEFAULT VALUES
        postgres: SELECT COUNT(*) FROM "users" WHERE "age" >= $1
        postgres: SELECT COUNT(*) FROM (SELECT DISTINCT "id" FROM "users" WHERE "age" >= $1 LIMIT $2) "counted"
        postgres: SELECT 1 FROM "users" LIMIT $1
        postgres: DELETE FROM "users" WHERE "id" = $1
        mysql: INSERT INTO `users` (`name`, `age`) VALUES (?, ?), (?, ?)
        mysql: INSERT INTO `owners` () VALUES ()
        mysql: SELECT COUNT(*) FROM `users` WHERE `age` >= ?
        mysql: SELECT COUNT(*) FROM (SELECT DISTINCT `id` FROM `users` WHERE `age` >= ? LIMIT ?) `counted`
        mysql: SELECT 1 FROM `users` LIMIT ?
        mysql: DELETE FROM `users` WHERE `id` = ?
        mariadb: INSERT INTO `users` (`name`, `age`) VALUES (?, ?), (?, ?) RETURNING `id`, `name`
        mariadb: INSERT INTO `owners` () VALUES ()
        mariadb: SELECT COUNT(*) FROM `users` WHERE `age` >= ?
        mariadb: SELECT COUNT(*) FROM (SELECT DISTINCT `id` FROM `users` WHERE `age` >= ? LIMIT ?) `counted`
        mariadb: SELECT 1 FROM `users` LIMIT ?
        mariadb: DELETE FROM `users` WHERE `id` = ?
        sqlite: INSERT INTO "users" ("name", "age") VALUES (?, ?), (?, ?) RETURNING "id", "name"
        sqlite: INSERT INTO "owners" DEFAULT VALUES
        sqlite: SELECT COUNT(*) FROM "users" WHERE "age" >= ?
        sqlite: SELECT COUNT(*) FROM (SELECT DISTINCT "id" FROM "users" WHERE "age" >= ? LIMIT ?) "counted"
        sqlite: SELECT 1 FROM "users" LIMIT ?
        sqlite: DELETE FROM "users" WHERE "id" = ?
    "#]],
    );
}

#[test]
fn bulk_insert_from_column_arrays() {
    use kakaorm::ast::InsertUnnest;
    use kakaorm::{ColumnType, Value, render};
    check(
        show(|d| {
            let s = InsertUnnest::new(
                "users",
                vec![("name", ColumnType::Varchar(50)), ("age", ColumnType::Integer)],
                vec![Value::Array(vec![Value::from("a")]), Value::Array(vec![Value::I32(1)])],
            );
            render(s.into(), d)
        }),
        expect![[r#"
            postgres: INSERT INTO "users" ("name", "age") SELECT * FROM UNNEST($1::VARCHAR(50)[], $2::INTEGER[])  -- 2 params
            mysql: error: unsupported: cannot insert into `users` from column arrays
            mariadb: error: unsupported: cannot insert into `users` from column arrays
            sqlite: error: unsupported: cannot insert into `users` from column arrays
        "#]],
    );
}

#[test]
fn binary_copy_into_a_table() {
    use kakaorm::ast::CopyIn;
    use kakaorm::render;
    check(
        show(|d| render(CopyIn::new("users", vec!["name", "age"]).into(), d)),
        expect![[r#"
        postgres: COPY "users" ("name", "age") FROM STDIN (FORMAT binary)  -- 0 params
        mysql: error: unsupported: cannot COPY into `users`
        mariadb: error: unsupported: cannot COPY into `users`
        sqlite: error: unsupported: cannot COPY into `users`
    "#]],
    );
}
