//! Reading PostgreSQL rows by index.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use kakaorm_core::__private::decode_f32;
use kakaorm_core::{Error, Result, RowReader};
use rust_decimal::Decimal;
use tokio_postgres::types::{FromSql, Type, WrongType};
use tokio_postgres::{Column, Row};
use uuid::Uuid;

use super::numeric::ExactDecimal;

/// A borrowed PostgreSQL row.
///
/// Each cell is located once (its type and raw bytes), then decoded straight from those
/// bytes: the common column types by a match on the type, everything else (and every
/// error) through the type's `FromSql`, whose messages are the ones users see.
pub(crate) struct PgRow<'a> {
    row: &'a Row,
    columns: &'a [Column],
    /// The cell [`is_null`](RowReader::is_null) just located, so the read that follows
    /// does not look it up again (one lookup per nullable cell, as for a plain one).
    last: Option<(usize, Option<&'a [u8]>)>,
}

/// A located cell: its column's type and its raw bytes (`None` for NULL).
type Cell<'a> = (&'a Type, Option<&'a [u8]>);

impl<'a> PgRow<'a> {
    pub(crate) fn new(row: &'a Row) -> Self {
        PgRow { row, columns: row.columns(), last: None }
    }

    fn narrow<T: TryFrom<i64>>(&self, idx: usize, v: i64) -> Result<T> {
        T::try_from(v).map_err(|_| Error::decode(self.column_name(idx), format!("{v} is out of range for the field")))
    }

    /// Locates cell `idx`, once: the cell [`is_null`](RowReader::is_null) just located
    /// is taken as is.
    #[inline(always)]
    fn cell(&mut self, idx: usize) -> Result<Cell<'a>> {
        let raw = match self.last.take() {
            Some((at, raw)) if at == idx => raw,
            _ => match self.row.try_get::<_, RawCell<'a>>(idx) {
                Ok(cell) => cell.0,
                Err(e) => return Err(self.no_cell(idx, &e)),
            },
        };
        // `try_get` checked `idx` against the columns.
        Ok((self.columns[idx].type_(), raw))
    }

    #[cold]
    #[inline(never)]
    fn no_cell(&self, idx: usize, e: &tokio_postgres::Error) -> Error {
        Error::decode(self.column_name(idx), e)
    }

    /// Decodes `cell` through `T`'s `FromSql`, type check included.
    fn decode<T: FromSql<'a>>(&self, idx: usize, (ty, raw): Cell<'a>) -> Result<T> {
        if !T::accepts(ty) {
            return Err(self.decode_error(idx, &WrongType::new::<T>(ty.clone())));
        }
        T::from_sql_nullable(ty, raw).map_err(|e| self.decode_error(idx, &*e))
    }

    /// An integer cell of any width, as `i64`.
    #[inline]
    fn wide_int(&self, idx: usize, cell: Cell<'a>) -> Result<i64> {
        match *cell.0 {
            Type::INT2 => self.decode::<i16>(idx, cell).map(i64::from),
            Type::INT4 => self.decode::<i32>(idx, cell).map(i64::from),
            _ => self.decode::<i64>(idx, cell),
        }
    }

    #[inline]
    fn get<T: FromSql<'a>>(&mut self, idx: usize) -> Result<T> {
        let cell = self.cell(idx)?;
        self.decode(idx, cell)
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
        let (_, raw) = self.cell(idx)?;
        self.last = Some((idx, raw));
        Ok(raw.is_none())
    }

    fn get_i16(&mut self, idx: usize) -> Result<i16> {
        let cell = self.cell(idx)?;
        match *cell.0 {
            Type::INT4 | Type::INT8 => {
                let v = self.wide_int(idx, cell)?;
                self.narrow(idx, v)
            }
            _ => self.decode::<i16>(idx, cell),
        }
    }

    fn get_i32(&mut self, idx: usize) -> Result<i32> {
        let cell = self.cell(idx)?;
        match *cell.0 {
            Type::INT2 => self.decode::<i16>(idx, cell).map(i32::from),
            Type::INT8 => {
                let v = self.decode::<i64>(idx, cell)?;
                self.narrow(idx, v)
            }
            _ => self.decode::<i32>(idx, cell),
        }
    }

    /// Any integer column widens into `i64` (`SELECT 1` is an INT4 on PostgreSQL).
    #[inline]
    fn get_i64(&mut self, idx: usize) -> Result<i64> {
        let cell = self.cell(idx)?;
        self.wide_int(idx, cell)
    }

    /// A `float8` narrows when it is within `f32`'s range.
    fn get_f32(&mut self, idx: usize) -> Result<f32> {
        let cell = self.cell(idx)?;
        match *cell.0 {
            Type::FLOAT8 => {
                let v = self.decode::<f64>(idx, cell)?;
                decode_f32(self.column_name(idx), v)
            }
            _ => self.decode::<f32>(idx, cell),
        }
    }

    fn get_f64(&mut self, idx: usize) -> Result<f64> {
        let cell = self.cell(idx)?;
        match *cell.0 {
            Type::FLOAT4 => self.decode::<f32>(idx, cell).map(f64::from),
            _ => self.decode::<f64>(idx, cell),
        }
    }

    /// The built-in text types are UTF-8 on the wire and need no look at the type's name
    /// (which `FromSql` for `String` takes three times per cell, for extension types).
    #[inline]
    fn get_string(&mut self, idx: usize) -> Result<String> {
        let cell = self.cell(idx)?;
        match cell {
            (&(Type::VARCHAR | Type::TEXT | Type::BPCHAR | Type::NAME | Type::UNKNOWN), Some(raw)) => {
                postgres_protocol::types::text_from_sql(raw).map(str::to_owned).map_err(|e| self.decode_error(idx, &*e))
            }
            _ => self.decode::<String>(idx, cell),
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
        get_bytes -> Vec<u8>;
        get_date -> NaiveDate;
        get_datetime -> NaiveDateTime;
        get_datetime_utc -> DateTime<Utc>;
        get_uuid -> Uuid;
        get_json -> serde_json::Value;
    }
}
