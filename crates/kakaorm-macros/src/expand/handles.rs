//! Typed column handles: `User::age` is a `Column<User, i32>`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::Ident;

use crate::ir::{ModelIr, RelationIr, RelationKindIr};
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
    let relations = ir.relations.iter().map(relation);
    quote! {
        #[allow(non_upper_case_globals, dead_code)]
        impl #model {
            #(#consts)*
            #(#relations)*
        }
    }
}

/// `User::posts`: a `Relation<User, Post, HasMany<Post>>` over the foreign key, whose
/// type is checked against the referenced key here (an error points at the key's name).
fn relation(rel: &RelationIr) -> TokenStream {
    let (vis, ident, ty, target, docs) = (&rel.vis, &rel.ident, &rel.ty, &rel.target, &rel.docs);
    let name = ident.to_string();
    let fk = &rel.foreign_key;
    let kind = syn::Ident::new(rel.kind.type_name(), proc_macro2::Span::call_site());
    let summary = format!("Relation `{name}` (`{}`): prefetch it, load it, or query it with `of`.", display(ty));
    let extra = if docs.is_empty() { quote!() } else { quote!(#[doc = ""] #(#docs)*) };
    let field = quote!(|model: &mut Self| &mut model.#ident);
    let check = |holder: &dyn ToTokens, key_of: &dyn ToTokens, column: &Ident| {
        quote_spanned! {column.span()=>
            ::kakaorm::relation::check_foreign_key::<#holder, <#key_of as ::kakaorm::Model>::Key, _>(<#holder>::#column)
        }
    };
    let value = match (rel.kind, &rel.through) {
        (RelationKindIr::ManyToMany, Some(through)) => {
            let join = &through.model;
            let from = check(join, &quote!(Self), fk);
            let to = check(join, target, &through.to);
            quote! {
                ::kakaorm::relation::Relation::many_to_many(
                    #name,
                    ::kakaorm::relation::Through {
                        schema: {
                            fn __kakaorm_through() -> &'static ::kakaorm::schema::TableSchema {
                                <#join as ::kakaorm::Model>::SCHEMA
                            }
                            __kakaorm_through
                        },
                        from: #from,
                        to: #to,
                    },
                    #field,
                )
            }
        }
        _ => {
            let column = match rel.kind {
                RelationKindIr::BelongsTo => check(&quote!(Self), target, fk),
                _ => check(target, &quote!(Self), fk),
            };
            quote! {
                ::kakaorm::relation::Relation::new(#name, ::kakaorm::relation::RelationKind::#kind, #column, #field)
            }
        }
    };
    quote! {
        #[doc = #summary]
        #extra
        #vis const #ident: ::kakaorm::relation::Relation<Self, #target, #ty> = #value;
    }
}
