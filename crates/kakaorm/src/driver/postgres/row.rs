//! Reading PostgreSQL rows by index.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use kakaorm_core::{Error, Result, RowReader};
use rust_decimal::Decimal;
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, Type};
use uuid::Uuid;

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

    fn get_f64(&mut self, idx: usize) -> Result<f64> {
        match *self.type_of(idx) {
            Type::FLOAT4 => self.get::<f32>(idx).map(f64::from),
            _ => self.get::<f64>(idx),
        }
    }

    getters! {
        get_bool -> bool;
        get_f32 -> f32;
        get_string -> String;
        get_bytes -> Vec<u8>;
        get_date -> NaiveDate;
        get_time -> NaiveTime;
        get_datetime -> NaiveDateTime;
        get_datetime_utc -> DateTime<Utc>;
        get_decimal -> Decimal;
        get_uuid -> Uuid;
        get_json -> serde_json::Value;
    }
}
