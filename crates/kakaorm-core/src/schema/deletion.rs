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
