//! The server's view of a test pool's sessions, from an admin connection outside the pool:
//! which sessions exist, which are inside a transaction, and killing them.
//!
//! PostgreSQL sessions are found by the pool's `application_name`, MySQL ones by the
//! isolated database they use (the admin connection uses another one).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use kakaorm::{Db, Executor, Value};

use crate::harness::{mysql_url, postgres_url};
use crate::rng::Rng;

pub enum Sessions {
    Postgres { admin: Db, app: String },
    Mysql { admin: Db, database: String },
}

async fn admin(url: &str) -> Db {
    Db::builder(url)
        .max_connections(2)
        .connect_timeout(Duration::from_secs(5))
        .connect()
        .await
        .unwrap_or_else(|e| panic!("admin connection to {url}: {e}"))
}

impl Sessions {
    /// The sessions of PostgreSQL pools whose URL sets `application_name=<app>`.
    pub async fn postgres(app: &str) -> Sessions {
        Sessions::Postgres { admin: admin(&postgres_url()).await, app: app.to_owned() }
    }

    /// The MySQL sessions using `database`.
    pub async fn mysql(database: &str) -> Sessions {
        let url = mysql_url();
        assert_ne!(crate::support::database_of(&url), database, "the admin connection must use another database");
        Sessions::Mysql { admin: admin(&url).await, database: database.to_owned() }
    }

    /// The server ids of the sessions.
    pub async fn ids(&self) -> kakaorm::Result<Vec<i64>> {
        match self {
            Sessions::Postgres { admin, app } => {
                let sql = "SELECT pid::bigint FROM pg_stat_activity WHERE application_name = $1";
                admin.fetch_raw(sql, vec![Value::String(app.clone())]).await
            }
            Sessions::Mysql { admin, database } => {
                let sql = "SELECT CAST(ID AS SIGNED) FROM information_schema.PROCESSLIST WHERE DB = ?";
                admin.fetch_raw(sql, vec![Value::String(database.clone())]).await
            }
        }
    }

    /// Kills one session; false when it was already gone.
    pub async fn kill(&self, id: i64) -> bool {
        match self {
            Sessions::Postgres { admin, .. } => {
                let sql = "SELECT pg_terminate_backend($1::int)";
                let done: kakaorm::Result<Vec<bool>> = admin.fetch_raw(sql, vec![Value::I64(id)]).await;
                done.is_ok_and(|d| d == [true])
            }
            // KILL cannot be prepared; the id is an integer from the server.
            Sessions::Mysql { admin, .. } => admin.execute_raw(&format!("KILL {id}"), vec![]).await.is_ok(),
        }
    }

    /// The sessions inside a transaction, described (PostgreSQL: idle in transaction;
    /// MySQL: holding an InnoDB transaction).
    pub async fn in_transaction(&self) -> kakaorm::Result<Vec<String>> {
        let rows: Vec<(i64, String)> = match self {
            Sessions::Postgres { admin, app } => {
                let sql = "SELECT pid::bigint, state || ': ' || left(query, 80) FROM pg_stat_activity \
                           WHERE application_name = $1 AND state LIKE 'idle in transaction%'";
                admin.fetch_raw(sql, vec![Value::String(app.clone())]).await?
            }
            Sessions::Mysql { admin, database } => {
                let sql = "SELECT CAST(p.ID AS SIGNED), CONCAT(t.trx_state, ' since ', t.trx_started) \
                           FROM information_schema.innodb_trx t \
                           JOIN information_schema.PROCESSLIST p ON t.trx_mysql_thread_id = p.ID WHERE p.DB = ?";
                admin.fetch_raw(sql, vec![Value::String(database.clone())]).await?
            }
        };
        Ok(rows.into_iter().map(|(id, what)| format!("session {id}: {what}")).collect())
    }

    /// The sessions still inside a transaction after waiting up to `limit` for them to
    /// leave it (a dropped transaction is rolled back by a background task).
    pub async fn left_in_transaction(&self, limit: Duration) -> Vec<String> {
        let start = Instant::now();
        loop {
            let open = self.in_transaction().await.expect("list sessions in a transaction");
            if open.is_empty() || start.elapsed() >= limit {
                return open;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn close(&self) {
        match self {
            Sessions::Postgres { admin, .. } | Sessions::Mysql { admin, .. } => admin.close().await,
        }
    }
}

#[derive(Default)]
pub struct Kills {
    pub rounds: u64,
    pub kills: u64,
    /// When the last kill was delivered.
    pub last: Option<Instant>,
}

/// Every few milliseconds, kills one or two of the pool's sessions (chosen at random).
pub async fn killer(sessions: Arc<Sessions>, stop: Arc<AtomicBool>, mut rng: Rng) -> Kills {
    let mut k = Kills::default();
    while !stop.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(rng.range(2, 8))).await;
        let Ok(mut ids) = sessions.ids().await else { continue };
        k.rounds += 1;
        let n = if rng.chance(25) { 2 } else { 1 };
        for _ in 0..n {
            if ids.is_empty() {
                break;
            }
            let id = ids.swap_remove(rng.below(ids.len() as u64) as usize);
            if sessions.kill(id).await {
                k.kills += 1;
                k.last = Some(Instant::now());
            }
        }
    }
    k
}
