//! Reading SQLite rows by index.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use kakaorm_core::__private::{decimal_from_text, decode_f32, i64_to_f64};
use kakaorm_core::{Error, Result, RowReader};
use rusqlite::Row;
use rusqlite::types::ValueRef;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::decimal;
use super::error::map_error;
use super::value::{parse_date, parse_datetime, parse_datetime_utc, parse_time};

/// Where a row's cells come from: a statement's current row, or a copy of one.
pub(crate) trait Cells<'a> {
    /// Cell `idx`.
    fn cell(&self, idx: usize) -> Result<ValueRef<'a>>;
    /// The name of column `idx`, `?` when there is none.
    fn name(&self, idx: usize) -> &str;
    /// How many cells the row has.
    fn width(&self) -> usize;
}

impl<'a, 'stmt> Cells<'a> for &'a Row<'stmt> {
    #[inline]
    fn cell(&self, idx: usize) -> Result<ValueRef<'a>> {
        self.get_ref(idx).map_err(map_error)
    }

    fn name(&self, idx: usize) -> &str {
        self.as_ref().column_name(idx).unwrap_or("?")
    }

    fn width(&self) -> usize {
        self.as_ref().column_count()
    }
}

/// A borrowed SQLite row.
pub(crate) struct LiteRow<'a, C> {
    row: C,
    /// The cell `is_null` just looked at, so a nullable field reads it only once.
    last: Option<(usize, ValueRef<'a>)>,
}

impl<'a, C: Cells<'a>> LiteRow<'a, C> {
    pub(crate) fn new(row: C) -> Self {
        LiteRow { row, last: None }
    }

    fn value(&self, idx: usize) -> Result<ValueRef<'a>> {
        match self.last {
            Some((i, v)) if i == idx => Ok(v),
            _ => self.row.cell(idx),
        }
    }

    fn int(&self, idx: usize, expected: &str) -> Result<i64> {
        match self.value(idx)? {
            ValueRef::Integer(v) => Ok(v),
            other => Err(self.mismatch_at(idx, expected, other)),
        }
    }

    fn mismatch_at(&self, idx: usize, expected: &str, got: ValueRef<'_>) -> Error {
        Error::decode(self.column_name(idx), format!("expected {expected}, found {}", got.data_type()))
    }

    fn text(&self, idx: usize, expected: &str) -> Result<&'a str> {
        match self.value(idx)? {
            ValueRef::Text(t) => std::str::from_utf8(t).map_err(|e| Error::decode(self.column_name(idx), e)),
            other => Err(self.mismatch_at(idx, expected, other)),
        }
    }

    fn parsed<T>(&self, idx: usize, expected: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T> {
        let s = self.text(idx, expected)?;
        parse(s).ok_or_else(|| Error::decode(self.column_name(idx), format!("expected {expected}, found text {s:?}")))
    }

    fn narrow<T: TryFrom<i64>>(&self, idx: usize, expected: &str) -> Result<T> {
        let v = self.int(idx, expected)?;
        T::try_from(v).map_err(|_| Error::decode(self.column_name(idx), format!("{v} does not fit {expected}")))
    }
}

impl<'a, C: Cells<'a>> RowReader for LiteRow<'a, C> {
    fn column_name(&self, idx: usize) -> &str {
        self.row.name(idx)
    }

    fn column_count(&self) -> usize {
        self.row.width()
    }

    #[inline]
    fn is_null(&mut self, idx: usize) -> Result<bool> {
        let v = self.row.cell(idx)?;
        self.last = Some((idx, v));
        Ok(matches!(v, ValueRef::Null))
    }

    integer_getters!();

    /// A REAL narrows when it is within `f32`'s range.
    fn get_f32(&mut self, idx: usize) -> Result<f32> {
        let v = self.get_f64(idx)?;
        decode_f32(self.column_name(idx), v)
    }

    /// An INTEGER widens when the conversion is exact.
    fn get_f64(&mut self, idx: usize) -> Result<f64> {
        match self.value(idx)? {
            ValueRef::Real(v) => Ok(v),
            ValueRef::Integer(v) => {
                i64_to_f64(v).ok_or_else(|| Error::decode(self.column_name(idx), format!("{v} has no exact f64")))
            }
            other => Err(self.mismatch_at(idx, "float", other)),
        }
    }

    #[inline]
    fn get_string(&mut self, idx: usize) -> Result<String> {
        self.text(idx, "text").map(str::to_owned)
    }

    fn get_bytes(&mut self, idx: usize) -> Result<Vec<u8>> {
        match self.value(idx)? {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            other => Err(self.mismatch_at(idx, "blob", other)),
        }
    }

    fn get_date(&mut self, idx: usize) -> Result<NaiveDate> {
        self.parsed(idx, "date", parse_date)
    }

    fn get_time(&mut self, idx: usize) -> Result<NaiveTime> {
        self.parsed(idx, "time", parse_time)
    }

    fn get_datetime(&mut self, idx: usize) -> Result<NaiveDateTime> {
        self.parsed(idx, "timestamp", parse_datetime)
    }

    fn get_datetime_utc(&mut self, idx: usize) -> Result<DateTime<Utc>> {
        self.parsed(idx, "timestamp with time zone", parse_datetime_utc)
    }

    fn get_decimal(&mut self, idx: usize) -> Result<Decimal> {
        match self.value(idx)? {
            ValueRef::Integer(v) => Ok(Decimal::from(v)),
            ValueRef::Real(v) => decimal::from_real(v)
                .ok_or_else(|| Error::decode(self.column_name(idx), format!("{v} does not fit a decimal"))),
            _ => self.parsed(idx, "decimal", decimal_from_text),
        }
    }

    fn get_uuid(&mut self, idx: usize) -> Result<Uuid> {
        match self.value(idx)? {
            ValueRef::Blob(b) => Uuid::from_slice(b).map_err(|e| Error::decode(self.column_name(idx), e)),
            _ => self.parsed(idx, "uuid", |s| Uuid::parse_str(s).ok()),
        }
    }

    fn get_json(&mut self, idx: usize) -> Result<serde_json::Value> {
        let s = self.text(idx, "json text")?;
        serde_json::from_str(s).map_err(|e| Error::decode(self.column_name(idx), e))
    }
}
