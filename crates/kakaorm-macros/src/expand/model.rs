//! `impl Model`: the schema, the key, the builder type and the value accessors.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::{column_value, local, now_type, schema_static};
use crate::ir::{AutoTime, DeletionIr, ModelIr};

/// `impl ::kakaorm::Model for Model`.
pub fn expand(ir: &ModelIr) -> TokenStream {
    let model = &ir.ident;
    let schema = schema_static();
    let builder = ir.builder_ident();
    let pk = ir.pk();
    let (pk_ident, pk_ty, pk_cv) = (&pk.ident, &pk.ty, column_value(pk));
    let indexed = ir.fields.iter().enumerate().map(|(idx, f)| {
        let (ident, cv) = (&f.ident, column_value(f));
        quote!(#idx => #cv::to_value(&self.#ident))
    });
    let indexed_ref = ir.fields.iter().enumerate().map(|(idx, f)| {
        let (ident, cv) = (&f.ident, column_value(f));
        quote!(#idx => #cv::to_value_ref(&self.#ident))
    });
    let touch = touch_auto_now(ir);
    let custom = super::rules::custom(ir);
    let lifecycle = lifecycle(ir);
    let hooks = if ir.hooks {
        quote_spanned! {model.span()=>
            const _: fn() = || {
                fn implements_hooks<T: ::kakaorm::Hooks>() {}
                implements_hooks::<#model>();
            };
        }
    } else {
        quote! {
            #[automatically_derived]
            impl ::kakaorm::Hooks for #model {}
        }
    };
    let restorable = (!matches!(ir.deletion, DeletionIr::Hard)).then(|| {
        quote! {
            #[automatically_derived]
            impl ::kakaorm::Restorable for #model {}
        }
    });
    quote! {
        #hooks
        #restorable

        #[automatically_derived]
        impl ::kakaorm::Model for #model {
            const SCHEMA: &'static ::kakaorm::schema::TableSchema = &#schema;
            type Key = #pk_ty;
            type Create = #builder;

            #[inline]
            fn key_value(&self) -> ::kakaorm::Value {
                #pk_cv::to_value(&self.#pk_ident)
            }

            fn column_value(&self, index: usize) -> ::kakaorm::Value {
                match index {
                    #(#indexed,)*
                    _ => ::kakaorm::Value::Null,
                }
            }

            fn column_value_ref(&self, index: usize) -> ::kakaorm::ValueRef<'_> {
                match index {
                    #(#indexed_ref,)*
                    _ => ::kakaorm::ValueRef::Value(::kakaorm::Value::Null),
                }
            }

            #touch
            #custom
            #lifecycle
        }
    }
}

/// `HAS_HOOKS` and `bump_version`, when they differ from the defaults.
fn lifecycle(ir: &ModelIr) -> TokenStream {
    let mut out = TokenStream::new();
    if ir.hooks {
        out.extend(quote!(
            const HAS_HOOKS: bool = true;
        ));
    }
    if let Some(f) = ir.fields.iter().find(|f| f.version.is_some()) {
        let ident = &f.ident;
        out.extend(quote! {
            fn bump_version(&mut self) {
                self.#ident = self.#ident.wrapping_add(1);
            }
        });
    }
    out
}

/// Sets every `auto_now` field; `auto_now_add` fields keep their insert time.
fn touch_auto_now(ir: &ModelIr) -> TokenStream {
    let now = local("now");
    let now_ty = now_type();
    let sets: Vec<TokenStream> = ir
        .fields
        .iter()
        .filter(|f| f.auto.as_ref().is_some_and(|a| a.value == AutoTime::Now))
        .map(|f| {
            let (ident, ty) = (&f.ident, &f.ty);
            quote!(self.#ident = <#ty as ::kakaorm::AutoTimestamp>::from_now(#now);)
        })
        .collect();
    if sets.is_empty() {
        return quote! {
            #[inline]
            fn touch_auto_now(&mut self, _: #now_ty) {}
        };
    }
    quote! {
        fn touch_auto_now(&mut self, #now: #now_ty) {
            #(#sets)*
        }
    }
}
