//! Parses and validates a `#[derive(Model)]` input into [`ModelIr`], collecting every
//! error.

mod container;
mod deletion_rules;
mod field;
mod field_rules;
mod field_validation;
mod meta;
mod model_rules;
mod options;
mod relation;

use syn::spanned::Spanned as _;
use syn::{Data, DeriveInput, Fields, FieldsNamed};

use crate::errors::Errors;
use crate::ir::ModelIr;
use crate::naming::snake_case;

/// Parses the derive input.
///
/// # Errors
/// Every problem found, combined into one error whose parts point at the culprits.
pub fn parse(input: &DeriveInput) -> syn::Result<ModelIr> {
    let mut errors = Errors::default();
    let model = &input.ident;
    if !input.generics.params.is_empty() || input.generics.where_clause.is_some() {
        let msg = format!("`#[derive(Model)]` does not support generics: model `{model}` must be a plain struct");
        errors.at(input.generics.span(), msg);
    }
    let container = container::parse(&input.attrs, &mut errors);
    let Some(named) = named_fields(input, &mut errors) else {
        return Err(errors.into_error());
    };

    let mut fields = Vec::with_capacity(named.named.len());
    let mut relations = Vec::new();
    for f in &named.named {
        if let Some(rel) = relation::parse(f, model, &mut errors) {
            relations.push(rel);
            continue;
        }
        let attrs = field::parse(&f.attrs, &mut errors);
        fields.push(field_rules::field_ir(f, attrs, model, &mut errors));
    }

    let (table, table_span) = match &container.table {
        Some(t) => (t.value.clone(), t.span),
        None => (snake_case(model.to_string().trim_start_matches("r#")), model.span()),
    };
    model_rules::check_name(&table, table_span, "table name", &mut errors);
    model_rules::unique_columns(&fields, &mut errors);
    let indexes = model_rules::indexes(container.indexes, &fields, &mut errors);
    let primary_key = model_rules::primary_key(model, &mut fields, &mut errors);
    model_rules::one_version(model, &fields, &mut errors);
    let create_builder = container.create_builder.and_then(|name| match syn::parse_str::<syn::Ident>(&name.value) {
        Ok(mut ident) => {
            ident.set_span(name.span);
            Some(ident)
        }
        Err(_) => {
            errors.at(name.span, format_args!("`{}` is not a type name", name.value));
            None
        }
    });
    model_rules::belongs_to_keys(model, &relations, &fields, &mut errors);
    let deletion = deletion_rules::deletion(container.soft_delete, container.archive, &table, &fields, &mut errors);

    match primary_key {
        Some(primary_key) if errors.is_empty() => {
            let ir = ModelIr {
                ident: model.clone(),
                vis: input.vis.clone(),
                table,
                fields,
                primary_key,
                indexes,
                relations,
                create_builder,
                hooks: container.hooks.is_some(),
                validate_with: container.validate_with,
                deletion,
            };
            Ok(ir)
        }
        _ => Err(errors.into_error()),
    }
}

fn named_fields<'a>(input: &'a DeriveInput, errors: &mut Errors) -> Option<&'a FieldsNamed> {
    let what = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => return Some(named),
            Fields::Unnamed(_) => "a tuple struct",
            Fields::Unit => "a unit struct",
        },
        Data::Enum(_) => "an enum",
        Data::Union(_) => "a union",
    };
    let msg = format!("`#[derive(Model)]` needs a struct with named fields, but `{}` is {what}", input.ident);
    errors.at(input.ident.span(), msg);
    None
}

#[cfg(test)]
mod tests;
