//! Struct-level `#[kakaorm(...)]` options: `table`, `index`, `unique`, `create_builder`,
//! `soft_delete` and `archive`.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Ident, LitStr, Token};

use super::meta::{flag, for_each_option, key, set, string, unknown, value};
use super::options::{CONTAINER_OPTIONS, FIELD_OPTIONS, INDEX_OPTIONS};
use crate::errors::Errors;
use crate::ir::Spanned;

/// Struct-level options as written.
#[derive(Default)]
pub struct ContainerAttrs {
    /// `table = "..."`.
    pub table: Option<Spanned<String>>,
    /// `create_builder = "NewUser"`: the create builder's name.
    pub create_builder: Option<Spanned<String>>,
    /// Every `index(...)`, in order.
    pub indexes: Vec<RawIndex>,
    /// `hooks`.
    pub hooks: Option<Spanned<()>>,
    /// `validate_with = path`, in order.
    pub validate_with: Vec<syn::Path>,
    /// `soft_delete` (the field `deleted_at`) or `soft_delete = "field"`.
    pub soft_delete: Option<Spanned<String>>,
    /// `archive`.
    pub archive: Option<Spanned<()>>,
}

/// One `index = "a, b"`, `unique = "a, b"` or long form with `name = "..."`, as written.
pub struct RawIndex {
    /// The `index` keyword.
    pub span: Span,
    /// Rust field names.
    pub fields: Option<Spanned<Vec<Ident>>>,
    /// `unique`.
    pub unique: Option<Spanned<()>>,
    /// `name = "..."`.
    pub name: Option<Spanned<String>>,
}

/// Parses every `#[kakaorm(...)]` attribute on the struct.
pub fn parse(attrs: &[Attribute], errors: &mut Errors) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for_each_option(attrs, errors, |meta, errors| option(meta, &mut out, errors));
    out
}

fn option(meta: &ParseNestedMeta<'_>, out: &mut ContainerAttrs, errors: &mut Errors) -> syn::Result<()> {
    let key = key(meta)?;
    match key.value.as_str() {
        "table" => {
            let table = string(meta, &key, "\"table_name\"")?;
            set(&mut out.table, &key, table, errors);
        }
        "create_builder" => {
            let name = string(meta, &key, "\"NewUser\"")?;
            set(&mut out.create_builder, &key, name, errors);
        }
        "hooks" => {
            flag(meta, &key, errors)?;
            set(&mut out.hooks, &key, (), errors);
        }
        "validate_with" => out.validate_with.push(value(meta, &key, "path::to::function")?),
        "soft_delete" => {
            let field = if meta.input.peek(Token![=]) {
                string(meta, &key, "\"deleted_at\"")?
            } else {
                flag(meta, &key, errors)?;
                "deleted_at".to_owned()
            };
            set(&mut out.soft_delete, &key, field, errors);
        }
        "archive" => {
            flag(meta, &key, errors)?;
            set(&mut out.archive, &key, (), errors);
        }
        "index" => out.indexes.push(index(meta, key.span, false, errors)?),
        "unique" => out.indexes.push(index(meta, key.span, true, errors)?),
        _ => unknown(meta, &key, "struct", CONTAINER_OPTIONS, ("field", FIELD_OPTIONS), errors)?,
    }
    Ok(())
}

/// `index = "a, b"` or `index(fields = "a, b", name = "ix")`, and the same with `unique`.
///
/// Field lists are strings, not nested words: clippy's `duplicated_attributes` lint
/// would flag a field named in two indexes of the same struct otherwise.
fn index(meta: &ParseNestedMeta<'_>, span: Span, unique: bool, errors: &mut Errors) -> syn::Result<RawIndex> {
    let what = if unique { "unique" } else { "index" };
    let mut index = RawIndex { span, fields: None, unique: unique.then_some(Spanned { value: (), span }), name: None };
    if meta.input.peek(Token![=]) {
        let lit: LitStr = meta.value()?.parse()?;
        index.fields = Some(field_list(&lit)?);
        return Ok(index);
    }
    if !meta.input.peek(syn::token::Paren) {
        let msg = format!("expected `{what} = \"a, b\"` or `{what}(fields = \"a, b\", name = \"...\")`");
        return Err(syn::Error::new(span, msg));
    }
    meta.parse_nested_meta(|inner| {
        let key = key(&inner)?;
        match key.value.as_str() {
            "fields" => {
                let lit: LitStr = inner.value()?.parse()?;
                let list = field_list(&lit)?;
                set(&mut index.fields, &key, list.value, errors);
            }
            "name" => {
                let name = string(&inner, &key, "\"index_name\"")?;
                set(&mut index.name, &key, name, errors);
            }
            _ => unknown(&inner, &key, what, INDEX_OPTIONS, ("struct", &[]), errors)?,
        }
        Ok(())
    })?;
    Ok(index)
}

/// Parses `"a, b"` into identifiers spanned at the string.
fn field_list(lit: &LitStr) -> syn::Result<Spanned<Vec<Ident>>> {
    let text = lit.value();
    let mut out = Vec::new();
    for part in text.split(',').map(str::trim) {
        match syn::parse_str::<Ident>(part) {
            Ok(mut ident) => {
                ident.set_span(lit.span());
                out.push(ident);
            }
            Err(_) => {
                let msg = format!("`{part}` is not a field name; write the fields as \"a, b\"");
                return Err(syn::Error::new(lit.span(), msg));
            }
        }
    }
    Ok(Spanned { value: out, span: lit.span() })
}
