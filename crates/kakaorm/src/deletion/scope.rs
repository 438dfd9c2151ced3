//! Which rows a query over a soft-delete or archive model reads, and the one function
//! that writes that into a SELECT.

use kakaorm_core::ast::{Expr, Projection, Select};
use kakaorm_core::schema::{Deletion, TableSchema};

/// The rows a query reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Scope {
    /// Rows that are not deleted (the default).
    #[default]
    Live,
    /// Live and deleted rows (`include_deleted`).
    All,
    /// Deleted rows only (`only_deleted`).
    Deleted,
}

/// The condition a soft-delete table's rows meet in `scope` (unqualified), if any.
pub(crate) fn condition(schema: &TableSchema, scope: Scope) -> Option<Expr> {
    let column = schema.deletion.soft_column()?;
    let negated = match scope {
        Scope::Live => false,
        Scope::Deleted => true,
        Scope::All => return None,
    };
    Some(Expr::IsNull { expr: Box::new(Expr::column(column)), negated })
}

/// Restricts `select` (over `schema`'s table) to the rows of `scope`: AND-s the
/// `deleted_at` condition of a soft-delete table; reads an archive table's rows from the
/// archive (`Deleted`) or from both tables (`All`, a `UNION ALL` under the table's name).
pub(crate) fn restrict(select: &mut Select, schema: &'static TableSchema, scope: Scope) {
    match (schema.deletion, scope) {
        (Deletion::Soft { .. }, _) => {
            if let Some(cond) = condition(schema, scope) {
                select.filter = Some(match select.filter.take() {
                    Some(f) => cond.and(f),
                    None => cond,
                });
            }
        }
        (Deletion::Archive { table }, Scope::Deleted) => {
            select.alias = select.alias.or(Some(schema.name));
            select.table = table;
        }
        (Deletion::Archive { table }, Scope::All) => {
            let part = |from| Select::new(from, Projection::Model(schema));
            select.from_union = vec![part(schema.name), part(table)];
        }
        _ => {}
    }
}
