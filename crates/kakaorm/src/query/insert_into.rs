//! `insert_into(Dest, mapping)`: `INSERT INTO dest (…) SELECT …` from a query.

use std::marker::PhantomData;

use kakaorm_core::ast::{Expr, InsertSelect, Projection, Statement};
use kakaorm_core::{Column, Dialect, Model, Rendered, Result, render, render_inline};

use super::Query;
use crate::executor::Executor;
use crate::run;

/// Which columns of `D` an [`insert_into`](Query::insert_into) fills from which columns of
/// the source model `M`: one [`fill`] or a tuple of up to eight. A column of another
/// model, or of another type, does not compile.
pub trait InsertMapping<D, M> {
    /// Appends the destination columns and the selected source expressions.
    fn pairs(self, columns: &mut Vec<&'static str>, exprs: &mut Vec<Expr>);
}

/// One destination column filled from one source column; see [`fill`].
#[derive(Debug)]
pub struct Fill<D, M> {
    column: &'static str,
    source: Expr,
    _marker: PhantomData<fn() -> (D, M)>,
}

/// Fills the column `dest` of the destination model with the column `source` of the
/// queried model, of the same Rust type (for [`Query::insert_into`]): `dest` goes into
/// the column list of `INSERT INTO "d" ("dest") SELECT "source" FROM …`.
pub fn fill<D, M, T>(dest: Column<D, T>, source: Column<M, T>) -> Fill<D, M> {
    Fill { column: dest.name(), source: source.expr(), _marker: PhantomData }
}

impl<D, M> InsertMapping<D, M> for Fill<D, M> {
    fn pairs(self, columns: &mut Vec<&'static str>, exprs: &mut Vec<Expr>) {
        columns.push(self.column);
        exprs.push(self.source);
    }
}

macro_rules! mapping_tuple {
    ($($t:ident),+) => {
        impl<D, M, $($t: InsertMapping<D, M>),+> InsertMapping<D, M> for ($($t,)+) {
            #[allow(non_snake_case)]
            fn pairs(self, columns: &mut Vec<&'static str>, exprs: &mut Vec<Expr>) {
                let ($($t,)+) = self;
                $($t.pairs(columns, exprs);)+
            }
        }
    };
}
/// `mapping_tuple!` for every tuple length up to the list's.
macro_rules! mapping_tuples {
    () => {};
    ($head:ident $(, $tail:ident)*) => {
        mapping_tuple!($head $(, $tail)*);
        mapping_tuples!($($tail),*);
    };
}
mapping_tuples!(A, B, C, E, F, G, H, I);

/// An `INSERT … SELECT` into model `D` from a query over `M`; see
/// [`Query::insert_into`].
#[must_use = "an insert does nothing until it is executed"]
pub struct InsertInto<D, M> {
    stmt: InsertSelect,
    _marker: PhantomData<fn() -> (D, M)>,
}

impl<D: Model, M: Model> InsertInto<D, M> {
    /// Renders the statement, for inspection.
    ///
    /// # Errors
    /// As rendering.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render(Statement::InsertSelect(self.stmt.clone()), dialect)
    }

    /// The statement with its values written inline, quoted for `dialect`: for reading and
    /// logs only, never executed.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, title: String }
    /// # #[derive(Model)] #[kakaorm(table = "archived")] struct Archived { id: i64, title: String }
    /// let copy = Post::filter(Post::title.eq("it's")).insert_into::<Archived>(kakaorm::fill(Archived::title, Post::title));
    /// assert_eq!(
    ///     copy.debug_sql(kakaorm::Backend::Sqlite.dialect()).unwrap(),
    ///     r#"INSERT INTO "archived" ("title") SELECT "title" FROM "posts" WHERE "title" = 'it''s'"#
    /// );
    /// ```
    ///
    /// # Errors
    /// As rendering.
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        render_inline(Statement::InsertSelect(self.stmt.clone()), dialect)
    }

    /// Copies the rows and returns how many were inserted: runs
    /// `INSERT INTO "archived" ("post_id", "title") SELECT "id", "title" FROM "posts" WHERE …`.
    ///
    /// # Errors
    /// Any database error (a unique or foreign-key violation: then nothing is inserted).
    pub async fn exec<E: Executor>(self, e: &E) -> Result<u64> {
        Ok(run::execute(e, Statement::InsertSelect(self.stmt)).await?.rows_affected)
    }
}

impl<M: Model> Query<M> {
    /// Copies the matching rows into model `D` in one `INSERT INTO d (…) SELECT …`
    /// statement, filling the columns of `D` that `mapping` pairs with columns of `M`;
    /// the other columns of `D` take their database defaults. The pairs are checked at
    /// compile time: the destination column must belong to `D` and have the source's type.
    /// The query's filter, order, limit and offset apply.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, title: String, views: i64 }
    /// # #[derive(Model)] #[kakaorm(table = "archived")] struct Archived { id: i64, post_id: i64, title: String }
    /// use kakaorm::fill;
    /// let copy = Post::filter(Post::views.lt(10))
    ///     .insert_into::<Archived>((fill(Archived::post_id, Post::id), fill(Archived::title, Post::title)));
    /// assert_eq!(
    ///     copy.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql,
    ///     r#"INSERT INTO "archived" ("post_id", "title") SELECT "id", "title" FROM "posts" WHERE "views" < $1"#
    /// );
    /// ```
    pub fn insert_into<D: Model>(self, mapping: impl InsertMapping<D, M>) -> InsertInto<D, M> {
        let (mut columns, mut exprs) = (Vec::new(), Vec::new());
        mapping.pairs(&mut columns, &mut exprs);
        let select = self.into_select(Projection::Columns(exprs));
        InsertInto { stmt: InsertSelect::new(D::SCHEMA.name, columns, select), _marker: PhantomData }
    }
}
