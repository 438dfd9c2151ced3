//! `Joined<A, B, O>`: a query over two models joined on a column of each.

use std::marker::PhantomData;

use kakaorm_core::ast::{Expr, Join, JoinKind, Projection, Select};
use kakaorm_core::{
    Column, Cond, Dialect, Error, FromRow, Model, OffsetRow, Rendered, Result, RowReader, render, render_inline,
};

use super::IntoOrder;
use super::alias::Alias;
use super::join_row::{Append, JoinRow, Opt, PairShape, Req};
use super::join_select::{JoinSelectable, JoinSelected};
use super::joins::{Joins, limit_offset, order_joined, start_joins};
use crate::executor::Executor;
use crate::run;

/// Ties the models and the row shape to the query without owning any.
type Marker<A, B, P> = PhantomData<fn() -> (A, B, P)>;

/// Two models joined on the equality of one column of each (`ON b.col = a.col`), returning
/// pairs ([`PairRow::Output`]):
/// `(A, B)` for [`join`](crate::Query::join), `(A, Option<B>)` for
/// [`left_join`](crate::Query::left_join) and `(Option<A>, B)` for
/// [`right_join`](crate::Query::right_join).
///
/// Every column is qualified with its table, so both models may have an `id`.
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
/// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, #[kakaorm(references = User)] user_id: i64, title: String }
/// let q = User::filter(User::id.le(10)).join(Post::user_id, User::id).filter_joined(Post::title.ne(""));
/// assert_eq!(
///     q.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql,
///     r#"SELECT "users"."id", "users"."name", "posts"."id", "posts"."user_id", "posts"."title" FROM "users" INNER JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "users"."id" <= ? AND "posts"."title" <> ?"#
/// );
/// ```
#[must_use = "a query does nothing until it is executed"]
pub struct Joined<A, B, P> {
    select: Select,
    _marker: Marker<A, B, P>,
}

impl<A, B, P> Clone for Joined<A, B, P> {
    fn clone(&self) -> Self {
        Joined { select: self.select.clone(), _marker: PhantomData }
    }
}

impl<A, B, P> std::fmt::Debug for Joined<A, B, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.select.fmt(f)
    }
}

/// How one joined row decodes, and the pair it becomes.
pub trait PairRow: FromRow {
    /// The pair returned to the caller.
    type Output;
    /// Unwraps the pair.
    fn into_output(self) -> Self::Output;
}

fn right<B: Model, R: RowReader + ?Sized>(row: &mut R, base: usize) -> Result<B> {
    B::from_row(&mut OffsetRow::new(row, base))
}

/// `None` when the model's key column is NULL (no matching row in an outer join).
fn optional<M: Model, R: RowReader + ?Sized>(row: &mut R, base: usize) -> Result<Option<M>> {
    let mut view = OffsetRow::new(row, base);
    if view.is_null(M::SCHEMA.primary_key)? { Ok(None) } else { M::from_row(&mut view).map(Some) }
}

macro_rules! pair_row {
    ($(#[$doc:meta])* $name:ident => ($a:ty, $b:ty), |$row:ident| $decode:expr) => {
        $(#[$doc])*
        pub struct $name<A, B>($a, $b);

        impl<A: Model, B: Model> FromRow for $name<A, B> {
            fn from_row<R: RowReader + ?Sized>($row: &mut R) -> Result<Self> {
                let (a, b) = $decode;
                Ok($name(a, b))
            }
        }

        impl<A: Model, B: Model> PairRow for $name<A, B> {
            type Output = ($a, $b);
            fn into_output(self) -> ($a, $b) {
                (self.0, self.1)
            }
        }
    };
}

pair_row!(
    /// A row of an inner join: both models.
    InnerRow => (A, B),
    |row| (A::from_row(row)?, right(row, A::SCHEMA.columns.len())?)
);
pair_row!(
    /// A row of a left join: the joined model may be missing.
    LeftRow => (A, Option<B>),
    |row| (A::from_row(row)?, optional(row, A::SCHEMA.columns.len())?)
);
pair_row!(
    /// A row of a right join: the left model may be missing.
    RightRow => (Option<A>, B),
    |row| (optional(row, 0)?, right(row, A::SCHEMA.columns.len())?)
);

impl<A: Model, B: Model, P: PairRow> Joined<A, B, P> {
    pub(crate) fn new(mut select: Select, kind: JoinKind, on: Expr) -> Self {
        select.projection = Projection::Models(vec![A::SCHEMA, B::SCHEMA]);
        select.joins.push(Join::new(kind, B::SCHEMA.name, on));
        Joined { select, _marker: PhantomData }
    }

    /// Keeps pairs whose left model matches `cond`, its columns qualified by the left
    /// table: `WHERE "users"."id" <= ?`, joined to earlier filters with `AND`.
    pub fn filter(mut self, cond: Cond<A>) -> Self {
        self.and(cond.into_expr().qualify(A::SCHEMA.name));
        self
    }

    /// Keeps pairs whose joined model matches `cond`, its columns qualified by the joined
    /// table: `WHERE … AND "posts"."title" <> ?`.
    pub fn filter_joined(mut self, cond: Cond<B>) -> Self {
        self.and(cond.into_expr().qualify(B::SCHEMA.name));
        self
    }

    fn and(&mut self, e: Expr) {
        self.select.filter = Some(match self.select.filter.take() {
            Some(f) => f.and(e),
            None => e,
        });
    }

    /// Sorts by the left model's columns, replacing any earlier order:
    /// `ORDER BY "users"."name" ASC`.
    pub fn order_by(mut self, order: impl IntoOrder<A>) -> Self {
        order_joined(&mut self.select, order, false);
        self
    }

    /// Adds sort terms over the joined model's columns after the current ones:
    /// `ORDER BY "users"."name" ASC, "posts"."title" DESC`.
    pub fn then_order_by_joined(mut self, order: impl IntoOrder<B>) -> Self {
        order_joined(&mut self.select, order, true);
        self
    }

    limit_offset!("pairs");

    fn select_mut(&mut self) -> &mut Select {
        &mut self.select
    }

    fn check(&self) -> Result<()> {
        if A::SCHEMA.name == B::SCHEMA.name {
            return Err(Error::unsupported(format!(
                "joining `{}` to itself needs a table alias: `join_as(Model::alias(name), on)`",
                A::SCHEMA.name
            )));
        }
        Ok(())
    }

    /// Renders the SELECT, for inspection.
    ///
    /// # Errors
    /// [`Unsupported`](crate::ErrorKind::Unsupported) for a self-join; otherwise as rendering.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        self.check()?;
        render(self.select.clone().into(), dialect)
    }

    /// The SQL with its values written inline, quoted for `dialect`: for reading and logs
    /// only, never executed.
    ///
    /// # Errors
    /// As [`to_sql`](Joined::to_sql).
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        self.check()?;
        render_inline(self.select.clone().into(), dialect)
    }

    /// Every pair.
    ///
    /// # Errors
    /// As [`to_sql`](Joined::to_sql), and any database or decode error.
    pub async fn all<E: Executor>(self, e: &E) -> Result<Vec<P::Output>> {
        self.check()?;
        let rows: Vec<P> = run::fetch(e, self.select.into()).await?;
        Ok(rows.into_iter().map(PairRow::into_output).collect())
    }
}

impl<A: Model, B: Model, P: PairRow + PairShape> Joined<A, B, P>
where
    P::Parts: JoinRow + 'static,
{
    /// The pair as the first two models of a [`Joins`].
    fn into_joins(self) -> Joins<P::Parts> {
        Joins::new(self.select, vec![(A::SCHEMA, A::SCHEMA.name), (B::SCHEMA, B::SCHEMA.name)])
    }

    /// Inner-joins a third model `C` where `C.on_c = X.on_other`; see [`Joins::join`] for
    /// the SQL.
    pub fn join<C: Model, X: Model, T>(
        self,
        on_c: Column<C, T>,
        on_other: Column<X, T>,
    ) -> Joins<<P::Parts as Append<Req<C>>>::Out>
    where
        P::Parts: Append<Req<C>>,
    {
        self.into_joins().join(on_c, on_other)
    }

    /// Left-joins a third model `C` where `C.on_c = X.on_other`; see [`Joins::left_join`]
    /// for the SQL.
    pub fn left_join<C: Model, X: Model, T>(
        self,
        on_c: Column<C, T>,
        on_other: Column<X, T>,
    ) -> Joins<<P::Parts as Append<Opt<C>>>::Out>
    where
        P::Parts: Append<Opt<C>>,
    {
        self.into_joins().left_join(on_c, on_other)
    }

    start_joins!(P::Parts);

    /// Returns chosen columns and aggregates of both models; see [`Joins::select`] for the
    /// SQL.
    pub fn select<Sel: JoinSelectable>(self, selection: Sel) -> JoinSelected<Sel::Output>
    where
        Sel::Output: FromRow,
    {
        self.into_joins().select(selection)
    }
}
