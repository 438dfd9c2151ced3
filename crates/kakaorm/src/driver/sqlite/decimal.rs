//! Decimals on SQLite: exact text, compared as numbers by a collation.
//!
//! Decimal columns are TEXT columns declared `COLLATE kakaorm_decimal`; each connection
//! registers that collation. Text stores every digit a `Decimal` holds (a REAL keeps only
//! 15), and the collation makes `=`, `<`, ORDER BY, indexes, unique and CHECK constraints
//! numeric. SQLite computes `sum` and `avg` over such text as REALs.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// Orders decimal text by value (`9.75` < `10.00`, `1.0` = `1.00`). Text that is not a
/// decimal (written by other tools) sorts after every decimal, byte-wise, so the order stays
/// total.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

fn parse(s: &str) -> Option<Decimal> {
    Decimal::from_str_exact(s).or_else(|_| Decimal::from_scientific(s)).ok()
}

/// A REAL computed by SQLite (a `sum` or `avg` of decimals) read as a decimal, at the 15
/// significant digits a REAL holds exactly, so `0.1 + 0.2` reads as `0.3`.
pub(crate) fn from_real(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    Decimal::from_scientific(&format!("{v:.14e}")).ok().map(|d| d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_value() {
        let mut v = vec!["10.00", "5.00", "9.75", "-1.5", "-10", "0.00", "abc", "1e3"];
        v.sort_by(|a, b| compare(a, b));
        assert_eq!(v, ["-10", "-1.5", "0.00", "5.00", "9.75", "10.00", "1e3", "abc"]);
        assert_eq!(compare("1.0", "1.00"), Ordering::Equal);
        assert_eq!(compare("-0.00", "0"), Ordering::Equal);
    }

    #[test]
    fn reals_read_at_fifteen_digits() {
        assert_eq!(from_real(0.1 + 0.2).map(|d| d.to_string()).as_deref(), Some("0.3"));
        assert_eq!(from_real(24.75).map(|d| d.to_string()).as_deref(), Some("24.75"));
        assert_eq!(from_real(-1e20).map(|d| d.to_string()).as_deref(), Some("-100000000000000000000"));
        assert_eq!(from_real(f64::NAN), None);
    }
}
