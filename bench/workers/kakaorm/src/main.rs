//! Worker for kakaorm, through its public API only (`kakaorm::prelude::*`), on a pool of
//! one connection: `kakaorm`, and `kakaorm-inline` with SQLite statements run on the
//! runtime thread (`DbBuilder::sqlite_inline`; other backends answer unsupported).
//! `concurrent` runs on a pool of [`protocol::POOL_SIZE`] (see `pooled`), in thread mode only.

use futures_util::StreamExt;
use kakaorm::prelude::*;
use protocol::{
    Bulk, CommentRow, Contender, CountingAlloc, Eager, Grouped, Id, Inserted, Job, Joined, Nested, Outcome, Pooled,
    PostRow, Rows, Streamed, Updated, UserRow, WorkerArgs, Workload, measure,
};

mod models;
mod pooled;

use models::{BUser, Comment, EagerUser, NestedPost, NestedUser, Post, SUser, UUser, User, WUser};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

impl UserRow for User {
    fn id(&self) -> i64 {
        self.id
    }
}

impl UserRow for SUser {
    fn id(&self) -> i64 {
        self.id
    }
}

impl UserRow for EagerUser {
    fn id(&self) -> i64 {
        self.id
    }
}

impl UserRow for NestedUser {
    fn id(&self) -> i64 {
        self.id
    }
}

impl PostRow for NestedPost {
    fn id(&self) -> i64 {
        self.id
    }
    fn user_id(&self) -> i64 {
        self.user_id
    }
}

impl CommentRow for Comment {
    fn id(&self) -> i64 {
        self.id
    }
    fn post_id(&self) -> i64 {
        self.post_id
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
    /// Why this contender cannot run here (`kakaorm-inline` off SQLite).
    unsupported: Option<&'static str>,
    /// Whether this is `kakaorm-inline`, which has no pooled cell.
    inline: bool,
    /// The URL kakaorm connects to, for the pool of `concurrent`.
    url: String,
    pooled: Pooled<pooled::KakaormPool>,
}

pub(crate) fn err(e: kakaorm::Error) -> String {
    e.to_string()
}

impl Contender for Kakaorm {
    async fn run(&mut self, job: &Job) -> Outcome {
        if let Some(why) = self.unsupported {
            return Outcome::Unsupported(why.into());
        }
        if self.inline && job.workload == Workload::Concurrent {
            // Inline statements would block the pool's runtime threads: not a pooled mode.
            return Outcome::Unsupported("inline mode is for a single connection".into());
        }
        let db = &self.db;
        let n = job.n as i64;
        if job.workload != Workload::Concurrent {
            self.pooled.release().await;
        }
        match job.workload {
            Workload::Concurrent => self.pooled.run(job, || pooled::KakaormPool::connect(self.url.clone())).await,
            Workload::SelectAll => {
                measure(job, async |_| Ok(Rows(User::filter(User::id.le(n)).all(db).await.map_err(err)?))).await
            }
            Workload::GetByPk => {
                let ids = protocol::lookup_ids();
                measure(job, async |i| Ok(Id(User::find(ids[i % ids.len()], db).await.map_err(err)?))).await
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
            Workload::BulkInsert => {
                let names: Vec<String> = (0..job.n).map(protocol::bulk_name).collect();
                measure(job, async |_| {
                    let rows = names
                        .iter()
                        .enumerate()
                        .map(|(i, name)| WUser::create().name(name.as_str()).hair_color(protocol::bulk_hair(i)));
                    Ok(Bulk(WUser::bulk_create(rows, db).await.map_err(err)?))
                })
                .await
            }
            Workload::BulkUpdate => {
                let mut models: Vec<Vec<BUser>> = protocol::bulk_update_rows(job)
                    .into_iter()
                    .map(|rows| {
                        let user = |(id, name, hair): protocol::BulkUpdateRow| BUser {
                            id,
                            name,
                            hair_color: hair.map(str::to_owned),
                        };
                        rows.into_iter().map(user).collect()
                    })
                    .collect();
                measure(job, async |i| {
                    let updated =
                        BUser::bulk_update(&mut models[i], (BUser::name, BUser::hair_color), db).await.map_err(err)?;
                    Ok(Bulk(updated))
                })
                .await
            }
            Workload::Stream1m => {
                measure(job, async |_| {
                    let mut rows = SUser::query().stream(db);
                    let mut seen = Streamed::default();
                    // Through `futures::Stream`, as an application would consume it.
                    while let Some(row) = StreamExt::next(&mut rows).await {
                        seen.add(&row.map_err(err)?);
                    }
                    Ok(seen)
                })
                .await
            }
            Workload::MediumJoin => {
                measure(job, async |_| {
                    Ok(Joined(User::filter(User::id.le(n)).join(Post::user_id, User::id).all(db).await.map_err(err)?))
                })
                .await
            }
            Workload::Aggregate => {
                measure(job, async |_| {
                    let groups = Post::filter(Post::user_id.le(n))
                        .select((Post::user_id, count()))
                        .group_by(Post::user_id)
                        .all(db)
                        .await
                        .map_err(err)?;
                    Ok(Grouped(groups))
                })
                .await
            }
            Workload::EagerLoad => {
                measure(job, async |_| {
                    let users =
                        EagerUser::filter(EagerUser::id.le(n)).prefetch(EagerUser::posts).all(db).await.map_err(err)?;
                    let pairs = users
                        .into_iter()
                        .map(|mut u| {
                            let posts = u.posts.take().map_err(err)?;
                            Ok((u, posts))
                        })
                        .collect::<Result<Vec<_>, String>>()?;
                    Ok(Eager(pairs))
                })
                .await
            }
            Workload::EagerLoadNested => {
                measure(job, async |_| {
                    let users = NestedUser::filter(NestedUser::id.le(n))
                        .prefetch(NestedUser::posts.prefetch(NestedPost::comments))
                        .all(db)
                        .await
                        .map_err(err)?;
                    let mut out = Vec::with_capacity(users.len());
                    for mut u in users {
                        let mut posts = Vec::new();
                        for mut p in u.posts.take().map_err(err)? {
                            let comments = p.comments.take().map_err(err)?;
                            posts.push((p, comments));
                        }
                        out.push((u, posts));
                    }
                    Ok(Nested(out))
                })
                .await
            }
        }
    }
}

async fn connect(args: WorkerArgs) -> Result<Kakaorm, String> {
    let url = match args.backend {
        protocol::Backend::Sqlite => format!("sqlite://{}", args.url),
        _ => args.url.clone(),
    };
    // `kakaorm-inline`: SQLite statements on the runtime thread (`sqlite_inline`).
    let inline = args.contender == "kakaorm-inline";
    let sqlite = args.backend == protocol::Backend::Sqlite;
    let db = Db::builder(&url).max_connections(1).sqlite_inline(inline && sqlite).connect().await.map_err(err)?;
    let unsupported = (inline && !sqlite).then_some("inline mode is SQLite only");
    Ok(Kakaorm { db, unsupported, inline, url, pooled: Pooled::default() })
}

fn main() {
    protocol::serve(connect);
}
