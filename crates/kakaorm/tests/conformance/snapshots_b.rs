//! SQL snapshots of raw SQL, row locks, string orderings, keyset pages, joins of several
//! models and INSERT … SELECT, in every dialect.

use expect_test::expect;
use kakaorm::prelude::*;
use kakaorm::raw;

use crate::models::*;
use crate::snapshots::{check, show};

#[test]
fn raw_placeholders_per_dialect() {
    check(
        show(|d| {
            raw("SELECT id FROM users WHERE age > $2 AND name = $1 /* $3 */ AND email <> '$1' OR age < $2")
                .bind("Ann")
                .bind(18)
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT id FROM users WHERE age > $1 AND name = $2 /* $3 */ AND email <> '$1' OR age < $3  -- 3 params
            mysql: SELECT id FROM users WHERE age > ? AND name = ? /* $3 */ AND email <> '$1' OR age < ?  -- 3 params
            mariadb: SELECT id FROM users WHERE age > ? AND name = ? /* $3 */ AND email <> '$1' OR age < ?  -- 3 params
            sqlite: SELECT id FROM users WHERE age > ? AND name = ? /* $3 */ AND email <> '$1' OR age < ?  -- 3 params
        "#]],
    );
}

#[test]
fn row_locks() {
    check(
        show(|d| User::filter(User::age.ge(18)).order_by(User::id).limit(1).skip_locked().to_sql(d)),
        expect![[r#"
            postgres: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE "age" >= $1 ORDER BY "id" ASC LIMIT $2 FOR UPDATE SKIP LOCKED  -- 2 params
            mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE `age` >= ? ORDER BY `id` ASC LIMIT ? FOR UPDATE SKIP LOCKED  -- 2 params
            mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE `age` >= ? ORDER BY `id` ASC LIMIT ? FOR UPDATE SKIP LOCKED  -- 2 params
            sqlite: error: unsupported: sqlite has no row locks (FOR UPDATE / FOR SHARE): a transaction (BEGIN IMMEDIATE) locks the whole database for writing
        "#]],
    );
    check(
        show(|d| User::query().for_share().nowait().to_sql(d)),
        expect![[r#"
        postgres: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" FOR SHARE NOWAIT  -- 0 params
        mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` FOR SHARE NOWAIT  -- 0 params
        mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` LOCK IN SHARE MODE NOWAIT  -- 0 params
        sqlite: error: unsupported: sqlite has no row locks (FOR UPDATE / FOR SHARE): a transaction (BEGIN IMMEDIATE) locks the whole database for writing
    "#]],
    );
    check(
        show(|d| User::query().for_update().to_sql(d)),
        expect![[r#"
        postgres: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" FOR UPDATE  -- 0 params
        mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` FOR UPDATE  -- 0 params
        mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` FOR UPDATE  -- 0 params
        sqlite: error: unsupported: sqlite has no row locks (FOR UPDATE / FOR SHARE): a transaction (BEGIN IMMEDIATE) locks the whole database for writing
    "#]],
    );
}

#[test]
fn string_orderings() {
    check(
        show(|d| User::query().order_by_str("age DESC NULLS FIRST, users.name nulls last, email")?.to_sql(d)),
        expect![[r#"
            postgres: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" ORDER BY "age" DESC NULLS FIRST, "name" ASC NULLS LAST, "email" ASC  -- 0 params
            mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` ORDER BY `age` IS NULL DESC, `age` DESC, `name` IS NULL ASC, `name` ASC, `email` ASC  -- 0 params
            mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` ORDER BY `age` IS NULL DESC, `age` DESC, `name` IS NULL ASC, `name` ASC, `email` ASC  -- 0 params
            sqlite: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" ORDER BY "age" DESC NULLS FIRST, "name" ASC NULLS LAST, "email" ASC  -- 0 params
        "#]],
    );
}
