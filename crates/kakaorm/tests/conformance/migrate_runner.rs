//! The migration runner: versioned files applied in order, downgrades checked against the
//! history, tampering detected, failures rolled back where DDL is transactional, and
//! concurrent runners applying each migration exactly once.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind};
use kakaorm_migrate::{AppliedMigration, MigrationState, Migrator, Problem};

/// A fresh, empty directory for one test's migrations; removed by [`TempDir`]'s drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("kakaorm-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    /// Writes the migration `<full>/up.sql` and `down.sql`.
    pub fn migration(&self, full: &str, up: &str, down: &str) -> PathBuf {
        let dir = self.0.join(full);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("up.sql"), up).unwrap();
        std::fs::write(dir.join("down.sql"), down).unwrap();
        dir
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const M1: &str = "20260101000000_people";
const M2: &str = "20260102000000_pets";
const M3: &str = "20260103000000_seed";

/// Three migrations, written out of order: tables, then rows with `;` and comments in them.
fn three(dir: &TempDir) {
    dir.migration(M3, "-- rows; with semicolons\nINSERT INTO mr_people (name) VALUES ('a;b');\n/* ; */ INSERT INTO mr_pets (name) VALUES ('it''s;');", "DELETE FROM mr_pets;\nDELETE FROM mr_people;");
    dir.migration(M1, "CREATE TABLE mr_people (name VARCHAR(40) NOT NULL);", "DROP TABLE mr_people;");
    dir.migration(
        M2,
        "CREATE TABLE mr_pets (name VARCHAR(40) NOT NULL);\nCREATE INDEX mr_pets_name ON mr_pets (name);\nSELECT COUNT(*) FROM mr_people;",
        "DROP TABLE mr_pets;",
    );
}

async fn count(db: &Db, table: &str) -> kakaorm::Result<i64> {
    let n: Vec<i64> = db.fetch_raw(&format!("SELECT COUNT(*) FROM {table}"), vec![]).await?;
    Ok(n[0])
}

/// Whether `table` exists, as the server sees it.
async fn exists(db: &Db, table: &str) -> bool {
    count(db, table).await.is_ok()
}

fn names(applied: &[AppliedMigration]) -> Vec<&str> {
    applied.iter().map(|a| a.name.as_str()).collect()
}

fn edit(path: &Path, file: &str, text: &str) {
    std::fs::write(path.join(file), text).unwrap();
}

conformance! {
    async fn migrations_apply_in_order_and_downgrade_round_trips(db: Db) -> Result<()> {
        let dir = TempDir::new("order");
        three(&dir);
        let migrator = Migrator::from_dir(&dir.0)?;
        assert!(migrator.status(&db).await?.iter().all(|s| s.state == MigrationState::Pending));
        assert!(!exists(&db, "kakaorm_migrations").await, "status creates nothing");
        assert_eq!(migrator.run(&db).await?, [M1, M2, M3]);
        assert_eq!(count(&db, "mr_people").await?, 1);
        let texts: Vec<String> = db.fetch_raw("SELECT name FROM mr_pets", vec![]).await?;
        assert_eq!(texts, ["it's;"]);
        let history = migrator.history(&db).await?;
        assert_eq!(names(&history), [M1, M2, M3]);
        assert_eq!(history[0].checksum.len(), 64);
        assert_eq!(history[0].down_sql, "DROP TABLE mr_people;");
        assert!(migrator.run(&db).await?.is_empty(), "nothing pending");
        assert!(migrator.verify(&db).await?.is_empty());

        assert!(migrator.downgrade(0, &db).await?.is_empty());
        let too_many = migrator.downgrade(4, &db).await.unwrap_err();
        assert_eq!(too_many.kind(), ErrorKind::InvalidInput, "{too_many}");
        assert_eq!(migrator.downgrade(2, &db).await?, [M3, M2]);
        assert!(!exists(&db, "mr_pets").await);
        assert_eq!(count(&db, "mr_people").await?, 0);
        let states: Vec<bool> = migrator.status(&db).await?.iter().map(|s| s.state == MigrationState::Pending).collect();
        assert_eq!(states, [false, true, true]);

        assert_eq!(migrator.run(&db).await?, [M2, M3]);
        assert_eq!(count(&db, "mr_pets").await?, 1);
        assert_eq!(migrator.downgrade(3, &db).await?, [M3, M2, M1]);
        assert!(!exists(&db, "mr_people").await);
        assert!(migrator.history(&db).await?.is_empty());
        Ok(())
    }

    async fn tampered_files_are_reported_and_refused(db: Db) -> Result<()> {
        let dir = TempDir::new("tamper");
        three(&dir);
        Migrator::from_dir(&dir.0)?.run(&db).await?;

        edit(&dir.0.join(M3), "up.sql", "INSERT INTO mr_people (name) VALUES ('other');");
        let migrator = Migrator::from_dir(&dir.0)?;
        let found = migrator.verify(&db).await?;
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].name, M3);
        assert!(matches!(found[0].problem, Problem::ChecksumChanged { .. }), "{found:?}");
        let refused = migrator.downgrade(1, &db).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::Migration);
        assert!(refused.message().contains("up.sql changed since it was applied"), "{refused}");
        let refused = migrator.run(&db).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::Migration);
        assert!(refused.message().starts_with("refusing to migrate"), "{refused}");

        three(&dir);
        edit(&dir.0.join(M2), "down.sql", "DROP TABLE mr_people;");
        let migrator = Migrator::from_dir(&dir.0)?;
        let found = migrator.verify(&db).await?;
        assert_eq!(found.iter().map(|m| (&*m.name, &m.problem)).collect::<Vec<_>>(), [(M2, &Problem::DownChanged)]);
        // M3 is clean, M2 is not: the run reverts neither.
        let refused = migrator.downgrade(2, &db).await.unwrap_err();
        assert!(refused.message().contains("down.sql differs"), "{refused}");
        assert_eq!(migrator.history(&db).await?.len(), 3);
        assert_eq!(count(&db, "mr_people").await?, 1, "nothing reverted");

        std::fs::remove_dir_all(dir.0.join(M2)).unwrap();
        std::fs::remove_dir_all(dir.0.join(M3)).unwrap();
        let migrator = Migrator::from_dir(&dir.0)?;
        let found = migrator.verify(&db).await?;
        assert_eq!(found.iter().map(|m| &m.problem).collect::<Vec<_>>(), [&Problem::FileMissing, &Problem::FileMissing]);
        assert!(matches!(migrator.status(&db).await?[2].state, MigrationState::Missing(_)));
        let refused = migrator.downgrade(1, &db).await.unwrap_err();
        assert!(refused.message().contains("its files are missing"), "{refused}");
        assert_eq!(migrator.history(&db).await?.len(), 3);
        Ok(())
    }

    async fn history_names_outside_the_directory_are_refused(db: Db) -> Result<()> {
        let dir = TempDir::new("escape");
        dir.migration(M1, "CREATE TABLE mr_people (name VARCHAR(40));", "DROP TABLE mr_people;");
        let migrator = Migrator::from_dir(&dir.0)?;
        migrator.run(&db).await?;
        AppliedMigration::filter(AppliedMigration::name.eq(M1)).update().set(AppliedMigration::name, "../../etc").exec(&db).await?;
        let refused = migrator.downgrade(1, &db).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::Migration);
        assert!(refused.message().contains("not a migration name"), "{refused}");
        assert!(exists(&db, "mr_people").await);
        Ok(())
    }

    async fn a_failing_migration_stops_the_run(db: Db) -> Result<()> {
        let dir = TempDir::new("fail");
        dir.migration(M1, "CREATE TABLE mr_people (name VARCHAR(40));", "DROP TABLE mr_people;");
        dir.migration(M2, "CREATE TABLE mr_pets (name VARCHAR(40));\nINSERT INTO mr_nowhere VALUES (1);", "DROP TABLE mr_pets;");
        dir.migration(M3, "CREATE TABLE mr_more (x INT);", "DROP TABLE mr_more;");
        let migrator = Migrator::from_dir(&dir.0)?;
        let err = migrator.run(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Migration);
        assert!(err.message().starts_with(&format!("applying {M2} failed at statement 2 of 2 in up.sql;")), "{err}");
        assert!(err.db_error().is_some(), "the server's details are kept: {err:?}");
        // The migration before stays applied; the failing one is recorded nowhere.
        assert_eq!(names(&migrator.history(&db).await?), [M1]);
        assert!(exists(&db, "mr_people").await);
        assert!(!exists(&db, "mr_more").await);
        // Where DDL is transactional the failing migration is rolled back whole; MySQL has
        // committed its first statement.
        let mysql = db.backend() == Backend::Mysql;
        assert_eq!(exists(&db, "mr_pets").await, mysql);
        let said = if mysql { "its first 1 statement(s) stay applied" } else { "it was rolled back" };
        assert!(err.message().contains(said), "{err}");
        Ok(())
    }

    async fn a_file_that_does_not_split_applies_nothing(db: Db) -> Result<()> {
        let dir = TempDir::new("split");
        dir.migration(M1, "CREATE TABLE mr_people (name VARCHAR(40));", "DROP TABLE mr_people;");
        dir.migration(M2, "INSERT INTO mr_people VALUES ('open);", "");
        let err = Migrator::from_dir(&dir.0)?.run(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Migration);
        assert_eq!(err.message(), format!("{M2}/up.sql: unterminated string literal starting on line 1"));
        assert!(!exists(&db, "mr_people").await);
        Ok(())
    }
}

shared_conformance! {
    async fn concurrent_runners_apply_each_migration_once(db: Db, url: String) -> Result<()> {
        let dir = TempDir::new("race");
        dir.migration(M1, "CREATE TABLE mr_side (n INT);\nINSERT INTO mr_side VALUES (1);", "DROP TABLE mr_side;");
        dir.migration(M2, "INSERT INTO mr_side VALUES (2);", "DELETE FROM mr_side WHERE n = 2;");
        dir.migration(M3, "INSERT INTO mr_side VALUES (3);\nCREATE TABLE mr_other (n INT);", "DROP TABLE mr_other;");
        // A statement slow enough that the runners overlap.
        let slow = match db.backend() {
            Backend::Postgres => "SELECT pg_sleep(0.3)",
            Backend::Mysql => "DO SLEEP(0.3)",
            _ => "SELECT COUNT(*) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 300000) SELECT n FROM c)",
        };
        dir.migration("20260102120000_slow", slow, "");
        let migrator = Migrator::from_dir(&dir.0)?;
        let start = std::sync::Arc::new(tokio::sync::Barrier::new(4));
        let runners = (0..4).map(|_| {
            let (url, migrator, start) = (url.clone(), migrator.clone(), start.clone());
            tokio::spawn(async move {
                let db = Db::builder(&url).max_connections(1).connect().await;
                start.wait().await;
                migrator.run(&db?).await
            })
        });
        let mut applied = Vec::new();
        for r in runners.collect::<Vec<_>>() {
            applied.extend(r.await.unwrap()?);
        }
        applied.sort();
        assert_eq!(applied, [M1, M2, "20260102120000_slow", M3], "each migration applied by exactly one runner");
        assert_eq!(count(&db, "mr_side").await?, 3);
        assert_eq!(count(&db, "kakaorm_migrations").await?, 4);
        Ok(())
    }
}

/// The fixture migrations of kakaorm-migrate, compiled into this test binary.
static EMBEDDED: kakaorm_migrate::EmbeddedMigrations =
    kakaorm_migrate::embed_migrations!("../kakaorm-migrate/tests/fixtures/migrations");

conformance! {
    async fn embedded_migrations_run_like_the_files(db: Db) -> Result<()> {
        let on_disk = concat!(env!("CARGO_MANIFEST_DIR"), "/../kakaorm-migrate/tests/fixtures/migrations");
        let from_dir = kakaorm_migrate::MigrationSource::from_dir(on_disk)?;
        assert_eq!(EMBEDDED.source()?, from_dir, "same names, texts and checksums");
        let embedded = EMBEDDED.migrator()?;
        assert_eq!(embedded.run(&db).await?, ["20260101000000_create_notes", "20260102000000_seed_notes"]);
        let bodies: Vec<String> = db.fetch_raw("SELECT body FROM notes ORDER BY id", vec![]).await?;
        assert_eq!(bodies, ["first", "second; and last"]);
        // The history written from the binary matches the files.
        assert!(Migrator::new(from_dir).verify(&db).await?.is_empty());
        assert_eq!(embedded.downgrade(2, &db).await?.len(), 2);
        assert!(!exists(&db, "notes").await);
        Ok(())
    }
}

conformance! {
    async fn compound_statements_in_files_apply_whole(db: Db) -> Result<()> {
        // A trigger whose body holds `;` (a BEGIN … END block, or PostgreSQL's
        // dollar-quoted function body and DO block), split as one statement each.
        let trigger = match db.backend() {
            Backend::Postgres => "CREATE FUNCTION mr_trig_f() RETURNS trigger LANGUAGE plpgsql AS $body$\nBEGIN\n  \
                 INSERT INTO mr_trig_log VALUES (NEW.x); -- first;\n  INSERT INTO mr_trig_log VALUES (NEW.x * 10);\n  \
                 RETURN NEW;\nEND $body$;\n\
                 CREATE TRIGGER mr_trig_ai AFTER INSERT ON mr_trig FOR EACH ROW EXECUTE FUNCTION mr_trig_f();\n\
                 DO $$ BEGIN INSERT INTO mr_trig VALUES (1); /* nested /* ; */ comment */ END $$;",
            Backend::Mysql => "CREATE TRIGGER mr_trig_ai AFTER INSERT ON mr_trig FOR EACH ROW\nBEGIN\n  \
                 IF NEW.x > 0 THEN INSERT INTO mr_trig_log VALUES (NEW.x); END IF;\n  \
                 INSERT INTO mr_trig_log VALUES (CASE WHEN NEW.x > 0 THEN NEW.x * 10 ELSE 0 END);\nEND;\n\
                 INSERT INTO mr_trig VALUES (1);",
            _ => "CREATE TRIGGER mr_trig_ai AFTER INSERT ON mr_trig BEGIN\n  \
                 INSERT INTO mr_trig_log VALUES (new.x); -- first;\n  \
                 INSERT INTO mr_trig_log VALUES (CASE WHEN new.x > 0 THEN new.x * 10 ELSE 0 END);\nEND;\n\
                 INSERT INTO mr_trig VALUES (1);",
        };
        let dir = TempDir::new("compound");
        dir.migration(M1, "CREATE TABLE mr_trig (x INT);\nCREATE TABLE mr_trig_log (x INT);", "DROP TABLE mr_trig_log;\nDROP TABLE mr_trig;");
        dir.migration(M2, trigger, "DELETE FROM mr_trig;");
        let migrator = Migrator::from_dir(&dir.0)?;
        assert_eq!(migrator.run(&db).await?, [M1, M2]);
        let logged: Vec<i64> = db.fetch_raw("SELECT x FROM mr_trig_log ORDER BY x", vec![]).await?;
        assert_eq!(logged, [1, 10], "the trigger's body ran whole");
        assert_eq!(migrator.downgrade(2, &db).await?, [M2, M1]);
        assert!(!exists(&db, "mr_trig").await);
        Ok(())
    }

    async fn a_cancelled_run_rolls_back_and_releases_the_lock(db: Db) -> Result<()> {
        let slow = match db.backend() {
            Backend::Postgres => "SELECT pg_sleep(2)",
            Backend::Mysql => "DO SLEEP(2)",
            _ => "SELECT COUNT(*) FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 2000000) SELECT n FROM c)",
        };
        let dir = TempDir::new("cancel");
        let up = format!("CREATE TABLE IF NOT EXISTS mr_cancel (n INT);\n{slow};\nINSERT INTO mr_cancel VALUES (1);");
        dir.migration(M1, &up, "DROP TABLE mr_cancel;");
        let migrator = Migrator::from_dir(&dir.0)?.lock_timeout(std::time::Duration::from_secs(60));
        // Dropped wherever it stands: the transaction rolls back like any dropped `Tx`.
        let _ = tokio::time::timeout(std::time::Duration::from_millis(200), migrator.run(&db)).await;
        let recorded = !migrator.history(&db).await?.is_empty();
        if db.backend() != Backend::Mysql {
            // Transactional DDL: the table exists exactly when the migration is recorded.
            assert_eq!(exists(&db, "mr_cancel").await, recorded, "half of a migration was kept");
        }
        // The lock was released: a new run gets it and finishes the work.
        let rest = migrator.run(&db).await?;
        assert_eq!(rest.len(), usize::from(!recorded));
        assert_eq!(names(&migrator.history(&db).await?), [M1]);
        if db.backend() != Backend::Mysql {
            assert_eq!(count(&db, "mr_cancel").await?, 1);
        }
        Ok(())
    }
}
