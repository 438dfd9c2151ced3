//! The create builder `UserCreate`: one optional slot per settable field, a setter named
//! like each field, and `CreateBuilder::into_row`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::literal::{literal_type, typed};
use super::{column_value, local, now_type};
use crate::ir::{FieldIr, ModelIr};
use crate::types::display;

/// The builder struct and its setters. They are its only inherent items, so a field may
/// be called `exec` or `into_row` without clashing.
pub fn definition(ir: &ModelIr) -> TokenStream {
    let (model, vis, builder) = (&ir.ident, &ir.vis, ir.builder_ident());
    let settable: Vec<&FieldIr> = ir.fields.iter().filter(|f| f.settable()).collect();
    let slots = settable.iter().map(|f| {
        let (ident, ty) = (&f.ident, &f.ty);
        quote!(#ident: ::core::option::Option<#ty>)
    });
    let setters = settable.iter().map(|f| setter(f));
    let doc = format!(
        "Builder for a new [`{model}`] row, started by `{model}::create()` (from the `Model` trait).\n\n\
         Fields left unset take their `default`, or NULL; `auto_now` and `auto_now_add` fields \
         are set at insert time."
    );
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::default::Default)]
        #[must_use = "a create builder does nothing until it is executed"]
        #vis struct #builder {
            #(#slots,)*
        }

        #[allow(dead_code)]
        impl #builder {
            #(#setters)*
        }
    }
}

fn setter(f: &FieldIr) -> TokenStream {
    let (vis, ident, ty, docs) = (&f.vis, &f.ident, &f.ty, &f.docs);
    let value = local("value");
    let summary = format!("Sets `{}` (`{}`).", f.name(), display(ty));
    let extra = if docs.is_empty() { quote!() } else { quote!(#[doc = ""] #(#docs)*) };
    quote! {
        #[doc = #summary]
        #extra
        #[inline]
        #vis fn #ident(mut self, #value: impl ::kakaorm::typed::IntoField<#ty>) -> Self {
            self.#ident = ::core::option::Option::Some(::kakaorm::typed::IntoField::<#ty>::into_field(#value));
            self
        }
    }
}

/// `impl CreateBuilder`: the insert row, in schema order.
pub fn create_builder_impl(ir: &ModelIr) -> TokenStream {
    let (model, builder) = (&ir.ident, ir.builder_ident());
    let (columns, values, now) = (local("columns"), local("values"), local("now"));
    let uses_now = ir.fields.iter().any(|f| f.auto.is_some());
    let now_param = if uses_now { quote!(#now) } else { quote!(_) };
    let now_ty = now_type();
    let count = ir.fields.len();
    let pushes = ir.fields.iter().map(|f| push(f, &values, &now));
    let set: Vec<TokenStream> = ir
        .fields
        .iter()
        .filter(|f| f.settable())
        .map(|f| {
            let (ident, column) = (&f.ident, &f.column);
            quote!(if self.#ident.is_some() { #columns.push(#column); })
        })
        .collect();
    let all: Vec<&String> = ir.fields.iter().map(|f| &f.column).collect();
    // The column list is static: every column, or every column but an auto-increment key
    // left unset. No list is built per row.
    let pick = match ir.fields.iter().find(|f| f.auto_increment.is_some()) {
        Some(key) => {
            let ident = &key.ident;
            let rest: Vec<&String> =
                ir.fields.iter().filter(|f| f.auto_increment.is_none()).map(|f| &f.column).collect();
            quote! {
                let #columns: &'static [&'static str] =
                    if self.#ident.is_some() { &[#(#all),*] } else { &[#(#rest),*] };
            }
        }
        None => quote!(let #columns: &'static [&'static str] = &[#(#all),*];),
    };
    quote! {
        #[automatically_derived]
        impl ::kakaorm::CreateBuilder for #builder {
            type Model = #model;

            fn into_row(self, #now: #now_ty) -> ::kakaorm::Result<::kakaorm::InsertRow> {
                let mut #values: ::std::vec::Vec<::kakaorm::Value> = ::std::vec::Vec::with_capacity(#count);
                let #columns = ::kakaorm::CreateBuilder::write_row(self, #now, &mut #values)?;
                ::core::result::Result::Ok(::kakaorm::InsertRow { columns: #columns, values: #values })
            }

            fn explicit_columns(&self) -> ::std::vec::Vec<&'static str> {
                let mut #columns: ::std::vec::Vec<&'static str> = ::std::vec::Vec::new();
                #(#set)*
                #columns
            }

            fn write_row(
                self,
                #now_param: #now_ty,
                #values: &mut ::std::vec::Vec<::kakaorm::Value>,
            ) -> ::kakaorm::Result<&'static [&'static str]> {
                #pick
                #(#pushes)*
                ::core::result::Result::Ok(#columns)
            }
        }
    }
}

/// The statement adding one field's value to the row.
fn push(f: &FieldIr, values: &syn::Ident, now: &syn::Ident) -> TokenStream {
    let (ident, ty) = (&f.ident, &f.ty);
    let cv = column_value(f);
    let value = local("value");
    if f.auto.is_some() {
        return quote! {
            #values.push(#cv::into_value(<#ty as ::kakaorm::AutoTimestamp>::from_now(#now)));
        };
    }
    if f.auto_increment.is_some() {
        return quote! {
            if let ::core::option::Option::Some(#value) = self.#ident {
                #values.push(#cv::into_value(#value));
            }
        };
    }
    // One generic call per field: the compiler checks a call more cheaply than a `match`.
    let pushed = match &f.default {
        Some(d) => {
            let (lit, lit_ty) = (typed(&d.value), literal_type(&d.value));
            let from = quote_spanned!(d.span=> <#ty as ::kakaorm::FromLiteral<#lit_ty>>::from_literal);
            quote!(::kakaorm::__private::set_or_default(self.#ident, #cv::into_value, #from, #lit)?)
        }
        None => quote!(::kakaorm::__private::set_or_null(self.#ident, #cv::into_value)),
    };
    quote!(#values.push(#pushed);)
}
