//! Parsing tests on derive inputs, without compiling the generated code.

use syn::{DeriveInput, parse_quote};

use super::parse;
use crate::ir::{AutoTime, DefaultLit, FkAction, ModelIr};

fn ok(input: DeriveInput) -> ModelIr {
    match parse(&input) {
        Ok(ir) => ir,
        Err(e) => panic!("unexpected errors: {:?}", e.into_iter().map(|e| e.to_string()).collect::<Vec<_>>()),
    }
}

fn errors(input: DeriveInput) -> Vec<String> {
    match parse(&input) {
        Ok(_) => panic!("expected errors"),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn conventions_fill_in_table_key_and_columns() {
    let ir = ok(parse_quote! {
        pub struct BlogPost {
            pub id: i64,
            #[kakaorm(column = "heading", max_length = 20)]
            pub title: String,
            pub r#type: Option<String>,
        }
    });
    assert_eq!(ir.table, "blog_post");
    assert_eq!(ir.primary_key, 0);
    assert!(ir.pk().primary_key && ir.pk().auto_increment.is_some());
    let columns: Vec<&str> = ir.fields.iter().map(|f| f.column.as_str()).collect();
    assert_eq!(columns, ["id", "heading", "type"]);
    assert_eq!(ir.fields[1].max_length.as_ref().map(|m| m.value), Some(20));
    assert_eq!(ir.builder_ident().to_string(), "BlogPostCreate");
}

#[test]
fn options_reach_the_ir() {
    let ir = ok(parse_quote! {
        #[kakaorm(table = "items", unique(fields = "name, r#type", name = "ix"))]
        struct Item {
            #[kakaorm(primary_key)]
            code: Uuid,
            #[kakaorm(default = -9223372036854775808)]
            low: i64,
            #[kakaorm(default = -0.25)]
            ratio: f64,
            #[kakaorm(default = "x", unique, index, check = "name <> ''")]
            name: String,
            #[kakaorm(column = "kind")]
            r#type: String,
            #[kakaorm(max_digits = 9, decimal_places = 3)]
            price: Decimal,
            #[kakaorm(auto_now)]
            at: DateTime<Utc>,
            #[kakaorm(references = Self, on_delete = "Set_Null", on_update = "CASCADE")]
            parent: Option<Uuid>,
        }
    });
    assert_eq!(ir.table, "items");
    assert!(ir.pk().auto_increment.is_none());
    assert_eq!(ir.fields[1].default.as_ref().map(|d| d.value.clone()), Some(DefaultLit::Int(i64::MIN)));
    assert_eq!(ir.fields[2].default.as_ref().map(|d| d.value.clone()), Some(DefaultLit::Float(-0.25)));
    let name = &ir.fields[3];
    assert!(name.unique && name.index);
    assert_eq!(name.check.as_deref(), Some("name <> ''"));
    assert_eq!(ir.fields[5].digits.as_ref().map(|d| d.value), Some((9, 3)));
    assert_eq!(ir.fields[6].auto.as_ref().map(|a| a.value), Some(AutoTime::Now));
    let fk = ir.fields[7].references.as_ref().expect("a foreign key");
    assert!(fk.target.is_ident("Item"));
    assert_eq!((fk.on_delete, fk.on_update), (FkAction::SetNull, FkAction::Cascade));
    assert!(fk.set_null.is_some());
    assert_eq!(ir.indexes[0].columns, ["name", "kind"]);
    assert_eq!(ir.indexes[0].name.as_deref(), Some("ix"));
    assert!(ir.indexes[0].unique);
}

#[test]
fn every_error_is_reported_at_once() {
    let errs = errors(parse_quote! {
        #[kakaorm(table = "a\"b", index = "nope")]
        struct Bad {
            #[kakaorm(max_lenght = 5)]
            name: String,
            #[kakaorm(auto_now, auto_now_add)]
            at: DateTime<Utc>,
            #[kakaorm(check = "x; y", unique, unique)]
            x: i32,
        }
    });
    let expected = [
        "did you mean `max_length`?",
        "`auto_now` and `auto_now_add` clash",
        "must not contain `;`",
        "duplicate option `unique`",
        "table name",
        "unknown field `nope`",
        "has no primary key",
    ];
    assert_eq!(errs.len(), expected.len(), "{errs:#?}");
    for want in expected {
        assert!(errs.iter().any(|e| e.contains(want)), "missing {want:?} in {errs:#?}");
    }
}

#[test]
fn shapes_and_generics_are_rejected() {
    let errs = errors(parse_quote!(
        enum E {
            A,
        }
    ));
    assert!(errs[0].contains("is an enum"), "{errs:?}");
    let errs = errors(parse_quote!(
        struct T(i64);
    ));
    assert!(errs[0].contains("is a tuple struct"), "{errs:?}");
    let errs = errors(parse_quote!(
        struct G<T> {
            id: i64,
            v: T,
        }
    ));
    assert!(errs[0].contains("does not support generics"), "{errs:?}");
}

#[test]
fn syntax_errors_name_the_expected_form() {
    let errs = errors(parse_quote! {
        struct S {
            id: i64,
            #[kakaorm(max_length = "50")]
            name: String,
            #[kakaorm(default = [1])]
            age: i32,
            #[kakaorm(unique = true)]
            email: String,
        }
    });
    assert!(errs.iter().any(|e| e.contains("expected `max_length = 50`")), "{errs:#?}");
    assert!(errs.iter().any(|e| e.contains("expected `default = 0`")), "{errs:#?}");
    assert!(errs.iter().any(|e| e.contains("`unique` takes no value")), "{errs:#?}");
}
