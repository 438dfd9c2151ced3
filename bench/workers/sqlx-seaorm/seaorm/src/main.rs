//! Worker for SeaORM: entities, its query builder, `insert_many`, `update_many`, an inner
//! join with `select_also`, `group_by` into tuples, and the `LoaderTrait` data loader for
//! eager loading; a pool of one connection, SQL logging off. `concurrent` runs on a pool of
//! [`POOL_SIZE`] connections (see [`Pool8`]).

mod entities;

use entities::{posts, users, uusers, wusers};
use protocol::{
    Backend, Bulk, Contender, CountingAlloc, Eager, Grouped, Id, Inserted, Job, Joined, KeyOps, Outcome, POOL_SIZE,
    Pooled, PostRow, Rows, Updated, UserRow, WorkerArgs, Workload, measure,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectOptions, Database, DatabaseConnection, EntityTrait, LoaderTrait, QueryFilter,
    QuerySelect, RelationTrait as _,
};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

impl UserRow for users::Model {
    fn id(&self) -> i64 {
        self.id
    }
}

impl PostRow for posts::Model {
    fn id(&self) -> i64 {
        self.id
    }
    fn user_id(&self) -> i64 {
        self.user_id
    }
}

fn err(e: sea_orm::DbErr) -> String {
    e.to_string()
}

struct SeaOrm {
    db: DatabaseConnection,
    names: Vec<String>,
    args: WorkerArgs,
    pooled: Pooled<Pool8>,
}

/// The pool of `concurrent`: every query takes a connection from it.
struct Pool8(DatabaseConnection);

impl KeyOps for Pool8 {
    type User = users::Model;

    async fn get(&self, id: i64) -> Result<Option<users::Model>, String> {
        users::Entity::find_by_id(id).one(&self.0).await.map_err(err)
    }

    async fn update(&self, id: i64, name: &str) -> Result<u64, String> {
        let res = uusers::Entity::update_many()
            .col_expr(uusers::Column::Name, Expr::value(name))
            .filter(uusers::Column::Id.eq(id))
            .exec(&self.0)
            .await
            .map_err(err)?;
        Ok(res.rows_affected)
    }

    async fn close(&self) {
        let _ = self.0.clone().close().await;
    }
}

impl Contender for SeaOrm {
    async fn run(&mut self, job: &Job) -> Outcome {
        if job.workload == Workload::Concurrent {
            let args = self.args.clone();
            return self.pooled.run(job, || async move { open(&args, POOL_SIZE as u32).await.map(Pool8) }).await;
        }
        self.pooled.release().await;
        let (db, names) = (&self.db, &self.names);
        let n = job.n as i64;
        match job.workload {
            Workload::SelectAll => {
                measure(job, async |_| {
                    Ok(Rows(users::Entity::find().filter(users::Column::Id.lte(n)).all(db).await.map_err(err)?))
                })
                .await
            }
            Workload::GetByPk => {
                let ids = protocol::lookup_ids();
                measure(job, async |i| {
                    Ok(Id(users::Entity::find_by_id(ids[i % ids.len()]).one(db).await.map_err(err)?))
                })
                .await
            }
            Workload::InsertOne => {
                measure(job, async |_| {
                    let row = wusers::ActiveModel {
                        name: Set(protocol::NEW_NAME.to_owned()),
                        hair_color: Set(Some(protocol::NEW_HAIR.to_owned())),
                        ..Default::default()
                    };
                    Ok(Inserted(wusers::Entity::insert(row).exec(db).await.map_err(err)?.last_insert_id))
                })
                .await
            }
            Workload::BulkInsert => {
                let count = job.n;
                measure(job, async |_| {
                    let rows = (0..count).map(|i| wusers::ActiveModel {
                        name: Set(names[i].clone()),
                        hair_color: Set(protocol::bulk_hair(i).map(str::to_owned)),
                        ..Default::default()
                    });
                    Ok(Bulk(wusers::Entity::insert_many(rows).exec_without_returning(db).await.map_err(err)?))
                })
                .await
            }
            Workload::UpdateByPk => {
                let (ids, names) = (protocol::update_ids(), protocol::update_names(job));
                measure(job, async |i| {
                    let id = ids[i % ids.len()];
                    let res = uusers::Entity::update_many()
                        .col_expr(uusers::Column::Name, Expr::value(names[i].as_str()))
                        .filter(uusers::Column::Id.eq(id))
                        .exec(db)
                        .await
                        .map_err(err)?;
                    Ok(Updated { affected: res.rows_affected, id })
                })
                .await
            }
            Workload::MediumJoin => {
                measure(job, async |_| {
                    let rows = users::Entity::find()
                        .filter(users::Column::Id.lte(n))
                        .join(sea_orm::JoinType::InnerJoin, users::Relation::Posts.def())
                        .select_also(posts::Entity)
                        .all(db)
                        .await
                        .map_err(err)?;
                    Ok(Joined(rows))
                })
                .await
            }
            Workload::Aggregate => {
                measure(job, async |_| {
                    let rows = posts::Entity::find()
                        .select_only()
                        .column(posts::Column::UserId)
                        .column_as(posts::Column::Id.count(), "count")
                        .filter(posts::Column::UserId.lte(n))
                        .group_by(posts::Column::UserId)
                        .into_tuple::<(i64, i64)>()
                        .all(db)
                        .await
                        .map_err(err)?;
                    Ok(Grouped(rows))
                })
                .await
            }
            Workload::EagerLoadNested => {
                Outcome::Unsupported("not yet: the comments entity is not modelled here".into())
            }
            Workload::Concurrent => Outcome::Failed("concurrent runs on the pool of Pool8".into()),
            Workload::BulkUpdate => Outcome::Unsupported(
                "n/a: SeaORM has no update of many rows with per-row values (update_many sets one value for all)"
                    .into(),
            ),
            Workload::Stream1m => Outcome::Unsupported("not yet: the susers entity is not modelled here".into()),
            Workload::EagerLoad => {
                measure(job, async |_| {
                    let us = users::Entity::find().filter(users::Column::Id.lte(n)).all(db).await.map_err(err)?;
                    let ps = us.load_many(posts::Entity, db).await.map_err(err)?;
                    Ok(Eager(us.into_iter().zip(ps).collect::<Vec<_>>()))
                })
                .await
            }
        }
    }
}

async fn connect(args: WorkerArgs) -> Result<SeaOrm, String> {
    let db = open(&args, 1).await?;
    let names = (0..protocol::USERS).map(protocol::bulk_name).collect();
    Ok(SeaOrm { db, names, args, pooled: Pooled::default() })
}

/// A pool of `size` connections, all opened before it is returned.
async fn open(args: &WorkerArgs, size: u32) -> Result<DatabaseConnection, String> {
    let url = match args.backend {
        Backend::Sqlite => format!("sqlite://{}?mode=rw", args.url),
        _ => args.url.clone(),
    };
    let mut opts = ConnectOptions::new(url);
    // Every connection of the pool gets the pragmas, not only the first.
    opts.max_connections(size)
        .min_connections(size)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| o.synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal).foreign_keys(true));
    Database::connect(opts).await.map_err(err)
}

fn main() {
    protocol::serve(connect);
}
