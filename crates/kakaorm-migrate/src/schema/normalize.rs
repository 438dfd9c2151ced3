//! Comparisons of schema parts after normalising them for one dialect.
//!
//! - types compare by the name and collation the dialect renders them with (SQLite's
//!   INTEGER is every integer type, MySQL's DATETIME(6) both timestamp types);
//! - defaults compare by value: numbers numerically, booleans as booleans (MySQL's `1`),
//!   text after the cast PostgreSQL appends, and every spelling of "now" as one;
//! - column names compare without case on MySQL, whose columns are case-insensitive;
//! - constraints compare by what they do, not by name (databases name inline ones
//!   themselves); checks by name and by their text without quotes, parentheses, spaces
//!   or case, since every backend reprints them.

use std::str::FromStr;

use kakaorm_core::{Backend, ColumnType, Dialect};
use rust_decimal::Decimal;

use super::{Check, Column, ColumnDefault, ForeignKey};

/// Whether two column names denote the same column.
pub fn same_name(a: &str, b: &str, d: &dyn Dialect) -> bool {
    if d.backend() == Backend::Mysql { a.eq_ignore_ascii_case(b) } else { a == b }
}

/// Whether two column lists are the same, in order.
pub fn same_names(a: &[String], b: &[String], d: &dyn Dialect) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_name(x, y, d))
}

/// Whether two types are stored alike.
pub fn same_type(a: ColumnType, b: ColumnType, d: &dyn Dialect) -> bool {
    d.type_name(a) == d.type_name(b) && d.column_collation(a) == d.column_collation(b)
}

/// Whether two columns (of the same name) have the same type, nullability and default.
pub fn same_column(a: &Column, b: &Column, d: &dyn Dialect) -> bool {
    (a.auto_increment && b.auto_increment)
        || (same_type(a.ty, b.ty, d)
            && a.nullable == b.nullable
            && a.auto_increment == b.auto_increment
            && same_default(a.default.as_ref(), b.default.as_ref(), b.ty))
}

/// Whether two defaults are the same value for a column of type `ty`.
pub fn same_default(a: Option<&ColumnDefault>, b: Option<&ColumnDefault>, ty: ColumnType) -> bool {
    a.map(|v| canonical(v, ty)) == b.map(|v| canonical(v, ty))
}

/// One spelling per default value.
fn canonical(v: &ColumnDefault, ty: ColumnType) -> String {
    let text = match v {
        ColumnDefault::Int(i) => i.to_string(),
        ColumnDefault::Float(f) => format!("{f:?}"),
        ColumnDefault::Bool(b) => b.to_string(),
        ColumnDefault::Str(s) => s.clone(),
        ColumnDefault::CurrentTimestamp => return "now()".into(),
        ColumnDefault::Expr(e) => {
            let e = squeeze(e);
            return if is_now(&e) { "now()".into() } else { format!("expr:{e}") };
        }
        other => format!("{other:?}"),
    };
    match ty {
        ColumnType::Boolean => match text.to_ascii_lowercase().as_str() {
            "1" | "true" | "t" => "true".into(),
            "0" | "false" | "f" => "false".into(),
            other => other.to_owned(),
        },
        ColumnType::SmallInt
        | ColumnType::Integer
        | ColumnType::BigInt
        | ColumnType::Real
        | ColumnType::Double
        | ColumnType::Decimal { .. } => number(&text).unwrap_or(text),
        ColumnType::Timestamp | ColumnType::TimestampTz | ColumnType::Time => {
            text.replacen('T', " ", 1).trim_end_matches("+00:00").trim_end_matches('Z').to_owned()
        }
        _ => text,
    }
}

fn number(text: &str) -> Option<String> {
    let d = Decimal::from_str(text).or_else(|_| Decimal::from_scientific(text)).ok()?;
    Some(d.normalize().to_string())
}

/// Every spelling of "the current time" a backend reports.
fn is_now(squeezed: &str) -> bool {
    squeezed.starts_with("current_timestamp")
        || squeezed.starts_with("now")
        || squeezed.starts_with("current_date")
        || squeezed.starts_with("curdate")
        || squeezed.starts_with("strftime")
        || squeezed.starts_with("localtimestamp")
}

/// Text without quotes, parentheses, whitespace, case or PostgreSQL's `::type` casts.
pub fn squeeze(sql: &str) -> String {
    let flat: String = sql
        .chars()
        .filter(|c| !matches!(c, '"' | '`' | '(' | ')') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let mut out = String::with_capacity(flat.len());
    let mut rest = flat.as_str();
    while let Some(i) = rest.find("::") {
        out.push_str(&rest[..i]);
        rest = rest[i + 2..].trim_start_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | ']'));
    }
    out.push_str(rest);
    out
}

/// Whether two checks are the same constraint.
pub fn same_check(a: &Check, b: &Check) -> bool {
    a.name == b.name && squeeze(&a.expr) == squeeze(&b.expr)
}

/// Whether two foreign keys are the same reference with the same actions (names aside).
pub fn same_foreign_key(a: &ForeignKey, b: &ForeignKey, d: &dyn Dialect) -> bool {
    same_names(&a.columns, &b.columns, d)
        && a.ref_table == b.ref_table
        && same_names(&a.ref_columns, &b.ref_columns, d)
        && a.on_delete == b.on_delete
        && a.on_update == b.on_update
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_compare_by_value() {
        let int = ColumnType::Integer;
        assert!(same_default(Some(&ColumnDefault::Int(0)), Some(&ColumnDefault::Str("0".into())), int));
        let money = ColumnType::Decimal { precision: 10, scale: 2 };
        assert!(same_default(Some(&ColumnDefault::Str("1.5".into())), Some(&ColumnDefault::Str("1.50".into())), money));
        let b = ColumnType::Boolean;
        assert!(same_default(Some(&ColumnDefault::Bool(true)), Some(&ColumnDefault::Int(1)), b));
        let now = ColumnDefault::Expr("CURRENT_TIMESTAMP(6)".into());
        assert!(same_default(Some(&ColumnDefault::CurrentTimestamp), Some(&now), ColumnType::TimestampTz));
        assert!(!same_default(Some(&ColumnDefault::Int(1)), None, int));
        assert_eq!(squeeze("(((name)::text <> ''::text))"), squeeze("name <> ''"));
    }
}
