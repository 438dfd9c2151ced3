//! Checked conversions between number types: a number that does not fit is `None`, never
//! a wrapped, saturated or infinite one. Used for literals and by the drivers' decoders.

use rust_decimal::Decimal;

use crate::error::{Error, Result};

/// `v` as an `f32`, rounded to the nearest one as a REAL column stores it; `None` when a
/// finite `v` is beyond `f32`'s range (NaN and infinities carry over).
///
/// ```
/// use kakaorm_core::__private::f64_to_f32;
/// assert_eq!(f64_to_f32(0.5), Some(0.5));
/// assert_eq!(f64_to_f32(1e300), None);
/// assert_eq!(f64_to_f32(f64::NEG_INFINITY), Some(f32::NEG_INFINITY));
/// ```
pub fn f64_to_f32(v: f64) -> Option<f32> {
    #[allow(clippy::cast_possible_truncation)] // rounds; overflow to infinity is refused below
    let narrow = v as f32;
    (narrow.is_finite() || !v.is_finite()).then_some(narrow)
}

/// A float cell of column `column` read into an `f32` field.
///
/// # Errors
/// [`Decode`](crate::ErrorKind::Decode) when `v` is beyond `f32`'s range.
pub fn decode_f32(column: &str, v: f64) -> Result<f32> {
    f64_to_f32(v).ok_or_else(|| Error::decode(column, format!("{v} does not fit f32")))
}

/// `v` as an `f64` when that is exact (always within ±2^53); `None` otherwise.
///
/// ```
/// use kakaorm_core::__private::i64_to_f64;
/// assert_eq!(i64_to_f64(1 << 60), Some(2f64.powi(60)));
/// assert_eq!(i64_to_f64((1 << 53) + 1), None);
/// assert_eq!(i64_to_f64(i64::MAX), None);
/// ```
pub fn i64_to_f64(v: i64) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)] // compared with `v` below
    let wide = v as f64;
    // Every f64 made from an i64 lies within ±2^63, which an i128 holds exactly.
    #[allow(clippy::cast_possible_truncation)]
    let back = wide as i128;
    (back == i128::from(v)).then_some(wide)
}

/// `v` as an `f32` when that is exact (always within ±2^24); `None` otherwise.
pub fn i64_to_f32(v: i64) -> Option<f32> {
    let wide = i64_to_f64(v)?;
    f64_to_f32(wide).filter(|narrow| f64::from(*narrow) == wide)
}

/// A decimal written out in full (`-123.4500`), read without rounding: the fraction's
/// trailing zeros are dropped only when a `Decimal` cannot hold them all. `None` when any
/// other digit would be lost.
///
/// ```
/// use kakaorm_core::__private::decimal_from_text;
/// assert_eq!(decimal_from_text("1.50").map(|d| d.to_string()).as_deref(), Some("1.50"));
/// let long = "1234567890123456789.012345678900";
/// assert_eq!(decimal_from_text(long).map(|d| d.to_string()).as_deref(), Some("1234567890123456789.0123456789"));
/// assert_eq!(decimal_from_text("9999999999999999999999999999.000000000001"), None);
/// ```
pub fn decimal_from_text(text: &str) -> Option<Decimal> {
    if let Ok(exact) = Decimal::from_str_exact(text) {
        return Some(exact);
    }
    let trimmed = text.contains('.').then(|| text.trim_end_matches('0').trim_end_matches('.'))?;
    Decimal::from_str_exact(trimmed).ok()
}
