//! Whether a backend stores a value exactly: checked before any SQL is sent, so a value
//! is stored as given or refused, never wrapped, clamped or turned into NULL.

use std::ops::RangeInclusive;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde_json::Value as Json;

use super::Value;
use crate::dialect::Backend;
use crate::error::{Error, Result};

/// The deepest nesting of arrays and objects a JSON value may have when it is written.
///
/// serde_json refuses to read a document nested 128 levels or more, so a deeper document
/// would be stored and then fail to decode on every later read. Such a document is refused
/// with [`InvalidInput`](crate::ErrorKind::InvalidInput) before any SQL is sent instead of
/// lifting serde_json's limit: writing (serde_json's and the drivers' serializers) and
/// dropping a `serde_json::Value` recurse once per level too, so an unbounded depth would
/// only move the stack overflow elsewhere, and MySQL refuses documents deeper than 100.
pub const MAX_JSON_DEPTH: usize = 127;

/// A date in a `const` (chrono's earliest date if the arguments are not a date).
pub(crate) const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

/// What a backend stores, as its dialect reports it.
pub(crate) struct Limits {
    pub(crate) backend: Backend,
    pub(crate) non_finite_floats: bool,
    pub(crate) arrays: bool,
    pub(crate) dates: RangeInclusive<NaiveDate>,
    pub(crate) leap_seconds: bool,
    pub(crate) json_depth: usize,
    pub(crate) text_nul: bool,
}

impl Limits {
    /// Whether any limit concerns `value`: integers, text, bytes, decimals and UUIDs fit
    /// every backend (their column types are checked by the server).
    pub(crate) fn applies_to(value: &Value) -> bool {
        !matches!(
            value,
            Value::Null
                | Value::Bool(_)
                | Value::I16(_)
                | Value::I32(_)
                | Value::I64(_)
                | Value::String(_)
                | Value::Bytes(_)
                | Value::Decimal(_)
                | Value::Uuid(_)
        )
    }

    /// Checks that `value` can be stored exactly.
    pub(crate) fn check(&self, value: &Value) -> Result<()> {
        match value {
            Value::F32(v) => self.float(v.is_finite(), value),
            Value::F64(v) => self.float(v.is_finite(), value),
            Value::Date(d) => self.date(*d, d),
            Value::Time(t) => self.time(*t, t),
            Value::DateTime(v) => self.datetime(*v, v),
            Value::DateTimeUtc(v) => self.datetime(v.naive_utc(), v),
            Value::Json(doc) => self.json(doc),
            Value::String(text) if !self.text_nul && text.contains('\0') => {
                Err(Error::invalid_input(format!("{} text cannot contain NUL characters", self.name())))
            }
            Value::Array(items) if self.arrays => items.iter().try_for_each(|v| self.check(v)),
            Value::Array(_) => Err(Error::unsupported(format!("{} has no array parameters", self.name()))),
            _ => Ok(()),
        }
    }

    fn name(&self) -> &'static str {
        self.backend.name()
    }

    fn float(&self, finite: bool, value: &Value) -> Result<()> {
        if finite || self.non_finite_floats {
            return Ok(());
        }
        Err(Error::invalid_input(format!("{} cannot store NaN or infinite floats (got {value:?})", self.name())))
    }

    fn date(&self, date: NaiveDate, shown: &dyn std::fmt::Display) -> Result<()> {
        if self.dates.contains(&date) {
            return Ok(());
        }
        let (first, last) = (self.dates.start(), self.dates.end());
        Err(Error::invalid_input(format!("{} cannot store {shown}: its dates run from {first} to {last}", self.name())))
    }

    /// chrono keeps a leap second as second 59 with a nanosecond of one billion or more.
    fn time(&self, time: NaiveTime, shown: &dyn std::fmt::Display) -> Result<()> {
        if time.nanosecond() < 1_000_000_000 || self.leap_seconds {
            return Ok(());
        }
        Err(Error::invalid_input(format!("{} cannot store the leap second in {shown}", self.name())))
    }

    fn datetime(&self, v: NaiveDateTime, shown: &dyn std::fmt::Display) -> Result<()> {
        self.date(v.date(), shown)?;
        self.time(v.time(), shown)
    }

    fn json(&self, doc: &Json) -> Result<()> {
        if !nested_deeper_than(doc, self.json_depth) {
            return Ok(());
        }
        Err(Error::invalid_input(format!(
            "{} cannot store a JSON document nested deeper than {} levels",
            self.name(),
            self.json_depth
        )))
    }
}

/// The children of one open array or object.
enum Children<'a> {
    Array(std::slice::Iter<'a, Json>),
    Object(serde_json::map::Values<'a>),
}

impl<'a> Iterator for Children<'a> {
    type Item = &'a Json;

    fn next(&mut self) -> Option<&'a Json> {
        match self {
            Children::Array(items) => items.next(),
            Children::Object(values) => values.next(),
        }
    }
}

/// Whether arrays and objects nest more than `limit` levels in `doc`. Walks the document
/// without recursion, keeping at most `limit` levels open, so any depth is safe to check.
pub(crate) fn nested_deeper_than(doc: &Json, limit: usize) -> bool {
    let mut open: Vec<Children<'_>> = Vec::new();
    let mut next = Some(doc);
    loop {
        let children = match next.take() {
            Some(Json::Array(items)) => Some(Children::Array(items.iter())),
            Some(Json::Object(map)) => Some(Children::Object(map.values())),
            _ => None,
        };
        if let Some(children) = children {
            if open.len() == limit {
                return true;
            }
            open.push(children);
        }
        let Some(top) = open.last_mut() else { return false };
        match top.next() {
            Some(child) => next = Some(child),
            None => {
                open.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `[[…[1]…]]` with `depth` arrays, built without recursion.
    fn nested(depth: usize) -> Json {
        (0..depth).fold(Json::from(1), |inner, _| Json::Array(vec![inner]))
    }

    /// Takes a document apart level by level: serde_json's own drop recurses once per level.
    fn dismantle(doc: Json) {
        let mut pending = vec![doc];
        while let Some(v) = pending.pop() {
            match v {
                Json::Array(items) => pending.extend(items),
                Json::Object(map) => pending.extend(map.into_iter().map(|(_, v)| v)),
                _ => {}
            }
        }
    }

    #[test]
    fn depth_counts_arrays_and_objects() {
        assert!(!nested_deeper_than(&Json::from(1), 0));
        assert!(nested_deeper_than(&nested(1), 0));
        let doc = serde_json::json!({"a": [1, {"b": [[]]}], "c": {}});
        assert!(!nested_deeper_than(&doc, 5));
        assert!(nested_deeper_than(&doc, 4));
    }

    #[test]
    fn limit_matches_what_serde_json_reads_back() {
        for (depth, readable) in [(MAX_JSON_DEPTH, true), (MAX_JSON_DEPTH + 1, false)] {
            let doc = nested(depth);
            assert_eq!(nested_deeper_than(&doc, MAX_JSON_DEPTH), !readable, "{depth}");
            let text = doc.to_string();
            assert_eq!(serde_json::from_str::<Json>(&text).is_ok(), readable, "{depth}");
        }
    }

    #[test]
    fn a_very_deep_document_is_checked_without_recursion() {
        let doc = nested(1_000_000);
        assert!(nested_deeper_than(&doc, MAX_JSON_DEPTH));
        dismantle(doc);
    }
}
