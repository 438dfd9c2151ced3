//! The row-lock clause at the end of a SELECT.

use super::Writer;
use crate::ast::RowLock;
use crate::error::Result;

impl Writer<'_> {
    /// ` FOR UPDATE …` as the dialect spells it, or its error where it has no row locks.
    pub(crate) fn lock(&mut self, lock: Option<RowLock>) -> Result<()> {
        match lock {
            Some(lock) => self.d.lock_clause(&mut self.sql, lock),
            None => Ok(()),
        }
    }
}
