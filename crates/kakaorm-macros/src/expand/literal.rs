//! Tokens for `default = <literal>`: the schema's `DefaultValue` and the typed literal the
//! create builder converts with `FromLiteral`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::ir::DefaultLit;

/// The literal with an explicit type (`0_i64`, `1.5_f64`, `true`, `"x"`).
pub fn typed(lit: &DefaultLit) -> TokenStream {
    match lit {
        DefaultLit::Int(v) => {
            let lit = Literal::i64_suffixed(*v);
            quote!(#lit)
        }
        DefaultLit::Float(v) => {
            let lit = Literal::f64_suffixed(*v);
            quote!(#lit)
        }
        DefaultLit::Bool(v) => quote!(#v),
        DefaultLit::Str(v) => quote!(#v),
    }
}

/// The Rust type of [`typed`]: the `L` of `FromLiteral<L>`.
pub fn literal_type(lit: &DefaultLit) -> TokenStream {
    match lit {
        DefaultLit::Int(_) => quote!(i64),
        DefaultLit::Float(_) => quote!(f64),
        DefaultLit::Bool(_) => quote!(bool),
        DefaultLit::Str(_) => quote!(&'static str),
    }
}

/// `::kakaorm::schema::DefaultValue::Int(0_i64)` and friends.
pub fn default_value(lit: &DefaultLit) -> TokenStream {
    let value = typed(lit);
    let variant = match lit {
        DefaultLit::Int(_) => quote!(Int),
        DefaultLit::Float(_) => quote!(Float),
        DefaultLit::Bool(_) => quote!(Bool),
        DefaultLit::Str(_) => quote!(Str),
    };
    quote!(::kakaorm::schema::DefaultValue::#variant(#value))
}
