//! Binding [`Value`]s as SQLite parameters, and the text forms of dates and times.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use kakaorm_core::Value;
use rusqlite::ToSql;

use crate::driver::row_batch::Param;
use rusqlite::types::{ToSqlOutput, ValueRef};

/// `YYYY-MM-DD`.
pub(crate) const DATE: &str = "%Y-%m-%d";
/// `HH:MM:SS.ffffff`.
pub(crate) const TIME: &str = "%H:%M:%S%.6f";
/// `YYYY-MM-DD HH:MM:SS.ffffff`: fixed width, so text order is time order.
pub(crate) const DATETIME: &str = "%Y-%m-%d %H:%M:%S%.6f";
/// `YYYY-MM-DD HH:MM:SS.ffffff+00:00`.
pub(crate) const DATETIME_UTC: &str = "%Y-%m-%d %H:%M:%S%.6f+00:00";

/// A borrowed value bound to an SQLite parameter.
pub(crate) struct LiteValue<'a>(pub(crate) &'a Value);

/// Binds parameter `index` (from 1) of `stmt` to `param`: text and bytes in place.
pub(crate) fn bind_param(stmt: &mut rusqlite::Statement<'_>, index: usize, param: Param<'_>) -> rusqlite::Result<()> {
    match param {
        Param::Text(s) => stmt.raw_bind_parameter(index, s),
        Param::Bytes(b) => stmt.raw_bind_parameter(index, b),
        Param::Value(v) => stmt.raw_bind_parameter(index, LiteValue(v)),
    }
}

impl ToSql for LiteValue<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        use rusqlite::types::Value as V;
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Bool(v) => ToSqlOutput::Owned(V::Integer(i64::from(*v))),
            Value::I16(v) => ToSqlOutput::Owned(V::Integer(i64::from(*v))),
            Value::I32(v) => ToSqlOutput::Owned(V::Integer(i64::from(*v))),
            Value::I64(v) => ToSqlOutput::Owned(V::Integer(*v)),
            Value::F32(v) => ToSqlOutput::Owned(V::Real(f64::from(*v))),
            Value::F64(v) => ToSqlOutput::Owned(V::Real(*v)),
            Value::String(v) => ToSqlOutput::Borrowed(ValueRef::Text(v.as_bytes())),
            Value::Bytes(v) => ToSqlOutput::Borrowed(ValueRef::Blob(v)),
            Value::Date(v) => text(v.format(DATE)),
            Value::Time(v) => text(v.format(TIME)),
            Value::DateTime(v) => text(v.format(DATETIME)),
            Value::DateTimeUtc(v) => text(v.format(DATETIME_UTC)),
            Value::Decimal(v) => text(v),
            Value::Uuid(v) => text(v.hyphenated()),
            Value::Json(v) => text(v),
            // The dialect refuses arrays before they reach the driver.
            Value::Array(_) => {
                return Err(rusqlite::Error::ToSqlConversionFailure("sqlite has no array parameters".into()));
            }
        })
    }
}

fn text(v: impl std::fmt::Display) -> ToSqlOutput<'static> {
    ToSqlOutput::Owned(rusqlite::types::Value::Text(v.to_string()))
}

/// Parses a date written as `YYYY-MM-DD`.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, DATE).ok()
}

/// Parses a time, with or without fractional seconds.
pub(crate) fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M:%S%.f").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M")).ok()
}

/// Parses a timestamp with a space or `T` separator, with or without fraction.
pub(crate) fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim_end_matches('Z').trim_end_matches("+00:00");
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
}

/// Parses a timestamp with an offset (converted to UTC), or a naive one taken as UTC.
pub(crate) fn parse_datetime_utc(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z")
        .or_else(|_| DateTime::parse_from_rfc3339(s))
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| parse_datetime(s).map(|n| n.and_utc()))
}
