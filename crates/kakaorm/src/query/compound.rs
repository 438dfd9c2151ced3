//! `Compound<M, O>`: UNION, INTERSECT and EXCEPT over queries returning the same row type.

use std::marker::PhantomData;

use kakaorm_core::ast::{self, Projection, Select, SetOp};
use kakaorm_core::typed::IntoOrder;
use kakaorm_core::{Dialect, FromRow, Model, Rendered, Result, render, render_inline};

use super::{Query, Selected};
use crate::executor::Executor;
use crate::run;

/// A query that can be combined with others whose rows decode into `O`: a [`Query`]
/// (model rows) or a [`Selected`] (chosen columns).
pub trait SetMember<O> {
    /// The member's SELECT.
    #[doc(hidden)]
    fn into_member(self) -> Select;
}

impl<M: Model> SetMember<M> for Query<M> {
    fn into_member(self) -> Select {
        self.into_select(Projection::Model(M::SCHEMA))
    }
}

impl<M: Model, O: FromRow> SetMember<O> for Selected<M, O> {
    fn into_member(self) -> Select {
        self.into_select()
    }
}

/// Queries combined by set operations, decoding rows into `O`; `M` types the ordering
/// terms. Built by [`Query::union`] and its kin.
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String, age: i32 }
/// let q = User::filter(User::age.lt(18)).union(User::filter(User::age.gt(65))).order_by(User::name).limit(10);
/// let sql = q.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql;
/// assert_eq!(
///     sql,
///     r#"SELECT "id", "name", "age" FROM "users" WHERE "age" < ? UNION SELECT "id", "name", "age" FROM "users" WHERE "age" > ? ORDER BY "name" ASC LIMIT ?"#
/// );
/// ```
#[must_use = "a query does nothing until it is executed"]
pub struct Compound<M, O> {
    compound: ast::Compound,
    _marker: PhantomData<fn() -> (M, O)>,
}

impl<M, O> Clone for Compound<M, O> {
    fn clone(&self) -> Self {
        Compound { compound: self.compound.clone(), _marker: PhantomData }
    }
}

impl<M, O: FromRow> Compound<M, O> {
    pub(crate) fn new(first: Select, op: SetOp, second: Select) -> Self {
        let mut compound = ast::Compound::new(first);
        compound.rest.push((op, second));
        Compound { compound, _marker: PhantomData }
    }

    fn then(mut self, op: SetOp, other: impl SetMember<O>) -> Self {
        self.compound.rest.push((op, other.into_member()));
        self
    }

    /// `… UNION other`: renders `SELECT "id" FROM "a" WHERE … UNION SELECT "id" FROM "b"`.
    pub fn union(self, other: impl SetMember<O>) -> Self {
        self.then(SetOp::Union, other)
    }

    /// `… UNION ALL other`: renders `SELECT … UNION ALL SELECT …`.
    pub fn union_all(self, other: impl SetMember<O>) -> Self {
        self.then(SetOp::UnionAll, other)
    }

    /// `… INTERSECT other`: renders `SELECT … INTERSECT SELECT …`; after another
    /// operation, `SELECT * FROM (SELECT … UNION SELECT …) "c1" INTERSECT SELECT …`, so
    /// operations combine left to right on every backend. Not on MySQL before 8.0.31.
    pub fn intersect(self, other: impl SetMember<O>) -> Self {
        self.then(SetOp::Intersect, other)
    }

    /// `… INTERSECT ALL other`: renders `SELECT … INTERSECT ALL SELECT …` (not on SQLite
    /// nor MySQL before 8.0.31).
    pub fn intersect_all(self, other: impl SetMember<O>) -> Self {
        self.then(SetOp::IntersectAll, other)
    }

    /// `… EXCEPT other`: renders `SELECT … EXCEPT SELECT …` (not on MySQL before 8.0.31).
    pub fn except(self, other: impl SetMember<O>) -> Self {
        self.then(SetOp::Except, other)
    }

    /// `… EXCEPT ALL other`: renders `SELECT … EXCEPT ALL SELECT …` (not on SQLite nor
    /// MySQL before 8.0.31).
    pub fn except_all(self, other: impl SetMember<O>) -> Self {
        self.then(SetOp::ExceptAll, other)
    }

    /// Sorts the combined rows by output columns (named like the first query's): renders
    /// `SELECT … UNION SELECT … ORDER BY "id" ASC`.
    pub fn order_by(mut self, order: impl IntoOrder<M>) -> Self {
        self.compound.order_by = order.into_terms();
        self
    }

    /// Returns at most `n` combined rows: renders `SELECT … UNION SELECT … LIMIT $1`.
    pub fn limit(mut self, n: u64) -> Self {
        self.compound.limit = Some(n);
        self
    }

    /// The statement.
    pub(crate) fn into_ast(self) -> ast::Compound {
        self.compound
    }

    /// Renders the statement, for inspection.
    ///
    /// # Errors
    /// [`Unsupported`](crate::ErrorKind::Unsupported) for `INTERSECT ALL`/`EXCEPT ALL` on
    /// SQLite; as rendering otherwise.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render(self.compound.clone().into(), dialect)
    }

    /// The SQL with its values written inline, quoted for `dialect`: for reading and logs
    /// only, never executed (queries always bind their values).
    ///
    /// # Errors
    /// As rendering.
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        render_inline(self.compound.clone().into(), dialect)
    }

    /// Every combined row.
    ///
    /// # Errors
    /// As [`to_sql`](Compound::to_sql), and any database or decode error.
    pub async fn all<E: Executor>(self, e: &E) -> Result<Vec<O>> {
        run::fetch(e, self.compound.into()).await
    }
}

macro_rules! set_ops {
    ($($name:ident => $op:ident, $doc:literal;)*) => {
        impl<M: Model> Query<M> {
            $(
                #[doc = $doc]
                pub fn $name(self, other: impl SetMember<M>) -> Compound<M, M> {
                    Compound::new(SetMember::<M>::into_member(self), SetOp::$op, other.into_member())
                }
            )*
        }

        impl<M: Model, O: FromRow> Selected<M, O> {
            $(
                #[doc = $doc]
                pub fn $name(self, other: impl SetMember<O>) -> Compound<M, O> {
                    Compound::new(self.into_select(), SetOp::$op, other.into_member())
                }
            )*
        }
    };
}

set_ops! {
    union => Union, "`self UNION other`: the rows of either, without duplicates.";
    union_all => UnionAll, "`self UNION ALL other`: the rows of either, duplicates kept.";
    intersect => Intersect, "`self INTERSECT other`: the rows of both.";
    intersect_all => IntersectAll, "`self INTERSECT ALL other` (Unsupported on SQLite).";
    except => Except, "`self EXCEPT other`: the rows of `self` not in `other`.";
    except_all => ExceptAll, "`self EXCEPT ALL other` (Unsupported on SQLite).";
}
