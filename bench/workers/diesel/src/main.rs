//! Worker for diesel: `diesel` on SQLite (sync, called inline, as diesel is used), and
//! `diesel-async` on PostgreSQL and MySQL (and on SQLite through its
//! `SyncConnectionWrapper`, which runs each query with `spawn_blocking`).

mod ops;
mod schema;

use diesel::Connection;
use diesel::sqlite::SqliteConnection;
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, AsyncPgConnection, SimpleAsyncConnection};
use protocol::{Contender, CountingAlloc, Job, Outcome, WorkerArgs};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

enum Conn {
    Sqlite(SqliteConnection),
    SqliteAsync(SyncConnectionWrapper<SqliteConnection>),
    /// Boxed: the largest connection by far.
    Pg(Box<AsyncPgConnection>),
    Mysql(AsyncMysqlConnection),
}

struct Diesel {
    conn: Conn,
    names: Vec<String>,
}

mod sync_ops {
    use diesel::RunQueryDsl;
    use diesel::sqlite::SqliteConnection;
    use protocol::{Job, Outcome};

    pub async fn sqlite(conn: &mut SqliteConnection, job: &Job, names: &[String]) -> Outcome {
        crate::ops::workloads!(conn, job, names, bulk: yes, |c| {
            let row = crate::schema::NewUser { name: protocol::NEW_NAME, hair_color: Some(protocol::NEW_HAIR) };
            diesel::insert_into(crate::schema::wusers::table)
                .values(&row)
                .returning(crate::schema::wusers::id)
                .get_result::<i64>(c)
                .map_err(|e| e.to_string())?
        }, [])
    }
}

mod async_ops {
    use diesel::sqlite::SqliteConnection;
    use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
    use diesel_async::{AsyncMysqlConnection, AsyncPgConnection, RunQueryDsl};
    use protocol::{Job, Outcome};

    use crate::schema::NewUser;

    fn new_user() -> NewUser<'static> {
        NewUser { name: protocol::NEW_NAME, hair_color: Some(protocol::NEW_HAIR) }
    }

    pub async fn pg(conn: &mut AsyncPgConnection, job: &Job, names: &[String]) -> Outcome {
        crate::ops::workloads!(conn, job, names, bulk: yes, |c| {
            diesel::insert_into(crate::schema::wusers::table)
                .values(&new_user())
                .returning(crate::schema::wusers::id)
                .get_result::<i64>(c)
                .await
                .map_err(|e| e.to_string())?
        }, [.await])
    }

    pub async fn sqlite(conn: &mut SyncConnectionWrapper<SqliteConnection>, job: &Job, names: &[String]) -> Outcome {
        crate::ops::workloads!(conn, job, names, bulk: no, |c| {
            diesel::insert_into(crate::schema::wusers::table)
                .values(&new_user())
                .returning(crate::schema::wusers::id)
                .get_result::<i64>(c)
                .await
                .map_err(|e| e.to_string())?
        }, [.await])
    }

    pub async fn mysql(conn: &mut AsyncMysqlConnection, job: &Job, names: &[String]) -> Outcome {
        crate::ops::workloads!(conn, job, names, bulk: yes, |c| {
            // MySQL has no RETURNING: diesel's way is the insert, then LAST_INSERT_ID().
            diesel::insert_into(crate::schema::wusers::table).values(&new_user()).execute(c).await.map_err(|e| e.to_string())?;
            diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("CAST(LAST_INSERT_ID() AS SIGNED)"))
                .get_result::<i64>(c)
                .await
                .map_err(|e| e.to_string())?
        }, [.await])
    }
}

impl Contender for Diesel {
    async fn run(&mut self, job: &Job) -> Outcome {
        let names = &self.names;
        match &mut self.conn {
            Conn::Sqlite(c) => sync_ops::sqlite(c, job, names).await,
            Conn::SqliteAsync(c) => async_ops::sqlite(c, job, names).await,
            Conn::Pg(c) => async_ops::pg(c, job, names).await,
            Conn::Mysql(c) => async_ops::mysql(c, job, names).await,
        }
    }
}

const SQLITE_PRAGMAS: &str = "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

async fn connect(args: WorkerArgs) -> Result<Diesel, String> {
    let s = |e: diesel::ConnectionError| e.to_string();
    let q = |e: diesel::result::Error| e.to_string();
    let conn = match (args.contender.as_str(), args.backend) {
        ("diesel", protocol::Backend::Sqlite) => {
            let mut c = SqliteConnection::establish(&args.url).map_err(s)?;
            diesel::connection::SimpleConnection::batch_execute(&mut c, SQLITE_PRAGMAS).map_err(q)?;
            Conn::Sqlite(c)
        }
        ("diesel-async", protocol::Backend::Sqlite) => {
            let mut c = SyncConnectionWrapper::<SqliteConnection>::establish(&args.url).await.map_err(s)?;
            c.batch_execute(SQLITE_PRAGMAS).await.map_err(q)?;
            Conn::SqliteAsync(c)
        }
        ("diesel-async", protocol::Backend::Postgres) => {
            Conn::Pg(Box::new(AsyncPgConnection::establish(&args.url).await.map_err(s)?))
        }
        ("diesel-async", protocol::Backend::Mysql) => {
            Conn::Mysql(AsyncMysqlConnection::establish(&args.url).await.map_err(s)?)
        }
        (other, b) => return Err(format!("worker-diesel does not run `{other}` on {b}")),
    };
    Ok(Diesel { conn, names: (0..protocol::USERS).map(protocol::bulk_name).collect() })
}

fn main() {
    protocol::serve(connect);
}
