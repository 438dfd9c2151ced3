//! Field-level `#[kakaorm(...)]` options, parsed as written.

use syn::meta::ParseNestedMeta;
use syn::{Attribute, Lit, LitStr, Path, Token};

use super::meta::{flag, for_each_option, int, key, set, string, unknown, value};
use super::options::{CONTAINER_OPTIONS, FIELD_OPTIONS};
use crate::errors::Errors;
use crate::ir::{DefaultLit, FkAction, NumLit, RuleIr, Spanned};
use crate::naming::did_you_mean;

/// Field-level options as written, each with the span of its name.
#[derive(Default)]
pub struct FieldAttrs {
    pub primary_key: Option<Spanned<()>>,
    pub auto_increment: Option<Spanned<()>>,
    pub column: Option<Spanned<String>>,
    pub max_length: Option<Spanned<u32>>,
    pub default: Option<Spanned<DefaultLit>>,
    pub unique: Option<Spanned<()>>,
    pub index: Option<Spanned<()>>,
    pub check: Option<Spanned<String>>,
    pub auto_now: Option<Spanned<()>>,
    pub auto_now_add: Option<Spanned<()>>,
    pub max_digits: Option<Spanned<u8>>,
    pub decimal_places: Option<Spanned<u8>>,
    pub references: Option<Spanned<Path>>,
    pub on_delete: Option<Spanned<FkAction>>,
    pub on_update: Option<Spanned<FkAction>>,
    pub min_length: Option<Spanned<u32>>,
    pub min_value: Option<Spanned<NumLit>>,
    pub max_value: Option<Spanned<NumLit>>,
    pub regex: Option<Spanned<LitStr>>,
    pub one_of: Option<Spanned<RuleIr>>,
    pub email: Option<Spanned<()>>,
    pub url: Option<Spanned<()>>,
    pub validate_with: Vec<Path>,
    pub version: Option<Spanned<()>>,
}

/// Parses every `#[kakaorm(...)]` attribute on one field.
pub fn parse(attrs: &[Attribute], errors: &mut Errors) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for_each_option(attrs, errors, |meta, errors| option(meta, &mut out, errors));
    out
}

fn option(meta: &ParseNestedMeta<'_>, out: &mut FieldAttrs, errors: &mut Errors) -> syn::Result<()> {
    let key = key(meta)?;
    let flag_slot = match key.value.as_str() {
        "primary_key" => Some(&mut out.primary_key),
        "auto_increment" => Some(&mut out.auto_increment),
        "unique" => Some(&mut out.unique),
        "index" => Some(&mut out.index),
        "auto_now" => Some(&mut out.auto_now),
        "auto_now_add" => Some(&mut out.auto_now_add),
        "email" => Some(&mut out.email),
        "url" => Some(&mut out.url),
        "version" => Some(&mut out.version),
        _ => None,
    };
    if let Some(slot) = flag_slot {
        flag(meta, &key, errors)?;
        set(slot, &key, (), errors);
        return Ok(());
    }
    match key.value.as_str() {
        "column" => set(&mut out.column, &key, string(meta, &key, "\"column_name\"")?, errors),
        "check" => set(&mut out.check, &key, string(meta, &key, "\"age >= 0\"")?, errors),
        "max_length" => set(&mut out.max_length, &key, int(meta, &key, "50")?, errors),
        "max_digits" => set(&mut out.max_digits, &key, int(meta, &key, "10")?, errors),
        "decimal_places" => set(&mut out.decimal_places, &key, int(meta, &key, "2")?, errors),
        "default" => set(&mut out.default, &key, default_lit(meta, &key)?, errors),
        "references" => set(&mut out.references, &key, value(meta, &key, "OtherModel")?, errors),
        "on_delete" => set(&mut out.on_delete, &key, action(meta, &key)?, errors),
        "on_update" => set(&mut out.on_update, &key, action(meta, &key)?, errors),
        "min_length" => set(&mut out.min_length, &key, int(meta, &key, "1")?, errors),
        "min_value" => set(&mut out.min_value, &key, number(meta, &key)?, errors),
        "max_value" => set(&mut out.max_value, &key, number(meta, &key)?, errors),
        "regex" => set(&mut out.regex, &key, value(meta, &key, "\"^[a-z]+$\"")?, errors),
        "one_of" => set(&mut out.one_of, &key, one_of(meta, &key)?, errors),
        "validate_with" => out.validate_with.push(value(meta, &key, "path::to::function")?),
        _ => unknown(meta, &key, "field", FIELD_OPTIONS, ("struct", CONTAINER_OPTIONS), errors)?,
    }
    Ok(())
}

fn action(meta: &ParseNestedMeta<'_>, key: &Spanned<String>) -> syn::Result<FkAction> {
    let lit = value::<syn::LitStr>(meta, key, "\"cascade\"")?;
    FkAction::parse(&lit.value()).map_err(|bad| {
        let hint = did_you_mean(&bad, &FkAction::NAMES);
        let hint = if hint.is_empty() { format!("; expected one of: {}", FkAction::NAMES.join(", ")) } else { hint };
        syn::Error::new(lit.span(), format_args!("unknown referential action `{bad}`{hint}"))
    })
}

fn default_lit(meta: &ParseNestedMeta<'_>, key: &Spanned<String>) -> syn::Result<DefaultLit> {
    literal(meta, key, "0`, `-1.5`, `true` or `\"text\"")
}

/// `key = <literal>`, where a number may be negative.
fn literal(meta: &ParseNestedMeta<'_>, key: &Spanned<String>, example: &str) -> syn::Result<DefaultLit> {
    let name = &key.value;
    let negative = meta.input.peek(Token![=]) && meta.input.peek2(Token![-]);
    if negative {
        meta.input.parse::<Token![=]>()?;
        meta.input.parse::<Token![-]>()?;
    }
    let lit: Lit = if negative { meta.input.parse()? } else { value(meta, key, example)? };
    let bad = |span| syn::Error::new(span, format_args!("`{name}` expects a literal: `{name} = {example}`"));
    match lit {
        Lit::Int(i) => {
            let v: i128 = i.base10_parse()?;
            let v = if negative { -v } else { v };
            i64::try_from(v)
                .map(DefaultLit::Int)
                .map_err(|_| syn::Error::new(i.span(), format_args!("`{name}` is out of range for i64")))
        }
        Lit::Float(f) => {
            let v: f64 = f.base10_parse()?;
            if !v.is_finite() {
                return Err(syn::Error::new(f.span(), format_args!("`{name}` must be a finite number")));
            }
            Ok(DefaultLit::Float(if negative { -v } else { v }))
        }
        Lit::Bool(b) if !negative => Ok(DefaultLit::Bool(b.value)),
        Lit::Str(s) if !negative => Ok(DefaultLit::Str(s.value())),
        other => Err(bad(other.span())),
    }
}

/// `min_value = -1` / `max_value = 2.5`.
fn number(meta: &ParseNestedMeta<'_>, key: &Spanned<String>) -> syn::Result<NumLit> {
    let span = key.span;
    match literal(meta, key, "0` or `-1.5")? {
        DefaultLit::Int(i) => Ok(NumLit::Int(i)),
        DefaultLit::Float(f) => Ok(NumLit::Float(f)),
        _ => Err(syn::Error::new(span, format_args!("`{}` expects a number: `{} = 0`", key.value, key.value))),
    }
}

/// `one_of = ["a", "b"]` or `one_of = [1, -2]`.
fn one_of(meta: &ParseNestedMeta<'_>, key: &Spanned<String>) -> syn::Result<RuleIr> {
    let array: syn::ExprArray = value(meta, key, "[\"draft\", \"published\"]")?;
    let expected = |span| syn::Error::new(span, "`one_of` takes string literals or integer literals, all of one kind");
    let mut texts = Vec::new();
    let mut ints = Vec::new();
    for elem in &array.elems {
        let (negative, lit) = match elem {
            syn::Expr::Lit(l) => (false, &l.lit),
            syn::Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), expr, .. }) => match &**expr {
                syn::Expr::Lit(l) => (true, &l.lit),
                other => return Err(expected(syn::spanned::Spanned::span(other))),
            },
            other => return Err(expected(syn::spanned::Spanned::span(other))),
        };
        match lit {
            Lit::Str(s) if !negative => texts.push(s.value()),
            Lit::Int(i) => {
                let v: i64 = i.base10_parse()?;
                ints.push(if negative { -v } else { v });
            }
            other => return Err(expected(other.span())),
        }
    }
    match (texts.is_empty(), ints.is_empty()) {
        (false, true) => Ok(RuleIr::OneOfText(texts)),
        (true, false) => Ok(RuleIr::OneOfInt(ints)),
        _ => Err(syn::Error::new(key.span, "`one_of` needs at least one choice, all strings or all integers")),
    }
}
