//! The engine: checks values against their columns' rules.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::errors::{FieldError, ValidationErrors};
use super::locale::Locale;
use super::rules::{Choices, Number, Rule};
use crate::schema::{ColumnSchema, TableSchema};
use crate::value::convert::i64_to_f64;
use crate::value::{Value, ValueRef};

/// Checks each value against the rules of its column, in order, recording every failure
/// (in the [locale](ValidationErrors::locale) of `out`); NULL in a NOT NULL column (a field
/// a create builder left unset) fails as `required`.
pub fn check_values<'c>(
    columns: impl IntoIterator<Item = &'c ColumnSchema>,
    values: &[Value],
    out: &mut ValidationErrors,
) {
    check_each(columns, values, out, Value::is_null, check_one);
}

/// [`check_values`] over values borrowed from a model (see
/// [`Model::column_value_ref`](crate::Model::column_value_ref)): text is checked in place
/// and copied only into the report of a failure.
pub fn check_value_refs<'c>(
    columns: impl IntoIterator<Item = &'c ColumnSchema>,
    values: &[ValueRef<'_>],
    out: &mut ValidationErrors,
) {
    check_each(columns, values, out, ValueRef::is_null, |col, value, lang, out| match value {
        ValueRef::Value(v) => check_one(col, v, lang, out),
        ValueRef::Text(s) => {
            for rule in col.rules.iter().filter(|rule| !passes_text(rule, s)) {
                out.push(FieldError::rule(col.field, rule, serde_json::Value::from(*s), lang));
            }
        }
        // No rule applies to bytes (the derive refuses the pairs), and bytes are not NULL.
        ValueRef::Bytes(_) => {}
    });
}

/// Runs `check` on each value whose column has a rule, or is NOT NULL while the value is
/// NULL.
fn check_each<'c, V>(
    columns: impl IntoIterator<Item = &'c ColumnSchema>,
    values: &[V],
    out: &mut ValidationErrors,
    is_null: impl Fn(&V) -> bool,
    check: impl Fn(&ColumnSchema, &V, Locale, &mut ValidationErrors),
) {
    let mut lang = None;
    for (col, value) in columns.into_iter().zip(values) {
        if col.rules.is_empty() && (col.nullable || !is_null(value)) {
            continue;
        }
        let lang = *lang.get_or_insert_with(|| out.locale());
        check(col, value, lang, out);
    }
}

/// [`check_values`] for the columns named in `names` (an insert row's column list).
pub fn check_row(table: &TableSchema, names: &[&str], values: &[Value], out: &mut ValidationErrors) {
    let columns = names.iter().filter_map(|n| table.column(n));
    check_values(columns, values, out);
}

fn check_one(col: &ColumnSchema, value: &Value, lang: Locale, out: &mut ValidationErrors) {
    if value.is_null() {
        if !col.nullable && !col.auto_increment {
            out.push(FieldError::required(col.field, lang));
        }
        return;
    }
    for rule in col.rules {
        if !passes(rule, value) {
            out.push(FieldError::rule(col.field, rule, value.to_json(), lang));
        }
    }
}

/// Whether `value` satisfies `rule` (a rule that does not apply to the value's type passes:
/// the derive rejects such pairs at compile time).
fn passes(rule: &Rule, value: &Value) -> bool {
    match (rule, value) {
        (_, Value::String(s)) => passes_text(rule, s),
        (Rule::MinValue(n), v) => compare(v, *n).is_none_or(Ordering::is_ge),
        (Rule::MaxValue(n), v) => compare(v, *n).is_none_or(Ordering::is_le),
        (Rule::OneOf(Choices::Int(c)), v) => as_i64(v).is_none_or(|i| c.contains(&i)),
        _ => true,
    }
}

/// [`passes`] for text.
fn passes_text(rule: &Rule, s: &str) -> bool {
    match rule {
        Rule::MinLength(n) => length_at_least(s, *n),
        Rule::MaxLength(n) => !length_at_least(s, n.saturating_add(1)),
        Rule::Regex(p) => p.is_match(s),
        Rule::OneOf(Choices::Text(c)) => c.contains(&s),
        Rule::Email => is_email(s),
        Rule::Url => is_url(s),
        _ => true,
    }
}

/// Whether `s` has at least `n` characters, counting no further than needed.
fn length_at_least(s: &str, n: u32) -> bool {
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    s.len() >= n && s.chars().nth(n.saturating_sub(1)).is_some() || n == 0
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::I16(i) => Some(i64::from(*i)),
        Value::I32(i) => Some(i64::from(*i)),
        Value::I64(i) => Some(*i),
        _ => None,
    }
}

/// How a numeric value compares with a bound (`None` for a non-numeric value).
fn compare(v: &Value, bound: Number) -> Option<Ordering> {
    let float = |x: f64| match bound {
        Number::Int(b) => i64_to_f64(b).and_then(|b| x.partial_cmp(&b)),
        Number::Float(b) => x.partial_cmp(&b),
    };
    match v {
        Value::F32(x) => float(f64::from(*x)),
        Value::F64(x) => float(*x),
        Value::Decimal(d) => {
            let b = match bound {
                Number::Int(b) => Decimal::from(b),
                Number::Float(b) => Decimal::try_from(b).ok()?,
            };
            Some(d.cmp(&b))
        }
        other => {
            let i = as_i64(other)?;
            match bound {
                Number::Int(b) => Some(i.cmp(&b)),
                Number::Float(b) => i64_to_f64(i).and_then(|i| i.partial_cmp(&b)),
            }
        }
    }
}

fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let labels_ok = domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && labels_ok
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn is_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    let Some(rest) = rest else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    !host.is_empty() && !host.starts_with(':') && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters() {
        assert!(length_at_least("日本", 2));
        assert!(!length_at_least("日本", 3));
        assert!(length_at_least("", 0));
        assert!(passes(&Rule::MaxLength(2), &Value::String("日本".into())));
        assert!(!passes(&Rule::MaxLength(1), &Value::String("日本".into())));
    }

    #[test]
    fn borrowed_values_report_what_owned_ones_do() {
        static RULES: [Rule; 1] = [Rule::MaxLength(2)];
        let name = ColumnSchema::new("name", "name", crate::ColumnType::Text).rules(&RULES);
        let age = ColumnSchema::new("age", "age", crate::ColumnType::Integer);
        let report = |values: &[Value]| {
            let mut owned = ValidationErrors::in_locale("User", Locale::En);
            check_values([&name, &age], values, &mut owned);
            let refs: Vec<ValueRef<'_>> = values
                .iter()
                .map(|v| match v {
                    Value::String(s) => ValueRef::Text(s),
                    v => ValueRef::Value(v.clone()),
                })
                .collect();
            let mut borrowed = ValidationErrors::in_locale("User", Locale::En);
            check_value_refs([&name, &age], &refs, &mut borrowed);
            assert_eq!(format!("{owned:?}"), format!("{borrowed:?}"));
            owned.errors.len()
        };
        assert_eq!(report(&[Value::String("日本".into()), Value::I32(1)]), 0);
        assert_eq!(report(&[Value::String("abc".into()), Value::Null]), 2);
    }

    #[test]
    fn numbers_compare_across_types() {
        assert_eq!(compare(&Value::I32(5), Number::Int(5)), Some(Ordering::Equal));
        assert_eq!(compare(&Value::F64(0.5), Number::Int(1)), Some(Ordering::Less));
        assert_eq!(compare(&Value::Decimal(Decimal::new(150, 2)), Number::Float(1.5)), Some(Ordering::Equal));
        assert!(!passes(&Rule::MinValue(Number::Int(0)), &Value::I64(-1)));
    }

    #[test]
    fn emails_and_urls() {
        assert!(is_email("a.b@example.co.jp"));
        for bad in ["ab", "@example.com", "a@b", "a b@example.com", "a@@b.com", "a@.com"] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(is_url("https://example.com/x?y"));
        for bad in ["example.com", "ftp://x.y", "http://", "https:// x.com"] {
            assert!(!is_url(bad), "{bad}");
        }
    }
}
