//! Helpers shared by container and field attribute parsing: option values, flags,
//! duplicates and unknown names.

use syn::meta::ParseNestedMeta;
use syn::parse::Parse;
use syn::spanned::Spanned as _;
use syn::token::Paren;
use syn::{Attribute, LitInt, LitStr, Token};

use crate::errors::Errors;
use crate::ir::Spanned;
use crate::naming::suggest;

/// Calls `option` on every option of every `#[kakaorm(...)]` attribute in `attrs`; a
/// syntax error ends its attribute and is recorded.
pub fn for_each_option(
    attrs: &[Attribute],
    errors: &mut Errors,
    mut option: impl FnMut(&ParseNestedMeta<'_>, &mut Errors) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("kakaorm")) {
        let result = attr.parse_nested_meta(|meta| option(&meta, errors));
        errors.ok(result);
    }
}

/// The option name of `meta`, with its span.
///
/// # Errors
/// When the name is a path such as `a::b` rather than a plain word.
pub fn key(meta: &ParseNestedMeta<'_>) -> syn::Result<Spanned<String>> {
    let ident = meta.path.get_ident().ok_or_else(|| meta.error("expected an option name such as `unique`"))?;
    let name = ident.to_string();
    let name = name.strip_prefix("r#").map_or(name.clone(), str::to_owned);
    Ok(Spanned::new(name, meta.path.span()))
}

/// Stores `value` in `slot`, reporting a duplicate if the option was already given.
pub fn set<T>(slot: &mut Option<Spanned<T>>, key: &Spanned<String>, value: T, errors: &mut Errors) {
    if slot.is_some() {
        errors.at(key.span, format_args!("duplicate option `{}`", key.value));
    } else {
        *slot = Some(Spanned::new(value, key.span));
    }
}

/// Consumes whatever follows an option name (`= expr` or `(...)`), so parsing can go on
/// after an error.
///
/// # Errors
/// When the tokens after `=` are not an expression.
pub fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(Paren) {
        meta.input.parse::<proc_macro2::Group>()?;
    }
    Ok(())
}

/// A flag option such as `unique`: reports a value given to it.
///
/// # Errors
/// When the value cannot be skipped.
pub fn flag(meta: &ParseNestedMeta<'_>, key: &Spanned<String>, errors: &mut Errors) -> syn::Result<()> {
    if meta.input.peek(Token![=]) || meta.input.peek(Paren) {
        errors.at(key.span, format_args!("`{}` takes no value: write `{}` alone", key.value, key.value));
        skip_value(meta)?;
    }
    Ok(())
}

/// The value of `key = <T>`, with an error that shows the expected form.
///
/// # Errors
/// When `=` is missing or the value does not parse as `T`.
pub fn value<T: Parse>(meta: &ParseNestedMeta<'_>, key: &Spanned<String>, example: &str) -> syn::Result<T> {
    let expected = |span| syn::Error::new(span, format_args!("expected `{} = {example}`", key.value));
    if !meta.input.peek(Token![=]) {
        return Err(expected(key.span));
    }
    let input = meta.value()?;
    input.parse::<T>().map_err(|e| expected(e.span()))
}

/// The value of `key = "text"`.
///
/// # Errors
/// When the value is not a string literal.
pub fn string(meta: &ParseNestedMeta<'_>, key: &Spanned<String>, example: &str) -> syn::Result<String> {
    value::<LitStr>(meta, key, example).map(|lit| lit.value())
}

/// The value of `key = 123`, range-checked into `N`.
///
/// # Errors
/// When the value is not an integer literal or does not fit `N`.
pub fn int<N>(meta: &ParseNestedMeta<'_>, key: &Spanned<String>, example: &str) -> syn::Result<N>
where
    N: std::str::FromStr,
    N::Err: std::fmt::Display,
{
    let lit = value::<LitInt>(meta, key, example)?;
    lit.base10_parse::<N>().map_err(|_| {
        let ty = std::any::type_name::<N>();
        syn::Error::new(lit.span(), format_args!("`{}` is out of range for {ty}", key.value))
    })
}

/// Reports an option that is not one of `known`, suggesting a close name, and consumes
/// its value. `elsewhere` lists options that belong at the other level (struct or field).
///
/// # Errors
/// When the value cannot be skipped.
pub fn unknown(
    meta: &ParseNestedMeta<'_>,
    key: &Spanned<String>,
    what: &str,
    known: &[&str],
    elsewhere: (&str, &[&str]),
    errors: &mut Errors,
) -> syn::Result<()> {
    let (place, other) = elsewhere;
    let name = key.value.as_str();
    let message = if other.contains(&name) {
        format!("`{name}` is not a {what} option; it belongs on the {place}")
    } else if let Some(close) = suggest(name, known) {
        format!("unknown {what} option `{name}`; did you mean `{close}`?")
    } else if let Some(close) = suggest(name, other) {
        format!("unknown {what} option `{name}`; did you mean `{close}`? (it belongs on the {place})")
    } else {
        format!("unknown {what} option `{name}`; expected one of: {}", known.join(", "))
    };
    errors.at(key.span, message);
    skip_value(meta)
}
