//! Typed column handles: `User::age` is a `Column<User, i32>`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::ModelIr;
use crate::types::display;

/// An inherent impl with one associated const per field, named like the field and with
/// its visibility.
pub fn expand(ir: &ModelIr) -> TokenStream {
    let model = &ir.ident;
    let consts = ir.fields.iter().map(|f| {
        let (vis, ident, ty, docs) = (&f.vis, &f.ident, &f.ty, &f.docs);
        let column = &f.column;
        let summary = format!("Column `{column}` (`{}`).", display(ty));
        let extra = if docs.is_empty() { quote!() } else { quote!(#[doc = ""] #(#docs)*) };
        quote! {
            #[doc = #summary]
            #extra
            #vis const #ident: ::kakaorm::typed::Column<Self, #ty> = ::kakaorm::typed::Column::new(#column);
        }
    });
    quote! {
        #[allow(non_upper_case_globals, dead_code)]
        impl #model {
            #(#consts)*
        }
    }
}
