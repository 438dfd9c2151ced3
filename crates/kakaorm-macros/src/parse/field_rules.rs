//! Checks one field's options against each other and against its type, and builds its IR.

use proc_macro2::Span;
use syn::spanned::Spanned as _;
use syn::{Field, Ident, Path};

use super::field::FieldAttrs;
use crate::errors::Errors;
use crate::ir::{AutoTime, DefaultLit, FieldIr, FkAction, ForeignKeyIr, Spanned};
use crate::naming::{validate_check, validate_identifier};
use crate::types::{Known, Shape};

/// The largest `max_digits` every backend accepts (MySQL's DECIMAL limit).
const MAX_DIGITS: u8 = 65;
/// The largest `decimal_places` a `rust_decimal::Decimal` can hold.
const MAX_SCALE: u8 = 28;

/// Builds the IR of a named field, reporting every inconsistent option.
pub fn field_ir(field: &Field, attrs: FieldAttrs, model: &Ident, errors: &mut Errors) -> FieldIr {
    let ident = field.ident.clone().unwrap_or_else(|| Ident::new("_", field.span()));
    let shape = Shape::of(&field.ty);
    let mut ir = FieldIr {
        ident,
        vis: field.vis.clone(),
        ty: field.ty.clone(),
        docs: field.attrs.iter().filter(|a| a.path().is_ident("doc")).cloned().collect(),
        column: String::new(),
        primary_key: attrs.primary_key.is_some(),
        auto_increment: attrs.auto_increment.as_ref().map(|a| a.span),
        unique: attrs.unique.is_some(),
        index: attrs.index.is_some(),
        max_length: None,
        digits: None,
        default: None,
        check: None,
        auto: None,
        references: None,
        rules: Vec::new(),
        validate_with: Vec::new(),
        version: None,
    };
    ir.column = column(&ir, &attrs, errors);
    ir.auto = auto(&attrs, &shape, errors);
    ir.max_length = max_length(&attrs, &shape, errors);
    ir.digits = digits(&attrs, &shape, errors);
    ir.check = check(&attrs, errors);
    ir.default = default(&attrs, &shape, errors);
    ir.references = references(&attrs, &shape, model, errors);
    ir.version = super::field_validation::version(&attrs, &shape, &mut ir.default, errors);
    ir.rules = super::field_validation::rules(&attrs, &shape, errors);
    ir.validate_with = attrs.validate_with;
    ir
}

fn column(ir: &FieldIr, attrs: &FieldAttrs, errors: &mut Errors) -> String {
    let (name, span) = match &attrs.column {
        Some(c) => (c.value.clone(), c.span),
        None => (ir.name(), ir.ident.span()),
    };
    if let Err(msg) = validate_identifier(&name, "column name") {
        errors.at(span, msg);
    }
    name
}

fn auto(attrs: &FieldAttrs, shape: &Shape<'_>, errors: &mut Errors) -> Option<Spanned<AutoTime>> {
    let auto = match (&attrs.auto_now, &attrs.auto_now_add) {
        (Some(now), Some(add)) => {
            let msg = "`auto_now` and `auto_now_add` clash: `auto_now` already sets the value on insert";
            errors.at(add.span, msg);
            Spanned::new(AutoTime::Now, now.span)
        }
        (Some(now), None) => Spanned::new(AutoTime::Now, now.span),
        (None, Some(add)) => Spanned::new(AutoTime::NowAdd, add.span),
        (None, None) => return None,
    };
    let name = if auto.value == AutoTime::Now { "auto_now" } else { "auto_now_add" };
    if let Some(default) = &attrs.default {
        errors.at(default.span, format_args!("`default` clashes with `{name}`, which always sets the value"));
    }
    if shape.certainly_not(|k| matches!(k, Known::Date | Known::Timestamp | Known::TimestampTz)) {
        let msg = format!("`{name}` needs a timestamp field: DateTime<Utc>, NaiveDateTime or NaiveDate");
        errors.at(auto.span, msg);
    }
    Some(auto)
}

fn max_length(attrs: &FieldAttrs, shape: &Shape<'_>, errors: &mut Errors) -> Option<Spanned<u32>> {
    let max = attrs.max_length.clone()?;
    if max.value == 0 {
        errors.at(max.span, "`max_length` must be at least 1");
    }
    if shape.certainly_not(|k| k == Known::Text) {
        errors.at(max.span, "`max_length` needs a String field");
    }
    Some(max)
}

fn digits(attrs: &FieldAttrs, shape: &Shape<'_>, errors: &mut Errors) -> Option<Spanned<(u8, u8)>> {
    let (p, s) = match (&attrs.max_digits, &attrs.decimal_places) {
        (Some(p), Some(s)) => (p, s),
        (Some(one), None) | (None, Some(one)) => {
            errors.at(one.span, "`max_digits` and `decimal_places` go together: give both or neither");
            return None;
        }
        (None, None) => return None,
    };
    if shape.certainly_not(|k| k == Known::Decimal) {
        errors.at(p.span, "`max_digits` and `decimal_places` need a Decimal field");
    }
    if p.value == 0 || p.value > MAX_DIGITS {
        errors.at(p.span, format_args!("`max_digits` must be between 1 and {MAX_DIGITS}"));
    }
    if s.value > p.value || s.value > MAX_SCALE {
        let msg = format!("`decimal_places` must be at most `max_digits` and at most {MAX_SCALE}");
        errors.at(s.span, msg);
    }
    Some(Spanned::new((p.value, s.value), p.span))
}

fn check(attrs: &FieldAttrs, errors: &mut Errors) -> Option<String> {
    let check = attrs.check.as_ref()?;
    if let Err(msg) = validate_check(&check.value) {
        errors.at(check.span, msg);
    }
    Some(check.value.clone())
}

fn default(attrs: &FieldAttrs, shape: &Shape<'_>, errors: &mut Errors) -> Option<Spanned<DefaultLit>> {
    let default = attrs.default.clone()?;
    if attrs.auto_increment.is_some() {
        errors.at(default.span, "`default` clashes with `auto_increment`: the database generates the value");
    }
    if let Some(Err(msg)) = shape.known.map(|k| literal_fits(&default.value, k)) {
        errors.at(default.span, msg);
    }
    if let (DefaultLit::Str(s), Some(max)) = (&default.value, &attrs.max_length)
        && s.chars().count() > max.value as usize
    {
        errors.at(default.span, format_args!("`default` is longer than `max_length = {}`", max.value));
    }
    Some(default)
}

/// Whether a default literal suits a field of a known family.
fn literal_fits(lit: &DefaultLit, known: Known) -> Result<(), String> {
    let ok = match (lit, known) {
        (DefaultLit::Int(v), Known::Int(w)) => {
            return if w.fits(*v) { Ok(()) } else { Err(format!("`default = {v}` is out of range for {}", w.name())) };
        }
        (DefaultLit::Int(_), Known::Float | Known::Decimal) => true,
        (DefaultLit::Float(_), Known::Float | Known::Decimal) => true,
        (DefaultLit::Bool(_), Known::Bool) => true,
        (DefaultLit::Str(_), k) => !matches!(k, Known::Int(_) | Known::Float | Known::Bool | Known::Bytes),
        _ => false,
    };
    if ok {
        return Ok(());
    }
    let expected = match known {
        Known::Int(_) => "an integer literal",
        Known::Float | Known::Decimal => "a number literal",
        Known::Bool => "`true` or `false`",
        Known::Bytes => "nothing: binary columns take no default",
        _ => "a string literal",
    };
    Err(format!("this field's `default` must be {expected}"))
}

fn references(attrs: &FieldAttrs, shape: &Shape<'_>, model: &Ident, errors: &mut Errors) -> Option<ForeignKeyIr> {
    let Some(target) = &attrs.references else {
        for action in [&attrs.on_delete, &attrs.on_update].into_iter().flatten() {
            errors.at(action.span, "`on_delete` and `on_update` need `references = OtherModel`");
        }
        return None;
    };
    for (name, action) in [("on_delete", &attrs.on_delete), ("on_update", &attrs.on_update)] {
        let set_null = action.as_ref().filter(|a| a.value == FkAction::SetNull);
        if let Some(a) = set_null.filter(|_| !shape.optional && shape.known.is_some()) {
            errors.at(a.span, format_args!("`{name} = \"set null\"` needs an Option field"));
        }
    }
    Some(ForeignKeyIr {
        target: self_to(&target.value, model),
        span: target.span,
        on_delete: attrs.on_delete.as_ref().map(|a| a.value).unwrap_or_default(),
        on_update: attrs.on_update.as_ref().map(|a| a.value).unwrap_or_default(),
        set_null: set_null_span(attrs),
    })
}

/// The span of a `set null` action, for the nullable-column assertion.
fn set_null_span(attrs: &FieldAttrs) -> Option<Span> {
    [&attrs.on_delete, &attrs.on_update].into_iter().flatten().find(|a| a.value == FkAction::SetNull).map(|a| a.span)
}

/// Replaces `Self` by the struct name, since the generated code lives outside the impl.
fn self_to(path: &Path, model: &Ident) -> Path {
    if path.is_ident("Self") {
        let mut ident = model.clone();
        ident.set_span(path.span());
        Path::from(ident)
    } else {
        path.clone()
    }
}
