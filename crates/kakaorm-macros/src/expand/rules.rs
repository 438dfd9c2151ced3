//! Each field's validation rules, written in its column schema, and the custom validators
//! as `Model::validate_custom`.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use super::column_value;
use crate::ir::{FieldIr, ModelIr, NumLit, RuleIr};

/// Field `index`'s rules as `&[Rule, ...]`, written inline in its column schema (a static
/// per rule list costs the compiler more than the promoted array); `None` without rules.
/// Regex patterns go to `statics`, one static each, since they cache their compiled form.
pub fn list(index: usize, f: &FieldIr, statics: &mut TokenStream) -> Option<TokenStream> {
    let mut rules = Vec::new();
    if let Some(m) = &f.max_length {
        let m = m.value;
        rules.push(quote!(::kakaorm::validate::Rule::MaxLength(#m)));
    }
    for (j, rule) in f.rules.iter().enumerate() {
        rules.push(rule_tokens(&rule.value, index, j, statics));
    }
    (!rules.is_empty()).then(|| quote!(&[#(#rules),*]))
}

fn number(n: NumLit) -> TokenStream {
    match n {
        NumLit::Int(i) => quote!(::kakaorm::validate::Number::Int(#i)),
        NumLit::Float(f) => {
            let f = Literal::f64_suffixed(f);
            quote!(::kakaorm::validate::Number::Float(#f))
        }
    }
}

fn rule_tokens(rule: &RuleIr, field: usize, j: usize, statics: &mut TokenStream) -> TokenStream {
    let r = quote!(::kakaorm::validate::Rule);
    match rule {
        RuleIr::MinLength(n) => quote!(#r::MinLength(#n)),
        RuleIr::MinValue(n) => {
            let n = number(*n);
            quote!(#r::MinValue(#n))
        }
        RuleIr::MaxValue(n) => {
            let n = number(*n);
            quote!(#r::MaxValue(#n))
        }
        RuleIr::Regex(source) => {
            let name = Ident::new(&format!("__KAKAORM_PATTERN_{field}_{j}"), Span::call_site());
            statics.extend(quote! {
                static #name: ::kakaorm::validate::Pattern = ::kakaorm::validate::Pattern::new(#source);
            });
            quote!(#r::Regex(&#name))
        }
        RuleIr::OneOfText(c) => quote!(#r::OneOf(::kakaorm::validate::Choices::Text(&[#(#c),*]))),
        RuleIr::OneOfInt(c) => quote!(#r::OneOf(::kakaorm::validate::Choices::Int(&[#(#c),*]))),
        RuleIr::Email => quote!(#r::Email),
        RuleIr::Url => quote!(#r::Url),
    }
}

/// `CUSTOM_VALIDATION` and `validate_custom`, when any field or the struct has
/// `validate_with`.
pub fn custom(ir: &ModelIr) -> TokenStream {
    let errors = super::local("errors");
    let mut calls = Vec::new();
    for f in &ir.fields {
        let (ident, name, cv) = (&f.ident, f.name(), column_value(f));
        for path in &f.validate_with {
            let rule = last_segment(path);
            let call = quote_spanned!(path.span()=> #path(&self.#ident));
            calls.push(quote! {
                #errors.custom(#name, #rule, #cv::to_value(&self.#ident).to_json(), #call);
            });
        }
    }
    for path in &ir.validate_with {
        let rule = last_segment(path);
        let call = quote_spanned!(path.span()=> #path(self));
        calls.push(quote! {
            #errors.custom("", #rule, ::kakaorm::__private::serde_json::Value::Null, #call);
        });
    }
    if calls.is_empty() {
        return TokenStream::new();
    }
    quote! {
        const CUSTOM_VALIDATION: bool = true;

        fn validate_custom(&self, #errors: &mut ::kakaorm::validate::ValidationErrors) {
            #(#calls)*
        }
    }
}

fn last_segment(path: &syn::Path) -> String {
    path.segments.last().map_or_else(String::new, |s| s.ident.to_string())
}
