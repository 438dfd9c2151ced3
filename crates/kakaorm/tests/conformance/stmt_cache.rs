//! The per-connection statement cache keeps the `statement_cache_capacity` most recently
//! used statements and closes the ones it evicts on the server. SQLite's statements live in
//! rusqlite's own cache, which the server-side checks below cannot see.

use kakaorm::Value;
use kakaorm::prelude::*;

use crate::harness::{Backend, run_shared};

/// Runs five distinct statements, each with a parameter, on a pool of one connection.
async fn five_statements(db: &Db, placeholder: &str) -> kakaorm::Result<()> {
    for k in 1..=5 {
        let sql = format!("SELECT {placeholder} + {k}");
        let got: Vec<i64> = db.fetch_raw(&sql, vec![Value::I64(10)]).await?;
        assert_eq!(got, [10 + k]);
    }
    Ok(())
}

/// PostgreSQL lists a session's prepared statements: with a capacity of 2, the last of the
/// five and the listing itself.
#[tokio::test]
async fn postgres_cache_keeps_the_most_recent_statements() {
    run_shared(Backend::Postgres, |_, url| async move {
        let db = Db::builder(&url).max_connections(1).statement_cache_capacity(2).connect().await?;
        five_statements(&db, "$1::bigint").await?;
        // Preparing the listing evicts the statement used least recently (`+ 4`).
        let list = "SELECT statement FROM pg_prepared_statements WHERE NOT from_sql";
        let mut prepared: Vec<String> = db.fetch_raw(list, vec![]).await?;
        prepared.sort();
        assert_eq!(prepared, ["SELECT $1::bigint + 5", list], "evicted statements are closed on the server");
        db.close().await;
        Ok(())
    })
    .await;
}

/// MySQL counts a session's statement closes: with a capacity of 2, reading the counter,
/// five statements and reading it again evict five statements.
#[tokio::test]
async fn mysql_cache_closes_what_it_evicts() {
    run_shared(Backend::Mysql, |_, url| async move {
        let db = Db::builder(&url).max_connections(1).statement_cache_capacity(2).connect().await?;
        let closes = async || -> kakaorm::Result<i64> {
            let rows: Vec<(String, String)> = db.fetch_raw("SHOW SESSION STATUS LIKE 'Com_stmt_close'", vec![]).await?;
            Ok(rows.first().and_then(|(_, v)| v.parse().ok()).unwrap_or(-1))
        };
        let before = closes().await?;
        five_statements(&db, "?").await?;
        let after = closes().await?;
        assert_eq!(after - before, 5, "each statement evicted is closed: {before} then {after}");
        db.close().await;
        Ok(())
    })
    .await;
}
