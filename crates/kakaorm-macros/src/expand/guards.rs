//! Compile-time checks on the resolved field types.
//!
//! Parsing rejects types that are certainly wrong by name; these assertions catch the rest
//! (type aliases, re-exports) once the compiler knows the type. Each is spanned at the
//! attribute or type it is about, so the error points there.
//!
//! An unsupported field type needs no assertion of its own: every use of
//! `<T as ColumnValue>` is spanned at the field type (see [`super::column_value`]), so
//! rustc reports the `on_unimplemented` message of `ColumnValue` once, at the field.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};

use super::column_value;
use crate::ir::{DeletionIr, FieldIr, ModelIr, RuleIr};
use crate::types::Shape;

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
        let cv = column_value(&ir.fields[*i]);
        let cond = quote!(#cv::NULLABLE && ::core::matches!(#cv::KIND, ::kakaorm::TypeKind::Timestamp | ::kakaorm::TypeKind::TimestampTz));
        let msg = "the soft-delete field must be Option<DateTime<Utc>> or Option<NaiveDateTime>";
        out.extend(assert_at(*span, cond, msg));
    }
    out
}

/// `const _: () = assert!(cond, msg);` at `span`.
fn assert_at(span: Span, cond: TokenStream, message: &str) -> TokenStream {
    quote_spanned! {span=>
        const _: () = ::core::assert!(#cond, #message);
    }
}

fn kind_is(f: &FieldIr, pattern: TokenStream) -> TokenStream {
    let cv = column_value(f);
    quote!(::core::matches!(#cv::KIND, #pattern))
}

fn options(f: &FieldIr) -> TokenStream {
    let mut out = TokenStream::new();
    let cv = column_value(f);
    if let Some(m) = &f.max_length {
        let cond = kind_is(f, quote!(::kakaorm::TypeKind::Text));
        out.extend(assert_at(m.span, cond, "`max_length` needs a String column"));
    }
    if let Some(d) = &f.digits {
        let cond = kind_is(f, quote!(::kakaorm::TypeKind::Decimal));
        out.extend(assert_at(d.span, cond, "`max_digits` and `decimal_places` need a Decimal column"));
    }
    if let Some(a) = &f.auto {
        let cond = quote!(#cv::KIND.is_timestamp());
        let msg = "`auto_now` and `auto_now_add` need a DateTime<Utc>, NaiveDateTime or NaiveDate column";
        out.extend(assert_at(a.span, cond, msg));
    }
    for rule in &f.rules {
        let (cond, msg) = if rule.value.on_text() {
            (kind_is(f, quote!(::kakaorm::TypeKind::Text)), "this validation rule needs a String column")
        } else if matches!(rule.value, RuleIr::OneOfInt(_)) {
            (quote!(#cv::KIND.is_integer()), "integer choices need an integer column")
        } else {
            (quote!(#cv::KIND.is_numeric()), "`min_value` and `max_value` need a number column")
        };
        out.extend(assert_at(rule.span, cond, msg));
    }
    if let Some(span) = f.version {
        let cond = quote!(#cv::KIND.is_integer() && !#cv::NULLABLE);
        out.extend(assert_at(span, cond, "`version` needs an i16, i32 or i64 column (not an Option)"));
    }
    if let Some(span) = f.references.as_ref().and_then(|fk| fk.set_null) {
        out.extend(assert_at(span, quote!(#cv::NULLABLE), "`set null` needs an Option column"));
    }
    out
}

fn key(f: &FieldIr) -> TokenStream {
    let cv = column_value(f);
    let mut out = assert_at(f.ty_span(), quote!(!#cv::NULLABLE), "the primary key must not be an Option");
    if let Some(span) = f.auto_increment {
        let msg = "an auto-increment primary key must be i16, i32 or i64";
        out.extend(assert_at(span, quote!(#cv::KIND.is_integer()), msg));
    }
    out
}

/// The field type (without `Option`) is the referenced model's key type.
fn foreign_key(f: &FieldIr) -> TokenStream {
    let Some(fk) = &f.references else {
        return TokenStream::new();
    };
    let inner = Shape::of(&f.ty).inner;
    let target = &fk.target;
    let message = format!(
        "foreign key `{}` has type `{{F}}`, but the primary key of `{}` is `{{Self}}`",
        f.name(),
        quote!(#target).to_string().replace(' ', "")
    );
    quote_spanned! {f.ty_span()=>
        const _: fn() = || {
            #[diagnostic::on_unimplemented(
                message = #message,
                label = "must match the referenced primary key type"
            )]
            trait SameKey<F> {}
            impl<K> SameKey<K> for K {}
            fn same_key<K: SameKey<F>, F>() {}
            same_key::<<#target as ::kakaorm::Model>::Key, #inner>();
        };
    }
}
