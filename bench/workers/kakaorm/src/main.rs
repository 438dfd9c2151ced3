//! Worker for kakaorm, through its public API only (`kakaorm::prelude::*`), on a pool of
//! one connection. Workloads kakaorm has no API for yet answer `unsupported`.

use kakaorm::prelude::*;
use protocol::{
    Contender, CountingAlloc, Id, Inserted, Job, Outcome, PostRow, Rows, Updated, UserRow, WorkerArgs, Workload,
    measure,
};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

#[derive(Model, Debug)]
#[kakaorm(table = "users")]
struct User {
    id: i64,
    #[kakaorm(max_length = 100)]
    name: String,
    #[kakaorm(max_length = 50)]
    hair_color: Option<String>,
}

/// Declared for the relations kakaorm does not have yet (join, aggregate, eager load).
#[allow(dead_code)]
#[derive(Model, Debug)]
#[kakaorm(table = "posts")]
struct Post {
    id: i64,
    #[kakaorm(references = User)]
    user_id: i64,
    #[kakaorm(max_length = 200)]
    title: String,
    body: Option<String>,
}

/// The table `insert_one` and `bulk_insert` write to.
#[derive(Model, Debug)]
#[kakaorm(table = "wusers")]
struct WUser {
    id: i64,
    #[kakaorm(max_length = 100)]
    name: String,
    #[kakaorm(max_length = 50)]
    hair_color: Option<String>,
}

/// The table `update_by_pk` writes to.
#[derive(Model, Debug)]
#[kakaorm(table = "uusers")]
struct UUser {
    id: i64,
    #[kakaorm(max_length = 100)]
    name: String,
    #[kakaorm(max_length = 50)]
    hair_color: Option<String>,
}

impl UserRow for User {
    fn id(&self) -> i64 {
        self.id
    }
}

impl PostRow for Post {
    fn id(&self) -> i64 {
        self.id
    }
    fn user_id(&self) -> i64 {
        self.user_id
    }
}

struct Kakaorm {
    db: Db,
}

fn err(e: kakaorm::Error) -> String {
    e.to_string()
}

impl Contender for Kakaorm {
    async fn run(&mut self, job: &Job) -> Outcome {
        let db = &self.db;
        let n = job.n as i64;
        match job.workload {
            Workload::SelectAll => {
                measure(job, async |_| Ok(Rows(User::filter(User::id.le(n)).all(db).await.map_err(err)?))).await
            }
            Workload::GetByPk => {
                let ids = protocol::lookup_ids();
                measure(job, async |i| Ok(Id(User::find(db, ids[i % ids.len()]).await.map_err(err)?))).await
            }
            Workload::InsertOne => {
                measure(job, async |_| {
                    let u = WUser::create()
                        .name(protocol::NEW_NAME)
                        .hair_color(protocol::NEW_HAIR)
                        .exec(db)
                        .await
                        .map_err(err)?;
                    Ok(Inserted(u.id))
                })
                .await
            }
            Workload::UpdateByPk => {
                let (ids, names) = (protocol::update_ids(), protocol::update_names(job));
                measure(job, async |i| {
                    let id = ids[i % ids.len()];
                    let affected = UUser::filter(UUser::id.eq(id))
                        .update()
                        .set(UUser::name, names[i].as_str())
                        .exec(db)
                        .await
                        .map_err(err)?;
                    Ok(Updated { affected, id })
                })
                .await
            }
            Workload::BulkInsert => Outcome::Unsupported("not yet: kakaorm has no bulk create API".into()),
            Workload::MediumJoin => Outcome::Unsupported("not yet: kakaorm has no joins".into()),
            Workload::Aggregate => Outcome::Unsupported("not yet: kakaorm has no GROUP BY aggregates".into()),
            Workload::EagerLoad => Outcome::Unsupported("not yet: kakaorm has no relations or eager loading".into()),
        }
    }
}

async fn connect(args: WorkerArgs) -> Result<Kakaorm, String> {
    let url = match args.backend {
        protocol::Backend::Sqlite => format!("sqlite://{}", args.url),
        _ => args.url.clone(),
    };
    let db = Db::builder(&url).max_connections(1).connect().await.map_err(err)?;
    Ok(Kakaorm { db })
}

fn main() {
    protocol::serve(connect);
}
