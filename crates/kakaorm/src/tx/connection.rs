//! One connection held out of the pool.

use std::fmt;

use kakaorm_core::{Dialect, Result};
use tokio::sync::Mutex;

use crate::driver::PooledConn;
use crate::driver::state::TxState;
use crate::executor::{ConnGuard, Executor, sealed};

/// One connection held out of the pool until dropped; operations on `&conn` all run on it.
///
/// An operation cancelled midway that had opened a transaction of its own (a multi-statement
/// `bulk_create`) leaves nothing behind: the next operation rolls it back first.
pub struct Connection {
    conn: Mutex<Option<PooledConn>>,
    dialect: &'static dyn Dialect,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection").field("backend", &self.dialect.backend()).finish()
    }
}

impl Connection {
    pub(crate) fn new(conn: PooledConn, dialect: &'static dyn Dialect) -> Self {
        Connection { conn: Mutex::new(Some(conn)), dialect }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.get_mut().take()
            && conn.tx_state() != TxState::Idle
        {
            conn.abandon_transaction();
        }
    }
}

impl Executor for Connection {}

impl sealed::Sealed for Connection {
    fn dialect(&self) -> &'static dyn Dialect {
        self.dialect
    }

    async fn acquire(&self) -> Result<ConnGuard<'_>> {
        let mut guard = self.conn.lock().await;
        if let Some(conn) = guard.as_mut() {
            conn.reset().await?;
        }
        Ok(ConnGuard::Held(guard))
    }
}
