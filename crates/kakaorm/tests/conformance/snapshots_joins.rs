//! SQL snapshots of the join shapes (three and four models, compound ON conditions,
//! self-joins through aliases, aggregates over a join) in every dialect, the `Display`
//! of every builder, and CTEs over typed selections.

use expect_test::expect;
use kakaorm::prelude::*;

use crate::joins_multi::Staff;
use crate::models::*;
use crate::snapshots::{DIALECTS, check, show};

fn inline(render: impl Fn(&dyn kakaorm::Dialect) -> kakaorm::Result<String>) -> String {
    DIALECTS
        .iter()
        .map(|(name, d)| match render(*d) {
            Ok(sql) => format!("{name}: {sql}\n"),
            Err(e) => format!("{name}: error: {e}\n"),
        })
        .collect()
}

#[test]
fn three_and_four_model_joins() {
    check(
        show(|d| {
            Review::query()
                .join(Post::id, Review::post_id)
                .left_join(User::id, Post::user_id)
                .filter(User::age.ge(18))
                .order_by(Review::stars.desc())
                .limit(5)
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "reviews"."id", "reviews"."reviewer_id", "reviews"."post_id", "reviews"."stars", "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published", "users"."id", "users"."name", "users"."email", "users"."age", "users"."created_at", "users"."updated_at" FROM "reviews" INNER JOIN "posts" ON "posts"."id" = "reviews"."post_id" LEFT JOIN "users" ON "users"."id" = "posts"."user_id" WHERE "users"."age" >= $1 ORDER BY "reviews"."stars" DESC LIMIT $2  -- 2 params
            mysql: SELECT `reviews`.`id`, `reviews`.`reviewer_id`, `reviews`.`post_id`, `reviews`.`stars`, `posts`.`id`, `posts`.`user_id`, `posts`.`title`, `posts`.`body`, `posts`.`published`, `users`.`id`, `users`.`name`, `users`.`email`, `users`.`age`, `users`.`created_at`, `users`.`updated_at` FROM `reviews` INNER JOIN `posts` ON `posts`.`id` = `reviews`.`post_id` LEFT JOIN `users` ON `users`.`id` = `posts`.`user_id` WHERE `users`.`age` >= ? ORDER BY `reviews`.`stars` DESC LIMIT ?  -- 2 params
            mariadb: SELECT `reviews`.`id`, `reviews`.`reviewer_id`, `reviews`.`post_id`, `reviews`.`stars`, `posts`.`id`, `posts`.`user_id`, `posts`.`title`, `posts`.`body`, `posts`.`published`, `users`.`id`, `users`.`name`, `users`.`email`, `users`.`age`, `users`.`created_at`, `users`.`updated_at` FROM `reviews` INNER JOIN `posts` ON `posts`.`id` = `reviews`.`post_id` LEFT JOIN `users` ON `users`.`id` = `posts`.`user_id` WHERE `users`.`age` >= ? ORDER BY `reviews`.`stars` DESC LIMIT ?  -- 2 params
            sqlite: SELECT "reviews"."id", "reviews"."reviewer_id", "reviews"."post_id", "reviews"."stars", "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published", "users"."id", "users"."name", "users"."email", "users"."age", "users"."created_at", "users"."updated_at" FROM "reviews" INNER JOIN "posts" ON "posts"."id" = "reviews"."post_id" LEFT JOIN "users" ON "users"."id" = "posts"."user_id" WHERE "users"."age" >= ? ORDER BY "reviews"."stars" DESC LIMIT ?  -- 2 params
        "#]],
    );
    let reviewer = User::alias("reviewer");
    check(
        show(|d| {
            Review::query()
                .join(Post::id, Review::post_id)
                .join(User::id, Post::user_id)
                .left_join_as(reviewer, User::id.eq(Review::reviewer_id.qualified()))
                .filter(reviewer.col(User::name).ne("Ann"))
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "reviews"."id", "reviews"."reviewer_id", "reviews"."post_id", "reviews"."stars", "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published", "users"."id", "users"."name", "users"."email", "users"."age", "users"."created_at", "users"."updated_at", "reviewer"."id", "reviewer"."name", "reviewer"."email", "reviewer"."age", "reviewer"."created_at", "reviewer"."updated_at" FROM "reviews" INNER JOIN "posts" ON "posts"."id" = "reviews"."post_id" INNER JOIN "users" ON "users"."id" = "posts"."user_id" LEFT JOIN "users" "reviewer" ON "reviewer"."id" = "reviews"."reviewer_id" WHERE "reviewer"."name" <> $1  -- 1 params
            mysql: SELECT `reviews`.`id`, `reviews`.`reviewer_id`, `reviews`.`post_id`, `reviews`.`stars`, `posts`.`id`, `posts`.`user_id`, `posts`.`title`, `posts`.`body`, `posts`.`published`, `users`.`id`, `users`.`name`, `users`.`email`, `users`.`age`, `users`.`created_at`, `users`.`updated_at`, `reviewer`.`id`, `reviewer`.`name`, `reviewer`.`email`, `reviewer`.`age`, `reviewer`.`created_at`, `reviewer`.`updated_at` FROM `reviews` INNER JOIN `posts` ON `posts`.`id` = `reviews`.`post_id` INNER JOIN `users` ON `users`.`id` = `posts`.`user_id` LEFT JOIN `users` `reviewer` ON `reviewer`.`id` = `reviews`.`reviewer_id` WHERE `reviewer`.`name` <> ?  -- 1 params
            mariadb: SELECT `reviews`.`id`, `reviews`.`reviewer_id`, `reviews`.`post_id`, `reviews`.`stars`, `posts`.`id`, `posts`.`user_id`, `posts`.`title`, `posts`.`body`, `posts`.`published`, `users`.`id`, `users`.`name`, `users`.`email`, `users`.`age`, `users`.`created_at`, `users`.`updated_at`, `reviewer`.`id`, `reviewer`.`name`, `reviewer`.`email`, `reviewer`.`age`, `reviewer`.`created_at`, `reviewer`.`updated_at` FROM `reviews` INNER JOIN `posts` ON `posts`.`id` = `reviews`.`post_id` INNER JOIN `users` ON `users`.`id` = `posts`.`user_id` LEFT JOIN `users` `reviewer` ON `reviewer`.`id` = `reviews`.`reviewer_id` WHERE `reviewer`.`name` <> ?  -- 1 params
            sqlite: SELECT "reviews"."id", "reviews"."reviewer_id", "reviews"."post_id", "reviews"."stars", "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published", "users"."id", "users"."name", "users"."email", "users"."age", "users"."created_at", "users"."updated_at", "reviewer"."id", "reviewer"."name", "reviewer"."email", "reviewer"."age", "reviewer"."created_at", "reviewer"."updated_at" FROM "reviews" INNER JOIN "posts" ON "posts"."id" = "reviews"."post_id" INNER JOIN "users" ON "users"."id" = "posts"."user_id" LEFT JOIN "users" "reviewer" ON "reviewer"."id" = "reviews"."reviewer_id" WHERE "reviewer"."name" <> ?  -- 1 params
        "#]],
    );
}

#[test]
fn compound_on_and_self_join() {
    check(
        show(|d| {
            User::query()
                .left_join_on(
                    Post::user_id.eq(User::id.qualified()) & (Post::published.eq(true) | Post::title.like("a%")),
                )
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "users"."id", "users"."name", "users"."email", "users"."age", "users"."created_at", "users"."updated_at", "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published" FROM "users" LEFT JOIN "posts" ON "posts"."user_id" = "users"."id" AND ("posts"."published" = $1 OR "posts"."title" LIKE $2)  -- 2 params
            mysql: SELECT `users`.`id`, `users`.`name`, `users`.`email`, `users`.`age`, `users`.`created_at`, `users`.`updated_at`, `posts`.`id`, `posts`.`user_id`, `posts`.`title`, `posts`.`body`, `posts`.`published` FROM `users` LEFT JOIN `posts` ON `posts`.`user_id` = `users`.`id` AND (`posts`.`published` = ? OR `posts`.`title` LIKE ?)  -- 2 params
            mariadb: SELECT `users`.`id`, `users`.`name`, `users`.`email`, `users`.`age`, `users`.`created_at`, `users`.`updated_at`, `posts`.`id`, `posts`.`user_id`, `posts`.`title`, `posts`.`body`, `posts`.`published` FROM `users` LEFT JOIN `posts` ON `posts`.`user_id` = `users`.`id` AND (`posts`.`published` = ? OR `posts`.`title` LIKE ?)  -- 2 params
            sqlite: SELECT "users"."id", "users"."name", "users"."email", "users"."age", "users"."created_at", "users"."updated_at", "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published" FROM "users" LEFT JOIN "posts" ON "posts"."user_id" = "users"."id" AND ("posts"."published" = ? OR "posts"."title" LIKE ?)  -- 2 params
        "#]],
    );
    let mgr = Staff::alias("mgr");
    check(
        show(|d| {
            Staff::query()
                .join_as(mgr, Staff::id.eq(Staff::manager_id.qualified()))
                .select((Staff::name, mgr.col(Staff::name).label("manager")))
                .filter(mgr.col(Staff::salary).gt(Staff::salary.qualified()))
                .order_by(mgr.col(Staff::name))
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "jm_staff"."name", "mgr"."name" AS "manager" FROM "jm_staff" INNER JOIN "jm_staff" "mgr" ON "mgr"."id" = "jm_staff"."manager_id" WHERE "mgr"."salary" > "jm_staff"."salary" ORDER BY "mgr"."name" ASC  -- 0 params
            mysql: SELECT `jm_staff`.`name`, `mgr`.`name` AS `manager` FROM `jm_staff` INNER JOIN `jm_staff` `mgr` ON `mgr`.`id` = `jm_staff`.`manager_id` WHERE `mgr`.`salary` > `jm_staff`.`salary` ORDER BY `mgr`.`name` ASC  -- 0 params
            mariadb: SELECT `jm_staff`.`name`, `mgr`.`name` AS `manager` FROM `jm_staff` INNER JOIN `jm_staff` `mgr` ON `mgr`.`id` = `jm_staff`.`manager_id` WHERE `mgr`.`salary` > `jm_staff`.`salary` ORDER BY `mgr`.`name` ASC  -- 0 params
            sqlite: SELECT "jm_staff"."name", "mgr"."name" AS "manager" FROM "jm_staff" INNER JOIN "jm_staff" "mgr" ON "mgr"."id" = "jm_staff"."manager_id" WHERE "mgr"."salary" > "jm_staff"."salary" ORDER BY "mgr"."name" ASC  -- 0 params
        "#]],
    );
}

#[test]
fn aggregates_over_a_join() {
    check(
        show(|d| {
            Post::query()
                .join(User::id, Post::user_id)
                .join(Review::post_id, Post::id)
                .select((User::name, count::<Review>(), Review::stars.sum(), Review::stars.avg().label("mean")))
                .group_by(User::name)
                .having(count::<Review>().ge(2))
                .order_by(Review::stars.sum().desc())
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "users"."name", COUNT(*), CAST(SUM("reviews"."stars") AS BIGINT), CAST(AVG("reviews"."stars") AS DOUBLE PRECISION) AS "mean" FROM "posts" INNER JOIN "users" ON "users"."id" = "posts"."user_id" INNER JOIN "reviews" ON "reviews"."post_id" = "posts"."id" GROUP BY "users"."name" HAVING COUNT(*) >= $1 ORDER BY CAST(SUM("reviews"."stars") AS BIGINT) DESC  -- 1 params
            mysql: SELECT `users`.`name`, COUNT(*), CAST(SUM(`reviews`.`stars`) AS SIGNED), CAST(AVG(`reviews`.`stars`) AS DOUBLE) AS `mean` FROM `posts` INNER JOIN `users` ON `users`.`id` = `posts`.`user_id` INNER JOIN `reviews` ON `reviews`.`post_id` = `posts`.`id` GROUP BY `users`.`name` HAVING COUNT(*) >= ? ORDER BY CAST(SUM(`reviews`.`stars`) AS SIGNED) DESC  -- 1 params
            mariadb: SELECT `users`.`name`, COUNT(*), CAST(SUM(`reviews`.`stars`) AS SIGNED), CAST(AVG(`reviews`.`stars`) AS DOUBLE) AS `mean` FROM `posts` INNER JOIN `users` ON `users`.`id` = `posts`.`user_id` INNER JOIN `reviews` ON `reviews`.`post_id` = `posts`.`id` GROUP BY `users`.`name` HAVING COUNT(*) >= ? ORDER BY CAST(SUM(`reviews`.`stars`) AS SIGNED) DESC  -- 1 params
            sqlite: SELECT "users"."name", COUNT(*), CAST(SUM("reviews"."stars") AS INTEGER), CAST(AVG("reviews"."stars") AS REAL) AS "mean" FROM "posts" INNER JOIN "users" ON "users"."id" = "posts"."user_id" INNER JOIN "reviews" ON "reviews"."post_id" = "posts"."id" GROUP BY "users"."name" HAVING COUNT(*) >= ? ORDER BY CAST(SUM("reviews"."stars") AS INTEGER) DESC  -- 1 params
        "#]],
    );
}

#[test]
fn alias_injection_and_strangers_fail_before_any_sql() {
    check(
        show(|d| {
            let bad = User::alias("u\"; DROP TABLE users; --");
            Post::query().join_as(bad, User::id.eq(Post::user_id.qualified())).to_sql(d)
        }),
        expect![[r#"
            postgres: error: invalid input: table alias "u\"; DROP TABLE users; --" is not an identifier (a letter or `_`, then letters, digits or `_`, at most 63)
            mysql: error: invalid input: table alias "u\"; DROP TABLE users; --" is not an identifier (a letter or `_`, then letters, digits or `_`, at most 63)
            mariadb: error: invalid input: table alias "u\"; DROP TABLE users; --" is not an identifier (a letter or `_`, then letters, digits or `_`, at most 63)
            sqlite: error: invalid input: table alias "u\"; DROP TABLE users; --" is not an identifier (a letter or `_`, then letters, digits or `_`, at most 63)
        "#]],
    );
    check(
        show(|d| Post::query().join_on(User::id.eq(Post::user_id.qualified())).filter(Review::stars.gt(1)).to_sql(d)),
        expect![[r#"
            postgres: error: invalid input: a column of `reviews` is used, but this join reads only posts, users
            mysql: error: invalid input: a column of `reviews` is used, but this join reads only posts, users
            mariadb: error: invalid input: a column of `reviews` is used, but this join reads only posts, users
            sqlite: error: invalid input: a column of `reviews` is used, but this join reads only posts, users
        "#]],
    );
}

#[test]
fn display_of_every_builder() {
    let q = User::filter(User::name.eq("O'Brien")).limit(2);
    let shown = [
        q.to_string(),
        q.clone().select(User::age).to_string(),
        q.clone().also_select(User::age * 2).to_string(),
        User::filter(User::age.lt(18)).update().set(User::age, 18).to_string(),
        q.clone().union(User::filter(User::age.gt(90))).to_string(),
        User::query().from_cte("young").with_cte("young", User::filter(User::age.lt(30))).to_string(),
        User::query().order_by(User::id).paginate(10).to_string(),
        User::query().join(Post::user_id, User::id).filter_joined(Post::title.eq("it's")).to_string(),
        Review::query()
            .join(Post::id, Review::post_id)
            .join(User::id, Post::user_id)
            .filter(Review::stars.eq(5))
            .to_string(),
        User::query()
            .join_on(Post::user_id.eq(User::id.qualified()))
            .select((User::name, count::<Post>()))
            .group_by(User::name)
            .to_string(),
    ];
    check(
        shown.join("\n") + "\n",
        expect![[r#"
        SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE "name" = 'O''Brien' LIMIT 2
        SELECT "age" FROM "users" WHERE "name" = 'O''Brien' LIMIT 2
        SELECT "users"."id", "users"."name", "users"."email", "users"."age", "users"."created_at", "users"."updated_at", "age" * 2 FROM "users" WHERE "name" = 'O''Brien' LIMIT 2
        UPDATE "users" SET "age" = 18 WHERE "age" < 18
        SELECT * FROM (SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE "name" = 'O''Brien' LIMIT 2) "m0" UNION SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE "age" > 90
        WITH "young" AS (SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE "age" < 30) SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "young"
        SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" ORDER BY "id" ASC LIMIT 11
        SELECT "users"."id", "users"."name", "users"."email", "users"."age", "users"."created_at", "users"."updated_at", "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."title" = 'it''s'
        SELECT "reviews"."id", "reviews"."reviewer_id", "reviews"."post_id", "reviews"."stars", "posts"."id", "posts"."user_id", "posts"."title", "posts"."body", "posts"."published", "users"."id", "users"."name", "users"."email", "users"."age", "users"."created_at", "users"."updated_at" FROM "reviews" INNER JOIN "posts" ON "posts"."id" = "reviews"."post_id" INNER JOIN "users" ON "users"."id" = "posts"."user_id" WHERE "reviews"."stars" = 5
        SELECT "users"."name", COUNT(*) FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" GROUP BY "users"."name"
    "#]],
    );
}

#[test]
fn ctes_over_typed_selections() {
    check(
        inline(|d| {
            User::query()
                .from_cte("adults")
                .select((User::name, User::age.max()))
                .group_by(User::name)
                .with_cte("adults", User::filter(User::age.ge(18)))
                .with_cte("unused", Post::query().select(Post::title))
                .debug_sql(d)
        }),
        expect![[r#"
            postgres: WITH "adults" AS (SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE "age" >= 18), "unused" AS (SELECT "title" FROM "posts") SELECT "name", MAX("age") FROM "adults" GROUP BY "name"
            mysql: WITH `adults` AS (SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE `age` >= 18), `unused` AS (SELECT `title` FROM `posts`) SELECT `name`, MAX(`age`) FROM `adults` GROUP BY `name`
            mariadb: WITH `adults` AS (SELECT `id`, `name`, `email`, `age`, `created_at`, `updated_at` FROM `users` WHERE `age` >= 18), `unused` AS (SELECT `title` FROM `posts`) SELECT `name`, MAX(`age`) FROM `adults` GROUP BY `name`
            sqlite: WITH "adults" AS (SELECT "id", "name", "email", "age", "created_at", "updated_at" FROM "users" WHERE "age" >= 18), "unused" AS (SELECT "title" FROM "posts") SELECT "name", MAX("age") FROM "adults" GROUP BY "name"
        "#]],
    );
}
