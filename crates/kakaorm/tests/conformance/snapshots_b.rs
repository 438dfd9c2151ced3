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

#[test]
fn keyset_pages() {
    let order = || (User::age.desc(), User::name);
    let ann = User {
        id: 7,
        name: "Ann".into(),
        email: None,
        age: 30,
        created_at: chrono::DateTime::UNIX_EPOCH,
        updated_at: chrono::DateTime::UNIX_EPOCH,
    };
    let terms = kakaorm::IntoOrder::<User>::into_terms(order());
    let cursor = kakaorm::keyset::Keyset::new(User::SCHEMA, &terms).and_then(|k| k.cursor(&ann)).unwrap_or_default();
    check(
        show(|d| User::query().order_by(order()).paginate(10).after(cursor.clone()).to_sql(d)),
        expect![[r#"
        postgres: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE ("age" < $1) OR ("age" = $2 AND "name" > $3) OR ("age" = $4 AND "name" = $5 AND "id" > $6) ORDER BY "age" DESC, "name" ASC, "id" ASC LIMIT $7  -- 7 params
        mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE (`age` < ?) OR (`age` = ? AND `name` > ?) OR (`age` = ? AND `name` = ? AND `id` > ?) ORDER BY `age` DESC, `name` ASC, `id` ASC LIMIT ?  -- 7 params
        mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE (`age` < ?) OR (`age` = ? AND `name` > ?) OR (`age` = ? AND `name` = ? AND `id` > ?) ORDER BY `age` DESC, `name` ASC, `id` ASC LIMIT ?  -- 7 params
        sqlite: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE ("age" < ?) OR ("age" = ? AND "name" > ?) OR ("age" = ? AND "name" = ? AND "id" > ?) ORDER BY "age" DESC, "name" ASC, "id" ASC LIMIT ?  -- 7 params
    "#]],
    );
    check(
        show(|d| User::query().order_by(order()).paginate(10).before(cursor.clone()).to_sql(d)),
        expect![[r#"
        postgres: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE ("age" > $1) OR ("age" = $2 AND "name" < $3) OR ("age" = $4 AND "name" = $5 AND "id" < $6) ORDER BY "age" ASC, "name" DESC, "id" DESC LIMIT $7  -- 7 params
        mysql: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE (`age` > ?) OR (`age` = ? AND `name` < ?) OR (`age` = ? AND `name` = ? AND `id` < ?) ORDER BY `age` ASC, `name` DESC, `id` DESC LIMIT ?  -- 7 params
        mariadb: SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE (`age` > ?) OR (`age` = ? AND `name` < ?) OR (`age` = ? AND `name` = ? AND `id` < ?) ORDER BY `age` ASC, `name` DESC, `id` DESC LIMIT ?  -- 7 params
        sqlite: SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE ("age" > ?) OR ("age" = ? AND "name" < ?) OR ("age" = ? AND "name" = ? AND "id" < ?) ORDER BY "age" ASC, "name" DESC, "id" DESC LIMIT ?  -- 7 params
    "#]],
    );
}
