//! Worker for sqlx: `query_as` + `#[derive(FromRow)]`, on a pool of one connection,
//! statements cached by sqlx. sqlx has no eager loading: that workload is `n/a`.
//! `concurrent` runs on a pool of [`POOL_SIZE`] connections (see [`Pool8`]).

use futures_util::TryStreamExt;
use protocol::{
    Backend, Bulk, Contender, CountingAlloc, Grouped, Id, Inserted, Job, JoinRow, Joined, KeyOps, Outcome, POOL_SIZE,
    Pooled, Rows, Streamed, Updated, UserRow, WorkerArgs, Workload, measure,
};
use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

#[derive(Debug, sqlx::FromRow)]
struct User {
    id: i64,
    #[allow(dead_code)]
    name: String,
    #[allow(dead_code)]
    hair_color: Option<String>,
}

/// A row of the join; the post's id is aliased since both tables have `id`.
#[derive(Debug, sqlx::FromRow)]
#[allow(dead_code)]
struct UserPost {
    id: i64,
    name: String,
    hair_color: Option<String>,
    post_id: i64,
    user_id: i64,
    title: String,
    body: Option<String>,
}

impl UserRow for User {
    fn id(&self) -> i64 {
        self.id
    }
}

impl JoinRow for UserPost {
    // The joined user's id is `id`; the row's own `user_id` is the post's column.
    #[allow(clippy::misnamed_getters)]
    fn user_id(&self) -> i64 {
        self.id
    }
    fn post_id(&self) -> i64 {
        self.post_id
    }
    fn post_user_id(&self) -> i64 {
        self.user_id
    }
}

const PG_JOIN: &str = "SELECT users.id, users.name, users.hair_color, posts.id AS post_id, posts.user_id, posts.title, \
                       posts.body FROM users INNER JOIN posts ON posts.user_id = users.id WHERE users.id <= $1";
const QMARK_JOIN: &str = "SELECT users.id, users.name, users.hair_color, posts.id AS post_id, posts.user_id, posts.title, \
                          posts.body FROM users INNER JOIN posts ON posts.user_id = users.id WHERE users.id <= ?";

fn err(e: sqlx::Error) -> String {
    e.to_string()
}

/// The workloads for one pool type; `$insert_one` turns `$p` (the pool) into the new id.
macro_rules! workloads {
    ($pool:expr, $job:expr, $names:expr, $backend:expr, $join:expr, |$p:ident| $insert_one:expr) => {{
        let (pool, job, names) = ($pool, $job, $names);
        let sql = protocol::sql($backend);
        let n = job.n as i64;
        match job.workload {
            Workload::SelectAll => {
                measure(job, async |_| {
                    Ok(Rows(sqlx::query_as::<_, User>(sql.select_all).bind(n).fetch_all(pool).await.map_err(err)?))
                })
                .await
            }
            Workload::GetByPk => {
                let ids = protocol::lookup_ids();
                measure(job, async |i| {
                    let q = sqlx::query_as::<_, User>(sql.get_by_pk).bind(ids[i % ids.len()]);
                    Ok(Id(q.fetch_optional(pool).await.map_err(err)?))
                })
                .await
            }
            Workload::InsertOne => {
                measure(job, async |_| {
                    let $p = pool;
                    Ok(Inserted($insert_one))
                })
                .await
            }
            Workload::BulkInsert => {
                let count = job.n;
                measure(job, async |_| {
                    let mut qb = sqlx::QueryBuilder::new("INSERT INTO wusers (name, hair_color) ");
                    qb.push_values(0..count, |mut b, i| {
                        b.push_bind(names[i].clone()).push_bind(protocol::bulk_hair(i));
                    });
                    Ok(Bulk(qb.build().execute(pool).await.map_err(err)?.rows_affected()))
                })
                .await
            }
            Workload::UpdateByPk => {
                let (ids, names) = (protocol::update_ids(), protocol::update_names(job));
                measure(job, async |i| {
                    let id = ids[i % ids.len()];
                    let q = sqlx::query(sql.update_by_pk).bind(names[i].as_str()).bind(id);
                    Ok(Updated { affected: q.execute(pool).await.map_err(err)?.rows_affected(), id })
                })
                .await
            }
            Workload::MediumJoin => {
                measure(job, async |_| {
                    Ok(Joined(sqlx::query_as::<_, UserPost>($join).bind(n).fetch_all(pool).await.map_err(err)?))
                })
                .await
            }
            Workload::Aggregate => {
                measure(job, async |_| {
                    Ok(Grouped(
                        sqlx::query_as::<_, (i64, i64)>(sql.aggregate).bind(n).fetch_all(pool).await.map_err(err)?,
                    ))
                })
                .await
            }
            Workload::EagerLoad | Workload::EagerLoadNested => {
                Outcome::Unsupported("n/a: sqlx has no eager loading".into())
            }
            Workload::Concurrent => Outcome::Failed("concurrent runs on the pool of Pool8".into()),
            Workload::BulkUpdate => Outcome::Unsupported("not yet: a hand-written bulk UPDATE per backend".into()),
            Workload::Stream1m => {
                measure(job, async |_| {
                    let mut rows = sqlx::query_as::<_, User>(protocol::STREAM_SQL).fetch(pool);
                    let mut seen = Streamed::default();
                    while let Some(u) = rows.try_next().await.map_err(err)? {
                        seen.add(&u);
                    }
                    Ok(seen)
                })
                .await
            }
        }
    }};
}

enum Pool {
    Pg(PgPool),
    Mysql(MySqlPool),
    Sqlite(SqlitePool),
}

struct Sqlx {
    pool: Pool,
    names: Vec<String>,
    args: WorkerArgs,
    pooled: Pooled<Pool8>,
}

/// The pool of `concurrent`: every query takes a connection from it.
struct Pool8(Pool);

impl KeyOps for Pool8 {
    type User = User;

    async fn get(&self, id: i64) -> Result<Option<User>, String> {
        let (pg, qmark) = (protocol::PG_SQL.get_by_pk, protocol::QMARK_SQL.get_by_pk);
        match &self.0 {
            Pool::Pg(p) => sqlx::query_as::<_, User>(pg).bind(id).fetch_optional(p).await,
            Pool::Mysql(p) => sqlx::query_as::<_, User>(qmark).bind(id).fetch_optional(p).await,
            Pool::Sqlite(p) => sqlx::query_as::<_, User>(qmark).bind(id).fetch_optional(p).await,
        }
        .map_err(err)
    }

    async fn update(&self, id: i64, name: &str) -> Result<u64, String> {
        let (pg, qmark) = (protocol::PG_SQL.update_by_pk, protocol::QMARK_SQL.update_by_pk);
        let affected = match &self.0 {
            Pool::Pg(p) => sqlx::query(pg).bind(name).bind(id).execute(p).await.map(|r| r.rows_affected()),
            Pool::Mysql(p) => sqlx::query(qmark).bind(name).bind(id).execute(p).await.map(|r| r.rows_affected()),
            Pool::Sqlite(p) => sqlx::query(qmark).bind(name).bind(id).execute(p).await.map(|r| r.rows_affected()),
        };
        affected.map_err(err)
    }

    async fn close(&self) {
        match &self.0 {
            Pool::Pg(p) => p.close().await,
            Pool::Mysql(p) => p.close().await,
            Pool::Sqlite(p) => p.close().await,
        }
    }
}

impl Contender for Sqlx {
    async fn run(&mut self, job: &Job) -> Outcome {
        if job.workload == Workload::Concurrent {
            let args = self.args.clone();
            return self.pooled.run(job, || async move { open(&args, POOL_SIZE as u32).await.map(Pool8) }).await;
        }
        self.pooled.release().await;
        let names = &self.names;
        match &self.pool {
            Pool::Pg(pool) => workloads!(pool, job, names, Backend::Postgres, PG_JOIN, |p| {
                sqlx::query_scalar::<_, i64>(protocol::PG_SQL.insert_one)
                    .bind(protocol::NEW_NAME)
                    .bind(Some(protocol::NEW_HAIR))
                    .fetch_one(p)
                    .await
                    .map_err(err)?
            }),
            Pool::Sqlite(pool) => workloads!(pool, job, names, Backend::Sqlite, QMARK_JOIN, |p| {
                sqlx::query_scalar::<_, i64>(protocol::QMARK_SQL.insert_one)
                    .bind(protocol::NEW_NAME)
                    .bind(Some(protocol::NEW_HAIR))
                    .fetch_one(p)
                    .await
                    .map_err(err)?
            }),
            Pool::Mysql(pool) => workloads!(pool, job, names, Backend::Mysql, QMARK_JOIN, |p| {
                sqlx::query(protocol::MYSQL_INSERT_ONE)
                    .bind(protocol::NEW_NAME)
                    .bind(Some(protocol::NEW_HAIR))
                    .execute(p)
                    .await
                    .map_err(err)?
                    .last_insert_id() as i64
            }),
        }
    }
}

async fn connect(args: WorkerArgs) -> Result<Sqlx, String> {
    let pool = open(&args, 1).await?;
    let names = (0..protocol::USERS).map(protocol::bulk_name).collect();
    Ok(Sqlx { pool, names, args, pooled: Pooled::default() })
}

/// A pool of `size` connections, all opened before it is returned.
async fn open(args: &WorkerArgs, size: u32) -> Result<Pool, String> {
    Ok(match args.backend {
        Backend::Postgres => {
            let opts: PgConnectOptions = args.url.parse().map_err(err)?;
            Pool::Pg(
                PgPoolOptions::new()
                    .max_connections(size)
                    .min_connections(size)
                    .connect_with(opts)
                    .await
                    .map_err(err)?,
            )
        }
        Backend::Mysql => {
            let opts: MySqlConnectOptions = args.url.parse().map_err(err)?;
            Pool::Mysql(
                MySqlPoolOptions::new()
                    .max_connections(size)
                    .min_connections(size)
                    .connect_with(opts)
                    .await
                    .map_err(err)?,
            )
        }
        Backend::Sqlite => {
            let opts = SqliteConnectOptions::new()
                .filename(&args.url)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true);
            Pool::Sqlite(
                SqlitePoolOptions::new()
                    .max_connections(size)
                    .min_connections(size)
                    .connect_with(opts)
                    .await
                    .map_err(err)?,
            )
        }
    })
}

fn main() {
    protocol::serve(connect);
}
