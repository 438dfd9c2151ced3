//! The create builder `UserCreate`: one slot per column holding the value of a set field,
//! a setter named like each settable field, and the tables `CreateBuilder` builds rows from.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::literal::literal_type;
use super::{column_value, local, schema_static};
use crate::ir::{FieldIr, ModelIr};
use crate::types::{Shape, display};

/// The builder struct and its setters. They are its only inherent items, so a field may
/// be called `exec` or `into_row` without clashing. Its slots hold converted values; the
/// row, `Debug` and the fills of unset fields are the library's.
pub fn definition(ir: &ModelIr) -> TokenStream {
    let (model, vis, builder) = (&ir.ident, &ir.vis, ir.builder_ident());
    let count = ir.fields.len();
    let setters = ir.fields.iter().enumerate().filter(|(_, f)| f.settable()).map(|(i, f)| setter(i, f));
    let doc = format!(
        "Builder for a new [`{model}`] row, started by `{model}::create()` (from the `Model` trait).\n\n\
         Fields left unset take their `default`, or NULL; `auto_now` and `auto_now_add` fields \
         are set at insert time."
    );
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::default::Default)]
        #[must_use = "a create builder does nothing until it is executed"]
        #vis struct #builder {
            slots: ::kakaorm::__private::Slots<#count>,
        }

        #[allow(dead_code)]
        impl #builder {
            #(#setters)*
        }
    }
}

fn setter(index: usize, f: &FieldIr) -> TokenStream {
    let (vis, ident, ty, docs) = (&f.vis, &f.ident, &f.ty, &f.docs);
    let value = local("value");
    let summary = format!("Sets `{}` (`{}`).", f.name(), display(ty));
    let extra = if docs.is_empty() { quote!() } else { quote!(#[doc = ""] #(#docs)*) };
    // A type known by name is certainly a column type: one library call converts and
    // stores. Any other type spells the conversion out, so an unsupported type is reported
    // at the field as `ColumnValue`'s own error.
    let set = if Shape::of(ty).known.is_some() {
        quote!(self.slots.put::<#ty>(#index, #value);)
    } else {
        let cv = column_value(f);
        quote_spanned! {f.ty_span()=>
            self.slots.set(#index, #cv::into_value(::kakaorm::typed::IntoField::<#ty>::into_field(#value)));
        }
    };
    quote! {
        #[doc = #summary]
        #extra
        #[inline]
        #vis fn #ident(mut self, #value: impl ::kakaorm::typed::IntoField<#ty>) -> Self {
            #set
            self
        }
    }
}

/// `impl CreateBuilder` (how each unset column is filled, the static column lists) and
/// `impl Debug`.
pub fn create_builder_impl(ir: &ModelIr) -> TokenStream {
    let (model, builder) = (&ir.ident, ir.builder_ident());
    let fills = ir.fields.iter().map(fill);
    let all = ir.fields.iter().map(|f| &f.column);
    // The column lists are static: every column, or every column but an auto-increment key
    // left unset. No list is built per row.
    let without_key = ir.fields.iter().any(|f| f.auto_increment.is_some()).then(|| {
        let rest = ir.fields.iter().filter(|f| f.auto_increment.is_none()).map(|f| &f.column);
        quote!(const COLUMNS_WITHOUT_KEY: &'static [&'static str] = &[#(#rest),*];)
    });
    let name = builder.to_string();
    let schema = schema_static();
    let slots = quote!([::core::option::Option<::kakaorm::Value>]);
    quote! {
        #[automatically_derived]
        impl ::kakaorm::CreateBuilder for #builder {
            type Model = #model;
            const FILL: &'static [::kakaorm::__private::Fill] = &[#(#fills),*];
            const COLUMNS: &'static [&'static str] = &[#(#all),*];
            #without_key

            #[inline]
            fn slots(&self) -> &#slots {
                &self.slots
            }

            #[inline]
            fn slots_mut(&mut self) -> &mut #slots {
                &mut self.slots
            }
        }

        #[automatically_derived]
        impl ::core::fmt::Debug for #builder {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::kakaorm::__private::debug_create(f, #name, &#schema, &self.slots)
            }
        }
    }
}

/// How field `f`'s column is filled when it is not set.
fn fill(f: &FieldIr) -> TokenStream {
    let ty = &f.ty;
    let fill = quote!(::kakaorm::__private::Fill);
    if f.auto.is_some() {
        return quote!(#fill::Now(::kakaorm::__private::now_value::<#ty>));
    }
    if f.auto_increment.is_some() {
        return quote!(#fill::Generated);
    }
    match &f.default {
        Some(d) => {
            let lit_ty = literal_type(&d.value);
            quote_spanned!(d.span=> #fill::Default(::kakaorm::__private::default_value::<#ty, #lit_ty>))
        }
        None => quote!(#fill::Null),
    }
}
