//! Write shapes beyond plain INSERT and UPDATE: upsert conflict clauses and the bulk
//! UPDATE joined to a list of rows.

use crate::value::{ColumnType, Value};

/// What an INSERT does with a row whose unique key is already taken (an upsert).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OnConflict {
    /// The unique column set (or primary key) the conflict is on. MySQL has no conflict
    /// target: a row colliding on any unique key updates.
    pub target: Vec<&'static str>,
    /// What happens to the existing row.
    pub action: ConflictAction,
}

impl OnConflict {
    /// On a conflict over `target`, `action`.
    pub fn new(target: Vec<&'static str>, action: ConflictAction) -> Self {
        OnConflict { target, action }
    }
}

/// The effect of an upsert on a row that already exists.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ConflictAction {
    /// Leave it as it is.
    Nothing,
    /// Overwrite these columns with the values the INSERT proposed.
    Update(Vec<&'static str>),
}

/// `UPDATE table SET c = v.c, … FROM <rows> v WHERE table.key = v.key`: many rows, each
/// with its own values, in one statement. Rendered per dialect
/// ([`BulkUpdateStyle`](crate::dialect::BulkUpdateStyle)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UpdateFrom {
    /// The table.
    pub table: &'static str,
    /// The key column that matches each row, with its type.
    pub key: (&'static str, ColumnType),
    /// The updated columns with their types.
    pub columns: Vec<(&'static str, ColumnType)>,
    /// Row after row: the key, then one value per updated column.
    pub values: Vec<Value>,
}

impl UpdateFrom {
    /// Updates `columns` of the rows keyed by `key`, from `values` (key first in each row).
    pub fn new(
        table: &'static str,
        key: (&'static str, ColumnType),
        columns: Vec<(&'static str, ColumnType)>,
        values: Vec<Value>,
    ) -> Self {
        UpdateFrom { table, key, columns, values }
    }

    /// Values per row: the key and the updated columns.
    pub fn width(&self) -> usize {
        self.columns.len() + 1
    }
}
