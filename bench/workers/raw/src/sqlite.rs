//! rusqlite with `prepare_cached`: called inline, or on a dedicated thread that answers
//! over a oneshot (the async floor).

use std::sync::Arc;
use std::sync::mpsc;

use protocol::{
    Backend, Bulk, Eager, Grouped, Id, Inserted, Job, Joined, Nested, Outcome, Pooled, Rows, Streamed, Updated,
    Workload, measure,
};
use rusqlite::{Connection, OptionalExtension, Row, ToSql};
use tokio::sync::oneshot;

use crate::models::{Comment, Post, User, attach, attach_nested};
use crate::sqlite_pool::LitePool;

pub type Task = Box<dyn FnOnce(&Connection) + Send>;

enum Mode {
    Inline(Connection),
    Thread(mpsc::Sender<Task>),
}

pub struct Lite {
    mode: Mode,
    /// The database file, for the pooled floor of `concurrent`.
    path: String,
    pooled: Pooled<LitePool>,
    names: Arc<Vec<String>>,
    hairs: Arc<Vec<Option<&'static str>>>,
}

pub fn user(r: &Row<'_>) -> rusqlite::Result<User> {
    Ok(User { id: r.get(0)?, name: r.get(1)?, hair_color: r.get(2)? })
}

fn post(r: &Row<'_>, at: usize) -> rusqlite::Result<Post> {
    Ok(Post { id: r.get(at)?, user_id: r.get(at + 1)?, title: r.get(at + 2)?, body: r.get(at + 3)? })
}

fn users(c: &Connection, sql: &str, n: i64) -> rusqlite::Result<Vec<User>> {
    let mut st = c.prepare_cached(sql)?;
    st.query_map([n], user)?.collect()
}

pub fn open_connection(path: &str) -> Result<Connection, String> {
    let c = Connection::open(path).map_err(|e| e.to_string())?;
    c.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;").map_err(|e| e.to_string())?;
    c.set_prepared_statement_cache_capacity(64);
    Ok(c)
}

impl Lite {
    pub fn open(path: &str, thread: bool) -> Result<Lite, String> {
        let conn = open_connection(path)?;
        let mode = if thread {
            let (tx, rx) = mpsc::channel::<Task>();
            std::thread::Builder::new()
                .name("raw-rusqlite".into())
                .spawn(move || {
                    for task in rx {
                        task(&conn);
                    }
                })
                .map_err(|e| e.to_string())?;
            Mode::Thread(tx)
        } else {
            Mode::Inline(conn)
        };
        let names = Arc::new((0..protocol::USERS).map(protocol::bulk_name).collect());
        let hairs = Arc::new((0..protocol::USERS).map(protocol::bulk_hair).collect());
        Ok(Lite { mode, path: path.to_owned(), pooled: Pooled::default(), names, hairs })
    }

    /// Runs `f` on the connection: directly, or on its thread with a oneshot reply.
    async fn call<R, F>(&self, f: F) -> Result<R, String>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        match &self.mode {
            Mode::Inline(c) => f(c).map_err(|e| e.to_string()),
            Mode::Thread(tx) => {
                let (reply, answer) = oneshot::channel();
                tx.send(Box::new(move |c| {
                    let _ = reply.send(f(c));
                }))
                .map_err(|_| "the sqlite thread has stopped".to_owned())?;
                answer.await.map_err(|_| "the sqlite thread has stopped".to_owned())?.map_err(|e| e.to_string())
            }
        }
    }

    pub async fn run(&mut self, job: &Job) -> Outcome {
        let n = job.n as i64;
        let sql = &protocol::QMARK_SQL;
        if job.workload != Workload::Concurrent {
            self.pooled.release().await;
        }
        match job.workload {
            Workload::Concurrent => match self.mode {
                Mode::Thread(_) => self.pooled.run(job, || LitePool::open(self.path.clone())).await,
                Mode::Inline(_) => Outcome::Unsupported(
                    "n/a: inline runs on the runtime thread; the pooled floor is raw-rusqlite-thread".into(),
                ),
            },
            Workload::SelectAll => {
                measure(job, async |_| Ok(Rows(self.call(move |c| users(c, sql.select_all, n)).await?))).await
            }
            Workload::GetByPk => {
                let ids = protocol::lookup_ids();
                measure(job, async |i| {
                    let id = ids[i % ids.len()];
                    let row =
                        self.call(move |c| c.prepare_cached(sql.get_by_pk)?.query_row([id], user).optional()).await?;
                    Ok(Id(row))
                })
                .await
            }
            Workload::InsertOne => {
                measure(job, async |_| {
                    let id = self
                        .call(|c| {
                            let mut st = c.prepare_cached(sql.insert_one)?;
                            st.query_row((protocol::NEW_NAME, protocol::NEW_HAIR), |r| r.get::<_, i64>(0))
                        })
                        .await?;
                    Ok(Inserted(id))
                })
                .await
            }
            Workload::UpdateByPk => {
                let (ids, names) = (protocol::update_ids(), Arc::new(protocol::update_names(job)));
                measure(job, async |i| {
                    let id = ids[i % ids.len()];
                    let names = names.clone();
                    let affected = self
                        .call(move |c| c.prepare_cached(sql.update_by_pk)?.execute((names[i].as_str(), id)))
                        .await?;
                    Ok(Updated { affected: affected as u64, id })
                })
                .await
            }
            Workload::MediumJoin => {
                measure(job, async |_| {
                    let rows = self
                        .call(move |c| {
                            let mut st = c.prepare_cached(sql.medium_join)?;
                            st.query_map([n], |r| Ok((user(r)?, post(r, 3)?)))?.collect::<rusqlite::Result<Vec<_>>>()
                        })
                        .await?;
                    Ok(Joined(rows))
                })
                .await
            }
            Workload::Aggregate => {
                measure(job, async |_| {
                    let rows = self
                        .call(move |c| {
                            let mut st = c.prepare_cached(sql.aggregate)?;
                            st.query_map([n], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()
                        })
                        .await?;
                    Ok(Grouped(rows))
                })
                .await
            }
            Workload::EagerLoad => {
                let posts_sql: Arc<str> = protocol::eager_posts_sql(Backend::Sqlite, job.n).into();
                measure(job, async |_| {
                    let posts_sql = posts_sql.clone();
                    let out = self
                        .call(move |c| {
                            let us = users(c, sql.select_all, n)?;
                            let mut st = c.prepare_cached(&posts_sql)?;
                            let ids = us.iter().map(|u| u.id);
                            let posts = st
                                .query_map(rusqlite::params_from_iter(ids), |r| post(r, 0))?
                                .collect::<rusqlite::Result<Vec<_>>>()?;
                            Ok(attach(us, posts))
                        })
                        .await?;
                    Ok(Eager(out))
                })
                .await
            }
            Workload::EagerLoadNested => {
                let posts_sql: Arc<str> = protocol::eager_posts_sql(Backend::Sqlite, job.n).into();
                let comments_sql: Arc<str> =
                    protocol::eager_comments_sql(Backend::Sqlite, job.n * protocol::POSTS_PER_USER).into();
                measure(job, async |_| {
                    let (posts_sql, comments_sql) = (posts_sql.clone(), comments_sql.clone());
                    let out = self
                        .call(move |c| {
                            let us = users(c, sql.select_all, n)?;
                            let mut st = c.prepare_cached(&posts_sql)?;
                            let posts = st
                                .query_map(rusqlite::params_from_iter(us.iter().map(|u| u.id)), |r| post(r, 0))?
                                .collect::<rusqlite::Result<Vec<_>>>()?;
                            let mut st = c.prepare_cached(&comments_sql)?;
                            let comments = st
                                .query_map(rusqlite::params_from_iter(posts.iter().map(|p| p.id)), |r| {
                                    Ok(Comment { id: r.get(0)?, post_id: r.get(1)?, body: r.get(2)? })
                                })?
                                .collect::<rusqlite::Result<Vec<_>>>()?;
                            Ok(attach_nested(us, posts, comments))
                        })
                        .await?;
                    Ok(Nested(out))
                })
                .await
            }
            Workload::BulkUpdate => {
                let rows = Arc::new(protocol::bulk_update_rows(job));
                measure(job, async |i| {
                    let rows = rows.clone();
                    let updated = self
                        .call(move |c| {
                            let tx = c.unchecked_transaction()?;
                            let mut updated = 0;
                            {
                                let mut st = tx.prepare_cached(protocol::SQLITE_BULK_UPDATE)?;
                                for (id, name, hair) in &rows[i] {
                                    updated += st.execute((name.as_str(), hair, id))?;
                                }
                            }
                            tx.commit()?;
                            Ok(updated)
                        })
                        .await?;
                    Ok(Bulk(updated as u64))
                })
                .await
            }
            Workload::Stream1m => {
                measure(job, async |_| {
                    self.call(|c| {
                        let mut st = c.prepare_cached(protocol::STREAM_SQL)?;
                        let mut rows = st.query([])?;
                        let mut seen = Streamed::default();
                        while let Some(r) = rows.next()? {
                            seen.add(&user(r)?);
                        }
                        Ok(seen)
                    })
                    .await
                })
                .await
            }
            Workload::BulkInsert => {
                let count = job.n;
                if count > self.names.len() {
                    return Outcome::Failed(format!("bulk insert of {count} rows exceeds {}", self.names.len()));
                }
                let insert_sql: Arc<str> = protocol::multi_row_insert_sql(Backend::Sqlite, count).into();
                measure(job, async |_| {
                    let (insert_sql, names, hairs) = (insert_sql.clone(), self.names.clone(), self.hairs.clone());
                    let inserted = self
                        .call(move |c| {
                            let mut st = c.prepare_cached(&insert_sql)?;
                            let mut p: Vec<&dyn ToSql> = Vec::with_capacity(2 * count);
                            for i in 0..count {
                                p.push(&names[i]);
                                p.push(&hairs[i]);
                            }
                            st.execute(p.as_slice())
                        })
                        .await?;
                    Ok(Bulk(inserted as u64))
                })
                .await
            }
        }
    }
}
