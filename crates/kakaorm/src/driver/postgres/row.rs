//! Reading PostgreSQL rows by index.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use kakaorm_core::__private::decode_f32;
use kakaorm_core::{Error, Result, RowReader};
use rust_decimal::Decimal;
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, Type};
use uuid::Uuid;

use super::numeric::ExactDecimal;

/// A borrowed PostgreSQL row.
pub(crate) struct PgRow<'a> {
    row: &'a Row,
    /// The cell [`is_null`](RowReader::is_null) just located, so the read that follows
    /// does not look it up again (one lookup per nullable cell, as for a plain one).
    last: Option<(usize, Option<&'a [u8]>)>,
}

impl<'a> PgRow<'a> {
    pub(crate) fn new(row: &'a Row) -> Self {
        PgRow { row, last: None }
    }

    fn type_of(&self, idx: usize) -> &'a Type {
        self.row.columns().get(idx).map_or(&Type::UNKNOWN, |c| c.type_())
    }

    fn narrow<T: TryFrom<i64>>(&self, idx: usize, v: i64) -> Result<T> {
        T::try_from(v).map_err(|_| Error::decode(self.column_name(idx), format!("{v} is out of range for the field")))
    }

    fn get<T: FromSql<'a>>(&mut self, idx: usize) -> Result<T> {
        if let Some((at, raw)) = self.last.take()
            && at == idx
        {
            let ty = self.type_of(idx);
            if T::accepts(ty) {
                return T::from_sql_nullable(ty, raw).map_err(|e| self.decode_error(idx, &*e));
            }
        }
        self.row.try_get::<_, T>(idx).map_err(|e| match std::error::Error::source(&e) {
            Some(src) => self.decode_error(idx, src),
            None => Error::decode(self.column_name(idx), e.to_string()),
        })
    }

    fn decode_error(&self, idx: usize, cause: &(dyn std::error::Error + 'static)) -> Error {
        let detail = if cause.is::<tokio_postgres::types::WasNull>() {
            "unexpected NULL in a non-nullable field".to_owned()
        } else {
            cause.to_string()
        };
        Error::decode(self.column_name(idx), detail)
    }
}

/// A cell's raw bytes, or `None` for NULL, whatever the column type.
struct RawCell<'a>(Option<&'a [u8]>);

impl<'a> FromSql<'a> for RawCell<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawCell(Some(raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(RawCell(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A `time` cell. PostgreSQL's times run up to `24:00:00` inclusive, which chrono's
/// addition would wrap to midnight; anything outside one day is refused instead.
struct TimeOfDay(NaiveTime);

impl<'a> FromSql<'a> for TimeOfDay {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let micros = postgres_protocol::types::time_from_sql(raw)?;
        let outside = || format!("{}s past midnight is not a time of day", Decimal::new(micros, 6));
        let secs = u32::try_from(micros.div_euclid(1_000_000)).map_err(|_| outside())?;
        let nanos = u32::try_from(micros.rem_euclid(1_000_000) * 1_000).map_err(|_| outside())?;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos).ok_or_else(outside)?;
        Ok(TimeOfDay(time))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIME
    }
}

macro_rules! getters {
    ($($name:ident -> $t:ty;)*) => {$(
        #[inline]
        fn $name(&mut self, idx: usize) -> Result<$t> {
            self.get::<$t>(idx)
        }
    )*};
}

impl RowReader for PgRow<'_> {
    fn column_name(&self, idx: usize) -> &str {
        self.row.columns().get(idx).map_or("?", |c| c.name())
    }

    fn column_count(&self) -> usize {
        self.row.columns().len()
    }

    #[inline]
    fn is_null(&mut self, idx: usize) -> Result<bool> {
        let cell = self.get::<RawCell<'_>>(idx)?;
        self.last = Some((idx, cell.0));
        Ok(cell.0.is_none())
    }

    fn get_i16(&mut self, idx: usize) -> Result<i16> {
        match *self.type_of(idx) {
            Type::INT4 | Type::INT8 => {
                let v = self.get_i64(idx)?;
                self.narrow(idx, v)
            }
            _ => self.get::<i16>(idx),
        }
    }

    fn get_i32(&mut self, idx: usize) -> Result<i32> {
        match *self.type_of(idx) {
            Type::INT2 => self.get::<i16>(idx).map(i32::from),
            Type::INT8 => {
                let v = self.get::<i64>(idx)?;
                self.narrow(idx, v)
            }
            _ => self.get::<i32>(idx),
        }
    }

    /// Any integer column widens into `i64` (`SELECT 1` is an INT4 on PostgreSQL).
    fn get_i64(&mut self, idx: usize) -> Result<i64> {
        match *self.type_of(idx) {
            Type::INT2 => self.get::<i16>(idx).map(i64::from),
            Type::INT4 => self.get::<i32>(idx).map(i64::from),
            _ => self.get::<i64>(idx),
        }
    }

    /// A `float8` narrows when it is within `f32`'s range.
    fn get_f32(&mut self, idx: usize) -> Result<f32> {
        match *self.type_of(idx) {
            Type::FLOAT8 => {
                let v = self.get::<f64>(idx)?;
                decode_f32(self.column_name(idx), v)
            }
            _ => self.get::<f32>(idx),
        }
    }

    fn get_f64(&mut self, idx: usize) -> Result<f64> {
        match *self.type_of(idx) {
            Type::FLOAT4 => self.get::<f32>(idx).map(f64::from),
            _ => self.get::<f64>(idx),
        }
    }

    fn get_decimal(&mut self, idx: usize) -> Result<Decimal> {
        self.get::<ExactDecimal>(idx).map(|d| d.0)
    }

    fn get_time(&mut self, idx: usize) -> Result<NaiveTime> {
        self.get::<TimeOfDay>(idx).map(|t| t.0)
    }

    getters! {
        get_bool -> bool;
        get_string -> String;
        get_bytes -> Vec<u8>;
        get_date -> NaiveDate;
        get_datetime -> NaiveDateTime;
        get_datetime_utc -> DateTime<Utc>;
        get_uuid -> Uuid;
        get_json -> serde_json::Value;
    }
}
