//! A row made of bound values: how a model is built from the row a create builder
//! produced, so that custom validators and hooks see a model before it is inserted.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::RowReader;
use crate::error::{Error, Result};
use crate::schema::TableSchema;
use crate::value::Value;

/// The values of one row in schema order, each taken out as it is read.
pub struct ValuesRow {
    table: &'static TableSchema,
    values: Vec<Value>,
}

impl ValuesRow {
    /// A row of `table` with `values` in schema order.
    pub fn new(table: &'static TableSchema, values: Vec<Value>) -> Self {
        ValuesRow { table, values }
    }

    fn take(&mut self, idx: usize) -> Value {
        self.values.get_mut(idx).map_or(Value::Null, |v| std::mem::replace(v, Value::Null))
    }

    fn mismatch(&self, idx: usize, what: &str) -> Error {
        Error::decode(self.column_name(idx), format_args!("expected {what}"))
    }
}

macro_rules! getters {
    ($($name:ident -> $t:ty: $($pat:pat => $out:expr),+;)*) => {$(
        fn $name(&mut self, idx: usize) -> Result<$t> {
            let out: Option<$t> = match self.take(idx) {
                $($pat => $out,)+
                _ => None,
            };
            out.ok_or_else(|| self.mismatch(idx, stringify!($t)))
        }
    )*};
}

impl RowReader for ValuesRow {
    fn column_name(&self, idx: usize) -> &str {
        self.table.columns.get(idx).map_or("?", |c| c.name)
    }

    fn column_count(&self) -> usize {
        self.values.len()
    }

    fn is_null(&mut self, idx: usize) -> Result<bool> {
        Ok(self.values.get(idx).is_none_or(Value::is_null))
    }

    getters! {
        get_bool -> bool: Value::Bool(b) => Some(b);
        get_i16 -> i16: Value::I16(i) => Some(i), Value::I32(i) => i16::try_from(i).ok(),
            Value::I64(i) => i16::try_from(i).ok();
        get_i32 -> i32: Value::I32(i) => Some(i), Value::I16(i) => Some(i32::from(i)),
            Value::I64(i) => i32::try_from(i).ok();
        get_i64 -> i64: Value::I64(i) => Some(i), Value::I32(i) => Some(i64::from(i)),
            Value::I16(i) => Some(i64::from(i));
        get_f32 -> f32: Value::F32(f) => Some(f);
        get_f64 -> f64: Value::F64(f) => Some(f), Value::F32(f) => Some(f64::from(f));
        get_string -> String: Value::String(s) => Some(s);
        get_bytes -> Vec<u8>: Value::Bytes(b) => Some(b);
        get_date -> NaiveDate: Value::Date(d) => Some(d);
        get_time -> NaiveTime: Value::Time(t) => Some(t);
        get_datetime -> NaiveDateTime: Value::DateTime(t) => Some(t);
        get_datetime_utc -> DateTime<Utc>: Value::DateTimeUtc(t) => Some(t);
        get_decimal -> Decimal: Value::Decimal(d) => Some(d);
        get_uuid -> Uuid: Value::Uuid(u) => Some(u);
        get_json -> serde_json::Value: Value::Json(j) => Some(j);
    }
}
