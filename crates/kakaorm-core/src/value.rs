//! Bound parameter values and column types.

mod borrowed;
mod check;
pub(crate) mod convert;

pub use borrowed::ValueRef;
pub use check::MAX_JSON_DEPTH;
pub(crate) use check::{Limits, ymd};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

/// A value bound as a statement parameter.
///
/// Values only travel from Rust to the database. Rows coming back are decoded straight
/// into model fields and never pass through `Value`.
///
/// ```
/// use kakaorm_core::Value;
/// assert_eq!(Value::from(42_i32), Value::I32(42));
/// assert_eq!(Value::from(None::<i64>), Value::Null);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A boolean.
    Bool(bool),
    /// A 16-bit integer.
    I16(i16),
    /// A 32-bit integer.
    I32(i32),
    /// A 64-bit integer.
    I64(i64),
    /// A 32-bit float.
    F32(f32),
    /// A 64-bit float.
    F64(f64),
    /// Text.
    String(String),
    /// Binary data.
    Bytes(Vec<u8>),
    /// A calendar date.
    Date(NaiveDate),
    /// A time of day.
    Time(NaiveTime),
    /// A timestamp without time zone.
    DateTime(NaiveDateTime),
    /// A timestamp in UTC.
    DateTimeUtc(DateTime<Utc>),
    /// An exact decimal.
    Decimal(Decimal),
    /// A UUID.
    Uuid(Uuid),
    /// A JSON document, nested at most [`MAX_JSON_DEPTH`] levels (fewer on MySQL and
    /// MariaDB, see [`Dialect::max_json_depth`](crate::Dialect::max_json_depth)).
    Json(serde_json::Value),
    /// A whole column of values as one array parameter (PostgreSQL's `UNNEST` bulk
    /// insert); refused by dialects without array parameters.
    Array(Vec<Value>),
}

impl Value {
    /// Whether this is SQL NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as JSON, exactly as serde serializes the Rust type it came from: numbers
    /// and booleans as themselves, decimals, UUIDs, dates and times as strings (RFC 3339
    /// for timestamps), bytes as an array of numbers, and a non-finite float as `null`.
    ///
    /// ```
    /// use kakaorm_core::Value;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Value::from(Decimal::new(1050, 2)).to_json(), serde_json::json!("10.50"));
    /// assert_eq!(Value::from(Some(7_i32)).to_json(), serde_json::json!(7));
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        fn serde<T: serde::Serialize>(v: &T) -> J {
            // Infallible for these types: none has a map with non-string keys.
            serde_json::to_value(v).unwrap_or(J::Null)
        }
        match self {
            Value::Null => J::Null,
            Value::Bool(v) => J::Bool(*v),
            Value::I16(v) => J::from(*v),
            Value::I32(v) => J::from(*v),
            Value::I64(v) => J::from(*v),
            Value::F32(v) => serde(v),
            Value::F64(v) => serde(v),
            Value::String(v) => J::String(v.clone()),
            Value::Bytes(v) => serde(v),
            Value::Date(v) => serde(v),
            Value::Time(v) => serde(v),
            Value::DateTime(v) => serde(v),
            Value::DateTimeUtc(v) => serde(v),
            Value::Decimal(v) => serde(v),
            Value::Uuid(v) => serde(v),
            Value::Json(v) => v.clone(),
            Value::Array(items) => J::Array(items.iter().map(Value::to_json).collect()),
        }
    }

    /// The value as an `i64` when it is an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::I16(v) => Some(v.into()),
            Value::I32(v) => Some(v.into()),
            Value::I64(v) => Some(v),
            _ => None,
        }
    }
}

macro_rules! value_from {
    ($($t:ty => $variant:ident),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(v: $t) -> Self { Value::$variant(v) }
        })*
    };
}

value_from! {
    bool => Bool, i16 => I16, i32 => I32, i64 => I64, f32 => F32, f64 => F64,
    String => String, Vec<u8> => Bytes, NaiveDate => Date, NaiveTime => Time,
    NaiveDateTime => DateTime, DateTime<Utc> => DateTimeUtc, Decimal => Decimal,
    Uuid => Uuid, serde_json::Value => Json,
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// The family of a Rust column type, before options such as `max_length` refine it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// `i16`.
    SmallInt,
    /// `i32`.
    Integer,
    /// `i64`.
    BigInt,
    /// `f32`.
    Real,
    /// `f64`.
    Double,
    /// `bool`.
    Boolean,
    /// `String`.
    Text,
    /// `chrono::NaiveDate`.
    Date,
    /// `chrono::NaiveTime`.
    Time,
    /// `chrono::NaiveDateTime`.
    Timestamp,
    /// `chrono::DateTime<Utc>`.
    TimestampTz,
    /// `rust_decimal::Decimal`.
    Decimal,
    /// `uuid::Uuid`.
    Uuid,
    /// `serde_json::Value`.
    Json,
    /// `Vec<u8>`.
    Bytes,
}

impl TypeKind {
    /// Whether the kind is an integer type.
    pub const fn is_integer(self) -> bool {
        matches!(self, TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt)
    }

    /// Whether the kind is a number (integer, float or decimal).
    pub const fn is_numeric(self) -> bool {
        self.is_integer() || matches!(self, TypeKind::Real | TypeKind::Double | TypeKind::Decimal)
    }

    /// Whether `auto_now`/`auto_now_add` may be used with this kind.
    pub const fn is_timestamp(self) -> bool {
        matches!(self, TypeKind::Timestamp | TypeKind::TimestampTz | TypeKind::Date)
    }
}

/// The SQL type of a column, rendered per dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// 16-bit integer.
    SmallInt,
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    BigInt,
    /// 32-bit float.
    Real,
    /// 64-bit float.
    Double,
    /// Boolean.
    Boolean,
    /// Unbounded text.
    Text,
    /// Text of at most `n` characters.
    Varchar(u32),
    /// Date.
    Date,
    /// Time of day, microsecond precision.
    Time,
    /// Timestamp without time zone, microsecond precision.
    Timestamp,
    /// Timestamp in UTC, microsecond precision.
    TimestampTz,
    /// Exact decimal with `precision` digits, `scale` of them after the point.
    Decimal {
        /// Total digits.
        precision: u8,
        /// Digits after the point.
        scale: u8,
    },
    /// UUID.
    Uuid,
    /// JSON document.
    Json,
    /// Binary data.
    Bytes,
}

/// Decimal precision used when a decimal column sets none (rust_decimal holds 28 digits).
pub const DEFAULT_DECIMAL_PRECISION: u8 = 28;
/// Decimal scale used when a decimal column sets none.
pub const DEFAULT_DECIMAL_SCALE: u8 = 10;

impl ColumnType {
    /// Resolves a kind and its options into the column type. Used by the derive in a
    /// `const` context.
    pub const fn resolve(kind: TypeKind, max_length: Option<u32>, digits: Option<(u8, u8)>) -> Self {
        match kind {
            TypeKind::SmallInt => ColumnType::SmallInt,
            TypeKind::Integer => ColumnType::Integer,
            TypeKind::BigInt => ColumnType::BigInt,
            TypeKind::Real => ColumnType::Real,
            TypeKind::Double => ColumnType::Double,
            TypeKind::Boolean => ColumnType::Boolean,
            TypeKind::Text => match max_length {
                Some(n) => ColumnType::Varchar(n),
                None => ColumnType::Text,
            },
            TypeKind::Date => ColumnType::Date,
            TypeKind::Time => ColumnType::Time,
            TypeKind::Timestamp => ColumnType::Timestamp,
            TypeKind::TimestampTz => ColumnType::TimestampTz,
            TypeKind::Decimal => match digits {
                Some((precision, scale)) => ColumnType::Decimal { precision, scale },
                None => ColumnType::Decimal { precision: DEFAULT_DECIMAL_PRECISION, scale: DEFAULT_DECIMAL_SCALE },
            },
            TypeKind::Uuid => ColumnType::Uuid,
            TypeKind::Json => ColumnType::Json,
            TypeKind::Bytes => ColumnType::Bytes,
        }
    }
}
