//! Relation fields: `HasMany<T>`, `HasOne<T>`, `BelongsTo<T>` and `ManyToMany<T>`, with
//! their `#[kakaorm(has_many | has_one | belongs_to, foreign_key = "field")]` and
//! `#[kakaorm(many_to_many, through = Join, foreign_key = "a_id", target_key = "b_id")]`
//! options.
//!
//! A field is a relation when its type is one of the three; the kind keyword is optional
//! but must agree with the type.

use proc_macro2::Span;
use syn::{Field, GenericArgument, Ident, Path, PathArguments, Type};

use super::meta::{flag, for_each_option, key, set, string, unknown, value};
use crate::errors::Errors;
use crate::ir::{RelationIr, RelationKindIr, Spanned, ThroughIr};
use crate::naming::snake_case;

/// Options of a relation field.
const RELATION_OPTIONS: &[&str] =
    &["has_many", "has_one", "belongs_to", "many_to_many", "foreign_key", "through", "target_key"];

/// The relation a field declares, or `None` when it is a column.
pub fn parse(field: &Field, model: &Ident, errors: &mut Errors) -> Option<RelationIr> {
    let (kind, target) = relation_type(&field.ty)?;
    let ident = field.ident.clone()?;
    let mut keyword: Option<Spanned<RelationKindIr>> = None;
    let mut foreign_key: Option<Spanned<String>> = None;
    let mut through: Option<Spanned<Path>> = None;
    let mut target_key: Option<Spanned<String>> = None;
    for_each_option(&field.attrs, errors, |meta, errors| {
        let key = key(meta)?;
        match key.value.as_str() {
            name @ ("has_many" | "has_one" | "belongs_to" | "many_to_many") => {
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
            "target_key" => {
                let fk = string(meta, &key, "\"tag_id\"")?;
                set(&mut target_key, &key, fk, errors);
            }
            "through" => {
                let path = value::<Path>(meta, &key, "JoinModel")?;
                set(&mut through, &key, path, errors);
            }
            _ => unknown(meta, &key, "relation", RELATION_OPTIONS, ("column", &[]), errors)?,
        }
        Ok(())
    });
    let at = keyword.as_ref().map_or_else(|| ident.span(), |k| k.span);
    let default_fk = match kind {
        RelationKindIr::BelongsTo => format!("{}_id", ident.to_string().trim_start_matches("r#")),
        _ => key_of(&model.to_string()),
    };
    let fk = field_ident(foreign_key, default_fk, at, errors)?;
    let through = match (kind, through) {
        (RelationKindIr::ManyToMany, Some(model_path)) => {
            let default_to = type_name(&target).map(|t| key_of(&t)).unwrap_or_default();
            let to = field_ident(target_key.take(), default_to, model_path.span, errors)?;
            if to == fk {
                let msg = format!("both keys of `{ident}` are `{fk}`: name them with `foreign_key` and `target_key`");
                errors.at(model_path.span, msg);
            }
            Some(ThroughIr { model: model_path.value, to })
        }
        (RelationKindIr::ManyToMany, None) => {
            errors.at(at, "a many-to-many relation needs its join model: `through = ArticleTag`");
            return None;
        }
        (_, Some(model_path)) => {
            errors.at(model_path.span, "`through` applies to `many_to_many` relations only");
            None
        }
        (_, None) => None,
    };
    if let Some(key) = &target_key {
        errors.at(key.span, "`target_key` applies to `many_to_many` relations only");
    }
    let docs = field.attrs.iter().filter(|a| a.path().is_ident("doc")).cloned().collect();
    Some(RelationIr {
        ident,
        vis: field.vis.clone(),
        ty: field.ty.clone(),
        target,
        kind,
        foreign_key: fk,
        docs,
        through,
    })
}

/// `user_id` for a model `User`.
fn key_of(model: &str) -> String {
    format!("{}_id", snake_case(model.trim_start_matches("r#")))
}

/// The last segment of a type path (`Tag` for `crate::models::Tag`).
fn type_name(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    path.path.segments.last().map(|s| s.ident.to_string())
}

/// The field named by an option, or the default, spanned where it was written.
fn field_ident(written: Option<Spanned<String>>, default: String, at: Span, errors: &mut Errors) -> Option<Ident> {
    let (name, span) = written.map_or((default, at), |w| (w.value, w.span));
    let Ok(mut ident) = syn::parse_str::<Ident>(&name) else {
        errors.at(span, format_args!("`{name}` is not a field name"));
        return None;
    };
    ident.set_span(span);
    Some(ident)
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
