//! Turns a [`ModelIr`] into the generated items.
//!
//! Generated code names everything through absolute `::kakaorm::` paths (and `::core`,
//! `::std`), so it works wherever the facade is a dependency. Everything that need not be
//! nameable lives in an anonymous `const _: () = { ... };` block.

mod builder;
mod guards;
mod handles;
mod literal;
mod model;
mod row;
mod rules;
mod schema;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};

use crate::ir::{FieldIr, ModelIr};

/// Every item `#[derive(Model)]` generates for `ir`.
pub fn expand(ir: &ModelIr) -> TokenStream {
    let handles = handles::expand(ir);
    let builder_struct = builder::definition(ir);
    let schema = schema::expand(ir);
    let model = model::expand(ir);
    let row = row::expand(ir);
    let builder_impl = builder::create_builder_impl(ir);
    let guards = guards::expand(ir);
    quote! {
        #handles
        #builder_struct
        const _: () = {
            #schema
            #model
            #row
            #builder_impl
            #guards
        };
    }
}

/// `<T as ::kakaorm::ColumnValue>` for the field type, spanned at the type so trait
/// errors point at the field.
fn column_value(field: &FieldIr) -> TokenStream {
    let ty = &field.ty;
    quote_spanned!(field.ty_span()=> <#ty as ::kakaorm::ColumnValue>)
}

/// An identifier for a local variable of generated code, invisible to user code.
fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// The name of the static holding the schema, inside the `const _` block.
fn schema_static() -> Ident {
    Ident::new("__KAKAORM_SCHEMA", Span::call_site())
}

/// `::chrono::DateTime<::chrono::Utc>` through the facade.
fn now_type() -> TokenStream {
    quote!(::kakaorm::__private::chrono::DateTime<::kakaorm::__private::chrono::Utc>)
}
