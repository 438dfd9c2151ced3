//! The rows of a `JSON_TABLE` bulk update as one JSON document, an array of rows each an
//! array of values, encoded so that the server reads back the value a parameter carries:
//! integers and floats as JSON numbers (a `FLOAT` as the exact double of its value),
//! booleans as 1 and 0, decimals, dates, times, UUIDs and JSON documents as strings in the
//! server's literal format, bytes as base64, NULL as `null`.

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::Writer;
use crate::error::{Error, Result};
use crate::value::{ColumnType, Value};

/// The largest JSON number, date or other fixed-size value, in bytes (an `f64` takes at
/// most 24, a decimal 28 digits, a sign, a point and quotes).
const FIXED_LEN: usize = 40;

impl Writer<'_> {
    /// `[[v, …], …]`: `values` row after row, a row holding one value per type of `types`,
    /// each checked by the dialect and encoded for its column's type.
    pub(crate) fn json_rows(&self, values: Vec<Value>, types: &[ColumnType]) -> Result<String> {
        let mut doc = Vec::with_capacity(values.len() * 12 + 2);
        doc.push(b'[');
        let width = types.len();
        let rows = values.len() / width;
        for (i, value) in values.into_iter().enumerate() {
            doc.extend_from_slice(match (i % width, i) {
                (0, 0) => b"[",
                (0, _) => b"],[",
                _ => b",",
            });
            self.d.check_value(&value)?;
            encode(&mut doc, value, types[i % width])?;
        }
        doc.extend_from_slice(if rows > 0 { b"]]" } else { b"]" });
        // Only valid UTF-8 was written: text as it came, everything else ASCII.
        String::from_utf8(doc).map_err(|_| Error::invalid_input("a bulk update's rows are not valid UTF-8"))
    }
}

/// At least the number of bytes `row` (values of the types `types`) takes in the JSON
/// document of a [`JsonTable`](crate::BulkUpdateStyle::JsonTable) bulk update, brackets
/// and commas included: what a statement's rows are counted by against the server's
/// largest packet.
///
/// ```
/// use kakaorm_core::render::json_row_len;
/// use kakaorm_core::{ColumnType, Value};
/// let row = [Value::I64(7), Value::from("say \"hi\"")];
/// // [7,"say \"hi\""] is 16 bytes.
/// assert!(json_row_len(&row, &[ColumnType::BigInt, ColumnType::Text]) >= 16);
/// ```
pub fn json_row_len(row: &[Value], types: &[ColumnType]) -> usize {
    row.iter().zip(types).map(|(v, ty)| json_len(v, *ty) + 1).sum::<usize>() + 2
}

/// At least the number of bytes `value` takes encoded for a column of type `ty`.
fn json_len(value: &Value, ty: ColumnType) -> usize {
    match value {
        Value::String(s) if ty == ColumnType::Bytes => base64_len(s.len()),
        Value::String(s) => escaped_len(s),
        Value::Bytes(b) => base64_len(b.len()),
        Value::Json(j) => escaped_len(&j.to_string()),
        Value::Array(_) => 0,
        _ => FIXED_LEN,
    }
}

/// A quoted base64 string of `n` bytes.
fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4 + 2
}

/// A quoted JSON string as serde_json escapes it: quotes, backslashes and the common
/// control characters take two bytes (`\n`), the other control characters six (`\u001f`).
fn escaped_len(s: &str) -> usize {
    let escapes: usize = s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\x08' | b'\x0c' | b'\n' | b'\r' | b'\t' => 1,
            0..=0x1f => 5,
            _ => 0,
        })
        .sum();
    s.len() + 2 + escapes
}

/// Appends `value`, bound for a column of type `ty`.
fn encode(out: &mut Vec<u8>, value: Value, ty: ColumnType) -> Result<()> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.push(if b { b'1' } else { b'0' }),
        Value::I16(v) => serialized(out, &v)?,
        Value::I32(v) => serialized(out, &v)?,
        Value::I64(v) => serialized(out, &v)?,
        // Every f32 is exactly a double, which the server rounds back to the same f32.
        Value::F32(v) => float(out, f64::from(v))?,
        Value::F64(v) => float(out, v)?,
        Value::String(s) if ty == ColumnType::Bytes => base64(out, s.as_bytes()),
        Value::String(s) => serialized(out, &s)?,
        Value::Bytes(b) if ty == ColumnType::Bytes => base64(out, &b),
        Value::Bytes(_) => return Err(Error::invalid_input(format!("bytes cannot be written to a {ty:?} column"))),
        Value::Date(d) => quoted(out, format_args!("{}", DateText(d)))?,
        Value::Time(t) => quoted(out, format_args!("{}", TimeText(t)))?,
        Value::DateTime(t) => quoted(out, format_args!("{}", DateTimeText(t)))?,
        Value::DateTimeUtc(t) => quoted(out, format_args!("{}", DateTimeText(t.naive_utc())))?,
        Value::Decimal(d) => quoted(out, format_args!("{d}"))?,
        Value::Uuid(u) => quoted(out, format_args!("{}", u.hyphenated()))?,
        Value::Json(j) => serialized(out, &j.to_string())?,
        Value::Array(_) => return Err(Error::unsupported("a bulk update row cannot hold an array")),
    }
    Ok(())
}

/// Appends `v` as serde_json writes it (numbers, and strings escaped).
fn serialized(out: &mut Vec<u8>, v: &(impl serde::Serialize + ?Sized)) -> Result<()> {
    serde_json::to_writer(out, v).map_err(|e| Error::invalid_input(format!("a bulk update value: {e}")))
}

/// A finite float as its shortest round-trip decimal form (JSON has no NaN or infinity).
fn float(out: &mut Vec<u8>, v: f64) -> Result<()> {
    if !v.is_finite() {
        return Err(Error::invalid_input(format!("a bulk update cannot carry the float {v}")));
    }
    serialized(out, &v)
}

fn base64(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'"');
    let start = out.len();
    out.resize(start + bytes.len().div_ceil(3) * 4, 0);
    let written = STANDARD.encode_slice(bytes, &mut out[start..]).unwrap_or_default();
    out.truncate(start + written);
    out.push(b'"');
}

/// Appends `text` in quotes: text that never needs escaping (digits, dashes, colons).
fn quoted(out: &mut Vec<u8>, text: std::fmt::Arguments<'_>) -> Result<()> {
    write!(out, "\"{text}\"").map_err(|e| Error::invalid_input(format!("a bulk update value: {e}")))
}

/// `YYYY-MM-DD`.
struct DateText(NaiveDate);

impl std::fmt::Display for DateText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), self.0.month(), self.0.day())
    }
}

/// `HH:MM:SS.ffffff`, the microseconds truncated as the driver truncates them.
struct TimeText(NaiveTime);

impl std::fmt::Display for TimeText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.0;
        write!(f, "{:02}:{:02}:{:02}.{:06}", t.hour(), t.minute(), t.second(), t.nanosecond() / 1_000)
    }
}

/// `YYYY-MM-DD HH:MM:SS.ffffff`.
struct DateTimeText(NaiveDateTime);

impl std::fmt::Display for DateTimeText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", DateText(self.0.date()), TimeText(self.0.time()))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate};
    use rust_decimal::Decimal;

    use super::*;
    use crate::dialect::MysqlDialect;

    fn rows(values: Vec<Value>, types: &[ColumnType]) -> Result<String> {
        Writer::new(&MysqlDialect::MARIADB).json_rows(values, types)
    }

    #[test]
    fn every_value_is_encoded_for_its_column() {
        let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap_or_default();
        let stamp = day.and_hms_nano_opt(3, 4, 5, 123_456_789).unwrap_or_default();
        let values = vec![
            Value::I64(i64::MIN),
            Value::from("a\"b\\c\u{0}é"),
            Value::Bool(true),
            Value::F32(0.1),
            Value::Decimal(Decimal::new(-12345, 4)),
            Value::DateTime(stamp),
            Value::DateTimeUtc(DateTime::from_timestamp(0, 1_000).unwrap_or_default()),
            Value::Time(stamp.time()),
            Value::Date(NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default()),
            Value::Bytes(vec![0, 1, 255]),
            Value::from("hi"),
            Value::Json(serde_json::json!({"k": "v"})),
            Value::Null,
        ];
        use ColumnType as T;
        let types = [
            T::BigInt,
            T::Text,
            T::Boolean,
            T::Real,
            T::Text,
            T::Timestamp,
            T::TimestampTz,
            T::Time,
            T::Date,
            T::Bytes,
            T::Bytes,
            T::Json,
            T::Uuid,
        ];
        let doc = rows(values, &types).unwrap_or_default();
        assert_eq!(
            doc,
            r#"[[-9223372036854775808,"a\"b\\c\u0000é",1,0.10000000149011612,"-1.2345","2024-02-29 03:04:05.123456","1970-01-01 00:00:00.000001","03:04:05.123456","0001-01-01","AAH/","aGk=","{\"k\":\"v\"}",null]]"#
        );
    }

    #[test]
    fn rows_are_arrays_and_the_length_bound_holds() {
        let types = [ColumnType::Integer, ColumnType::Text];
        let values = vec![Value::I32(1), Value::from("\n\"x\u{1}"), Value::I32(2), Value::Null];
        let bound: usize = values.chunks(2).map(|row| json_row_len(row, &types)).sum();
        let doc = rows(values, &types).unwrap_or_default();
        assert_eq!(doc, r#"[[1,"\n\"x\u0001"],[2,null]]"#);
        assert!(bound >= doc.len(), "{bound} < {}", doc.len());
        assert_eq!(rows(vec![], &types).unwrap_or_default(), "[]");
    }

    #[test]
    fn what_json_cannot_carry_is_refused() {
        let refused = |v: Value, ty| rows(vec![v], &[ty]).is_err();
        assert!(refused(Value::F64(f64::NAN), ColumnType::Double));
        assert!(refused(Value::F32(f32::INFINITY), ColumnType::Real));
        assert!(refused(Value::Bytes(vec![1]), ColumnType::Text));
        assert!(refused(Value::Array(vec![]), ColumnType::Integer));
    }
}
