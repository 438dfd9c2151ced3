//! The value existing rows get in a NOT NULL column added without a default.

use kakaorm::ColumnType;
use kakaorm_core::schema::{Column, ColumnDefault};

/// The column's default; otherwise the current time for timestamps, dates and
/// `auto_now_add` columns, and the type's zero value for the rest.
pub(crate) fn backfill(col: &Column) -> ColumnDefault {
    if let Some(d) = &col.default {
        return d.clone();
    }
    match col.ty {
        _ if col.auto_now_add => ColumnDefault::CurrentTimestamp,
        ColumnType::Timestamp | ColumnType::TimestampTz | ColumnType::Date => ColumnDefault::CurrentTimestamp,
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt | ColumnType::Decimal { .. } => {
            ColumnDefault::Int(0)
        }
        ColumnType::Real | ColumnType::Double => ColumnDefault::Float(0.0),
        ColumnType::Boolean => ColumnDefault::Bool(false),
        ColumnType::Time => ColumnDefault::Str("00:00:00".into()),
        ColumnType::Uuid => ColumnDefault::Str("00000000-0000-0000-0000-000000000000".into()),
        ColumnType::Json => ColumnDefault::Str("null".into()),
        ColumnType::Text | ColumnType::Varchar(_) | ColumnType::Bytes => ColumnDefault::Str(String::new()),
    }
}

/// Whether rows already in the table need a value the column's definition does not give
/// them (NOT NULL without a constant default).
pub(crate) fn needs_backfill(col: &Column) -> bool {
    !col.nullable && !col.auto_increment && !has_constant_default(col)
}

/// Whether the default is a literal (SQLite adds columns only with constant defaults).
pub(crate) fn has_constant_default(col: &Column) -> bool {
    matches!(
        col.default,
        Some(ColumnDefault::Int(_) | ColumnDefault::Float(_) | ColumnDefault::Bool(_) | ColumnDefault::Str(_))
    )
}
