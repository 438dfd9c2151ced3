//! Reading `numeric` cells into `Decimal` exactly.
//!
//! rust_decimal's own decoder rounds a value with more significant digits than a `Decimal`
//! holds (about 28) without saying so. Values that fit in 28 digits take that fast path,
//! which is exact for them; longer ones are spelled out in decimal and parsed exactly, as
//! the other drivers read their decimal text: every digit is kept, or it is an error.

use std::error::Error as StdError;
use std::fmt::Write;

use kakaorm_core::__private::decimal_from_text;
use rust_decimal::Decimal;
use tokio_postgres::types::{FromSql, Type};

type BoxError = Box<dyn StdError + Sync + Send>;

/// Digits a `Decimal` always holds exactly (10^28 < 2^96).
const EXACT_DIGITS: i64 = 28;

/// A `numeric` cell decoded without rounding.
pub(crate) struct ExactDecimal(pub(crate) Decimal);

/// The header and base-10000 digits of a binary `numeric`.
struct Numeric<'a> {
    weight: i16,
    negative: bool,
    scale: u16,
    groups: &'a [u8],
}

impl<'a> Numeric<'a> {
    fn parse(raw: &'a [u8]) -> Result<Self, BoxError> {
        let word = |at: usize| raw.get(at..at + 2).and_then(|b| <[u8; 2]>::try_from(b).ok()).ok_or("truncated numeric");
        let count = usize::from(u16::from_be_bytes(word(0)?));
        let groups = raw.get(8..8 + 2 * count).ok_or("truncated numeric")?;
        let sign = u16::from_be_bytes(word(4)?);
        Ok(Numeric {
            weight: i16::from_be_bytes(word(2)?),
            negative: sign == 0x4000,
            scale: u16::from_be_bytes(word(6)?),
            groups,
        })
    }

    /// Group `i` (the one worth 10000^(weight - i)); zero outside the stored ones.
    fn group(&self, i: i64) -> u16 {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.groups.get(2 * i..2 * i + 2))
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .map_or(0, u16::from_be_bytes)
    }

    /// At most how many decimal digits the value has.
    fn digits(&self) -> i64 {
        4 * (i64::from(self.weight) + 1).max(0) + i64::from(self.scale)
    }

    /// The value written out in full, as `-123.4500`.
    fn spelled(&self) -> String {
        let weight = i64::from(self.weight);
        let mut s = String::from(if self.negative { "-" } else { "" });
        if weight < 0 {
            s.push('0');
        }
        for i in 0..=weight {
            let _ = if i == 0 { write!(s, "{}", self.group(i)) } else { write!(s, "{:04}", self.group(i)) };
        }
        let scale = usize::from(self.scale);
        if scale > 0 {
            let mut fraction = String::with_capacity(scale + 4);
            let mut i = weight + 1;
            while fraction.len() < scale {
                let _ = write!(fraction, "{:04}", self.group(i));
                i += 1;
            }
            fraction.truncate(scale);
            s.push('.');
            s.push_str(&fraction);
        }
        s
    }
}

impl<'a> FromSql<'a> for ExactDecimal {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let numeric = Numeric::parse(raw)?;
        if numeric.digits() <= EXACT_DIGITS {
            return Decimal::from_sql(ty, raw).map(ExactDecimal);
        }
        let text = numeric.spelled();
        match decimal_from_text(&text) {
            Some(v) => Ok(ExactDecimal(v)),
            None => Err(format!("{text} does not fit a Decimal without rounding").into()),
        }
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}
