//! tokio-postgres: every statement prepared once, rows decoded by index while streaming.

use std::collections::HashMap;
use std::pin::pin;

use futures_util::TryStreamExt;
use protocol::{
    Bulk as BulkRows, Eager, Grouped, Id, Inserted, Job, Joined, Nested, Outcome, Pooled, Rows, Streamed, Updated,
    Workload, measure,
};
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};
use tokio_postgres::{Client, NoTls, Row, Statement};

use crate::models::{Comment, Post, User, attach, attach_nested};
use crate::pg_pool::PgPool;

/// How this contender bulk-inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    /// One multi-row `INSERT … VALUES (…), (…)`; this contender also runs every other workload.
    Values,
    /// `INSERT … SELECT * FROM UNNEST($1, $2)`; bulk insert only.
    Unnest,
    /// `COPY … FROM STDIN BINARY`; bulk insert only.
    Copy,
}

struct Stmts {
    select_all: Statement,
    get_by_pk: Statement,
    insert_one: Statement,
    update_by_pk: Statement,
    medium_join: Statement,
    aggregate: Statement,
    eager_users: Statement,
    eager_posts: Statement,
    eager_comments: Statement,
    unnest: Statement,
    copy: Statement,
    bulk_update: Statement,
    stream: Statement,
}

pub struct Pg {
    client: Client,
    /// The server, for the pooled floor of `concurrent`.
    url: String,
    pooled: Pooled<PgPool>,
    st: Stmts,
    bulk: Bulk,
    values: HashMap<usize, Statement>,
    names: Vec<String>,
    hairs: Vec<Option<&'static str>>,
}

fn params<'a>(s: &'a [&'a (dyn ToSql + Sync)]) -> impl ExactSizeIterator<Item = &'a dyn ToSql> + 'a {
    s.iter().map(|p| *p as _)
}

pub fn user(r: &Row) -> User {
    User { id: r.get(0), name: r.get(1), hair_color: r.get(2) }
}

fn post(r: &Row, at: usize) -> Post {
    Post { id: r.get(at), user_id: r.get(at + 1), title: r.get(at + 2), body: r.get(at + 3) }
}

fn err(e: tokio_postgres::Error) -> String {
    e.to_string()
}

impl Pg {
    pub async fn connect(url: &str, bulk: Bulk) -> Result<Pg, String> {
        let config: tokio_postgres::Config = url.parse().map_err(err)?;
        let (client, connection) = config.connect(NoTls).await.map_err(err)?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                eprintln!("raw-tokio-postgres: connection error: {e}");
            }
        });
        let sql = &protocol::PG_SQL;
        let p = async |s: &str| client.prepare(s).await.map_err(err);
        let st = Stmts {
            select_all: p(sql.select_all).await?,
            get_by_pk: p(sql.get_by_pk).await?,
            insert_one: p(sql.insert_one).await?,
            update_by_pk: p(sql.update_by_pk).await?,
            medium_join: p(sql.medium_join).await?,
            aggregate: p(sql.aggregate).await?,
            eager_users: p(sql.eager_users).await?,
            eager_posts: p(&protocol::eager_posts_sql(protocol::Backend::Postgres, 0)).await?,
            eager_comments: p(&protocol::eager_comments_sql(protocol::Backend::Postgres, 0)).await?,
            unnest: p("INSERT INTO wusers (name, hair_color) SELECT * FROM UNNEST($1::varchar[], $2::varchar[])")
                .await?,
            copy: p("COPY wusers (name, hair_color) FROM STDIN BINARY").await?,
            bulk_update: p(protocol::PG_BULK_UPDATE).await?,
            stream: p(protocol::STREAM_SQL).await?,
        };
        let names = (0..protocol::USERS).map(protocol::bulk_name).collect();
        let hairs = (0..protocol::USERS).map(protocol::bulk_hair).collect();
        Ok(Pg {
            client,
            url: url.to_owned(),
            pooled: Pooled::default(),
            st,
            bulk,
            values: HashMap::new(),
            names,
            hairs,
        })
    }

    async fn users(&self, st: &Statement, n: i64) -> Result<Vec<User>, String> {
        let stream = self.client.query_raw(st, params(&[&n])).await.map_err(err)?;
        let mut stream = pin!(stream);
        let mut out = Vec::new();
        while let Some(r) = stream.try_next().await.map_err(err)? {
            out.push(user(&r));
        }
        Ok(out)
    }

    pub async fn run(&mut self, job: &Job) -> Outcome {
        let n = job.n as i64;
        if self.bulk != Bulk::Values && job.workload != Workload::BulkInsert {
            return Outcome::Unsupported("bulk-insert strategy only".into());
        }
        if job.workload != Workload::Concurrent {
            self.pooled.release().await;
        }
        match job.workload {
            Workload::Concurrent => self.pooled.run(job, || PgPool::connect(self.url.clone())).await,
            Workload::SelectAll => measure(job, async |_| Ok(Rows(self.users(&self.st.select_all, n).await?))).await,
            Workload::GetByPk => {
                let ids = protocol::lookup_ids();
                measure(job, async |i| {
                    let id = ids[i % ids.len()];
                    let row = self.client.query_opt(&self.st.get_by_pk, &[&id]).await.map_err(err)?;
                    Ok(Id(row.as_ref().map(user)))
                })
                .await
            }
            Workload::InsertOne => {
                measure(job, async |_| {
                    let hair = Some(protocol::NEW_HAIR);
                    let row =
                        self.client.query_one(&self.st.insert_one, &[&protocol::NEW_NAME, &hair]).await.map_err(err)?;
                    Ok(Inserted(row.get(0)))
                })
                .await
            }
            Workload::UpdateByPk => {
                let (ids, names) = (protocol::update_ids(), protocol::update_names(job));
                measure(job, async |i| {
                    let id = ids[i % ids.len()];
                    let affected = self.client.execute(&self.st.update_by_pk, &[&names[i], &id]).await.map_err(err)?;
                    Ok(Updated { affected, id })
                })
                .await
            }
            Workload::MediumJoin => {
                measure(job, async |_| {
                    let stream = self.client.query_raw(&self.st.medium_join, params(&[&n])).await.map_err(err)?;
                    let mut stream = pin!(stream);
                    let mut out = Vec::new();
                    while let Some(r) = stream.try_next().await.map_err(err)? {
                        out.push((user(&r), post(&r, 3)));
                    }
                    Ok(Joined(out))
                })
                .await
            }
            Workload::Aggregate => {
                measure(job, async |_| {
                    let stream = self.client.query_raw(&self.st.aggregate, params(&[&n])).await.map_err(err)?;
                    let mut stream = pin!(stream);
                    let mut out = Vec::new();
                    while let Some(r) = stream.try_next().await.map_err(err)? {
                        out.push((r.get::<_, i64>(0), r.get::<_, i64>(1)));
                    }
                    Ok(Grouped(out))
                })
                .await
            }
            Workload::EagerLoad => {
                measure(job, async |_| {
                    let (users, posts) = self.users_and_posts(n).await?;
                    Ok(Eager(attach(users, posts)))
                })
                .await
            }
            Workload::EagerLoadNested => {
                measure(job, async |_| {
                    let (users, posts) = self.users_and_posts(n).await?;
                    let post_ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
                    let stream =
                        self.client.query_raw(&self.st.eager_comments, params(&[&post_ids])).await.map_err(err)?;
                    let mut stream = pin!(stream);
                    let mut comments = Vec::new();
                    while let Some(r) = stream.try_next().await.map_err(err)? {
                        comments.push(Comment { id: r.get(0), post_id: r.get(1), body: r.get(2) });
                    }
                    Ok(Nested(attach_nested(users, posts, comments)))
                })
                .await
            }
            Workload::BulkInsert => self.bulk_insert(job).await,
            Workload::BulkUpdate => {
                let rows = protocol::bulk_update_rows(job);
                measure(job, async |i| {
                    let rows = &rows[i];
                    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
                    let names: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
                    let hairs: Vec<Option<&str>> = rows.iter().map(|r| r.2).collect();
                    let updated =
                        self.client.execute(&self.st.bulk_update, &[&ids, &names, &hairs]).await.map_err(err)?;
                    Ok(BulkRows(updated))
                })
                .await
            }
            Workload::Stream1m => {
                measure(job, async |_| {
                    let stream = self.client.query_raw(&self.st.stream, params(&[])).await.map_err(err)?;
                    let mut stream = pin!(stream);
                    let mut seen = Streamed::default();
                    while let Some(r) = stream.try_next().await.map_err(err)? {
                        seen.add(&user(&r));
                    }
                    Ok(seen)
                })
                .await
            }
        }
    }

    /// The first `n` users, then their posts with one `= ANY($1)` query.
    async fn users_and_posts(&self, n: i64) -> Result<(Vec<User>, Vec<Post>), String> {
        let users = self.users(&self.st.eager_users, n).await?;
        let ids: Vec<i64> = users.iter().map(|u| u.id).collect();
        let stream = self.client.query_raw(&self.st.eager_posts, params(&[&ids])).await.map_err(err)?;
        let mut stream = pin!(stream);
        let mut posts = Vec::new();
        while let Some(r) = stream.try_next().await.map_err(err)? {
            posts.push(post(&r, 0));
        }
        Ok((users, posts))
    }

    async fn bulk_insert(&mut self, job: &Job) -> Outcome {
        let n = job.n;
        if n > self.names.len() {
            return Outcome::Failed(format!("bulk insert of {n} rows exceeds {}", self.names.len()));
        }
        match self.bulk {
            Bulk::Values => {
                if !self.values.contains_key(&n) {
                    let sql = protocol::multi_row_insert_sql(protocol::Backend::Postgres, n);
                    match self.client.prepare(&sql).await {
                        Ok(st) => self.values.insert(n, st),
                        Err(e) => return Outcome::Failed(e.to_string()),
                    };
                }
                let st = &self.values[&n];
                measure(job, async |_| {
                    let mut p: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(2 * n);
                    for i in 0..n {
                        p.push(&self.names[i]);
                        p.push(&self.hairs[i]);
                    }
                    Ok(BulkRows(self.client.execute(st, &p).await.map_err(err)?))
                })
                .await
            }
            Bulk::Unnest => {
                measure(job, async |_| {
                    let names: Vec<&str> = self.names[..n].iter().map(String::as_str).collect();
                    let hairs = &self.hairs[..n];
                    Ok(BulkRows(self.client.execute(&self.st.unnest, &[&names, &hairs]).await.map_err(err)?))
                })
                .await
            }
            Bulk::Copy => {
                measure(job, async |_| {
                    let sink = self.client.copy_in(&self.st.copy).await.map_err(err)?;
                    let writer = BinaryCopyInWriter::new(sink, &[Type::VARCHAR, Type::VARCHAR]);
                    let mut writer = pin!(writer);
                    for i in 0..n {
                        writer.as_mut().write(&[&self.names[i], &self.hairs[i]]).await.map_err(err)?;
                    }
                    Ok(BulkRows(writer.finish().await.map_err(err)?))
                })
                .await
            }
        }
    }
}
