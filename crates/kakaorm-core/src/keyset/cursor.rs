//! The opaque cursor: the key values of one row, in a compact binary form, base64url.
//!
//! Layout: a version byte, a 4-byte fingerprint of the ordering (table, columns and
//! directions), a key count, then each key as a type tag and its bytes. Decoding checks
//! every part against the ordering it is used with, and refuses trailing bytes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::value::{ColumnType, Value};

const VERSION: u8 = 1;
/// The longest cursor text accepted.
const MAX_TEXT: usize = 2048;

/// A key whose bytes do not parse.
fn bad<E>(_: E) -> Error {
    invalid("a key is malformed")
}

fn invalid(why: &str) -> Error {
    Error::invalid_input(format!("invalid page cursor: {why}"))
}

/// Encodes `keys` for the ordering whose fingerprint is `print`.
pub(crate) fn encode(print: u32, keys: &[Value]) -> Result<String> {
    let mut out = vec![VERSION];
    out.extend_from_slice(&print.to_le_bytes());
    out.push(u8::try_from(keys.len()).map_err(|_| invalid("too many keys"))?);
    for key in keys {
        put(&mut out, key)?;
    }
    Ok(URL_SAFE_NO_PAD.encode(out))
}

/// Decodes a cursor made for the ordering `print` over columns of `types`.
pub(crate) fn decode(text: &str, print: u32, types: &[ColumnType]) -> Result<Vec<Value>> {
    if text.len() > MAX_TEXT {
        return Err(invalid("too long"));
    }
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid("not base64url"))?;
    let mut r = Reader { bytes: &bytes, pos: 0 };
    if r.take(1)? != [VERSION] {
        return Err(invalid("unknown version"));
    }
    if r.array::<4>().map(u32::from_le_bytes)? != print {
        return Err(invalid("it was made for another ordering"));
    }
    if usize::from(r.take(1)?[0]) != types.len() {
        return Err(invalid("wrong number of keys"));
    }
    let keys = types.iter().map(|ty| r.value(*ty)).collect::<Result<Vec<_>>>()?;
    if r.pos != bytes.len() {
        return Err(invalid("trailing bytes"));
    }
    Ok(keys)
}

/// FNV-1a over the ordering's description: a cursor from another ordering is refused.
pub(crate) fn fingerprint(parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for part in parts {
        for b in part.bytes().chain([0]) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}

const T_BOOL: u8 = 1;
const T_I16: u8 = 2;
const T_I32: u8 = 3;
const T_I64: u8 = 4;
const T_F32: u8 = 5;
const T_F64: u8 = 6;
const T_TEXT: u8 = 7;
const T_BYTES: u8 = 8;
const T_DATE: u8 = 9;
const T_TIME: u8 = 10;
const T_STAMP: u8 = 11;
const T_STAMP_UTC: u8 = 12;
const T_DECIMAL: u8 = 13;
const T_UUID: u8 = 14;

fn put(out: &mut Vec<u8>, key: &Value) -> Result<()> {
    match key {
        Value::Bool(v) => out.extend([T_BOOL, u8::from(*v)]),
        Value::I16(v) => put_fixed(out, T_I16, &v.to_le_bytes()),
        Value::I32(v) => put_fixed(out, T_I32, &v.to_le_bytes()),
        Value::I64(v) => put_fixed(out, T_I64, &v.to_le_bytes()),
        Value::F32(v) => put_fixed(out, T_F32, &v.to_le_bytes()),
        Value::F64(v) => put_fixed(out, T_F64, &v.to_le_bytes()),
        Value::String(v) => put_var(out, T_TEXT, v.as_bytes())?,
        Value::Bytes(v) => put_var(out, T_BYTES, v)?,
        Value::Date(v) => put_var(out, T_DATE, v.to_string().as_bytes())?,
        Value::Time(v) => put_var(out, T_TIME, v.format("%H:%M:%S%.f").to_string().as_bytes())?,
        Value::DateTime(v) => put_stamp(out, T_STAMP, v.and_utc().timestamp(), v.and_utc().timestamp_subsec_nanos()),
        Value::DateTimeUtc(v) => put_stamp(out, T_STAMP_UTC, v.timestamp(), v.timestamp_subsec_nanos()),
        Value::Decimal(v) => put_var(out, T_DECIMAL, v.to_string().as_bytes())?,
        Value::Uuid(v) => put_fixed(out, T_UUID, v.as_bytes()),
        other => return Err(Error::unsupported(format!("a page cursor cannot hold {other:?}"))),
    }
    Ok(())
}

fn put_fixed(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.push(tag);
    out.extend_from_slice(bytes);
}

fn put_var(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) -> Result<()> {
    let len = u16::try_from(bytes.len()).map_err(|_| invalid("a key is too long"))?;
    out.push(tag);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

fn put_stamp(out: &mut Vec<u8>, tag: u8, secs: i64, nanos: u32) {
    out.push(tag);
    out.extend_from_slice(&secs.to_le_bytes());
    out.extend_from_slice(&nanos.to_le_bytes());
}

/// The tag a key of column type `ty` must carry.
fn tag_of(ty: ColumnType) -> u8 {
    match ty {
        ColumnType::Boolean => T_BOOL,
        ColumnType::SmallInt => T_I16,
        ColumnType::Integer => T_I32,
        ColumnType::BigInt => T_I64,
        ColumnType::Real => T_F32,
        ColumnType::Double => T_F64,
        ColumnType::Text | ColumnType::Varchar(_) | ColumnType::Json => T_TEXT,
        ColumnType::Bytes => T_BYTES,
        ColumnType::Date => T_DATE,
        ColumnType::Time => T_TIME,
        ColumnType::Timestamp => T_STAMP,
        ColumnType::TimestampTz => T_STAMP_UTC,
        ColumnType::Decimal { .. } => T_DECIMAL,
        ColumnType::Uuid => T_UUID,
    }
}

struct Reader<'b> {
    bytes: &'b [u8],
    pos: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8]> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.bytes.len()).ok_or_else(|| invalid("truncated"))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        self.take(N)?.try_into().map_err(|_| invalid("truncated"))
    }

    fn var(&mut self) -> Result<&'b [u8]> {
        let len = u16::from_le_bytes(self.array::<2>()?);
        self.take(usize::from(len))
    }

    fn text(&mut self) -> Result<&'b str> {
        std::str::from_utf8(self.var()?).map_err(|_| invalid("a text key is not UTF-8"))
    }

    fn value(&mut self, ty: ColumnType) -> Result<Value> {
        let tag = self.take(1)?[0];
        if tag != tag_of(ty) {
            return Err(invalid("a key has the wrong type"));
        }
        Ok(match tag {
            T_BOOL => match self.take(1)?[0] {
                0 => Value::Bool(false),
                1 => Value::Bool(true),
                _ => return Err(invalid("a key is malformed")),
            },
            T_I16 => Value::I16(i16::from_le_bytes(self.array()?)),
            T_I32 => Value::I32(i32::from_le_bytes(self.array()?)),
            T_I64 => Value::I64(i64::from_le_bytes(self.array()?)),
            T_F32 => Value::F32(f32::from_le_bytes(self.array()?)),
            T_F64 => Value::F64(f64::from_le_bytes(self.array()?)),
            T_TEXT => Value::String(self.text()?.to_owned()),
            T_BYTES => Value::Bytes(self.var()?.to_vec()),
            T_DATE => Value::Date(self.text()?.parse::<NaiveDate>().map_err(bad)?),
            T_TIME => Value::Time(NaiveTime::parse_from_str(self.text()?, "%H:%M:%S%.f").map_err(bad)?),
            T_STAMP | T_STAMP_UTC => {
                let secs = i64::from_le_bytes(self.array()?);
                let nanos = u32::from_le_bytes(self.array()?);
                let at = DateTime::from_timestamp(secs, nanos).ok_or_else(|| invalid("a key is malformed"))?;
                if tag == T_STAMP { Value::DateTime(at.naive_utc()) } else { Value::DateTimeUtc(at) }
            }
            T_DECIMAL => Value::Decimal(Decimal::from_str_exact(self.text()?).map_err(bad)?),
            _ => Value::Uuid(Uuid::from_bytes(self.array()?)),
        })
    }
}
