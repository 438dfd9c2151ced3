//! The row decoder: reads each column by index, in schema order, straight into the field.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::{column_value, local};
use crate::ir::{FieldIr, ModelIr};
use crate::types::Shape;

/// The longest tuple `DecodeColumns` is implemented for.
const MAX_RUN: usize = 12;

/// `impl FromRow for Model`.
///
/// Runs of consecutive fields whose type is known by name (so certainly a column type) are
/// read with one `DecodeColumns` call per run, which the compiler checks much faster than
/// a decode and an early return per field; any other field is decoded on its own, so an
/// unsupported type is reported at that field as before.
pub fn expand(ir: &ModelIr) -> TokenStream {
    let model = &ir.ident;
    let row = local("row");
    let bindings: Vec<Ident> = (0..ir.fields.len()).map(|i| local(&format!("__kakaorm_field_{i}"))).collect();
    let mut reads = Vec::new();
    let mut first = 0;
    while first < ir.fields.len() {
        let run = ir.fields[first..].iter().take(MAX_RUN).take_while(|f| known(f)).count();
        let (end, decode) = if run > 1 {
            let tys = ir.fields[first..first + run].iter().map(|f| &f.ty);
            let call = quote!(<(#(#tys,)*) as ::kakaorm::__private::DecodeColumns>::decode_columns(#row, #first));
            (first + run, call)
        } else {
            let cv = column_value(&ir.fields[first]);
            (first + 1, quote!(#cv::decode(#row, #first)))
        };
        let names = &bindings[first..end];
        let pattern = if end - first > 1 { quote!((#(#names,)*)) } else { quote!(#(#names)*) };
        reads.push(early_return(&pattern, &decode));
        first = end;
    }
    let fields = ir.fields.iter().zip(&bindings).map(|(f, binding)| {
        let ident = &f.ident;
        quote!(#ident: #binding)
    });
    let model_name = model.to_string();
    let relations = ir.relations.iter().map(|r| {
        let (ident, kind) = (&r.ident, syn::Ident::new(r.kind.type_name(), proc_macro2::Span::call_site()));
        let name = ident.to_string();
        quote!(#ident: ::kakaorm::relation::#kind::not_loaded(#model_name, #name))
    });
    quote! {
        #[automatically_derived]
        impl ::kakaorm::FromRow for #model {
            #[inline]
            fn from_row<__KakaormRow: ::kakaorm::RowReader + ?::core::marker::Sized>(
                #row: &mut __KakaormRow,
            ) -> ::kakaorm::Result<Self> {
                #(#reads)*
                ::core::result::Result::Ok(Self { #(#fields,)* #(#relations,)* })
            }
        }
    }
}

/// Whether `f`'s type is known by name, so certainly a column type.
fn known(f: &FieldIr) -> bool {
    Shape::of(&f.ty).known.is_some()
}

/// `let pattern = decode;`, returning the error early: a `match` rather than `?`, the same
/// code without the `Try`/`From` machinery the compiler checks per `?`.
fn early_return(pattern: &TokenStream, decode: &TokenStream) -> TokenStream {
    let (value, error) = (local("value"), local("error"));
    quote! {
        let #pattern = match #decode {
            ::core::result::Result::Ok(#value) => #value,
            ::core::result::Result::Err(#error) => return ::core::result::Result::Err(#error),
        };
    }
}
