//! The structured error of a failed validation: one entry per failure.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::locale::{Extras, Locale, locale, message};
use super::rules::Rule;
use crate::error::{Error, ErrorKind};

/// One failed rule of one field.
///
/// It serializes as `{"field", "rule", "message", "value"}` plus whichever of `row`,
/// `min`, `max`, `pattern` and `choices` apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FieldError {
    /// The Rust field name (`""` for a failure of the whole model).
    pub field: Cow<'static, str>,
    /// The rule: `required`, `min_length`, `max_length`, `min_value`, `max_value`,
    /// `regex`, `one_of`, `email`, `url`, or a custom validator's function name.
    pub rule: Cow<'static, str>,
    /// What is wrong, in the locale of the check (a custom validator's own text).
    pub message: String,
    /// The value received (`null` when missing).
    pub value: serde_json::Value,
    /// In a bulk write, the index of the failing row in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The expected minimum (length or value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<serde_json::Value>,
    /// The expected maximum (length or value).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<serde_json::Value>,
    /// The pattern the value had to match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<&'static str>,
    /// The allowed values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<serde_json::Value>>,
    /// Whether a custom validator wrote the message (it is never translated).
    #[serde(skip)]
    custom: bool,
}

impl FieldError {
    /// The failure of a built-in rule, with its message in `locale`.
    pub(crate) fn rule(field: &'static str, rule: &Rule, value: serde_json::Value, locale: Locale) -> Self {
        let mut e = FieldError::bare(field.into(), rule.name().into(), value);
        match *rule {
            Rule::MinLength(n) => e.min = Some(n.into()),
            Rule::MaxLength(n) => e.max = Some(n.into()),
            Rule::MinValue(n) => e.min = Some(n.to_json()),
            Rule::MaxValue(n) => e.max = Some(n.to_json()),
            Rule::Regex(p) => e.pattern = Some(p.source()),
            Rule::OneOf(c) => e.choices = Some(c.to_json()),
            Rule::Email | Rule::Url => {}
        }
        e.render(locale);
        e
    }

    /// A NOT NULL field that was given no value.
    pub(crate) fn required(field: &'static str, locale: Locale) -> Self {
        let mut e = FieldError::bare(field.into(), "required".into(), serde_json::Value::Null);
        e.render(locale);
        e
    }

    fn bare(field: Cow<'static, str>, rule: Cow<'static, str>, value: serde_json::Value) -> Self {
        FieldError {
            field,
            rule,
            message: String::new(),
            value,
            row: None,
            min: None,
            max: None,
            pattern: None,
            choices: None,
            custom: false,
        }
    }

    fn render(&mut self, locale: Locale) {
        if self.custom {
            return;
        }
        let extras = Extras {
            min: self.min.as_ref(),
            max: self.max.as_ref(),
            pattern: self.pattern,
            choices: self.choices.as_deref(),
        };
        self.message = message(locale, &self.rule, &self.field, &extras);
    }
}

/// What a custom validator returns on failure: a message, and the field it is about when a
/// model-level validator wants to name one.
///
/// ```
/// use kakaorm_core::validate::Invalid;
/// let e = Invalid::field("ends_at", "must come after starts_at");
/// assert_eq!(e.message, "must come after starts_at");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Invalid {
    /// The field at fault, if the validator names one.
    pub field: Option<Cow<'static, str>>,
    /// The message, reported unchanged whatever the locale.
    pub message: String,
}

impl Invalid {
    /// A failure about `field`.
    pub fn field(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Invalid { field: Some(field.into()), message: message.into() }
    }

    /// A failure of the value or model as a whole.
    pub fn new(message: impl Into<String>) -> Self {
        Invalid { field: None, message: message.into() }
    }
}

/// What a custom validator may return as its error: [`Invalid`], `String` or `&str`.
pub trait IntoInvalid {
    /// The failure.
    fn into_invalid(self) -> Invalid;
}

impl IntoInvalid for Invalid {
    fn into_invalid(self) -> Invalid {
        self
    }
}

impl IntoInvalid for String {
    fn into_invalid(self) -> Invalid {
        Invalid::new(self)
    }
}

impl IntoInvalid for &str {
    fn into_invalid(self) -> Invalid {
        Invalid::new(self)
    }
}

/// Every failure found by one validation pass, in field order (then row order in a bulk
/// write). It becomes an [`Error`] of kind [`Validation`](ErrorKind::Validation), from which
/// [`Error::validation_errors`] gets it back.
///
/// ```
/// use kakaorm_core::validate::{Locale, ValidationErrors};
/// let errors = ValidationErrors::new("User");
/// assert!(errors.is_empty());
/// assert_eq!(serde_json::to_value(&errors).unwrap(), serde_json::json!({"model": "User", "errors": []}));
/// assert_eq!(ValidationErrors::in_locale("User", Locale::Ja).locale(), Locale::Ja);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ValidationErrors {
    /// The model validated.
    pub model: &'static str,
    /// One entry per failure.
    pub errors: Vec<FieldError>,
    /// The language of the built-in messages (`None`: the program's [`locale`] when a
    /// check runs).
    #[serde(skip)]
    lang: Option<Locale>,
}

impl ValidationErrors {
    /// No failure yet, for `model`; messages in the program's [`locale`](super::locale).
    pub fn new(model: &'static str) -> Self {
        ValidationErrors { model, errors: Vec::new(), lang: None }
    }

    /// No failure yet, for `model`; messages in `locale` whatever the program's is.
    pub fn in_locale(model: &'static str, locale: Locale) -> Self {
        ValidationErrors { model, errors: Vec::new(), lang: Some(locale) }
    }

    /// The language built-in messages are written in.
    pub fn locale(&self) -> Locale {
        self.lang.unwrap_or_else(locale)
    }

    /// Whether nothing failed.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The failures, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.errors.iter()
    }

    /// The messages per field (model-wide failures under `""`).
    pub fn by_field(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut map: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for e in &self.errors {
            map.entry(&e.field).or_default().push(&e.message);
        }
        map
    }

    /// The failures of one field.
    pub fn field(&self, field: &str) -> impl Iterator<Item = &FieldError> {
        self.errors.iter().filter(move |e| e.field == field)
    }

    /// The same failures with every built-in message rewritten in `locale` (a custom
    /// validator's message stays as written).
    #[must_use]
    pub fn localized(mut self, locale: Locale) -> Self {
        for e in &mut self.errors {
            e.render(locale);
        }
        self.lang = Some(locale);
        self
    }

    /// Records a built-in rule's failure.
    pub(crate) fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    /// Records what a custom validator named `rule` returned about `field` (or about the
    /// model, for `""`): used by generated code.
    #[doc(hidden)]
    pub fn custom(
        &mut self,
        field: &'static str,
        rule: &'static str,
        value: serde_json::Value,
        outcome: Result<(), impl IntoInvalid>,
    ) {
        if let Err(e) = outcome {
            let e = e.into_invalid();
            let mut entry = FieldError::bare(e.field.unwrap_or(Cow::Borrowed(field)), rule.into(), value);
            entry.message = e.message;
            entry.custom = true;
            self.errors.push(entry);
        }
    }

    /// Marks the failures recorded from `from` on as belonging to input row `row`.
    pub fn mark_row(&mut self, from: usize, row: usize) {
        for e in self.errors.iter_mut().skip(from) {
            e.row = Some(row);
        }
    }

    /// `Ok` when nothing failed, else the [`Validation`](ErrorKind::Validation) error.
    ///
    /// # Errors
    /// The failures, as an [`Error`].
    pub fn into_result(self) -> Result<(), Error> {
        if self.is_empty() { Ok(()) } else { Err(self.into()) }
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

impl From<ValidationErrors> for Error {
    fn from(errors: ValidationErrors) -> Self {
        let mut text = format!("`{}`: ", errors.model);
        for (i, e) in errors.errors.iter().enumerate() {
            if i > 0 {
                text.push_str("; ");
            }
            if let Some(row) = e.row {
                text.push_str(&format!("row {row}: "));
            }
            text.push_str(&e.message);
        }
        Error::new(ErrorKind::Validation, text).with_validation(errors)
    }
}
