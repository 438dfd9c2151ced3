//! Relation fields: `HasMany<T>`, `HasOne<T>` and `BelongsTo<T>`, with their
//! `#[kakaorm(has_many | has_one | belongs_to, foreign_key = "field")]` options.
//!
//! A field is a relation when its type is one of the three; the kind keyword is optional
//! but must agree with the type.

use syn::{Field, GenericArgument, Ident, PathArguments, Type};

use super::meta::{flag, for_each_option, key, set, string, unknown};
use crate::errors::Errors;
use crate::ir::{RelationIr, RelationKindIr, Spanned};
use crate::naming::snake_case;

/// Options of a relation field.
const RELATION_OPTIONS: &[&str] = &["has_many", "has_one", "belongs_to", "foreign_key"];

/// The relation a field declares, or `None` when it is a column.
pub fn parse(field: &Field, model: &Ident, errors: &mut Errors) -> Option<RelationIr> {
    let (kind, target) = relation_type(&field.ty)?;
    let ident = field.ident.clone()?;
    let mut keyword: Option<Spanned<RelationKindIr>> = None;
    let mut foreign_key: Option<Spanned<String>> = None;
    for_each_option(&field.attrs, errors, |meta, errors| {
        let key = key(meta)?;
        match key.value.as_str() {
            name @ ("has_many" | "has_one" | "belongs_to") => {
                flag(meta, &key, errors)?;
                let written = RelationKindIr::from_keyword(name);
                if written != Some(kind) {
                    let msg = format!("`{name}` does not match the field type `{}<...>`", kind.type_name());
                    errors.at(key.span, msg);
                }
                set(&mut keyword, &key, kind, errors);
            }
            "foreign_key" => {
                let fk = string(meta, &key, "\"user_id\"")?;
                set(&mut foreign_key, &key, fk, errors);
            }
            _ => unknown(meta, &key, "relation", RELATION_OPTIONS, ("column", &[]), errors)?,
        }
        Ok(())
    });
    let (fk_name, fk_span) = match foreign_key {
        Some(fk) => (fk.value, fk.span),
        None => {
            let default = match kind {
                RelationKindIr::BelongsTo => format!("{}_id", ident.to_string().trim_start_matches("r#")),
                _ => format!("{}_id", snake_case(model.to_string().trim_start_matches("r#"))),
            };
            (default, keyword.as_ref().map_or_else(|| ident.span(), |k| k.span))
        }
    };
    let Ok(mut fk) = syn::parse_str::<Ident>(&fk_name) else {
        errors.at(fk_span, format_args!("`{fk_name}` is not a field name"));
        return None;
    };
    fk.set_span(fk_span);
    let docs = field.attrs.iter().filter(|a| a.path().is_ident("doc")).cloned().collect();
    Some(RelationIr { ident, vis: field.vis.clone(), ty: field.ty.clone(), target, kind, foreign_key: fk, docs })
}

/// The kind and target of a relation field type (`HasMany<Post>` → has-many `Post`).
fn relation_type(ty: &Type) -> Option<(RelationKindIr, Type)> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let kind = RelationKindIr::from_type_name(&last.ident.to_string())?;
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        GenericArgument::Type(target) if args.args.len() == 1 => Some((kind, target.clone())),
        _ => None,
    }
}
