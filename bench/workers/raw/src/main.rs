//! Worker for the raw floors. `--contender` picks one:
//! `raw-tokio-postgres` (bulk insert as multi-row VALUES), `raw-tokio-postgres-unnest`,
//! `raw-tokio-postgres-copy` (bulk insert only), `raw-rusqlite-inline`,
//! `raw-rusqlite-thread`, `raw-mysql-async`, `raw-mysql-async-json` (bulk update only).
//! The `concurrent` workload runs on the pooled floors of `pg_pool`, `mysql_pool` and
//! `sqlite_pool`.

mod models;
mod mysql;
mod mysql_pool;
mod pg;
mod pg_pool;
mod sqlite;
mod sqlite_pool;

use protocol::{Contender, CountingAlloc, Job, Outcome, WorkerArgs};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

enum Raw {
    Pg(pg::Pg),
    Mysql(mysql::My),
    Sqlite(sqlite::Lite),
}

impl Contender for Raw {
    async fn run(&mut self, job: &Job) -> Outcome {
        match self {
            Raw::Pg(c) => c.run(job).await,
            Raw::Mysql(c) => c.run(job).await,
            Raw::Sqlite(c) => c.run(job).await,
        }
    }
}

async fn connect(args: WorkerArgs) -> Result<Raw, String> {
    match args.contender.as_str() {
        "raw-tokio-postgres" => pg::Pg::connect(&args.url, pg::Bulk::Values).await.map(Raw::Pg),
        "raw-tokio-postgres-unnest" => pg::Pg::connect(&args.url, pg::Bulk::Unnest).await.map(Raw::Pg),
        "raw-tokio-postgres-copy" => pg::Pg::connect(&args.url, pg::Bulk::Copy).await.map(Raw::Pg),
        "raw-mysql-async" => mysql::My::connect(&args.url, false).await.map(Raw::Mysql),
        "raw-mysql-async-json" => mysql::My::connect(&args.url, true).await.map(Raw::Mysql),
        "raw-rusqlite-inline" => sqlite::Lite::open(&args.url, false).map(Raw::Sqlite),
        "raw-rusqlite-thread" => sqlite::Lite::open(&args.url, true).map(Raw::Sqlite),
        other => Err(format!("worker-raw does not know contender `{other}`")),
    }
}

fn main() {
    protocol::serve(connect);
}
