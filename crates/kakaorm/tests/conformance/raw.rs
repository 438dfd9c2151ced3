//! Raw SQL with portable `$n` placeholders: models, tuples and single values, checked
//! parameters and injection attempts.

use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind, Value, raw};

use crate::models::*;

const USER_COLUMNS: &str = "SELECT id, name, email, age, created_at, updated_at FROM users";

fn kind<T: std::fmt::Debug>(res: kakaorm::Result<T>) -> ErrorKind {
    res.expect_err("an error").kind()
}

conformance! {
    async fn raw_rows_decode_into_models_tuples_and_values(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let ann = user(&db, "Ann", 30).await?;
        let ben = user(&db, "Ben", 40).await?;
        user(&db, "Cy", 20).await?;
        let adults: Vec<User> =
            raw(format!("{USER_COLUMNS} WHERE age >= $1 ORDER BY name")).bind(30).all(&db).await?;
        assert_eq!(adults, [ann.clone(), ben.clone()]);
        let pairs: Vec<(String, i32)> =
            raw("SELECT name, age FROM users WHERE age < $1 ORDER BY age DESC").bind(35).all(&db).await?;
        assert_eq!(pairs, [("Ann".to_owned(), 30), ("Cy".to_owned(), 20)]);
        let count: i64 = raw("SELECT COUNT(*) FROM users WHERE age > $1").bind(25).one(&db).await?;
        assert_eq!(count, 2);
        let found: User = raw(format!("{USER_COLUMNS} WHERE name = $1")).bind("Ben").one(&db).await?;
        assert_eq!(found, ben);
        assert_eq!(kind(raw(format!("{USER_COLUMNS} WHERE name = $1")).bind("Zed").one::<User>(&db).await), ErrorKind::NotFound);
        assert_eq!(kind(raw("SELECT id FROM users").one::<i64>(&db).await), ErrorKind::MultipleRows);
        let changed = raw("UPDATE users SET age = age + $1 WHERE age < $2").bind(1).bind(35).execute(&db).await?;
        assert_eq!(changed, 2);
        Ok(())
    }

    async fn raw_placeholders_are_portable(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let ann = user(&db, "Ann", 30).await?;
        user(&db, "Ben", 40).await?;
        // Out of order, repeated, and next to literals and comments holding `$1` and `?`.
        let sql = "SELECT name FROM users /* $1 ? */ WHERE (age = $2 OR id = $1) AND name <> '$1 ?' \
                   AND (name = $3 OR $2 < age) -- $9 ?\n ORDER BY name";
        let names: Vec<String> = raw(sql).bind(ann.id).bind(40).bind("Ann").all(&db).await?;
        assert_eq!(names, ["Ann"]);
        let quote = "SELECT COUNT(*) FROM users WHERE name <> 'it''s $1' AND age > $1";
        assert_eq!(raw(quote).bind(0).one::<i64>(&db).await?, 2);
        Ok(())
    }

    async fn raw_text_errors_come_before_the_database(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        let missing = raw("SELECT id FROM users WHERE age > $2").bind(1).all::<i64>(&db).await;
        assert_eq!(kind(missing), ErrorKind::InvalidInput);
        let unused = raw("SELECT id FROM users").bind(1).all::<i64>(&db).await;
        assert_eq!(kind(unused), ErrorKind::InvalidInput);
        let open = raw("SELECT id FROM users WHERE name = 'x").all::<i64>(&db).await;
        assert_eq!(kind(open), ErrorKind::InvalidInput);
        let zero = raw("SELECT id FROM users WHERE age > $0").bind(1).all::<i64>(&db).await;
        assert_eq!(kind(zero), ErrorKind::InvalidInput);
        // `?` is a placeholder on MySQL and SQLite only: refused there, a syntax error on
        // PostgreSQL (where it is an operator) — never silently bound.
        let native = raw("SELECT id FROM users WHERE age > ?").all::<i64>(&db).await;
        let expected = if db.backend() == Backend::Postgres { ErrorKind::Database } else { ErrorKind::InvalidInput };
        assert_eq!(kind(native), expected);
        Ok(())
    }

    async fn raw_parameters_are_checked_as_typed_values(db: Db) -> Result<()> {
        let backend = db.backend();
        raw("CREATE TABLE raw_checked (x DOUBLE PRECISION)").execute(&db).await?;
        let nan = raw("INSERT INTO raw_checked (x) VALUES ($1)").bind(f64::NAN).execute(&db).await;
        let array = Value::Array(vec![Value::I64(1)]);
        let listed = raw("SELECT COUNT(*) FROM raw_checked WHERE x = $1").bind(array).one::<i64>(&db).await;
        match backend {
            Backend::Postgres => {
                assert_eq!(nan?, 1);
                assert_eq!(kind(listed), ErrorKind::Database, "an array compared with a double");
            }
            Backend::Mysql | Backend::Sqlite => {
                assert_eq!(kind(nan), ErrorKind::InvalidInput);
                assert_eq!(kind(listed), ErrorKind::Unsupported);
            }
        }
        let stored = raw("SELECT COUNT(*) FROM raw_checked").one::<i64>(&db).await?;
        assert_eq!(stored, if backend == Backend::Postgres { 1 } else { 0 });
        Ok(())
    }

    async fn raw_injection_attempts_stay_values(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        user(&db, "Ann", 30).await?;
        for evil in ["x'); DROP TABLE users; --", "' OR '1'='1", "$1", "?", "\\'; DELETE FROM users; #", "*/ OR 1=1 /*"] {
            let n = raw("SELECT COUNT(*) FROM users WHERE name = $1").bind(evil).one::<i64>(&db).await?;
            assert_eq!(n, 0, "{evil:?} matched as SQL");
            raw("INSERT INTO users (name, age, created_at, updated_at) VALUES ($1, $2, $3, $3)")
                .bind(evil)
                .bind(1)
                .bind(chrono::Utc::now())
                .execute(&db)
                .await?;
            let back: String = raw("SELECT name FROM users WHERE name = $1").bind(evil).one(&db).await?;
            assert_eq!(back, evil, "stored verbatim");
        }
        assert_eq!(User::query().count(&db).await?, 7, "no statement smuggled in");
        Ok(())
    }
}
