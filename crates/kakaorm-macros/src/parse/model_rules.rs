//! Model-wide rules: the primary key, unique column names and table-level indexes.

use std::collections::HashSet;

use proc_macro2::Span;
use syn::Ident;

use super::container::RawIndex;
use crate::errors::Errors;
use crate::ir::{FieldIr, IndexIr, RelationIr, RelationKindIr};
use crate::naming::{did_you_mean, validate_identifier};
use crate::types::{Known, Shape};

/// Finds the primary key, marks it in `fields`, and returns its index.
///
/// The key is the field marked `primary_key`; failing that, a field named `id`, which is
/// then also auto-increment.
pub fn primary_key(model: &Ident, fields: &mut [FieldIr], errors: &mut Errors) -> Option<usize> {
    let marked: Vec<usize> = (0..fields.len()).filter(|&i| fields[i].primary_key).collect();
    for &extra in marked.iter().skip(1) {
        let msg = format!("model `{model}` has more than one primary key; composite keys are not supported");
        errors.at(fields[extra].ident.span(), msg);
    }
    let pk = match marked.first() {
        Some(&i) => i,
        None => {
            let Some(i) = fields.iter().position(|f| f.name() == "id") else {
                let msg = format!(
                    "model `{model}` has no primary key: add an `id: i64` field or mark a field #[kakaorm(primary_key)]"
                );
                errors.at(model.span(), msg);
                return None;
            };
            let id = &mut fields[i];
            if let (None, Some(default)) = (id.auto_increment, &id.default) {
                errors.at(default.span, "`default` clashes with the auto-increment primary key `id`");
            }
            id.primary_key = true;
            id.auto_increment.get_or_insert(id.ident.span());
            i
        }
    };
    for (i, f) in fields.iter().enumerate() {
        if let Some(span) = f.auto_increment.filter(|_| i != pk && !f.primary_key) {
            errors.at(span, "`auto_increment` is only allowed on the primary key");
        }
    }
    check_key(&fields[pk], !marked.is_empty(), errors);
    Some(pk)
}

/// Refuses a second `version` field: a row has one version.
pub fn one_version(model: &Ident, fields: &[FieldIr], errors: &mut Errors) {
    for span in fields.iter().filter_map(|f| f.version).skip(1) {
        errors.at(span, format_args!("model `{model}` has more than one `version` field; a row has one version"));
    }
}

fn check_key(pk: &FieldIr, marked: bool, errors: &mut Errors) {
    let shape = Shape::of(&pk.ty);
    if shape.optional {
        errors.at(pk.ty_span(), format_args!("the primary key `{}` must not be an Option", pk.name()));
    }
    let Some(span) = pk.auto_increment else {
        return;
    };
    if !shape.certainly_not(|k| matches!(k, Known::Int(_))) {
        return;
    }
    if marked {
        errors.at(span, "an `auto_increment` primary key must be i16, i32 or i64");
    } else {
        let msg = "`id` is the auto-increment primary key by convention, so it must be i16, i32 or i64; \
                   mark the key field #[kakaorm(primary_key)] to use another type";
        errors.at(pk.ty_span(), msg);
    }
}

/// Reports two fields that map to the same column.
pub fn unique_columns(fields: &[FieldIr], errors: &mut Errors) {
    let mut seen = HashSet::new();
    for f in fields {
        if !seen.insert(f.column.as_str()) {
            errors.at(f.ident.span(), format_args!("column `{}` is declared twice", f.column));
        }
    }
}

/// Maps each index's field names to column names.
pub fn indexes(raw: Vec<RawIndex>, fields: &[FieldIr], errors: &mut Errors) -> Vec<IndexIr> {
    let names: Vec<String> = fields.iter().map(FieldIr::name).collect();
    let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
    raw.into_iter().filter_map(|index| one_index(index, fields, &candidates, errors)).collect()
}

fn one_index(index: RawIndex, fields: &[FieldIr], names: &[&str], errors: &mut Errors) -> Option<IndexIr> {
    let Some(list) = index.fields.filter(|l| !l.value.is_empty()) else {
        errors.at(index.span, "an index needs its fields: `index = \"a, b\"`");
        return None;
    };
    let mut columns = Vec::with_capacity(list.value.len());
    for ident in &list.value {
        let name = ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name);
        match names.iter().position(|n| *n == name) {
            Some(i) if columns.contains(&fields[i].column) => {
                errors.at(ident.span(), format_args!("field `{name}` appears twice in this index"));
            }
            Some(i) => columns.push(fields[i].column.clone()),
            None => {
                let hint = did_you_mean(name, names);
                errors.at(ident.span(), format_args!("unknown field `{name}` in index{hint}"));
            }
        }
    }
    if let Some(name) = &index.name {
        check_name(&name.value, name.span, "index name", errors);
    }
    Some(IndexIr { columns, unique: index.unique.is_some(), name: index.name.map(|n| n.value) })
}

/// Reports an invalid table or index name at `span`.
pub fn check_name(name: &str, span: Span, what: &str, errors: &mut Errors) {
    if let Err(msg) = validate_identifier(name, what) {
        errors.at(span, msg);
    }
}

/// Checks that each belongs-to relation names a field of this model as its foreign key.
pub fn belongs_to_keys(model: &Ident, relations: &[RelationIr], fields: &[FieldIr], errors: &mut Errors) {
    let names: Vec<String> = fields.iter().map(FieldIr::name).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    for rel in relations.iter().filter(|r| r.kind == RelationKindIr::BelongsTo) {
        let fk = rel.foreign_key.to_string();
        if !names.contains(&fk.as_str()) {
            let hint = did_you_mean(&fk, &names);
            let msg = format!(
                "`{model}` has no field `{fk}` for the foreign key of `{}`{hint}; name it with `foreign_key = \"...\"`",
                rel.ident
            );
            errors.at(rel.foreign_key.span(), msg);
        }
    }
}
