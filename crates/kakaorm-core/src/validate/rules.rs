//! The declarative rules a field can carry.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

/// One validation rule of a column, built by `#[derive(Model)]`.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Rule {
    /// At least this many characters (`min_length`).
    MinLength(u32),
    /// At most this many characters (`max_length`, which also sizes the VARCHAR).
    MaxLength(u32),
    /// At least this number (`min_value`).
    MinValue(Number),
    /// At most this number (`max_value`).
    MaxValue(Number),
    /// Matches this regular expression (`regex`).
    Regex(&'static Pattern),
    /// Is one of these values (`one_of`).
    OneOf(Choices),
    /// Looks like an email address (`email`): one `@` with a non-empty local part and a
    /// dotted domain, no whitespace.
    Email,
    /// Looks like an absolute `http` or `https` URL with a host (`url`).
    Url,
}

impl Rule {
    /// The rule's name, as written in the attribute and reported in errors.
    pub fn name(&self) -> &'static str {
        match self {
            Rule::MinLength(_) => "min_length",
            Rule::MaxLength(_) => "max_length",
            Rule::MinValue(_) => "min_value",
            Rule::MaxValue(_) => "max_value",
            Rule::Regex(_) => "regex",
            Rule::OneOf(_) => "one_of",
            Rule::Email => "email",
            Rule::Url => "url",
        }
    }
}

/// A numeric bound of `min_value`/`max_value`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Number {
    /// An integer bound.
    Int(i64),
    /// A float bound.
    Float(f64),
}

impl Number {
    /// The bound as JSON, for error extras.
    pub fn to_json(self) -> serde_json::Value {
        match self {
            Number::Int(i) => i.into(),
            Number::Float(f) => serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into),
        }
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => i.fmt(f),
            Number::Float(x) => x.fmt(f),
        }
    }
}

/// The allowed values of `one_of`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Choices {
    /// For a text column.
    Text(&'static [&'static str]),
    /// For an integer column.
    Int(&'static [i64]),
}

impl Choices {
    /// The choices as JSON, for error extras.
    pub fn to_json(self) -> Vec<serde_json::Value> {
        match self {
            Choices::Text(c) => c.iter().map(|s| (*s).into()).collect(),
            Choices::Int(c) => c.iter().map(|i| (*i).into()).collect(),
        }
    }
}

/// A regular expression of a `regex` rule: its source, compiled on first use and kept for
/// the life of the program (the derive puts each one in a `static`, and the derive has
/// already checked its syntax).
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

impl Pattern {
    /// A pattern, compiled on first use.
    pub const fn new(source: &'static str) -> Self {
        Pattern { source, compiled: OnceLock::new() }
    }

    /// The source text.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches (a pattern the `regex` crate refuses, for example one too
    /// large to compile, matches nothing).
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled.get_or_init(|| Regex::new(self.source).ok()).as_ref().is_some_and(|re| re.is_match(text))
    }
}
