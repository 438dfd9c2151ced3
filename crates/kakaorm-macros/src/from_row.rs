//! `#[derive(FromRow)]`: decodes a result row into a plain struct (not a table), each
//! field from the column labelled with its name.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

/// The `impl FromRow`, or the errors explaining why the input is not a struct with named
/// fields.
pub fn expand(input: &DeriveInput) -> syn::Result<TokenStream> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`FromRow` can be derived for structs with named fields only",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "`FromRow` needs named fields: each is read from the column of its name",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(&input.generics, "`FromRow` cannot be derived for a generic struct"));
    }
    let ident = &input.ident;
    let decoded = fields.named.iter().map(|f| {
        let name = f.ident.as_ref().map(|i| i.to_string().trim_start_matches("r#").to_owned()).unwrap_or_default();
        let field = &f.ident;
        let ty = &f.ty;
        quote! {
            #field: <#ty as ::kakaorm::ColumnValue>::decode(
                __kakaorm_row,
                ::kakaorm::__private::column_index(__kakaorm_row, #name)?,
            )?
        }
    });
    Ok(quote! {
        #[automatically_derived]
        impl ::kakaorm::FromRow for #ident {
            fn from_row<__KakaormRow: ::kakaorm::RowReader + ?::core::marker::Sized>(
                __kakaorm_row: &mut __KakaormRow,
            ) -> ::kakaorm::Result<Self> {
                ::core::result::Result::Ok(Self { #(#decoded,)* })
            }
        }
    })
}
