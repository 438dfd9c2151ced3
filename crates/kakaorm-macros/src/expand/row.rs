//! The row decoder: reads each column by index, in schema order, straight into the field.

use proc_macro2::TokenStream;
use quote::quote;

use super::{column_value, local};
use crate::ir::ModelIr;

/// `impl FromRow for Model`.
pub fn expand(ir: &ModelIr) -> TokenStream {
    let model = &ir.ident;
    let row = local("row");
    let fields = ir.fields.iter().enumerate().map(|(idx, f)| {
        let ident = &f.ident;
        let cv = column_value(f);
        quote!(#ident: #cv::decode(#row, #idx)?)
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
                ::core::result::Result::Ok(Self { #(#fields,)* #(#relations,)* })
            }
        }
    }
}
