//! How a model's rows are deleted: physically, by a `deleted_at` timestamp (soft delete),
//! or by moving them into an archive table.

/// The deletion strategy of a table (`#[kakaorm(soft_delete)]`, `#[kakaorm(archive)]`).
///
/// ```
/// use kakaorm_core::schema::Deletion;
/// let soft = Deletion::Soft { column: "deleted_at" };
/// assert_eq!(soft.soft_column(), Some("deleted_at"));
/// assert_eq!(Deletion::Archive { table: "archive_users" }.archive_table(), Some("archive_users"));
/// assert_eq!(Deletion::Hard.soft_column(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Deletion {
    /// `DELETE` removes the row.
    #[default]
    Hard,
    /// `delete` sets the nullable timestamp `column`; queries skip rows where it is set.
    Soft {
        /// The `deleted_at` column.
        column: &'static str,
    },
    /// `delete` moves the row into `table` (`archive_<table>`: the same columns plus
    /// [`ARCHIVED_AT`], without foreign keys).
    Archive {
        /// The archive table.
        table: &'static str,
    },
}

/// The column an archive table adds: when the row was archived.
pub const ARCHIVED_AT: &str = "archived_at";

impl Deletion {
    /// The `deleted_at` column of a soft-delete table.
    pub const fn soft_column(self) -> Option<&'static str> {
        match self {
            Deletion::Soft { column } => Some(column),
            _ => None,
        }
    }

    /// The archive table of an archive table.
    pub const fn archive_table(self) -> Option<&'static str> {
        match self {
            Deletion::Archive { table } => Some(table),
            _ => None,
        }
    }
}

impl super::Table {
    /// The archive table of an `#[kakaorm(archive)]` table as migrations see it: the same
    /// columns (none generated, none defaulted) and key, plus `archived_at`, without
    /// foreign keys, unique constraints, indexes or checks. `None` for other tables.
    ///
    /// ```
    /// use kakaorm_core::schema::{ColumnSchema, Deletion, Schema, Table, TableSchema};
    /// use kakaorm_core::ColumnType;
    /// static COLS: [ColumnSchema; 2] = [
    ///     ColumnSchema::new("id", "id", ColumnType::BigInt).primary_key().auto_increment(),
    ///     ColumnSchema::new("name", "name", ColumnType::Varchar(20)).unique(),
    /// ];
    /// static T: TableSchema =
    ///     TableSchema::new("orgs", "Org", &COLS, 0, &[]).deletion(Deletion::Archive { table: "archive_orgs" });
    /// let archive = Table::archive_of(&T).unwrap();
    /// assert_eq!(archive.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["id", "name", "archived_at"]);
    /// assert!(archive.uniques.is_empty() && !archive.columns[0].auto_increment);
    /// assert!(Schema::from_static(&[&T]).table("archive_orgs").is_some());
    /// ```
    pub fn archive_of(t: &super::TableSchema) -> Option<super::Table> {
        let name = t.deletion.archive_table()?;
        let mut table = super::Table::new(name);
        table.columns = t.columns.iter().map(|c| super::Column::new(c.name, c.ty).nullable(c.nullable)).collect();
        table.columns.push(super::Column::new(ARCHIVED_AT, crate::ColumnType::TimestampTz));
        table.primary_key = vec![t.pk().name.to_owned()];
        Some(table)
    }
}
