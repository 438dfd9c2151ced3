//! The static `TableSchema`: every column with its options, the key and the indexes.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};

use super::literal::default_value;
use super::{column_value, schema_static};
use crate::ir::{AutoTime, DeletionIr, FieldIr, ForeignKeyIr, IndexIr, ModelIr};
use crate::types::{IntWidth, Known, Shape, display};

/// `static __KAKAORM_SCHEMA: TableSchema = ...;`
pub fn expand(ir: &ModelIr) -> TokenStream {
    let name = schema_static();
    let table = &ir.table;
    let model = ir.ident.to_string();
    let mut patterns = TokenStream::new();
    let columns: Vec<_> = ir.fields.iter().enumerate().map(|(i, f)| column(i, f, &mut patterns)).collect();
    let primary_key = ir.primary_key;
    let indexes = ir.indexes.iter().map(index);
    let deletion = deletion(ir);
    quote! {
        #patterns
        static #name: ::kakaorm::schema::TableSchema = ::kakaorm::schema::TableSchema::new(
            #table,
            #model,
            &[#(#columns),*],
            #primary_key,
            &[#(#indexes),*],
        )
        #deletion;
    }
}

/// `.deletion(...)` for a soft-delete or archive model; nothing otherwise.
fn deletion(ir: &ModelIr) -> TokenStream {
    let strategy = match &ir.deletion {
        DeletionIr::Hard => return TokenStream::new(),
        DeletionIr::Soft(i, _) => {
            let column = &ir.fields[*i].column;
            quote!(Soft { column: #column })
        }
        DeletionIr::Archive(table) => quote!(Archive { table: #table }),
    };
    quote!(.deletion(::kakaorm::schema::Deletion::#strategy))
}

/// The `TypeKind` variant of a type whose family is certain from its name: the schema then
/// names it instead of asking the compiler for `<T as ColumnValue>::KIND`, which costs
/// more to check.
fn type_kind(shape: &Shape<'_>) -> Option<&'static str> {
    Some(match shape.known? {
        Known::Int(IntWidth::I16) => "SmallInt",
        Known::Int(IntWidth::I32) => "Integer",
        Known::Int(IntWidth::I64) => "BigInt",
        Known::Float if display(shape.inner) == "f32" => "Real",
        Known::Float => "Double",
        Known::Bool => "Boolean",
        Known::Text => "Text",
        Known::Bytes => "Bytes",
        Known::Date => "Date",
        Known::Time => "Time",
        Known::Timestamp => "Timestamp",
        Known::TimestampTz => "TimestampTz",
        Known::Decimal => "Decimal",
        Known::Uuid => "Uuid",
        Known::Json => "Json",
    })
}

/// One `ColumnSchema`, setting only the options that differ from `ColumnSchema::new`
/// (regex patterns of its rules go to `patterns`).
fn column(index: usize, f: &FieldIr, patterns: &mut TokenStream) -> TokenStream {
    let (name, field) = (&f.column, f.name());
    let cv = column_value(f);
    let max_length = option(f.max_length.as_ref().map(|m| m.value));
    let digits = option(f.digits.as_ref().map(|d| {
        let (p, s) = d.value;
        quote!((#p, #s))
    }));
    let shape = Shape::of(&f.ty);
    // Not nullable is `ColumnSchema::new`'s default, so a type known not to be an `Option`
    // sets nothing.
    let nullable = match (shape.optional, shape.known) {
        (true, _) => Some(quote!(true)),
        (false, Some(_)) => None,
        (false, None) => Some(quote!(#cv::NULLABLE)),
    };
    let kind = match type_kind(&shape) {
        Some(kind) => {
            let kind = syn::Ident::new(kind, proc_macro2::Span::call_site());
            quote!(::kakaorm::TypeKind::#kind)
        }
        None => quote!(#cv::KIND),
    };
    let mut set: Vec<_> = nullable.map(|n| quote!(nullable(#n))).into_iter().collect();
    let flags = [
        ("primary_key", f.primary_key),
        ("auto_increment", f.auto_increment.is_some()),
        ("unique", f.unique),
        ("index", f.index),
        ("auto_now", f.auto.as_ref().is_some_and(|a| a.value == AutoTime::Now)),
        ("auto_now_add", f.auto.as_ref().is_some_and(|a| a.value == AutoTime::NowAdd)),
        ("version", f.version.is_some()),
    ];
    for (flag, on) in flags {
        let flag = syn::Ident::new(flag, proc_macro2::Span::call_site());
        if on {
            set.push(quote!(#flag()));
        }
    }
    if let Some(d) = &f.default {
        let value = default_value(&d.value);
        set.push(quote!(default(#value)));
    }
    if let Some(check) = &f.check {
        set.push(quote!(check(#check)));
    }
    if let Some(m) = &f.max_length {
        let m = m.value;
        set.push(quote!(max_length(#m)));
    }
    if let Some(rules) = super::rules::list(index, f, patterns) {
        set.push(quote!(rules(#rules)));
    }
    if let Some(fk) = &f.references {
        let fk = foreign_key(fk);
        set.push(quote!(references(#fk)));
    }
    quote! {
        ::kakaorm::schema::ColumnSchema::new(
            #name,
            #field,
            ::kakaorm::ColumnType::resolve(#kind, #max_length, #digits),
        )
        #(.#set)*
    }
}

fn option<T: ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// A `ForeignKeySchema` whose target is a fn returning the other model's schema, so
/// models may refer to each other.
fn foreign_key(fk: &ForeignKeyIr) -> TokenStream {
    let target = &fk.target;
    let action = |a: crate::ir::FkAction| {
        let variant = syn::Ident::new(a.variant(), proc_macro2::Span::call_site());
        quote!(::kakaorm::schema::ReferentialAction::#variant)
    };
    let (on_delete, on_update) = (action(fk.on_delete), action(fk.on_update));
    let schema = quote_spanned!(fk.span=> <#target as ::kakaorm::Model>::SCHEMA);
    quote! {
        ::kakaorm::schema::ForeignKeySchema::new(
            {
                fn __kakaorm_target() -> &'static ::kakaorm::schema::TableSchema {
                    #schema
                }
                __kakaorm_target
            },
            #on_delete,
            #on_update,
        )
    }
}

fn index(index: &IndexIr) -> TokenStream {
    let columns = &index.columns;
    let unique = index.unique;
    let name = option(index.name.as_ref());
    quote! {
        ::kakaorm::schema::IndexSchema::new(&[#(#columns),*], #unique, #name)
    }
}
