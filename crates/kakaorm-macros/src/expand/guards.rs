//! Compile-time checks on the resolved field types.
//!
//! Parsing rejects types that are certainly wrong by name, and a type whose family is
//! certain from its name needs no check here at all; these assertions catch the rest (type
//! aliases, re-exports) once the compiler knows the type. Each is spanned at the attribute
//! or type it is about, so the error points there.
//!
//! An unsupported field type needs no assertion of its own: every use of
//! `<T as ColumnValue>` is spanned at the field type (see [`super::column_value`]), so
//! rustc reports the `on_unimplemented` message of `ColumnValue` once, at the field.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use super::column_value;
use crate::ir::{DeletionIr, FieldIr, ModelIr, RuleIr};
use crate::types::{Known, Shape};

/// Every assertion for the model.
pub fn expand(ir: &ModelIr) -> TokenStream {
    let mut out = TokenStream::new();
    for (i, f) in ir.fields.iter().enumerate() {
        out.extend(options(f));
        if i == ir.primary_key {
            out.extend(key(f));
        }
        if f.references.is_some() {
            out.extend(foreign_key(f));
        }
    }
    if let DeletionIr::Soft(i, span) = &ir.deletion {
        let msg = "the soft-delete field must be Option<DateTime<Utc>> or Option<NaiveDateTime>";
        out.extend(guard(&ir.fields[*i], *span, Need::SoftDelete, msg));
    }
    out
}

/// What a guard requires of a field's type.
#[derive(Clone, Copy)]
enum Need {
    Text,
    Decimal,
    /// `auto_now`/`auto_now_add`: a timestamp or a date.
    Timestamp,
    Integer,
    Numeric,
    /// `version`: an integer that is not an `Option`.
    Version,
    Nullable,
    NotNullable,
    /// The soft-delete field: `Option` of a timestamp.
    SoftDelete,
}

impl Need {
    /// The requirement as a `const` condition on `<T as ColumnValue>`.
    fn condition(self, f: &FieldIr) -> TokenStream {
        let cv = column_value(f);
        let kind = |pattern: TokenStream| quote!(::core::matches!(#cv::KIND, #pattern));
        match self {
            Need::Text => kind(quote!(::kakaorm::TypeKind::Text)),
            Need::Decimal => kind(quote!(::kakaorm::TypeKind::Decimal)),
            Need::Timestamp => quote!(#cv::KIND.is_timestamp()),
            Need::Integer => quote!(#cv::KIND.is_integer()),
            Need::Numeric => quote!(#cv::KIND.is_numeric()),
            Need::Version => quote!(#cv::KIND.is_integer() && !#cv::NULLABLE),
            Need::Nullable => quote!(#cv::NULLABLE),
            Need::NotNullable => quote!(!#cv::NULLABLE),
            Need::SoftDelete => {
                let stamp = kind(quote!(::kakaorm::TypeKind::Timestamp | ::kakaorm::TypeKind::TimestampTz));
                quote!(#cv::NULLABLE && #stamp)
            }
        }
    }

    /// The requirement decided from the type as written, when its family is certain.
    fn holds(self, shape: &Shape<'_>) -> Option<bool> {
        let known = shape.known?;
        let integer = matches!(known, Known::Int(_));
        Some(match self {
            Need::Text => known == Known::Text,
            Need::Decimal => known == Known::Decimal,
            Need::Timestamp => matches!(known, Known::Timestamp | Known::TimestampTz | Known::Date),
            Need::Integer => integer,
            Need::Numeric => integer || matches!(known, Known::Float | Known::Decimal),
            Need::Version => integer && !shape.optional,
            Need::Nullable => shape.optional,
            Need::NotNullable => !shape.optional,
            Need::SoftDelete => shape.optional && matches!(known, Known::Timestamp | Known::TimestampTz),
        })
    }
}

/// The check that `f`'s type meets `need`, spanned at `span`. A type whose family is
/// certain from its name is decided here, so it costs the compiler nothing (or gives a
/// `compile_error!`); any other type (an alias, a re-export) gets
/// `const _: () = assert!(cond, msg);`, decided once the compiler knows the type.
fn guard(f: &FieldIr, span: Span, need: Need, message: &str) -> TokenStream {
    match need.holds(&Shape::of(&f.ty)) {
        Some(true) => TokenStream::new(),
        Some(false) => quote_spanned!(span=> ::core::compile_error!(#message);),
        None => {
            let cond = need.condition(f);
            quote_spanned! {span=>
                const _: () = ::core::assert!(#cond, #message);
            }
        }
    }
}

fn options(f: &FieldIr) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(m) = &f.max_length {
        out.extend(guard(f, m.span, Need::Text, "`max_length` needs a String column"));
    }
    if let Some(d) = &f.digits {
        out.extend(guard(f, d.span, Need::Decimal, "`max_digits` and `decimal_places` need a Decimal column"));
    }
    if let Some(a) = &f.auto {
        let msg = "`auto_now` and `auto_now_add` need a DateTime<Utc>, NaiveDateTime or NaiveDate column";
        out.extend(guard(f, a.span, Need::Timestamp, msg));
    }
    for rule in &f.rules {
        let (need, msg) = if rule.value.on_text() {
            (Need::Text, "this validation rule needs a String column")
        } else if matches!(rule.value, RuleIr::OneOfInt(_)) {
            (Need::Integer, "integer choices need an integer column")
        } else {
            (Need::Numeric, "`min_value` and `max_value` need a number column")
        };
        out.extend(guard(f, rule.span, need, msg));
    }
    if let Some(span) = f.version {
        out.extend(guard(f, span, Need::Version, "`version` needs an i16, i32 or i64 column (not an Option)"));
    }
    if let Some(span) = f.references.as_ref().and_then(|fk| fk.set_null) {
        out.extend(guard(f, span, Need::Nullable, "`set null` needs an Option column"));
    }
    out
}

fn key(f: &FieldIr) -> TokenStream {
    let mut out = guard(f, f.ty_span(), Need::NotNullable, "the primary key must not be an Option");
    if let Some(span) = f.auto_increment {
        out.extend(guard(f, span, Need::Integer, "an auto-increment primary key must be i16, i32 or i64"));
    }
    out
}

/// The field type (without `Option`) is the referenced model's key type: one call of a
/// library `const fn` whose bound fails, at the field type, when they differ.
fn foreign_key(f: &FieldIr) -> TokenStream {
    let Some(fk) = &f.references else {
        return TokenStream::new();
    };
    let inner = Shape::of(&f.ty).inner;
    let target = &fk.target;
    quote_spanned! {f.ty_span()=>
        const _: () = ::kakaorm::__private::same_key::<#target, #inner>();
    }
}
