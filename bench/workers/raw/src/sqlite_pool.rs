//! The pooled SQLite floor of `concurrent`: [`POOL_SIZE`] rusqlite connections, each on
//! its own thread, taking requests from one shared queue (whichever connection is free
//! runs the next one) and answering over a tokio oneshot.

use std::sync::{Arc, Mutex, mpsc};

use protocol::{KeyOps, POOL_SIZE};
use rusqlite::{Connection, OptionalExtension};
use tokio::sync::oneshot;

use crate::models::User;
use crate::sqlite::{Task, open_connection, user};

pub struct LitePool(mpsc::Sender<Task>);

impl LitePool {
    /// Opens [`POOL_SIZE`] connections on their threads.
    pub async fn open(path: String) -> Result<LitePool, String> {
        let (tx, rx) = mpsc::channel::<Task>();
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..POOL_SIZE {
            let conn = open_connection(&path)?;
            let rx = Arc::clone(&rx);
            std::thread::Builder::new()
                .name("raw-rusqlite-pool".into())
                .spawn(move || {
                    loop {
                        let next = rx.lock().map_err(|_| ()).and_then(|q| q.recv().map_err(|_| ()));
                        let Ok(task) = next else { return };
                        task(&conn);
                    }
                })
                .map_err(|e| e.to_string())?;
        }
        Ok(LitePool(tx))
    }

    async fn call<R, F>(&self, f: F) -> Result<R, String>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.0
            .send(Box::new(move |c| {
                let _ = reply.send(f(c));
            }))
            .map_err(|_| "the sqlite threads have stopped".to_owned())?;
        answer.await.map_err(|_| "the sqlite threads have stopped".to_owned())?.map_err(|e| e.to_string())
    }
}

impl KeyOps for LitePool {
    type User = User;

    async fn get(&self, id: i64) -> Result<Option<User>, String> {
        self.call(move |c| c.prepare_cached(protocol::QMARK_SQL.get_by_pk)?.query_row([id], user).optional()).await
    }

    async fn update(&self, id: i64, name: &str) -> Result<u64, String> {
        let name = name.to_owned();
        let affected = self
            .call(move |c| c.prepare_cached(protocol::QMARK_SQL.update_by_pk)?.execute((name.as_str(), id)))
            .await?;
        Ok(affected as u64)
    }
}
