//! Conversion of `default = <literal>` attribute values into field values.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::value::convert::{f64_to_f32, i64_to_f32, i64_to_f64};

/// Builds a field value from a literal written in `#[kakaorm(default = ...)]`.
///
/// Integer literals convert to every numeric type (range-checked), float literals to
/// floats and decimals, and string literals are parsed for decimals, UUIDs, dates, times
/// and JSON.
///
/// ```
/// use kakaorm_core::FromLiteral;
/// assert_eq!(<i16 as FromLiteral<i64>>::from_literal(7).unwrap(), 7);
/// assert!(<i16 as FromLiteral<i64>>::from_literal(70_000).is_err());
/// assert!(<f32 as FromLiteral<f64>>::from_literal(1e300).is_err());
/// assert!(<f64 as FromLiteral<i64>>::from_literal(i64::MAX).is_err());
/// assert!(<f32 as FromLiteral<i64>>::from_literal(16_777_217).is_err());
/// assert_eq!(<f32 as FromLiteral<i64>>::from_literal(16_777_216).unwrap(), 16_777_216.0);
/// ```
#[diagnostic::on_unimplemented(
    message = "`default = ...` cannot turn a `{L}` literal into a `{Self}` field",
    label = "this default does not fit the field's type"
)]
pub trait FromLiteral<L>: Sized {
    /// Converts the literal.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when the literal does not fit.
    fn from_literal(lit: L) -> Result<Self>;
}

fn bad_literal(lit: impl std::fmt::Display, ty: &str) -> Error {
    Error::invalid_input(format!("default literal `{lit}` is not a valid {ty}"))
}

macro_rules! int_literal {
    ($($t:ty),*) => {$(
        impl FromLiteral<i64> for $t {
            fn from_literal(lit: i64) -> Result<Self> {
                <$t>::try_from(lit).map_err(|_| bad_literal(lit, stringify!($t)))
            }
        }
    )*};
}
int_literal!(i16, i32, i64);

impl FromLiteral<i64> for f32 {
    fn from_literal(lit: i64) -> Result<Self> {
        i64_to_f32(lit).ok_or_else(|| bad_literal(lit, "f32 (it would be rounded)"))
    }
}

impl FromLiteral<i64> for f64 {
    fn from_literal(lit: i64) -> Result<Self> {
        i64_to_f64(lit).ok_or_else(|| bad_literal(lit, "f64 (it would be rounded)"))
    }
}

impl FromLiteral<i64> for Decimal {
    fn from_literal(lit: i64) -> Result<Self> {
        Ok(Decimal::from(lit))
    }
}

impl FromLiteral<f64> for f32 {
    fn from_literal(lit: f64) -> Result<Self> {
        f64_to_f32(lit).ok_or_else(|| bad_literal(lit, "f32 (it is out of range)"))
    }
}

impl FromLiteral<f64> for f64 {
    fn from_literal(lit: f64) -> Result<Self> {
        Ok(lit)
    }
}

impl FromLiteral<f64> for Decimal {
    fn from_literal(lit: f64) -> Result<Self> {
        Decimal::try_from(lit).map_err(|_| bad_literal(lit, "decimal"))
    }
}

impl FromLiteral<bool> for bool {
    fn from_literal(lit: bool) -> Result<Self> {
        Ok(lit)
    }
}

impl FromLiteral<&'static str> for String {
    fn from_literal(lit: &'static str) -> Result<Self> {
        Ok(lit.to_owned())
    }
}

macro_rules! parsed_literal {
    ($($t:ty => $parse:expr, $name:literal;)*) => {$(
        impl FromLiteral<&'static str> for $t {
            fn from_literal(lit: &'static str) -> Result<Self> {
                let parse: fn(&str) -> Option<$t> = $parse;
                parse(lit).ok_or_else(|| bad_literal(lit, $name))
            }
        }
    )*};
}

parsed_literal! {
    Decimal => |s| Decimal::from_str_exact(s).ok(), "decimal";
    Uuid => |s| Uuid::parse_str(s).ok(), "uuid";
    NaiveDate => |s| NaiveDate::from_str(s).ok(), "date (YYYY-MM-DD)";
    NaiveTime => |s| NaiveTime::from_str(s).ok(), "time (HH:MM:SS)";
    NaiveDateTime => |s| NaiveDateTime::from_str(s).ok(), "timestamp (YYYY-MM-DDTHH:MM:SS)";
    DateTime<Utc> => |s| DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc)), "RFC 3339 timestamp";
    serde_json::Value => |s| serde_json::from_str(s).ok(), "JSON document";
}

impl<L, T: FromLiteral<L>> FromLiteral<L> for Option<T> {
    fn from_literal(lit: L) -> Result<Self> {
        T::from_literal(lit).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_string_literals() {
        let d = <Decimal as FromLiteral<&str>>::from_literal("1.50").unwrap();
        assert_eq!(d.to_string(), "1.50");
        assert!(<Uuid as FromLiteral<&str>>::from_literal("nope").is_err());
        let o = <Option<i32> as FromLiteral<i64>>::from_literal(3).unwrap();
        assert_eq!(o, Some(3));
    }
}
