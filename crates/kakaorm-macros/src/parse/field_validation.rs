//! A field's validation rules and `version` flag, checked against each other and against
//! the field type.

use proc_macro2::Span;

use super::field::FieldAttrs;
use crate::errors::Errors;
use crate::ir::{DefaultLit, NumLit, RuleIr, Spanned};
use crate::types::{Known, Shape};

/// The rules of a field, in a fixed order, each reported where it contradicts the type.
pub fn rules(attrs: &FieldAttrs, shape: &Shape<'_>, errors: &mut Errors) -> Vec<Spanned<RuleIr>> {
    let mut out = Vec::new();
    if let Some(m) = &attrs.min_length {
        out.push(Spanned::new(RuleIr::MinLength(m.value), m.span));
        if let Some(max) = attrs.max_length.as_ref().filter(|max| max.value < m.value) {
            errors.at(m.span, format_args!("`min_length = {}` exceeds `max_length = {}`", m.value, max.value));
        }
    }
    let bounds = [(&attrs.min_value, RuleIr::MinValue as fn(NumLit) -> RuleIr), (&attrs.max_value, RuleIr::MaxValue)];
    for (bound, make) in bounds {
        if let Some(b) = bound {
            check_bound(b, shape, errors);
            out.push(Spanned::new(make(b.value), b.span));
        }
    }
    if let (Some(lo), Some(hi)) = (&attrs.min_value, &attrs.max_value)
        && as_f64(lo.value) > as_f64(hi.value)
    {
        errors.at(lo.span, "`min_value` exceeds `max_value`");
    }
    if let Some(re) = &attrs.regex {
        let source = re.value.value();
        if let Err(e) = regex_syntax::Parser::new().parse(&source) {
            errors.at(re.value.span(), format_args!("invalid `regex`: {}", first_line(&e.to_string())));
        }
        out.push(Spanned::new(RuleIr::Regex(source), re.span));
    }
    if let Some(choices) = &attrs.one_of {
        out.push(choices.clone());
    }
    for (flag, rule) in [(&attrs.email, RuleIr::Email), (&attrs.url, RuleIr::Url)] {
        if let Some(f) = flag {
            out.push(Spanned::new(rule, f.span));
        }
    }
    for rule in &out {
        check_type(rule, shape, errors);
    }
    out
}

fn first_line(text: &str) -> String {
    text.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(text).trim().to_owned()
}

#[allow(clippy::cast_precision_loss)] // only orders two bounds written in the source
fn as_f64(n: NumLit) -> f64 {
    match n {
        NumLit::Int(i) => i as f64,
        NumLit::Float(f) => f,
    }
}

/// A float bound needs a float or decimal field; an integer bound must fit the field.
fn check_bound(b: &Spanned<NumLit>, shape: &Shape<'_>, errors: &mut Errors) {
    match (b.value, shape.known) {
        (NumLit::Float(_), Some(Known::Int(_))) => {
            errors.at(b.span, "this bound must be an integer: the field is an integer");
        }
        (NumLit::Int(v), Some(Known::Int(w))) if !w.fits(v) => {
            errors.at(b.span, format_args!("this bound is out of range for {}", w.name()));
        }
        _ => {}
    }
}

/// Rules on text need a String field; bounds need a number; integer choices an integer.
fn check_type(rule: &Spanned<RuleIr>, shape: &Shape<'_>, errors: &mut Errors) {
    let name = rule.value.name();
    let (ok, needs): (fn(Known) -> bool, &str) = match &rule.value {
        r if r.on_text() => (|k| k == Known::Text, "a String field"),
        RuleIr::OneOfInt(_) => (|k| matches!(k, Known::Int(_)), "an integer field for integer choices"),
        _ => (|k| matches!(k, Known::Int(_) | Known::Float | Known::Decimal), "a number field"),
    };
    if shape.certainly_not(ok) {
        errors.at(rule.span, format_args!("`{name}` needs {needs}"));
    }
}

/// `version`: an integer field that is not the key, starting at its `default` (0 when
/// none is given).
pub fn version(
    attrs: &FieldAttrs,
    shape: &Shape<'_>,
    default: &mut Option<Spanned<DefaultLit>>,
    errors: &mut Errors,
) -> Option<Span> {
    let v = attrs.version.as_ref()?;
    if shape.optional || shape.certainly_not(|k| matches!(k, Known::Int(_))) {
        errors.at(v.span, "`version` needs an i16, i32 or i64 field (not an Option)");
    }
    for (clash, name) in [(&attrs.primary_key, "primary_key"), (&attrs.auto_now, "auto_now")] {
        if let Some(c) = clash {
            errors.at(c.span, format_args!("`{name}` clashes with `version`"));
        }
    }
    default.get_or_insert(Spanned::new(DefaultLit::Int(0), v.span));
    Some(v.span)
}
