//! SQL snapshots of the query-language shapes (expressions, labels, subqueries, CASE,
//! windows, CTEs, set operations) in every dialect, and their inline debugging rendering.

use expect_test::{Expect, expect};
use kakaorm::ast::FrameBound;
use kakaorm::prelude::*;
use kakaorm::{exists, fill, not_exists, raw};

use crate::query_models::*;
use crate::snapshots::{DIALECTS, show};

fn check(actual: String, expected: Expect) {
    expected.assert_eq(&actual);
}

fn inline(render: impl Fn(&dyn kakaorm::Dialect) -> kakaorm::Result<String>) -> String {
    let mut out = String::new();
    for (name, d) in DIALECTS {
        match render(d) {
            Ok(sql) => out.push_str(&format!("{name}: {sql}\n")),
            Err(e) => out.push_str(&format!("{name}: error: {e}\n")),
        }
    }
    out
}

#[test]
fn expressions_and_labels() {
    check(
        show(|d| {
            Article::filter((Article::views * 2).gt(30))
                .select((
                    Article::views / 4,
                    Article::score / 2.0,
                    Article::title.trim().upper().label("t"),
                    Article::title.length(),
                    Article::nick.coalesce("anon").concat("!"),
                    Article::title.substring(1, 2).cast::<String>(),
                ))
                .order_by((Article::views - 1).desc())
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "views" / $1, "score" / $2, UPPER(TRIM("title")) AS "t", LENGTH("title"), (COALESCE("nick", $3) || $4), CAST(SUBSTR("title", $5, $6) AS TEXT) FROM "articles" WHERE ("views" * $7) > $8 ORDER BY ("articles"."views" - $9) DESC  -- 9 params
            mysql: SELECT `views` DIV ?, `score` / ?, UPPER(TRIM(`title`)) AS `t`, CHAR_LENGTH(`title`), CONCAT(COALESCE(`nick`, ?), ?), CAST(SUBSTR(`title`, ?, ?) AS CHAR) FROM `articles` WHERE (`views` * ?) > ? ORDER BY (`articles`.`views` - ?) DESC  -- 9 params
            mariadb: SELECT `views` DIV ?, `score` / ?, UPPER(TRIM(`title`)) AS `t`, CHAR_LENGTH(`title`), CONCAT(COALESCE(`nick`, ?), ?), CAST(SUBSTR(`title`, ?, ?) AS CHAR) FROM `articles` WHERE (`views` * ?) > ? ORDER BY (`articles`.`views` - ?) DESC  -- 9 params
            sqlite: SELECT "views" / ?, "score" / ?, UPPER(TRIM("title")) AS "t", LENGTH("title"), (COALESCE("nick", ?) || ?), CAST(SUBSTR("title", ?, ?) AS TEXT) FROM "articles" WHERE ("views" * ?) > ? ORDER BY ("articles"."views" - ?) DESC  -- 9 params
        "#]],
    );
}

#[test]
fn update_with_expressions_and_case() {
    check(
        show(|d| {
            Article::filter(Article::id.eq(1))
                .update()
                .set(Article::views, Article::views + 1)
                .set(Article::likes, case_when(Article::views.ge(20), Article::likes * 10).otherwise(0))
                .to_sql(d)
        }),
        expect![[r#"
            postgres: UPDATE "articles" SET "views" = "views" + $1, "likes" = CASE WHEN "views" >= $2 THEN "likes" * $3 ELSE CAST($4 AS BIGINT) END WHERE "id" = $5  -- 5 params
            mysql: UPDATE `articles` SET `views` = `views` + ?, `likes` = CASE WHEN `views` >= ? THEN `likes` * ? ELSE CAST(? AS SIGNED) END WHERE `id` = ?  -- 5 params
            mariadb: UPDATE `articles` SET `views` = `views` + ?, `likes` = CASE WHEN `views` >= ? THEN `likes` * ? ELSE CAST(? AS SIGNED) END WHERE `id` = ?  -- 5 params
            sqlite: UPDATE "articles" SET "views" = "views" + ?, "likes" = CASE WHEN "views" >= ? THEN "likes" * ? ELSE CAST(? AS INTEGER) END WHERE "id" = ?  -- 5 params
        "#]],
    );
}

#[test]
fn subqueries() {
    check(
        show(|d| {
            let liked = Remark::filter(Remark::stars.ge(4)).select(Remark::article_id);
            let remarks = Remark::filter(Remark::article_id.eq(Article::id.outer()));
            let count = remarks.clone().select(count()).scalar();
            Article::filter(Article::id.in_(liked) & exists(remarks.clone()) | not_exists(remarks))
                .select((Article::id, count.label("n")))
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "id", (SELECT COUNT(*) FROM "remarks" "sq1" WHERE "sq1"."article_id" = "articles"."id") AS "n" FROM "articles" WHERE ("id" IN (SELECT "sq1"."article_id" FROM "remarks" "sq1" WHERE "sq1"."stars" >= $1) AND EXISTS (SELECT 1 FROM "remarks" "sq1" WHERE "sq1"."article_id" = "articles"."id")) OR NOT EXISTS (SELECT 1 FROM "remarks" "sq1" WHERE "sq1"."article_id" = "articles"."id")  -- 1 params
            mysql: SELECT `id`, (SELECT COUNT(*) FROM `remarks` `sq1` WHERE `sq1`.`article_id` = `articles`.`id`) AS `n` FROM `articles` WHERE (`id` IN (SELECT `sq1`.`article_id` FROM `remarks` `sq1` WHERE `sq1`.`stars` >= ?) AND EXISTS (SELECT 1 FROM `remarks` `sq1` WHERE `sq1`.`article_id` = `articles`.`id`)) OR NOT EXISTS (SELECT 1 FROM `remarks` `sq1` WHERE `sq1`.`article_id` = `articles`.`id`)  -- 1 params
            mariadb: SELECT `id`, (SELECT COUNT(*) FROM `remarks` `sq1` WHERE `sq1`.`article_id` = `articles`.`id`) AS `n` FROM `articles` WHERE (`id` IN (SELECT `sq1`.`article_id` FROM `remarks` `sq1` WHERE `sq1`.`stars` >= ?) AND EXISTS (SELECT 1 FROM `remarks` `sq1` WHERE `sq1`.`article_id` = `articles`.`id`)) OR NOT EXISTS (SELECT 1 FROM `remarks` `sq1` WHERE `sq1`.`article_id` = `articles`.`id`)  -- 1 params
            sqlite: SELECT "id", (SELECT COUNT(*) FROM "remarks" "sq1" WHERE "sq1"."article_id" = "articles"."id") AS "n" FROM "articles" WHERE ("id" IN (SELECT "sq1"."article_id" FROM "remarks" "sq1" WHERE "sq1"."stars" >= ?) AND EXISTS (SELECT 1 FROM "remarks" "sq1" WHERE "sq1"."article_id" = "articles"."id")) OR NOT EXISTS (SELECT 1 FROM "remarks" "sq1" WHERE "sq1"."article_id" = "articles"."id")  -- 1 params
        "#]],
    );
}

#[test]
fn in_over_a_limited_subquery() {
    check(
        show(|d| {
            let best = Remark::query().order_by(Remark::stars.desc()).limit(2).select(Remark::article_id);
            Article::filter(Article::id.in_(best)).select(Article::id).to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "id" FROM "articles" WHERE "id" IN (SELECT "sq1"."article_id" FROM "remarks" "sq1" ORDER BY "sq1"."stars" DESC LIMIT $1)  -- 1 params
            mysql: SELECT `id` FROM `articles` WHERE `id` IN (SELECT * FROM (SELECT `sq1`.`article_id` FROM `remarks` `sq1` ORDER BY `sq1`.`stars` DESC LIMIT ?) `sliced`)  -- 1 params
            mariadb: SELECT `id` FROM `articles` WHERE `id` IN (SELECT * FROM (SELECT `sq1`.`article_id` FROM `remarks` `sq1` ORDER BY `sq1`.`stars` DESC LIMIT ?) `sliced`)  -- 1 params
            sqlite: SELECT "id" FROM "articles" WHERE "id" IN (SELECT "sq1"."article_id" FROM "remarks" "sq1" ORDER BY "sq1"."stars" DESC LIMIT ?)  -- 1 params
        "#]],
    );
}

#[test]
fn windows() {
    check(
        show(|d| {
            Article::query()
                .select((
                    row_number().over(over().partition_by(Article::author).order_by(Article::views.desc())),
                    rank().over(over().order_by(Article::views)),
                    Article::views.lag_or(2, 0).over(over().order_by(Article::id)),
                    Article::views
                        .sum()
                        .over(over().order_by(Article::id).rows(FrameBound::Preceding(1), FrameBound::CurrentRow)),
                ))
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT ROW_NUMBER() OVER (PARTITION BY "author" ORDER BY "views" DESC), RANK() OVER (ORDER BY "views" ASC), LAG("views", $1, $2) OVER (ORDER BY "id" ASC), CAST(SUM("views") OVER (ORDER BY "id" ASC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS BIGINT) FROM "articles"  -- 2 params
            mysql: SELECT ROW_NUMBER() OVER (PARTITION BY `author` ORDER BY `views` DESC), RANK() OVER (ORDER BY `views` ASC), COALESCE(LAG(`views`, 2) OVER (ORDER BY `id` ASC), ?), CAST(SUM(`views`) OVER (ORDER BY `id` ASC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS SIGNED) FROM `articles`  -- 1 params
            mariadb: SELECT ROW_NUMBER() OVER (PARTITION BY `author` ORDER BY `views` DESC), RANK() OVER (ORDER BY `views` ASC), COALESCE(LAG(`views`, 2) OVER (ORDER BY `id` ASC), ?), CAST(SUM(`views`) OVER (ORDER BY `id` ASC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS SIGNED) FROM `articles`  -- 1 params
            sqlite: SELECT ROW_NUMBER() OVER (PARTITION BY "author" ORDER BY "views" DESC), RANK() OVER (ORDER BY "views" ASC), LAG("views", ?, ?) OVER (ORDER BY "id" ASC), CAST(SUM("views") OVER (ORDER BY "id" ASC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS INTEGER) FROM "articles"  -- 2 params
        "#]],
    );
}

#[test]
fn ctes_and_set_operations() {
    check(
        show(|d| {
            Category::query()
                .from_cte("tree")
                .with_cte("roots", Category::filter(Category::parent_id.is_null()))
                .with_tree("tree", Category::filter(Category::id.eq(1)), Category::parent_id, Category::id)
                .to_sql(d)
        }),
        expect![[r#"
            postgres: WITH RECURSIVE "roots" AS (SELECT "id", "parent_id", "name" FROM "categories" WHERE "parent_id" IS NULL), "tree" AS (SELECT "categories"."id", "categories"."parent_id", "categories"."name" FROM "categories" WHERE "categories"."id" = $1 UNION ALL SELECT "categories"."id", "categories"."parent_id", "categories"."name" FROM "categories" INNER JOIN "tree" ON "categories"."parent_id" = "tree"."id") SELECT "id", "parent_id", "name" FROM "tree"  -- 1 params
            mysql: WITH RECURSIVE `roots` AS (SELECT `id`, `parent_id`, `name` FROM `categories` WHERE `parent_id` IS NULL), `tree` AS (SELECT `categories`.`id`, `categories`.`parent_id`, `categories`.`name` FROM `categories` WHERE `categories`.`id` = ? UNION ALL SELECT `categories`.`id`, `categories`.`parent_id`, `categories`.`name` FROM `categories` INNER JOIN `tree` ON `categories`.`parent_id` = `tree`.`id`) SELECT `id`, `parent_id`, `name` FROM `tree`  -- 1 params
            mariadb: WITH RECURSIVE `roots` AS (SELECT `id`, `parent_id`, `name` FROM `categories` WHERE `parent_id` IS NULL), `tree` AS (SELECT `categories`.`id`, `categories`.`parent_id`, `categories`.`name` FROM `categories` WHERE `categories`.`id` = ? UNION ALL SELECT `categories`.`id`, `categories`.`parent_id`, `categories`.`name` FROM `categories` INNER JOIN `tree` ON `categories`.`parent_id` = `tree`.`id`) SELECT `id`, `parent_id`, `name` FROM `tree`  -- 1 params
            sqlite: WITH RECURSIVE "roots" AS (SELECT "id", "parent_id", "name" FROM "categories" WHERE "parent_id" IS NULL), "tree" AS (SELECT "categories"."id", "categories"."parent_id", "categories"."name" FROM "categories" WHERE "categories"."id" = ? UNION ALL SELECT "categories"."id", "categories"."parent_id", "categories"."name" FROM "categories" INNER JOIN "tree" ON "categories"."parent_id" = "tree"."id") SELECT "id", "parent_id", "name" FROM "tree"  -- 1 params
        "#]],
    );
    check(
        show(|d| {
            Article::filter(Article::author.eq("ann"))
                .select(Article::id)
                .union_all(Article::query().order_by(Article::views).limit(1).select(Article::id))
                .intersect_all(Remark::query().select(Remark::article_id))
                .order_by(Article::id)
                .limit(3)
                .to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT * FROM (SELECT "id" FROM "articles" WHERE "author" = $1 UNION ALL SELECT * FROM (SELECT "id" FROM "articles" ORDER BY "views" ASC LIMIT $2) "m1") "c1" INTERSECT ALL SELECT "article_id" FROM "remarks" ORDER BY "id" ASC LIMIT $3  -- 3 params
            mysql: SELECT * FROM (SELECT `id` FROM `articles` WHERE `author` = ? UNION ALL SELECT * FROM (SELECT `id` FROM `articles` ORDER BY `views` ASC LIMIT ?) `m1`) `c1` INTERSECT ALL SELECT `article_id` FROM `remarks` ORDER BY `id` ASC LIMIT ?  -- 3 params
            mariadb: SELECT * FROM (SELECT `id` FROM `articles` WHERE `author` = ? UNION ALL SELECT * FROM (SELECT `id` FROM `articles` ORDER BY `views` ASC LIMIT ?) `m1`) `c1` INTERSECT ALL SELECT `article_id` FROM `remarks` ORDER BY `id` ASC LIMIT ?  -- 3 params
            sqlite: error: unsupported: sqlite has no INTERSECT ALL
        "#]],
    );
}

#[test]
fn debug_sql_inlines_quoted_values() {
    check(
        inline(|d| {
            Article::filter(Article::author.eq("O'Brien \\ x") & Article::score.gt(1.5))
                .order_by(Article::id)
                .limit(2)
                .debug_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "id", "author", "title", "nick", "views", "likes", "score" FROM "articles" WHERE "author" = 'O''Brien \ x' AND "score" > 1.5 ORDER BY "id" ASC LIMIT 2
            mysql: SELECT `id`, `author`, `title`, `nick`, `views`, `likes`, `score` FROM `articles` WHERE `author` = 'O''Brien \\ x' AND `score` > 1.5 ORDER BY `id` ASC LIMIT 2
            mariadb: SELECT `id`, `author`, `title`, `nick`, `views`, `likes`, `score` FROM `articles` WHERE `author` = 'O''Brien \\ x' AND `score` > 1.5 ORDER BY `id` ASC LIMIT 2
            sqlite: SELECT "id", "author", "title", "nick", "views", "likes", "score" FROM "articles" WHERE "author" = 'O''Brien \ x' AND "score" > 1.5 ORDER BY "id" ASC LIMIT 2
        "#]],
    );
    check(
        inline(|d| Article::query().update().set(Article::nick, None::<String>).set(Article::views, 3).debug_sql(d)),
        expect![[r#"
        postgres: UPDATE "articles" SET "nick" = NULL, "views" = 3
        mysql: UPDATE `articles` SET `nick` = NULL, `views` = 3
        mariadb: UPDATE `articles` SET `nick` = NULL, `views` = 3
        sqlite: UPDATE "articles" SET "nick" = NULL, "views" = 3
    "#]],
    );
}

#[derive(Model, Debug)]
#[kakaorm(table = "archived")]
pub struct Archived {
    pub id: i64,
    pub article_id: i64,
    pub title: String,
}

#[test]
fn debug_sql_of_every_builder() {
    let copy = || {
        Article::filter(Article::author.eq("it's"))
            .insert_into::<Archived>((fill(Archived::article_id, Article::id), fill(Archived::title, Article::title)))
    };
    check(
        inline(|d| copy().debug_sql(d)),
        expect![[r#"
        postgres: INSERT INTO "archived" ("article_id", "title") SELECT "id", "title" FROM "articles" WHERE "author" = 'it''s'
        mysql: INSERT INTO `archived` (`article_id`, `title`) SELECT `id`, `title` FROM `articles` WHERE `author` = 'it''s'
        mariadb: INSERT INTO `archived` (`article_id`, `title`) SELECT `id`, `title` FROM `articles` WHERE `author` = 'it''s'
        sqlite: INSERT INTO "archived" ("article_id", "title") SELECT "id", "title" FROM "articles" WHERE "author" = 'it''s'
    "#]],
    );
    check(
        inline(|d| Article::filter(Article::views.gt(3)).order_by(Article::views.desc()).paginate(5).debug_sql(d)),
        expect![[r#"
            postgres: SELECT "id", "author", "title", "nick", "views", "likes", "score" FROM "articles" WHERE "views" > 3 ORDER BY "views" DESC, "id" DESC LIMIT 6
            mysql: SELECT `id`, `author`, `title`, `nick`, `views`, `likes`, `score` FROM `articles` WHERE `views` > 3 ORDER BY `views` DESC, `id` DESC LIMIT 6
            mariadb: SELECT `id`, `author`, `title`, `nick`, `views`, `likes`, `score` FROM `articles` WHERE `views` > 3 ORDER BY `views` DESC, `id` DESC LIMIT 6
            sqlite: SELECT "id", "author", "title", "nick", "views", "likes", "score" FROM "articles" WHERE "views" > 3 ORDER BY "views" DESC, "id" DESC LIMIT 6
        "#]],
    );
    check(
        inline(|d| {
            raw("SELECT id FROM articles WHERE author = $2 AND views > $1 OR author = $2")
                .bind(7)
                .bind("O'Brien \\")
                .debug_sql(d)
        }),
        expect![[r#"
            postgres: SELECT id FROM articles WHERE author = 'O''Brien \' AND views > 7 OR author = 'O''Brien \'
            mysql: SELECT id FROM articles WHERE author = 'O''Brien \\' AND views > 7 OR author = 'O''Brien \\'
            mariadb: SELECT id FROM articles WHERE author = 'O''Brien \\' AND views > 7 OR author = 'O''Brien \\'
            sqlite: SELECT id FROM articles WHERE author = 'O''Brien \' AND views > 7 OR author = 'O''Brien \'
        "#]],
    );
    check(
        inline(|d| {
            Article::filter(Article::author.eq("ann"))
                .select(Article::id)
                .union(Remark::filter(Remark::stars.ge(4)).select(Remark::article_id))
                .limit(3)
                .debug_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "id" FROM "articles" WHERE "author" = 'ann' UNION SELECT "article_id" FROM "remarks" WHERE "stars" >= 4 LIMIT 3
            mysql: SELECT `id` FROM `articles` WHERE `author` = 'ann' UNION SELECT `article_id` FROM `remarks` WHERE `stars` >= 4 LIMIT 3
            mariadb: SELECT `id` FROM `articles` WHERE `author` = 'ann' UNION SELECT `article_id` FROM `remarks` WHERE `stars` >= 4 LIMIT 3
            sqlite: SELECT "id" FROM "articles" WHERE "author" = 'ann' UNION SELECT "article_id" FROM "remarks" WHERE "stars" >= 4 LIMIT 3
        "#]],
    );
    check(
        inline(|d| {
            Article::query().from_cte("busy").with_cte("busy", Article::filter(Article::views.ge(20))).debug_sql(d)
        }),
        expect![[r#"
            postgres: WITH "busy" AS (SELECT "id", "author", "title", "nick", "views", "likes", "score" FROM "articles" WHERE "views" >= 20) SELECT "id", "author", "title", "nick", "views", "likes", "score" FROM "busy"
            mysql: WITH `busy` AS (SELECT `id`, `author`, `title`, `nick`, `views`, `likes`, `score` FROM `articles` WHERE `views` >= 20) SELECT `id`, `author`, `title`, `nick`, `views`, `likes`, `score` FROM `busy`
            mariadb: WITH `busy` AS (SELECT `id`, `author`, `title`, `nick`, `views`, `likes`, `score` FROM `articles` WHERE `views` >= 20) SELECT `id`, `author`, `title`, `nick`, `views`, `likes`, `score` FROM `busy`
            sqlite: WITH "busy" AS (SELECT "id", "author", "title", "nick", "views", "likes", "score" FROM "articles" WHERE "views" >= 20) SELECT "id", "author", "title", "nick", "views", "likes", "score" FROM "busy"
        "#]],
    );
    check(
        inline(|d| {
            Article::query()
                .select((
                    Article::author,
                    Article::views.lag_or(1, -1).over(over().order_by(Article::id)).label("before"),
                ))
                .debug_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "author", LAG("views", 1, -1) OVER (ORDER BY "id" ASC) AS "before" FROM "articles"
            mysql: SELECT `author`, COALESCE(LAG(`views`, 1) OVER (ORDER BY `id` ASC), -1) AS `before` FROM `articles`
            mariadb: SELECT `author`, COALESCE(LAG(`views`, 1) OVER (ORDER BY `id` ASC), -1) AS `before` FROM `articles`
            sqlite: SELECT "author", LAG("views", 1, -1) OVER (ORDER BY "id" ASC) AS "before" FROM "articles"
        "#]],
    );
    // Raw text errors are reported by debug_sql too: nothing is guessed.
    check(
        inline(|d| raw("SELECT $2").bind(1).debug_sql(d)),
        expect![[r#"
        postgres: error: invalid input: raw SQL placeholder $2 has no parameter (1 given)
        mysql: error: invalid input: raw SQL placeholder $2 has no parameter (1 given)
        mariadb: error: invalid input: raw SQL placeholder $2 has no parameter (1 given)
        sqlite: error: invalid input: raw SQL placeholder $2 has no parameter (1 given)
    "#]],
    );
}
