//! SQL snapshots of the soft-delete and archive shapes: the `deleted_at` conditions, the
//! archive as a source (alone, or in a `UNION ALL` under the table's name), the moves
//! (`INSERT … SELECT`), and the archive table's DDL.

use expect_test::expect;
use kakaorm::ast::{Expr, InsertSelect, Projection, Select, Statement};
use kakaorm::prelude::*;
use kakaorm::relation::{BelongsTo, HasMany};
use kakaorm::{ColumnType, Value, render};

use crate::snapshots::{check, ddl, show};

#[derive(Model, Clone)]
#[kakaorm(table = "notes", soft_delete)]
struct Note {
    id: i64,
    #[kakaorm(max_length = 20)]
    title: String,
    deleted_at: Option<DateTime<Utc>>,
    #[kakaorm(has_many)]
    pages: HasMany<Page>,
}

#[derive(Model, Clone)]
#[kakaorm(table = "pages", archive)]
struct Page {
    id: i64,
    #[kakaorm(references = Note, on_delete = "cascade", index)]
    note_id: i64,
    #[kakaorm(unique, max_length = 20)]
    slug: String,
    #[kakaorm(belongs_to)]
    note: BelongsTo<Note>,
}

#[test]
fn soft_delete_reads() {
    check(
        show(|d| Note::filter(Note::title.eq("a")).to_sql(d)),
        expect![[r#"
            postgres: SELECT "id", "title", "deleted_at" FROM "notes" WHERE "deleted_at" IS NULL AND "title" = $1  -- 1 params
            mysql: SELECT `id`, `title`, `deleted_at` FROM `notes` WHERE `deleted_at` IS NULL AND `title` = ?  -- 1 params
            mariadb: SELECT `id`, `title`, `deleted_at` FROM `notes` WHERE `deleted_at` IS NULL AND `title` = ?  -- 1 params
            sqlite: SELECT "id", "title", "deleted_at" FROM "notes" WHERE "deleted_at" IS NULL AND "title" = ?  -- 1 params
        "#]],
    );
    check(
        show(|d| Note::query().only_deleted().limit(1).to_sql(d)),
        expect![[r#"
        postgres: SELECT "id", "title", "deleted_at" FROM "notes" WHERE "deleted_at" IS NOT NULL LIMIT $1  -- 1 params
        mysql: SELECT `id`, `title`, `deleted_at` FROM `notes` WHERE `deleted_at` IS NOT NULL LIMIT ?  -- 1 params
        mariadb: SELECT `id`, `title`, `deleted_at` FROM `notes` WHERE `deleted_at` IS NOT NULL LIMIT ?  -- 1 params
        sqlite: SELECT "id", "title", "deleted_at" FROM "notes" WHERE "deleted_at" IS NOT NULL LIMIT ?  -- 1 params
    "#]],
    );
    check(
        show(|d| Note::query().include_deleted().to_sql(d)),
        expect![[r#"
        postgres: SELECT "id", "title", "deleted_at" FROM "notes"  -- 0 params
        mysql: SELECT `id`, `title`, `deleted_at` FROM `notes`  -- 0 params
        mariadb: SELECT `id`, `title`, `deleted_at` FROM `notes`  -- 0 params
        sqlite: SELECT "id", "title", "deleted_at" FROM "notes"  -- 0 params
    "#]],
    );
}

#[test]
fn soft_delete_across_relations() {
    check(
        show(|d| Page::filter(Page::slug.eq("x")).join(Note::id, Page::note_id).to_sql(d)),
        expect![[r#"
        postgres: SELECT "pages"."id", "pages"."note_id", "pages"."slug", "notes"."id", "notes"."title", "notes"."deleted_at" FROM "pages" INNER JOIN "notes" ON "notes"."id" = "pages"."note_id" AND "notes"."deleted_at" IS NULL WHERE "pages"."slug" = $1  -- 1 params
        mysql: SELECT `pages`.`id`, `pages`.`note_id`, `pages`.`slug`, `notes`.`id`, `notes`.`title`, `notes`.`deleted_at` FROM `pages` INNER JOIN `notes` ON `notes`.`id` = `pages`.`note_id` AND `notes`.`deleted_at` IS NULL WHERE `pages`.`slug` = ?  -- 1 params
        mariadb: SELECT `pages`.`id`, `pages`.`note_id`, `pages`.`slug`, `notes`.`id`, `notes`.`title`, `notes`.`deleted_at` FROM `pages` INNER JOIN `notes` ON `notes`.`id` = `pages`.`note_id` AND `notes`.`deleted_at` IS NULL WHERE `pages`.`slug` = ?  -- 1 params
        sqlite: SELECT "pages"."id", "pages"."note_id", "pages"."slug", "notes"."id", "notes"."title", "notes"."deleted_at" FROM "pages" INNER JOIN "notes" ON "notes"."id" = "pages"."note_id" AND "notes"."deleted_at" IS NULL WHERE "pages"."slug" = ?  -- 1 params
    "#]],
    );
    check(
        show(|d| Page::filter(Page::note.is(Note::title.eq("a"))).to_sql(d)),
        expect![[r#"
        postgres: SELECT "id", "note_id", "slug" FROM "pages" WHERE EXISTS (SELECT 1 FROM "notes" "kakaorm_r1" WHERE "kakaorm_r1"."id" = "pages"."note_id" AND "kakaorm_r1"."title" = $1 AND "kakaorm_r1"."deleted_at" IS NULL)  -- 1 params
        mysql: SELECT `id`, `note_id`, `slug` FROM `pages` WHERE EXISTS (SELECT 1 FROM `notes` `kakaorm_r1` WHERE `kakaorm_r1`.`id` = `pages`.`note_id` AND `kakaorm_r1`.`title` = ? AND `kakaorm_r1`.`deleted_at` IS NULL)  -- 1 params
        mariadb: SELECT `id`, `note_id`, `slug` FROM `pages` WHERE EXISTS (SELECT 1 FROM `notes` `kakaorm_r1` WHERE `kakaorm_r1`.`id` = `pages`.`note_id` AND `kakaorm_r1`.`title` = ? AND `kakaorm_r1`.`deleted_at` IS NULL)  -- 1 params
        sqlite: SELECT "id", "note_id", "slug" FROM "pages" WHERE EXISTS (SELECT 1 FROM "notes" "kakaorm_r1" WHERE "kakaorm_r1"."id" = "pages"."note_id" AND "kakaorm_r1"."title" = ? AND "kakaorm_r1"."deleted_at" IS NULL)  -- 1 params
    "#]],
    );
}

#[test]
fn archive_reads() {
    check(
        show(|d| Page::filter(Page::slug.eq("x")).only_deleted().to_sql(d)),
        expect![[r#"
        postgres: SELECT "id", "note_id", "slug" FROM "archive_pages" "pages" WHERE "slug" = $1  -- 1 params
        mysql: SELECT `id`, `note_id`, `slug` FROM `archive_pages` `pages` WHERE `slug` = ?  -- 1 params
        mariadb: SELECT `id`, `note_id`, `slug` FROM `archive_pages` `pages` WHERE `slug` = ?  -- 1 params
        sqlite: SELECT "id", "note_id", "slug" FROM "archive_pages" "pages" WHERE "slug" = ?  -- 1 params
    "#]],
    );
    check(
        show(|d| Page::filter(Page::slug.eq("x")).include_deleted().order_by(Page::id).limit(5).to_sql(d)),
        expect![[r#"
            postgres: SELECT "id", "note_id", "slug" FROM (SELECT "id", "note_id", "slug" FROM "pages" UNION ALL SELECT "id", "note_id", "slug" FROM "archive_pages") "pages" WHERE "slug" = $1 ORDER BY "id" ASC LIMIT $2  -- 2 params
            mysql: SELECT `id`, `note_id`, `slug` FROM (SELECT `id`, `note_id`, `slug` FROM `pages` UNION ALL SELECT `id`, `note_id`, `slug` FROM `archive_pages`) `pages` WHERE `slug` = ? ORDER BY `id` ASC LIMIT ?  -- 2 params
            mariadb: SELECT `id`, `note_id`, `slug` FROM (SELECT `id`, `note_id`, `slug` FROM `pages` UNION ALL SELECT `id`, `note_id`, `slug` FROM `archive_pages`) `pages` WHERE `slug` = ? ORDER BY `id` ASC LIMIT ?  -- 2 params
            sqlite: SELECT "id", "note_id", "slug" FROM (SELECT "id", "note_id", "slug" FROM "pages" UNION ALL SELECT "id", "note_id", "slug" FROM "archive_pages") "pages" WHERE "slug" = ? ORDER BY "id" ASC LIMIT ?  -- 2 params
        "#]],
    );
}

#[test]
fn archive_moves() {
    let columns = || vec!["id", "note_id", "slug"];
    check(
        show(|d| {
            let mut exprs: Vec<Expr> = columns().into_iter().map(Expr::column).collect();
            let now = Value::DateTimeUtc(chrono::DateTime::UNIX_EPOCH);
            exprs.push(Expr::Cast { expr: Box::new(Expr::Value(now)), ty: ColumnType::TimestampTz });
            let mut select = Select::new("pages", Projection::Columns(exprs));
            select.filter = Some(Expr::column("id").eq(Value::I64(7)));
            let mut into = columns();
            into.push("archived_at");
            render(Statement::InsertSelect(InsertSelect::new("archive_pages", into, select)), d)
        }),
        expect![[r#"
            postgres: INSERT INTO "archive_pages" ("id", "note_id", "slug", "archived_at") SELECT "id", "note_id", "slug", CAST($1 AS TIMESTAMPTZ) FROM "pages" WHERE "id" = $2  -- 2 params
            mysql: INSERT INTO `archive_pages` (`id`, `note_id`, `slug`, `archived_at`) SELECT `id`, `note_id`, `slug`, CAST(? AS DATETIME(6)) FROM `pages` WHERE `id` = ?  -- 2 params
            mariadb: INSERT INTO `archive_pages` (`id`, `note_id`, `slug`, `archived_at`) SELECT `id`, `note_id`, `slug`, CAST(? AS DATETIME(6)) FROM `pages` WHERE `id` = ?  -- 2 params
            sqlite: INSERT INTO "archive_pages" ("id", "note_id", "slug", "archived_at") SELECT "id", "note_id", "slug", CAST(? AS TEXT) FROM "pages" WHERE "id" = ?  -- 2 params
        "#]],
    );
}

#[test]
fn archive_table_ddl() {
    check(
        ddl::<Page>(),
        expect![[r#"
        postgres:
          CREATE TABLE "pages" ("id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "note_id" BIGINT NOT NULL, "slug" VARCHAR(20) NOT NULL UNIQUE, CONSTRAINT "fk_pages_note_id" FOREIGN KEY ("note_id") REFERENCES "notes" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);
          CREATE INDEX "idx_pages_note_id" ON "pages" ("note_id");
          CREATE TABLE "archive_pages" ("id" BIGINT NOT NULL PRIMARY KEY, "note_id" BIGINT NOT NULL, "slug" VARCHAR(20) NOT NULL, "archived_at" TIMESTAMPTZ NOT NULL)
        mysql:
          CREATE TABLE `pages` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `note_id` BIGINT NOT NULL, `slug` VARCHAR(20) NOT NULL UNIQUE, CONSTRAINT `fk_pages_note_id` FOREIGN KEY (`note_id`) REFERENCES `notes` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION, INDEX `idx_pages_note_id` (`note_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin;
          CREATE TABLE `archive_pages` (`id` BIGINT NOT NULL PRIMARY KEY, `note_id` BIGINT NOT NULL, `slug` VARCHAR(20) NOT NULL, `archived_at` DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin
        mariadb:
          CREATE TABLE `pages` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `note_id` BIGINT NOT NULL, `slug` VARCHAR(20) NOT NULL UNIQUE, CONSTRAINT `fk_pages_note_id` FOREIGN KEY (`note_id`) REFERENCES `notes` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION, INDEX `idx_pages_note_id` (`note_id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;
          CREATE TABLE `archive_pages` (`id` BIGINT NOT NULL PRIMARY KEY, `note_id` BIGINT NOT NULL, `slug` VARCHAR(20) NOT NULL, `archived_at` DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin
        sqlite:
          CREATE TABLE "pages" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "note_id" INTEGER NOT NULL, "slug" VARCHAR(20) NOT NULL UNIQUE, CONSTRAINT "fk_pages_note_id" FOREIGN KEY ("note_id") REFERENCES "notes" ("id") ON DELETE CASCADE ON UPDATE NO ACTION);
          CREATE INDEX "idx_pages_note_id" ON "pages" ("note_id");
          CREATE TABLE "archive_pages" ("id" INTEGER NOT NULL PRIMARY KEY, "note_id" INTEGER NOT NULL, "slug" VARCHAR(20) NOT NULL, "archived_at" TIMESTAMPTZ NOT NULL)
    "#]],
    );
}

#[test]
fn scopes_inside_subqueries() {
    check(
        show(|d| Page::filter(kakaorm::exists(Note::filter(Note::id.eq(Page::note_id.outer())))).to_sql(d)),
        expect![[r#"
            postgres: SELECT "id", "note_id", "slug" FROM "pages" WHERE EXISTS (SELECT 1 FROM "notes" "sq1" WHERE "sq1"."deleted_at" IS NULL AND "sq1"."id" = "pages"."note_id")  -- 0 params
            mysql: SELECT `id`, `note_id`, `slug` FROM `pages` WHERE EXISTS (SELECT 1 FROM `notes` `sq1` WHERE `sq1`.`deleted_at` IS NULL AND `sq1`.`id` = `pages`.`note_id`)  -- 0 params
            mariadb: SELECT `id`, `note_id`, `slug` FROM `pages` WHERE EXISTS (SELECT 1 FROM `notes` `sq1` WHERE `sq1`.`deleted_at` IS NULL AND `sq1`.`id` = `pages`.`note_id`)  -- 0 params
            sqlite: SELECT "id", "note_id", "slug" FROM "pages" WHERE EXISTS (SELECT 1 FROM "notes" "sq1" WHERE "sq1"."deleted_at" IS NULL AND "sq1"."id" = "pages"."note_id")  -- 0 params
        "#]],
    );
    check(
        show(|d| {
            let archived = Page::filter(Page::note_id.eq(Note::id.outer())).include_deleted();
            Note::filter(kakaorm::exists(archived)).to_sql(d)
        }),
        expect![[r#"
            postgres: SELECT "id", "title", "deleted_at" FROM "notes" WHERE "deleted_at" IS NULL AND EXISTS (SELECT 1 FROM (SELECT "id", "note_id", "slug" FROM "pages" UNION ALL SELECT "id", "note_id", "slug" FROM "archive_pages") "sq1" WHERE "sq1"."note_id" = "notes"."id")  -- 0 params
            mysql: SELECT `id`, `title`, `deleted_at` FROM `notes` WHERE `deleted_at` IS NULL AND EXISTS (SELECT 1 FROM (SELECT `id`, `note_id`, `slug` FROM `pages` UNION ALL SELECT `id`, `note_id`, `slug` FROM `archive_pages`) `sq1` WHERE `sq1`.`note_id` = `notes`.`id`)  -- 0 params
            mariadb: SELECT `id`, `title`, `deleted_at` FROM `notes` WHERE `deleted_at` IS NULL AND EXISTS (SELECT 1 FROM (SELECT `id`, `note_id`, `slug` FROM `pages` UNION ALL SELECT `id`, `note_id`, `slug` FROM `archive_pages`) `sq1` WHERE `sq1`.`note_id` = `notes`.`id`)  -- 0 params
            sqlite: SELECT "id", "title", "deleted_at" FROM "notes" WHERE "deleted_at" IS NULL AND EXISTS (SELECT 1 FROM (SELECT "id", "note_id", "slug" FROM "pages" UNION ALL SELECT "id", "note_id", "slug" FROM "archive_pages") "sq1" WHERE "sq1"."note_id" = "notes"."id")  -- 0 params
        "#]],
    );
}
