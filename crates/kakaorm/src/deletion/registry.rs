//! The models archive cascades know about: a child model is archived with its parent only
//! when it is registered, by [`register`] or by creating its table through kakaorm
//! (`create_table`, `create_tables`).
//!
//! Schemas are static facts of the program, so the registry is process-wide: any
//! executor on any database finds the same children.

use std::sync::{PoisonError, RwLock};

use kakaorm_core::schema::{ReferentialAction, TableSchema};

use crate::executor::ModelSet;

static MODELS: RwLock<Vec<&'static TableSchema>> = RwLock::new(Vec::new());

/// Registers models for archive cascades: archiving a row then also archives the rows of
/// these models that reference it with `ON DELETE CASCADE` (models whose tables kakaorm
/// created are registered already). Registering twice is harmless.
///
/// ```
/// # use kakaorm::prelude::*;
/// #[derive(Model)]
/// #[kakaorm(table = "lists", archive)]
/// struct List { id: i64 }
/// #[derive(Model)]
/// #[kakaorm(table = "items", archive)]
/// struct Item { id: i64, #[kakaorm(references = List, on_delete = "cascade")] list_id: i64 }
/// kakaorm::register::<(List, Item)>();
/// ```
pub fn register<S: ModelSet>() {
    register_schemas(&S::schemas());
}

/// Registers `schemas` (each table once).
pub(crate) fn register_schemas(schemas: &[&'static TableSchema]) {
    let mut models = MODELS.write().unwrap_or_else(PoisonError::into_inner);
    for s in schemas {
        if !models.iter().any(|m| m.name == s.name) {
            models.push(s);
        }
    }
}

/// Registered archive models with a foreign key to `parent` that cascades on delete, with
/// that key's column (one entry per such key).
pub(crate) fn cascading_children(parent: &TableSchema) -> Vec<(&'static TableSchema, &'static str)> {
    let models = MODELS.read().unwrap_or_else(PoisonError::into_inner);
    let mut out = Vec::new();
    for child in models.iter().filter(|m| m.deletion.archive_table().is_some()) {
        for (col, fk) in child.foreign_keys() {
            if fk.on_delete == ReferentialAction::Cascade && (fk.target)().name == parent.name {
                out.push((*child, col.name));
            }
        }
    }
    out
}
