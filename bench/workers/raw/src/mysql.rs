//! mysql_async: every statement prepared once (binary protocol), rows decoded by index.

use std::collections::HashMap;

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, Params, Statement, Value};
use protocol::{
    Backend, Bulk, Eager, Grouped, Id, Inserted, Job, Joined, Nested, Outcome, Pooled, Rows, Streamed, Updated,
    Workload, measure,
};

use crate::models::{Comment, Post, User, attach, attach_nested};
use crate::mysql_pool::MyPool;

type UserTuple = (i64, String, Option<String>);
type PostTuple = (i64, i64, String, Option<String>);

fn user((id, name, hair_color): UserTuple) -> User {
    User { id, name, hair_color }
}

fn post((id, user_id, title, body): PostTuple) -> Post {
    Post { id, user_id, title, body }
}

fn err(e: mysql_async::Error) -> String {
    e.to_string()
}

struct Stmts {
    select_all: Statement,
    get_by_pk: Statement,
    insert_one: Statement,
    update_by_pk: Statement,
    medium_join: Statement,
    aggregate: Statement,
    stream: Statement,
}

pub struct My {
    conn: Conn,
    /// The server, for the pooled floor of `concurrent`.
    url: String,
    pooled: Pooled<MyPool>,
    st: Stmts,
    /// Statements whose text depends on a count (IN lists, multi-row VALUES).
    sized: HashMap<(Workload, usize), Statement>,
    names: Vec<String>,
    hairs: Vec<Option<&'static str>>,
    /// Bulk update through `JSON_TABLE`, and nothing else.
    json: bool,
}

impl My {
    pub async fn connect(url: &str, json: bool) -> Result<My, String> {
        let mut conn =
            Conn::new(Opts::from_url(&protocol::mysql_tcp_url(url)).map_err(|e| e.to_string())?).await.map_err(err)?;
        let sql = &protocol::QMARK_SQL;
        let st = Stmts {
            select_all: conn.prep(sql.select_all).await.map_err(err)?,
            get_by_pk: conn.prep(sql.get_by_pk).await.map_err(err)?,
            insert_one: conn.prep(protocol::MYSQL_INSERT_ONE).await.map_err(err)?,
            update_by_pk: conn.prep(sql.update_by_pk).await.map_err(err)?,
            medium_join: conn.prep(sql.medium_join).await.map_err(err)?,
            aggregate: conn.prep(sql.aggregate).await.map_err(err)?,
            stream: conn.prep(protocol::STREAM_SQL).await.map_err(err)?,
        };
        let names = (0..protocol::USERS).map(protocol::bulk_name).collect();
        let hairs = (0..protocol::USERS).map(protocol::bulk_hair).collect();
        Ok(My { conn, url: url.to_owned(), pooled: Pooled::default(), st, sized: HashMap::new(), names, hairs, json })
    }

    async fn sized(&mut self, w: Workload, count: usize) -> Result<Statement, String> {
        if let Some(st) = self.sized.get(&(w, count)) {
            return Ok(st.clone());
        }
        let sql = match w {
            Workload::EagerLoad => protocol::eager_posts_sql(Backend::Mysql, count),
            Workload::EagerLoadNested => protocol::eager_comments_sql(Backend::Mysql, count),
            Workload::BulkUpdate => protocol::mysql_bulk_update_sql(count),
            _ => protocol::multi_row_insert_sql(Backend::Mysql, count),
        };
        let st = self.conn.prep(sql).await.map_err(err)?;
        self.sized.insert((w, count), st.clone());
        Ok(st)
    }

    pub async fn run(&mut self, job: &Job) -> Outcome {
        let n = job.n as i64;
        if job.workload != Workload::Concurrent {
            self.pooled.release().await;
        }
        if self.json {
            return match job.workload {
                Workload::BulkUpdate => self.bulk_update_json(job).await,
                _ => Outcome::Unsupported("bulk-update strategy only".into()),
            };
        }
        match job.workload {
            Workload::Concurrent => self.pooled.run(job, || MyPool::connect(self.url.clone())).await,
            Workload::SelectAll => {
                measure(job, async |_| {
                    Ok(Rows(self.conn.exec_map(&self.st.select_all, (n,), user).await.map_err(err)?))
                })
                .await
            }
            Workload::GetByPk => {
                let ids = protocol::lookup_ids();
                measure(job, async |i| {
                    let id = ids[i % ids.len()];
                    let row: Option<UserTuple> = self.conn.exec_first(&self.st.get_by_pk, (id,)).await.map_err(err)?;
                    Ok(Id(row.map(user)))
                })
                .await
            }
            Workload::InsertOne => {
                measure(job, async |_| {
                    let params = (protocol::NEW_NAME, Some(protocol::NEW_HAIR));
                    self.conn.exec_drop(&self.st.insert_one, params).await.map_err(err)?;
                    Ok(Inserted(self.conn.last_insert_id().ok_or("no insert id")? as i64))
                })
                .await
            }
            Workload::UpdateByPk => {
                let (ids, names) = (protocol::update_ids(), protocol::update_names(job));
                measure(job, async |i| {
                    let id = ids[i % ids.len()];
                    self.conn.exec_drop(&self.st.update_by_pk, (names[i].as_str(), id)).await.map_err(err)?;
                    Ok(Updated { affected: self.conn.affected_rows(), id })
                })
                .await
            }
            Workload::MediumJoin => {
                measure(job, async |_| {
                    let rows = self
                        .conn
                        .exec_map(&self.st.medium_join, (n,), |(uid, name, hair_color, pid, user_id, title, body)| {
                            (User { id: uid, name, hair_color }, Post { id: pid, user_id, title, body })
                        })
                        .await
                        .map_err(err)?;
                    Ok(Joined(rows))
                })
                .await
            }
            Workload::Aggregate => {
                measure(job, async |_| {
                    Ok(Grouped(self.conn.exec_map(&self.st.aggregate, (n,), |g: (i64, i64)| g).await.map_err(err)?))
                })
                .await
            }
            Workload::EagerLoad => {
                let posts_st = match self.sized(Workload::EagerLoad, job.n).await {
                    Ok(st) => st,
                    Err(e) => return Outcome::Failed(e),
                };
                measure(job, async |_| {
                    let users = self.conn.exec_map(&self.st.select_all, (n,), user).await.map_err(err)?;
                    if users.len() != job.n {
                        return Err(format!("{} users, expected {}", users.len(), job.n));
                    }
                    let ids = Params::Positional(users.iter().map(|u| Value::Int(u.id)).collect());
                    let posts = self.conn.exec_map(&posts_st, ids, post).await.map_err(err)?;
                    Ok(Eager(attach(users, posts)))
                })
                .await
            }
            Workload::EagerLoadNested => {
                let posts_st = match self.sized(Workload::EagerLoad, job.n).await {
                    Ok(st) => st,
                    Err(e) => return Outcome::Failed(e),
                };
                let comments_st = match self.sized(Workload::EagerLoadNested, job.n * protocol::POSTS_PER_USER).await {
                    Ok(st) => st,
                    Err(e) => return Outcome::Failed(e),
                };
                measure(job, async |_| {
                    let users = self.conn.exec_map(&self.st.select_all, (n,), user).await.map_err(err)?;
                    let ids = Params::Positional(users.iter().map(|u| Value::Int(u.id)).collect());
                    let posts = self.conn.exec_map(&posts_st, ids, post).await.map_err(err)?;
                    if posts.len() != job.n * protocol::POSTS_PER_USER {
                        return Err(format!("{} posts, expected {}", posts.len(), job.n * protocol::POSTS_PER_USER));
                    }
                    let ids = Params::Positional(posts.iter().map(|p| Value::Int(p.id)).collect());
                    let comments = self
                        .conn
                        .exec_map(&comments_st, ids, |(id, post_id, body)| Comment { id, post_id, body })
                        .await
                        .map_err(err)?;
                    Ok(Nested(attach_nested(users, posts, comments)))
                })
                .await
            }
            Workload::BulkUpdate => {
                let st = match self.sized(Workload::BulkUpdate, job.n).await {
                    Ok(st) => st,
                    Err(e) => return Outcome::Failed(e),
                };
                let rows = protocol::bulk_update_rows(job);
                measure(job, async |i| {
                    let mut values = Vec::with_capacity(3 * rows[i].len());
                    for (id, name, hair) in &rows[i] {
                        values.push(Value::Int(*id));
                        values.push(Value::from(name.as_str()));
                        values.push(Value::from(*hair));
                    }
                    self.conn.exec_drop(&st, Params::Positional(values)).await.map_err(err)?;
                    Ok(Bulk(self.conn.affected_rows()))
                })
                .await
            }
            Workload::Stream1m => {
                measure(job, async |_| {
                    let mut result = self.conn.exec_iter(&self.st.stream, ()).await.map_err(err)?;
                    let mut seen = Streamed::default();
                    while let Some(row) = result.next().await.map_err(err)? {
                        let tuple: UserTuple = mysql_async::from_row_opt(row).map_err(|e| e.to_string())?;
                        seen.add(&user(tuple));
                    }
                    Ok(seen)
                })
                .await
            }
            Workload::BulkInsert => {
                let count = job.n;
                let st = match self.sized(Workload::BulkInsert, count).await {
                    Ok(st) => st,
                    Err(e) => return Outcome::Failed(e),
                };
                measure(job, async |_| {
                    let mut values = Vec::with_capacity(2 * count);
                    for i in 0..count {
                        values.push(Value::from(self.names[i].as_str()));
                        values.push(Value::from(self.hairs[i]));
                    }
                    self.conn.exec_drop(&st, Params::Positional(values)).await.map_err(err)?;
                    Ok(Bulk(self.conn.affected_rows()))
                })
                .await
            }
        }
    }

    /// `bulk_update` with the rows serialized to one JSON array and joined through `JSON_TABLE`.
    async fn bulk_update_json(&mut self, job: &Job) -> Outcome {
        let st = match self.conn.prep(protocol::MYSQL_BULK_UPDATE_JSON).await {
            Ok(st) => st,
            Err(e) => return Outcome::Failed(err(e)),
        };
        let rows = protocol::bulk_update_rows(job);
        measure(job, async |i| {
            let json = serde_json::to_string(&rows[i]).map_err(|e| e.to_string())?;
            self.conn.exec_drop(&st, (json,)).await.map_err(err)?;
            Ok(Bulk(self.conn.affected_rows()))
        })
        .await
    }
}
