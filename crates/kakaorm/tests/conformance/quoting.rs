//! A double-quoted name that matches no column is an error, never a string literal: SQLite's
//! legacy fallback read a missing `"name"` column as the text `name`.

use kakaorm::prelude::*;
use kakaorm::{Backend as Family, ErrorKind};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "labels")]
pub struct Label {
    pub id: i64,
    #[kakaorm(max_length = 20)]
    pub name: String,
}

fn quoted(db: &Db, name: &str) -> String {
    let mut s = String::new();
    db.dialect().quote_ident(&mut s, name);
    s
}

/// The error code each server gives for an unknown column.
fn unknown_column_code(db: &Db) -> &'static str {
    match db.dialect().backend() {
        Family::Postgres => "42703",
        Family::Mysql => "1054",
        Family::Sqlite => "1",
    }
}

conformance! {
    async fn reading_a_missing_column_is_an_error(db: Db) -> Result<()> {
        let (table, id) = (quoted(&db, "labels"), quoted(&db, "id"));
        db.execute_raw(&format!("CREATE TABLE {table} ({id} BIGINT PRIMARY KEY)"), vec![]).await?;
        db.execute_raw(&format!("INSERT INTO {table} ({id}) VALUES (1)"), vec![]).await?;
        for outcome in [Label::all(&db).await, Label::filter(Label::name.eq("name")).all(&db).await] {
            let err = outcome.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Database, "{err}");
            assert_eq!(err.db_error().expect("server details").code, unknown_column_code(&db), "{err}");
        }
        Ok(())
    }

    async fn double_quotes_name_columns_in_raw_sql(db: Db) -> Result<()> {
        db.create_table::<Label>().await?;
        let dml = db.execute_raw(r#"UPDATE labels SET name = 'n' WHERE "missing" = 'missing'"#, vec![]).await;
        let ddl = db.execute_raw(r#"CREATE TABLE checked (a INTEGER CHECK ("missing" > 0))"#, vec![]).await;
        match db.dialect().backend() {
            // MySQL reads double quotes as a string (kakaorm quotes names with backticks there).
            Family::Mysql => {
                assert_eq!(dml?, 0);
                ddl?;
            }
            Family::Postgres | Family::Sqlite => {
                for err in [dml.unwrap_err(), ddl.unwrap_err()] {
                    assert_eq!(err.kind(), ErrorKind::Database, "{err}");
                    assert_eq!(err.db_error().expect("server details").code, unknown_column_code(&db), "{err}");
                }
            }
        }
        Ok(())
    }
}
