//! What every create builder shares: its slots (one optional value per column), how an
//! unset column is filled at insert, and the row built from both.
//!
//! The derive generates only the typed setters and a table of [`Fill`]s per model; the
//! row, the defaults, `Debug` and `Clone` live here once, which keeps the code the compiler
//! checks per model small.

use std::fmt;
use std::ops::{Deref, DerefMut};

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::literal::FromLiteral;
use crate::model::AutoTimestamp;
use crate::row::ColumnValue;
use crate::schema::{DefaultValue, TableSchema};
use crate::typed::IntoField;
use crate::value::Value;

/// The values set on a create builder: one slot per column, in schema order, each holding
/// the value of a set field (already converted) or nothing.
#[doc(hidden)]
#[derive(Clone)]
pub struct Slots<const N: usize>([Option<Value>; N]);

impl<const N: usize> Default for Slots<N> {
    fn default() -> Self {
        Slots([const { None }; N])
    }
}

impl<const N: usize> Slots<N> {
    /// Sets column `index` to `value`.
    #[inline]
    pub fn set(&mut self, index: usize, value: Value) {
        self.0[index] = Some(value);
    }

    /// Sets column `index`, of field type `T`, to `value` converted: the whole body of a
    /// generated setter, so the compiler checks one call per setter.
    #[inline]
    pub fn put<T: ColumnValue>(&mut self, index: usize, value: impl IntoField<T>) {
        self.0[index] = Some(T::into_value(value.into_field()));
    }
}

impl<const N: usize> Deref for Slots<N> {
    type Target = [Option<Value>];

    fn deref(&self) -> &[Option<Value>] {
        &self.0
    }
}

impl<const N: usize> DerefMut for Slots<N> {
    fn deref_mut(&mut self) -> &mut [Option<Value>] {
        &mut self.0
    }
}

/// How a column whose field was not set is filled at insert.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub enum Fill {
    /// NULL.
    Null,
    /// Left out of the row: the database generates it (an auto-increment key).
    Generated,
    /// The column's `default` literal from the schema, converted for the field type.
    Default(fn(Option<&DefaultValue>) -> Result<Value>),
    /// The insert time (`auto_now`, `auto_now_add`); such a field has no setter.
    Now(fn(DateTime<Utc>) -> Value),
}

/// A literal type of `default = ...`: read back from the schema's [`DefaultValue`].
#[doc(hidden)]
pub trait Literal: Sized + fmt::Display {
    /// The literal, when `default` holds one of this type.
    fn from_default(default: &DefaultValue) -> Option<Self>;
}

macro_rules! literals {
    ($($t:ty => $variant:ident),*) => {$(
        impl Literal for $t {
            fn from_default(default: &DefaultValue) -> Option<Self> {
                match default {
                    DefaultValue::$variant(v) => Some(*v),
                    _ => None,
                }
            }
        }
    )*};
}

literals!(i64 => Int, f64 => Float, bool => Bool, &'static str => Str);

/// [`Fill::Default`] for a field of type `T` whose default is an `L` literal.
///
/// # Errors
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) when the literal does not fit `T`.
#[doc(hidden)]
pub fn default_value<T: ColumnValue + FromLiteral<L>, L: Literal>(default: Option<&DefaultValue>) -> Result<Value> {
    let literal = default
        .and_then(L::from_default)
        .ok_or_else(|| Error::invalid_input(format!("the column has no default {}", std::any::type_name::<L>())))?;
    T::from_literal(literal).map(ColumnValue::into_value)
}

/// [`Fill::Now`] for an `auto_now`/`auto_now_add` field of type `T`.
#[doc(hidden)]
pub fn now_value<T: ColumnValue + AutoTimestamp>(now: DateTime<Utc>) -> Value {
    T::from_now(now).into_value()
}

/// Appends the insert row of `slots` to `values`: set fields, then fills. Returns whether
/// every column is in the row (false when a generated key was left out).
///
/// # Errors
/// As [`Fill::Default`].
#[doc(hidden)]
pub fn write_row(
    schema: &TableSchema,
    fill: &[Fill],
    slots: &mut [Option<Value>],
    now: DateTime<Utc>,
    values: &mut Vec<Value>,
) -> Result<bool> {
    let mut complete = true;
    for ((slot, fill), column) in slots.iter_mut().zip(fill).zip(schema.columns) {
        let value = match (slot.take(), fill) {
            (_, Fill::Now(at)) => at(now),
            (Some(value), _) => value,
            (None, Fill::Null) => Value::Null,
            (None, Fill::Default(from)) => from(column.default.as_ref())?,
            (None, Fill::Generated) => {
                complete = false;
                continue;
            }
        };
        values.push(value);
    }
    Ok(complete)
}

/// The columns whose fields are set, in schema order.
#[doc(hidden)]
pub fn set_columns(schema: &TableSchema, slots: &[Option<Value>]) -> Vec<&'static str> {
    schema.columns.iter().zip(slots).filter(|(_, slot)| slot.is_some()).map(|(c, _)| c.name).collect()
}

/// `Debug` of a create builder named `name`: every settable field, by field name.
///
/// # Errors
/// As the formatter.
#[doc(hidden)]
pub fn debug(f: &mut fmt::Formatter<'_>, name: &str, schema: &TableSchema, slots: &[Option<Value>]) -> fmt::Result {
    let mut out = f.debug_struct(name);
    for (column, slot) in schema.columns.iter().zip(slots) {
        if !(column.auto_now || column.auto_now_add) {
            out.field(column.field, slot);
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ColumnType;
    use crate::schema::ColumnSchema;

    static COLUMNS: [ColumnSchema; 4] = [
        ColumnSchema::new("id", "id", ColumnType::BigInt).primary_key().auto_increment(),
        ColumnSchema::new("age", "age", ColumnType::Integer).default(DefaultValue::Int(7)),
        ColumnSchema::new("at", "at", ColumnType::TimestampTz).auto_now_add(),
        ColumnSchema::new("note", "note", ColumnType::Text).nullable(true),
    ];
    static TABLE: TableSchema = TableSchema::new("t", "T", &COLUMNS, 0, &[]);
    const FILL: [Fill; 4] =
        [Fill::Generated, Fill::Default(default_value::<i32, i64>), Fill::Now(now_value::<DateTime<Utc>>), Fill::Null];

    #[test]
    fn fills_unset_columns_and_leaves_a_generated_key_out() {
        let now = DateTime::<Utc>::from_timestamp(1_700_000_000, 123_456_789).unwrap_or_default();
        let mut slots = Slots::<4>::default();
        let mut values = Vec::new();
        assert!(!write_row(&TABLE, &FILL, &mut slots, now, &mut values).unwrap_or(true));
        let stamp = DateTime::<Utc>::from_timestamp(1_700_000_000, 123_456_000).unwrap_or_default();
        assert_eq!(values, vec![Value::I32(7), Value::DateTimeUtc(stamp), Value::Null]);

        slots.set(0, Value::I64(5));
        slots.set(1, Value::I32(9));
        assert_eq!(set_columns(&TABLE, &slots), vec!["id", "age"]);
        values.clear();
        assert!(write_row(&TABLE, &FILL, &mut slots, now, &mut values).unwrap_or(false));
        assert_eq!(values, vec![Value::I64(5), Value::I32(9), Value::DateTimeUtc(stamp), Value::Null]);
    }

    #[test]
    fn a_default_that_does_not_fit_is_an_error() {
        let big = DefaultValue::Int(i64::MAX);
        assert!(default_value::<i32, i64>(Some(&big)).is_err());
        assert!(default_value::<String, &'static str>(Some(&big)).is_err());
    }

    #[test]
    fn debug_names_the_settable_fields() {
        let mut slots = Slots::<4>::default();
        slots.set(3, Value::String("x".to_owned()));
        let shown = format!("{:?}", Shown(&slots));
        assert_eq!(shown, r#"TCreate { id: None, age: None, note: Some(String("x")) }"#);
    }

    struct Shown<'a>(&'a [Option<Value>]);

    impl fmt::Debug for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            debug(f, "TCreate", &TABLE, self.0)
        }
    }
}
