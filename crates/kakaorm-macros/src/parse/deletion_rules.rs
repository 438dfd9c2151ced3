//! The deletion strategy: `soft_delete` needs a nullable timestamp field, `archive` a
//! table name for the archive and no column of its own called `archived_at`.

use proc_macro2::Span;

use super::model_rules::check_name;
use crate::errors::Errors;
use crate::ir::{DeletionIr, FieldIr, Spanned};
use crate::naming::did_you_mean;
use crate::types::{Known, Shape};

/// The column an archive table adds (kept in step with `kakaorm_core::schema::ARCHIVED_AT`).
const ARCHIVED_AT: &str = "archived_at";

/// Validates `soft_delete`/`archive` against the fields.
pub fn deletion(
    soft: Option<Spanned<String>>,
    archive: Option<Spanned<()>>,
    table: &str,
    fields: &[FieldIr],
    errors: &mut Errors,
) -> DeletionIr {
    match (soft, archive) {
        (Some(_), Some(archive)) => {
            errors.at(archive.span, "`soft_delete` and `archive` exclude each other: choose one");
            DeletionIr::Hard
        }
        (Some(soft), None) => soft_field(&soft.value, soft.span, fields, errors),
        (None, Some(archive)) => archive_table(table, archive.span, fields, errors),
        (None, None) => DeletionIr::Hard,
    }
}

fn soft_field(name: &str, span: Span, fields: &[FieldIr], errors: &mut Errors) -> DeletionIr {
    let Some(i) = fields.iter().position(|f| f.name() == name) else {
        let names: Vec<String> = fields.iter().map(FieldIr::name).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let hint = did_you_mean(name, &names);
        let msg = format!(
            "`soft_delete` needs a field `{name}: Option<DateTime<Utc>>`{hint}; declare it, or name another \
             field with `soft_delete = \"...\"`"
        );
        errors.at(span, msg);
        return DeletionIr::Hard;
    };
    let field = &fields[i];
    let shape = Shape::of(&field.ty);
    let timestamp = |k| matches!(k, Known::Timestamp | Known::TimestampTz);
    if !shape.optional || shape.certainly_not(timestamp) {
        let msg = format!(
            "the soft-delete field `{name}` must be `Option<DateTime<Utc>>` or `Option<NaiveDateTime>` \
             (NULL while the row is live)"
        );
        errors.at(field.ty_span(), msg);
    }
    if let Some(auto) = &field.auto {
        errors.at(auto.span, format_args!("the soft-delete field `{name}` cannot be `auto_now`/`auto_now_add`"));
    }
    if field.primary_key {
        errors.at(span, format_args!("the soft-delete field `{name}` cannot be the primary key"));
    }
    DeletionIr::Soft(i, span)
}

fn archive_table(table: &str, span: Span, fields: &[FieldIr], errors: &mut Errors) -> DeletionIr {
    let archive = format!("archive_{table}");
    check_name(&archive, span, "archive table name", errors);
    if let Some(clash) = fields.iter().find(|f| f.column == ARCHIVED_AT) {
        let msg = format!("column `{ARCHIVED_AT}` clashes with the column the archive table adds; rename it");
        errors.at(clash.ident.span(), msg);
    }
    DeletionIr::Archive(archive)
}
