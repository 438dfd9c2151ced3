//! The pooled MySQL floor of `concurrent`: mysql_async's own pool (8..8 connections, over
//! TCP like every contender), statements prepared once per connection by its statement
//! cache, and no reset when a connection returns to the pool (a reset would drop them).

use mysql_async::prelude::Queryable;
use mysql_async::{Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts};
use protocol::{KeyOps, POOL_SIZE};

use crate::models::User;

type UserTuple = (i64, String, Option<String>);

pub struct MyPool(Pool);

impl MyPool {
    /// A pool of [`POOL_SIZE`] connections, all opened before it is returned.
    pub async fn connect(url: String) -> Result<MyPool, String> {
        let opts = Opts::from_url(&protocol::mysql_tcp_url(&url)).map_err(|e| e.to_string())?;
        let constraints = PoolConstraints::new(POOL_SIZE, POOL_SIZE).ok_or("bad pool constraints")?;
        let pool_opts = PoolOpts::default().with_constraints(constraints).with_reset_connection(false);
        let pool = Pool::new(OptsBuilder::from_opts(opts).pool_opts(pool_opts));
        let mut held = Vec::with_capacity(POOL_SIZE);
        for _ in 0..POOL_SIZE {
            held.push(pool.get_conn().await.map_err(|e| e.to_string())?);
        }
        drop(held);
        Ok(MyPool(pool))
    }
}

impl KeyOps for MyPool {
    type User = User;

    async fn get(&self, id: i64) -> Result<Option<User>, String> {
        let mut c = self.0.get_conn().await.map_err(|e| e.to_string())?;
        let row: Option<UserTuple> =
            c.exec_first(protocol::QMARK_SQL.get_by_pk, (id,)).await.map_err(|e| e.to_string())?;
        Ok(row.map(|(id, name, hair_color)| User { id, name, hair_color }))
    }

    async fn update(&self, id: i64, name: &str) -> Result<u64, String> {
        let mut c = self.0.get_conn().await.map_err(|e| e.to_string())?;
        c.exec_drop(protocol::QMARK_SQL.update_by_pk, (name, id)).await.map_err(|e| e.to_string())?;
        Ok(c.affected_rows())
    }

    async fn close(&self) {
        let _ = self.0.clone().disconnect().await;
    }
}
