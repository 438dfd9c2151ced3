//! Binding [`Value`]s as MySQL parameters.
//!
//! The dialect has already refused what MySQL cannot store (dates outside years 1 to 9999,
//! leap seconds, NaN, arrays); the conversions here are checked as well, so a value that
//! slipped through is an error and never a wrapped or truncated one.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use kakaorm_core::{Error, Result, Value};
use mysql_async::{Params, Value as MyValue};

/// Moves values into mysql_async parameters (strings and bytes move without copying).
///
/// # Errors
/// [`InvalidInput`](kakaorm_core::ErrorKind::InvalidInput) for a value MySQL cannot store.
pub(crate) fn to_params(values: Vec<Value>) -> Result<Params> {
    if values.is_empty() {
        return Ok(Params::Empty);
    }
    values.into_iter().map(to_my).collect::<Result<_>>().map(Params::Positional)
}

fn unstorable(what: impl std::fmt::Display) -> Error {
    Error::invalid_input(format!("mysql cannot store {what}"))
}

/// A date's year, month and day as MySQL's wire format carries them.
fn date_parts(d: NaiveDate) -> Result<(u16, u8, u8)> {
    let fits = |v: u32| u8::try_from(v).map_err(|_| unstorable(d));
    Ok((u16::try_from(d.year()).map_err(|_| unstorable(d))?, fits(d.month())?, fits(d.day())?))
}

/// A time of day as hours, minutes, seconds and microseconds (a leap second has no place).
fn time_parts(t: NaiveTime) -> Result<(u8, u8, u8, u32)> {
    let fits = |v: u32| u8::try_from(v).map_err(|_| unstorable(t));
    let micros = t.nanosecond() / 1_000;
    if micros >= 1_000_000 {
        return Err(unstorable(format_args!("the leap second in {t}")));
    }
    Ok((fits(t.hour())?, fits(t.minute())?, fits(t.second())?, micros))
}

fn datetime(date: NaiveDate, time: NaiveTime) -> Result<MyValue> {
    let (y, mo, d) = date_parts(date)?;
    let (h, mi, s, us) = time_parts(time)?;
    Ok(MyValue::Date(y, mo, d, h, mi, s, us))
}

fn to_my(v: Value) -> Result<MyValue> {
    Ok(match v {
        Value::Null => MyValue::NULL,
        Value::Bool(v) => MyValue::Int(i64::from(v)),
        Value::I16(v) => MyValue::Int(i64::from(v)),
        Value::I32(v) => MyValue::Int(i64::from(v)),
        Value::I64(v) => MyValue::Int(v),
        Value::F32(v) => MyValue::Float(v),
        Value::F64(v) => MyValue::Double(v),
        Value::String(v) => MyValue::Bytes(v.into_bytes()),
        Value::Bytes(v) => MyValue::Bytes(v),
        Value::Date(v) => datetime(v, NaiveTime::MIN)?,
        Value::Time(v) => {
            let (h, m, s, us) = time_parts(v)?;
            MyValue::Time(false, 0, h, m, s, us)
        }
        Value::DateTime(v) => datetime(v.date(), v.time())?,
        Value::DateTimeUtc(v) => datetime(v.date_naive(), v.time())?,
        Value::Decimal(v) => MyValue::Bytes(v.to_string().into_bytes()),
        Value::Uuid(v) => MyValue::Bytes(v.hyphenated().to_string().into_bytes()),
        Value::Json(v) => MyValue::Bytes(v.to_string().into_bytes()),
        Value::Array(_) => return Err(Error::unsupported("mysql has no array parameters")),
    })
}
