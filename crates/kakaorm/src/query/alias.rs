//! `Alias<M>`: a model's table under another name, so a query can read it twice (a
//! self-join).

use std::marker::PhantomData;

use kakaorm_core::ast::{ColumnRef, Expr};
use kakaorm_core::typed::{Column, SqlExpr};

/// Model `M`'s table under the name `name`, for joining a table to itself: employees
/// and their managers. Made by [`ModelExt::alias`](crate::ModelExt::alias); its columns
/// are named through [`col`](Alias::col). The name must be an identifier (a letter or
/// `_`, then letters, digits or `_`); anything else fails with
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) when the query renders.
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "staff")] struct Employee { id: i64, name: String, manager_id: Option<i64> }
/// let mgr = Employee::alias("mgr");
/// let q = Employee::query().left_join_as(mgr, Employee::manager_id.qualified().eq(Employee::id));
/// assert_eq!(
///     q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql,
///     r#"SELECT "staff"."id", "staff"."name", "staff"."manager_id", "mgr"."id", "mgr"."name", "mgr"."manager_id" FROM "staff" LEFT JOIN "staff" "mgr" ON "staff"."manager_id" = "mgr"."id""#
/// );
/// assert_eq!(mgr.col(Employee::name).expr_sql(kakaorm::Backend::Mysql.dialect()), "`mgr`.`name`");
/// ```
pub struct Alias<M> {
    name: &'static str,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Alias<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for Alias<M> {}

impl<M> std::fmt::Debug for Alias<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Alias({})", self.name)
    }
}

impl<M> Alias<M> {
    /// The table of `M` under `name`.
    pub(crate) fn new(name: &'static str) -> Self {
        Alias { name, _model: PhantomData }
    }

    /// The name the table goes by.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// `column` of the aliased table (`"mgr"."name"`): select it, compare it, order by it.
    pub fn col<T>(&self, column: Column<M, T>) -> SqlExpr<M, T> {
        SqlExpr::from_expr(Expr::Column(ColumnRef::new(Some(self.name), column.name())))
    }
}
