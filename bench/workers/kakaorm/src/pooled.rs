//! kakaorm on the `concurrent` workload: one `Db` with a pool of [`POOL_SIZE`] connections,
//! all opened when connecting, shared by every task.

use kakaorm::prelude::*;
use protocol::{KeyOps, POOL_SIZE};

use crate::err;
use crate::models::{UUser, User};

pub struct KakaormPool(Db);

impl KakaormPool {
    pub async fn connect(url: String) -> Result<KakaormPool, String> {
        let db =
            Db::builder(&url).max_connections(POOL_SIZE).min_connections(POOL_SIZE).connect().await.map_err(err)?;
        Ok(KakaormPool(db))
    }
}

impl KeyOps for KakaormPool {
    type User = User;

    async fn get(&self, id: i64) -> Result<Option<User>, String> {
        User::find(id, &self.0).await.map_err(err)
    }

    async fn update(&self, id: i64, name: &str) -> Result<u64, String> {
        UUser::filter(UUser::id.eq(id)).update().set(UUser::name, name).exec(&self.0).await.map_err(err)
    }

    async fn close(&self) {
        self.0.close().await;
    }
}
