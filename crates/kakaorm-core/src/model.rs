//! The traits `#[derive(Model)]` implements.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::error::Result;
use crate::row::{ColumnValue, FromRow};
use crate::schema::TableSchema;
use crate::value::Value;

/// A struct mapped to one table. Implement it with `#[derive(Model)]`, never by hand.
///
/// The derive generates the static [`TableSchema`], a decoder that reads the columns by
/// index in schema order, typed column handles (`User::age`), and a create builder.
pub trait Model: FromRow + Sync + Sized {
    /// The table, its columns and constraints.
    const SCHEMA: &'static TableSchema;

    /// The Rust type of the primary key.
    type Key: ColumnValue;

    /// The generated create builder (`UserCreate` for `User`).
    type Create: CreateBuilder<Model = Self> + Default;

    /// Starts a create builder; omitted fields take their defaults.
    fn create() -> Self::Create {
        Self::Create::default()
    }

    /// The primary key of this instance, as a parameter.
    fn key_value(&self) -> Value;

    /// Every column value, in schema order.
    fn column_values(&self) -> Vec<Value>;

    /// The value of column `index` (schema order), or NULL past the last column. Relations
    /// read their keys through it without copying the other columns.
    fn column_value(&self, index: usize) -> Value {
        self.column_values().into_iter().nth(index).unwrap_or(Value::Null)
    }

    /// Sets every `auto_now` field to `now` (called by `save`).
    fn touch_auto_now(&mut self, now: DateTime<Utc>);
}

/// A model whose rows are not deleted physically: `#[kakaorm(soft_delete)]` (a
/// `deleted_at` timestamp) or `#[kakaorm(archive)]` (moved into `archive_<table>`). Its
/// queries offer `include_deleted`, `only_deleted`, `restore` and `purge`. Implemented by
/// the derive, never by hand.
pub trait Restorable: Model {}

/// The columns and values of one row to insert.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InsertRow {
    /// Column names, in schema order (a static list: no allocation per row).
    pub columns: &'static [&'static str],
    /// One value per column.
    pub values: Vec<Value>,
}

/// A generated create builder.
pub trait CreateBuilder: Send {
    /// The model it creates.
    type Model: Model;

    /// The row to insert: set fields, then defaults, with `auto_now`/`auto_now_add` set to
    /// `now`. An auto-increment key is left out unless it was set.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when a default literal does not fit
    /// its field.
    fn into_row(self, now: DateTime<Utc>) -> Result<InsertRow>;

    /// The columns whose fields were set on this builder, in schema order (the ones
    /// `update_or_create` writes to an existing row).
    fn explicit_columns(&self) -> Vec<&'static str>;

    /// Like [`into_row`](Self::into_row), but appends the values to `values` (a bulk insert
    /// keeps every row in one buffer) and returns the column list.
    ///
    /// # Errors
    /// As [`into_row`](Self::into_row).
    fn write_row(self, now: DateTime<Utc>, values: &mut Vec<Value>) -> Result<&'static [&'static str]>;
}

/// Types that `auto_now` and `auto_now_add` can fill.
pub trait AutoTimestamp {
    /// The value for the instant `now`, truncated to microseconds (what every backend stores).
    fn from_now(now: DateTime<Utc>) -> Self;
}

/// Truncates to whole microseconds.
pub fn truncate_micros(now: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = now.timestamp_subsec_nanos();
    now - chrono::Duration::nanoseconds(i64::from(nanos % 1_000))
}

impl AutoTimestamp for DateTime<Utc> {
    fn from_now(now: DateTime<Utc>) -> Self {
        truncate_micros(now)
    }
}

impl AutoTimestamp for NaiveDateTime {
    fn from_now(now: DateTime<Utc>) -> Self {
        truncate_micros(now).naive_utc()
    }
}

impl AutoTimestamp for NaiveDate {
    fn from_now(now: DateTime<Utc>) -> Self {
        now.date_naive()
    }
}

impl<T: AutoTimestamp> AutoTimestamp for Option<T> {
    fn from_now(now: DateTime<Utc>) -> Self {
        Some(T::from_now(now))
    }
}
