//! The pooled PostgreSQL floor of `concurrent`: deadpool with tokio-postgres connections,
//! each preparing its two statements when it connects.

use deadpool::managed::{Manager, Metrics, Pool, RecycleError, RecycleResult};
use protocol::{KeyOps, POOL_SIZE};
use tokio_postgres::{Client, Config, NoTls, Statement};

use crate::models::User;

pub struct PgConn {
    client: Client,
    get: Statement,
    update: Statement,
}

pub struct Connector(Config);

impl Manager for Connector {
    type Type = PgConn;
    type Error = tokio_postgres::Error;

    async fn create(&self) -> Result<PgConn, tokio_postgres::Error> {
        let (client, connection) = self.0.connect(NoTls).await?;
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                eprintln!("raw-tokio-postgres: pooled connection error: {e}");
            }
        });
        let sql = &protocol::PG_SQL;
        let get = client.prepare(sql.get_by_pk).await?;
        let update = client.prepare(sql.update_by_pk).await?;
        Ok(PgConn { client, get, update })
    }

    async fn recycle(&self, c: &mut PgConn, _: &Metrics) -> RecycleResult<tokio_postgres::Error> {
        if c.client.is_closed() { Err(RecycleError::message("connection closed")) } else { Ok(()) }
    }
}

pub struct PgPool(Pool<Connector>);

impl PgPool {
    /// A pool of [`POOL_SIZE`] connections, all opened before it is returned.
    pub async fn connect(url: String) -> Result<PgPool, String> {
        let config: Config = url.parse().map_err(|e: tokio_postgres::Error| e.to_string())?;
        let pool = Pool::builder(Connector(config)).max_size(POOL_SIZE).build().map_err(|e| e.to_string())?;
        let mut held = Vec::with_capacity(POOL_SIZE);
        for _ in 0..POOL_SIZE {
            held.push(pool.get().await.map_err(|e| e.to_string())?);
        }
        drop(held);
        Ok(PgPool(pool))
    }
}

impl KeyOps for PgPool {
    type User = User;

    async fn get(&self, id: i64) -> Result<Option<User>, String> {
        let c = self.0.get().await.map_err(|e| e.to_string())?;
        let row = c.client.query_opt(&c.get, &[&id]).await.map_err(|e| e.to_string())?;
        Ok(row.as_ref().map(crate::pg::user))
    }

    async fn update(&self, id: i64, name: &str) -> Result<u64, String> {
        let c = self.0.get().await.map_err(|e| e.to_string())?;
        c.client.execute(&c.update, &[&name, &id]).await.map_err(|e| e.to_string())
    }

    async fn close(&self) {
        self.0.close();
    }
}
