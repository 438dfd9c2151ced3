//! Binding [`Value`]s as MySQL parameters.

use chrono::{Datelike, NaiveDateTime, Timelike};
use kakaorm_core::Value;
use mysql_async::{Params, Value as MyValue};

/// Moves values into mysql_async parameters (strings and bytes move without copying).
pub(crate) fn to_params(values: Vec<Value>) -> Params {
    if values.is_empty() {
        return Params::Empty;
    }
    Params::Positional(values.into_iter().map(to_my).collect())
}

fn datetime(v: NaiveDateTime) -> MyValue {
    MyValue::Date(
        v.year() as u16,
        v.month() as u8,
        v.day() as u8,
        v.hour() as u8,
        v.minute() as u8,
        v.second() as u8,
        v.nanosecond() / 1_000,
    )
}

fn to_my(v: Value) -> MyValue {
    match v {
        Value::Null => MyValue::NULL,
        Value::Bool(v) => MyValue::Int(i64::from(v)),
        Value::I16(v) => MyValue::Int(i64::from(v)),
        Value::I32(v) => MyValue::Int(i64::from(v)),
        Value::I64(v) => MyValue::Int(v),
        Value::F32(v) => MyValue::Float(v),
        Value::F64(v) => MyValue::Double(v),
        Value::String(v) => MyValue::Bytes(v.into_bytes()),
        Value::Bytes(v) => MyValue::Bytes(v),
        Value::Date(v) => MyValue::Date(v.year() as u16, v.month() as u8, v.day() as u8, 0, 0, 0, 0),
        Value::Time(v) => {
            MyValue::Time(false, 0, v.hour() as u8, v.minute() as u8, v.second() as u8, v.nanosecond() / 1_000)
        }
        Value::DateTime(v) => datetime(v),
        Value::DateTimeUtc(v) => datetime(v.naive_utc()),
        Value::Decimal(v) => MyValue::Bytes(v.to_string().into_bytes()),
        Value::Uuid(v) => MyValue::Bytes(v.hyphenated().to_string().into_bytes()),
        Value::Json(v) => MyValue::Bytes(v.to_string().into_bytes()),
        // The dialect refuses arrays before they reach the driver.
        Value::Array(_) => MyValue::NULL,
    }
}
