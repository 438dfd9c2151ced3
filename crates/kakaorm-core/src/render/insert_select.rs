//! `INSERT INTO … SELECT`.

use super::Writer;
use crate::ast::{InsertSelect, Projection};
use crate::error::{Error, Result};

impl Writer<'_> {
    pub(crate) fn insert_select(&mut self, s: InsertSelect) -> Result<()> {
        let width = match &s.select.projection {
            Projection::Columns(cols) => cols.len(),
            _ => 0,
        };
        if s.columns.is_empty() || width != s.columns.len() {
            return Err(Error::invalid_input(format!(
                "an insert into `{}` from a query needs one selected expression per column",
                s.table
            )));
        }
        self.push("INSERT INTO ");
        self.table_columns(s.table, &s.columns)?;
        self.push(" ");
        self.select(*s.select)
    }
}
