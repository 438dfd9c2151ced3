//! Decoding rows by column index, straight into Rust values.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

mod columns;
mod values;

pub use columns::DecodeColumns;
pub use values::ValuesRow;

use crate::error::Result;
use crate::value::{TypeKind, Value, ValueRef};

/// One result row of a driver, read by column index.
///
/// Each driver implements this over its native row type, so decoding never builds an
/// intermediate [`Value`] or map. A getter fails with a [`Decode`](crate::ErrorKind::Decode)
/// error naming the column when the stored value has another type, or is NULL (nullable
/// fields ask [`is_null`](RowReader::is_null) first; non-nullable ones read directly, so
/// a NULL there is a decode error rather than an extra check per cell).
#[allow(missing_docs)]
pub trait RowReader {
    /// The name of column `idx`, for error messages and decoding by label.
    fn column_name(&self, idx: usize) -> &str;
    /// The number of columns in the row.
    fn column_count(&self) -> usize;
    /// Whether column `idx` holds NULL.
    fn is_null(&mut self, idx: usize) -> Result<bool>;
    fn get_bool(&mut self, idx: usize) -> Result<bool>;
    fn get_i16(&mut self, idx: usize) -> Result<i16>;
    fn get_i32(&mut self, idx: usize) -> Result<i32>;
    fn get_i64(&mut self, idx: usize) -> Result<i64>;
    fn get_f32(&mut self, idx: usize) -> Result<f32>;
    fn get_f64(&mut self, idx: usize) -> Result<f64>;
    fn get_string(&mut self, idx: usize) -> Result<String>;
    fn get_bytes(&mut self, idx: usize) -> Result<Vec<u8>>;
    fn get_date(&mut self, idx: usize) -> Result<NaiveDate>;
    fn get_time(&mut self, idx: usize) -> Result<NaiveTime>;
    fn get_datetime(&mut self, idx: usize) -> Result<NaiveDateTime>;
    fn get_datetime_utc(&mut self, idx: usize) -> Result<DateTime<Utc>>;
    fn get_decimal(&mut self, idx: usize) -> Result<Decimal>;
    fn get_uuid(&mut self, idx: usize) -> Result<Uuid>;
    fn get_json(&mut self, idx: usize) -> Result<serde_json::Value>;
}

/// A Rust type that can be stored in a column.
///
/// Implemented for `i16`, `i32`, `i64`, `f32`, `f64`, `bool`, `String`, chrono's
/// `NaiveDate`, `NaiveTime`, `NaiveDateTime` and `DateTime<Utc>`, `rust_decimal::Decimal`,
/// `uuid::Uuid`, `serde_json::Value`, `Vec<u8>`, and `Option` of each (a nullable column).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a supported kakaorm column type",
    label = "unsupported column type",
    note = "supported: i16, i32, i64, f32, f64, bool, String, NaiveDate, NaiveTime, NaiveDateTime, DateTime<Utc>, Decimal, Uuid, serde_json::Value, Vec<u8>, and Option<T> of these"
)]
pub trait ColumnValue: Sized + Send + Sync + 'static {
    /// The SQL type family.
    const KIND: TypeKind;
    /// Whether the column allows NULL.
    const NULLABLE: bool = false;
    /// The type without `Option` (what `MIN`/`MAX` return, wrapped in `Option`).
    type Base: ColumnValue + Clone;
    /// Converts into a bound parameter.
    fn into_value(self) -> Value;
    /// Copies into a bound parameter.
    fn to_value(&self) -> Value;
    /// The value, with text and bytes borrowed rather than copied.
    #[inline]
    fn to_value_ref(&self) -> ValueRef<'_> {
        ValueRef::Value(self.to_value())
    }
    /// Reads column `idx` of `row`.
    ///
    /// # Errors
    /// A [`Decode`](crate::ErrorKind::Decode) error when the column holds NULL or a value
    /// of another type.
    fn decode<R: RowReader + ?Sized>(row: &mut R, idx: usize) -> Result<Self>;
}

macro_rules! column_value {
    ($($t:ty => $kind:ident, $getter:ident $(, borrowed as $borrowed:ident)?;)*) => {
        $(impl ColumnValue for $t {
            const KIND: TypeKind = TypeKind::$kind;
            type Base = $t;
            #[inline]
            fn into_value(self) -> Value { Value::from(self) }
            #[inline]
            fn to_value(&self) -> Value { Value::from(self.clone()) }
            $(
                #[inline]
                fn to_value_ref(&self) -> ValueRef<'_> { ValueRef::$borrowed(self) }
            )?
            #[inline]
            fn decode<R: RowReader + ?Sized>(row: &mut R, idx: usize) -> Result<Self> {
                row.$getter(idx)
            }
        })*
    };
}

column_value! {
    bool => Boolean, get_bool;
    i16 => SmallInt, get_i16;
    i32 => Integer, get_i32;
    i64 => BigInt, get_i64;
    f32 => Real, get_f32;
    f64 => Double, get_f64;
    String => Text, get_string, borrowed as Text;
    Vec<u8> => Bytes, get_bytes, borrowed as Bytes;
    NaiveDate => Date, get_date;
    NaiveTime => Time, get_time;
    NaiveDateTime => Timestamp, get_datetime;
    DateTime<Utc> => TimestampTz, get_datetime_utc;
    Decimal => Decimal, get_decimal;
    Uuid => Uuid, get_uuid;
    serde_json::Value => Json, get_json;
}

impl<T: ColumnValue + Clone> ColumnValue for Option<T> {
    const KIND: TypeKind = T::KIND;
    const NULLABLE: bool = true;
    type Base = T::Base;
    #[inline]
    fn into_value(self) -> Value {
        self.map_or(Value::Null, T::into_value)
    }
    #[inline]
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_value)
    }
    #[inline]
    fn to_value_ref(&self) -> ValueRef<'_> {
        self.as_ref().map_or(ValueRef::Value(Value::Null), T::to_value_ref)
    }
    #[inline]
    fn decode<R: RowReader + ?Sized>(row: &mut R, idx: usize) -> Result<Self> {
        if row.is_null(idx)? { Ok(None) } else { T::decode(row, idx).map(Some) }
    }
}

/// A type built from a whole result row.
///
/// Models implement it through the derive. Single values implement it by reading
/// column 0, which is how `count` and similar scalar queries decode.
pub trait FromRow: Sized + Send + 'static {
    /// Decodes one row.
    ///
    /// # Errors
    /// A [`Decode`](crate::ErrorKind::Decode) error naming the column that did not fit.
    fn from_row<R: RowReader + ?Sized>(row: &mut R) -> Result<Self>;
}

/// One value: column 0.
impl<T: ColumnValue> FromRow for T {
    fn from_row<R: RowReader + ?Sized>(row: &mut R) -> Result<Self> {
        T::decode(row, 0)
    }
}

macro_rules! tuple_from_row {
    ($($t:ident $i:tt),+) => {
        /// Several values: columns 0, 1, ... in order.
        impl<$($t: ColumnValue),+> FromRow for ($($t,)+) {
            fn from_row<R: RowReader + ?Sized>(row: &mut R) -> Result<Self> {
                Ok(($($t::decode(row, $i)?,)+))
            }
        }
    };
}
tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5);

/// The index of the column called `label` in `row`: how `#[derive(FromRow)]` structs find
/// their fields.
///
/// # Errors
/// [`Decode`](crate::ErrorKind::Decode) when no column has that name.
pub fn column_index<R: RowReader + ?Sized>(row: &R, label: &str) -> Result<usize> {
    (0..row.column_count()).find(|&i| row.column_name(i) == label).ok_or_else(|| {
        crate::Error::decode(label, "the row has no column of that name (label the selected expression)")
    })
}

impl FromRow for () {
    fn from_row<R: RowReader + ?Sized>(_row: &mut R) -> Result<Self> {
        Ok(())
    }
}

/// A view of a row whose column 0 is column `base` of the underlying row: how the second
/// model of a joined row is decoded.
pub struct OffsetRow<'r, R: ?Sized> {
    row: &'r mut R,
    base: usize,
}

impl<'r, R: RowReader + ?Sized> OffsetRow<'r, R> {
    /// Columns `base..` of `row`.
    pub fn new(row: &'r mut R, base: usize) -> Self {
        OffsetRow { row, base }
    }
}

macro_rules! forward {
    ($($name:ident -> $t:ty;)*) => {$(
        #[inline]
        fn $name(&mut self, idx: usize) -> Result<$t> {
            self.row.$name(self.base + idx)
        }
    )*};
}

impl<R: RowReader + ?Sized> RowReader for OffsetRow<'_, R> {
    fn column_name(&self, idx: usize) -> &str {
        self.row.column_name(self.base + idx)
    }

    fn column_count(&self) -> usize {
        self.row.column_count().saturating_sub(self.base)
    }

    forward! {
        is_null -> bool;
        get_bool -> bool;
        get_i16 -> i16;
        get_i32 -> i32;
        get_i64 -> i64;
        get_f32 -> f32;
        get_f64 -> f64;
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
