//! Deletion strategies: soft delete (`#[kakaorm(soft_delete)]`) and archive tables
//! (`#[kakaorm(archive)]`), and which rows a query reads under each ([`Scope`]).
//!
//! Every query over a model starts in [`Scope::Live`]; [`scope::restrict`] is the one
//! place that turns a scope into SQL (a `deleted_at IS NULL` condition, or the archive
//! table as the source).

mod archive;
mod keys;
mod registry;
pub(crate) mod scope;
pub(crate) mod write;

pub use registry::register;
pub(crate) use registry::register_schemas;
pub(crate) use scope::Scope;

use kakaorm_core::{ColumnType, Value};

/// The current time as a value of a timestamp column's type.
pub(crate) fn timestamp(ty: ColumnType, now: chrono::DateTime<chrono::Utc>) -> Value {
    let now = kakaorm_core::truncate_micros(now);
    match ty {
        ColumnType::Date => Value::Date(now.date_naive()),
        ColumnType::Timestamp => Value::DateTime(now.naive_utc()),
        _ => Value::DateTimeUtc(now),
    }
}
