//! Reading MySQL rows by index.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use kakaorm_core::__private::{decimal_from_text, decode_f32};
use kakaorm_core::{Error, Result, RowReader};
use mysql_async::{Row, Value as MyValue};
use rust_decimal::Decimal;
use uuid::Uuid;

/// An owned MySQL row; each cell is moved out as it is decoded.
pub(crate) struct MyRow {
    row: Row,
}

impl MyRow {
    pub(crate) fn new(row: Row) -> Self {
        MyRow { row }
    }

    fn take(&mut self, idx: usize) -> Result<MyValue> {
        self.row
            .take::<MyValue, usize>(idx)
            .ok_or_else(|| Error::decode(self.column_name(idx), "column missing from the row"))
    }

    fn mismatch(&self, idx: usize, expected: &str, got: &MyValue) -> Error {
        let found = match got {
            MyValue::NULL => "NULL",
            MyValue::Bytes(_) => "bytes",
            MyValue::Int(_) | MyValue::UInt(_) => "integer",
            MyValue::Float(_) | MyValue::Double(_) => "float",
            MyValue::Date(..) => "date",
            MyValue::Time(..) => "time",
        };
        Error::decode(self.column_name(idx), format!("expected {expected}, found {found}"))
    }

    fn int(&mut self, idx: usize, expected: &str) -> Result<i64> {
        match self.take(idx)? {
            MyValue::Int(v) => Ok(v),
            MyValue::UInt(v) => i64::try_from(v)
                .map_err(|_| Error::decode(self.column_name(idx), format!("{v} does not fit {expected}"))),
            other => Err(self.mismatch(idx, expected, &other)),
        }
    }

    fn narrow<T: TryFrom<i64>>(&mut self, idx: usize, expected: &str) -> Result<T> {
        let v = self.int(idx, expected)?;
        T::try_from(v).map_err(|_| Error::decode(self.column_name(idx), format!("{v} does not fit {expected}")))
    }

    fn bytes(&mut self, idx: usize, expected: &str) -> Result<Vec<u8>> {
        match self.take(idx)? {
            MyValue::Bytes(b) => Ok(b),
            other => Err(self.mismatch(idx, expected, &other)),
        }
    }

    fn text(&mut self, idx: usize, expected: &str) -> Result<String> {
        let b = self.bytes(idx, expected)?;
        String::from_utf8(b).map_err(|e| Error::decode(self.column_name(idx), e))
    }

    fn parsed<T, E: std::fmt::Display>(
        &mut self,
        idx: usize,
        expected: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T> {
        let s = self.text(idx, expected)?;
        parse(&s).map_err(|e| Error::decode(self.column_name(idx), format!("expected {expected}, found {s:?}: {e}")))
    }

    fn datetime(&mut self, idx: usize) -> Result<NaiveDateTime> {
        match self.take(idx)? {
            MyValue::Date(y, mo, d, h, mi, s, us) => NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d))
                .and_then(|date| date.and_hms_micro_opt(u32::from(h), u32::from(mi), u32::from(s), us))
                .ok_or_else(|| Error::decode(self.column_name(idx), "invalid date")),
            other => Err(self.mismatch(idx, "timestamp", &other)),
        }
    }
}

impl RowReader for MyRow {
    fn column_name(&self, idx: usize) -> &str {
        self.row.columns_ref().get(idx).and_then(|c| std::str::from_utf8(c.name_ref()).ok()).unwrap_or("?")
    }

    fn column_count(&self) -> usize {
        self.row.columns_ref().len()
    }

    #[inline]
    fn is_null(&mut self, idx: usize) -> Result<bool> {
        Ok(matches!(self.row.as_ref(idx), Some(MyValue::NULL)))
    }

    integer_getters!();

    fn get_f32(&mut self, idx: usize) -> Result<f32> {
        match self.take(idx)? {
            MyValue::Float(v) => Ok(v),
            MyValue::Double(v) => decode_f32(self.column_name(idx), v),
            other => Err(self.mismatch(idx, "f32", &other)),
        }
    }

    fn get_f64(&mut self, idx: usize) -> Result<f64> {
        match self.take(idx)? {
            MyValue::Double(v) => Ok(v),
            MyValue::Float(v) => Ok(f64::from(v)),
            other => Err(self.mismatch(idx, "f64", &other)),
        }
    }

    #[inline]
    fn get_string(&mut self, idx: usize) -> Result<String> {
        self.text(idx, "text")
    }

    fn get_bytes(&mut self, idx: usize) -> Result<Vec<u8>> {
        self.bytes(idx, "bytes")
    }

    fn get_date(&mut self, idx: usize) -> Result<NaiveDate> {
        self.datetime(idx).map(|d| d.date())
    }

    fn get_time(&mut self, idx: usize) -> Result<NaiveTime> {
        match self.take(idx)? {
            MyValue::Time(false, 0, h, m, s, us) => {
                NaiveTime::from_hms_micro_opt(u32::from(h), u32::from(m), u32::from(s), us)
                    .ok_or_else(|| Error::decode(self.column_name(idx), "invalid time"))
            }
            other => Err(self.mismatch(idx, "time of day", &other)),
        }
    }

    fn get_datetime(&mut self, idx: usize) -> Result<NaiveDateTime> {
        self.datetime(idx)
    }

    fn get_datetime_utc(&mut self, idx: usize) -> Result<DateTime<Utc>> {
        self.datetime(idx).map(|d| d.and_utc())
    }

    fn get_decimal(&mut self, idx: usize) -> Result<Decimal> {
        self.parsed(idx, "decimal", |s| decimal_from_text(s).ok_or("it does not fit a Decimal without rounding"))
    }

    fn get_uuid(&mut self, idx: usize) -> Result<Uuid> {
        let b = self.bytes(idx, "uuid")?;
        match b.len() {
            16 => Uuid::from_slice(&b).map_err(|e| Error::decode(self.column_name(idx), e)),
            _ => std::str::from_utf8(&b)
                .ok()
                .and_then(|s| Uuid::parse_str(s).ok())
                .ok_or_else(|| Error::decode(self.column_name(idx), "expected a uuid")),
        }
    }

    fn get_json(&mut self, idx: usize) -> Result<serde_json::Value> {
        let b = self.bytes(idx, "json")?;
        serde_json::from_slice(&b).map_err(|e| Error::decode(self.column_name(idx), e))
    }
}
