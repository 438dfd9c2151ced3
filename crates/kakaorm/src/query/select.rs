//! `Selected<M, O>`: a query that returns chosen columns and aggregates, optionally grouped.

use std::marker::PhantomData;

use kakaorm_core::ast::{Expr, Projection, Select};
use kakaorm_core::typed::Selectable;
use kakaorm_core::{Cond, Dialect, Error, FromRow, Model, Rendered, Result, render, render_inline};

use super::IntoOrder;
use super::joins::limit_offset;
use crate::executor::Executor;
use crate::run;

/// A query returning rows of `O`: the columns and aggregates given to
/// [`Query::select`](crate::Query::select), decoded into a value or a tuple.
///
/// ```
/// # use kakaorm::prelude::*;
/// # use kakaorm::typed::count;
/// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64, stars: i32 }
/// let per_user = Post::filter(Post::stars.ge(3))
///     .select((Post::user_id, count(), Post::stars.avg()))
///     .group_by(Post::user_id)
///     .having(count().gt(1))
///     .order_by(count().desc());
/// let sql = per_user.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
/// assert_eq!(
///     sql,
///     r#"SELECT "user_id", COUNT(*), CAST(AVG("stars") AS DOUBLE PRECISION) FROM "posts" WHERE "stars" >= $1 GROUP BY "user_id" HAVING COUNT(*) > $2 ORDER BY COUNT(*) DESC"#
/// );
/// ```
#[must_use = "a query does nothing until it is executed"]
pub struct Selected<M, O> {
    select: Select,
    _marker: PhantomData<fn() -> (M, O)>,
}

impl<M, O> Clone for Selected<M, O> {
    fn clone(&self) -> Self {
        Selected { select: self.select.clone(), _marker: PhantomData }
    }
}

impl<M, O> std::fmt::Debug for Selected<M, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.select.fmt(f)
    }
}

impl<M: Model, O: FromRow> Selected<M, O> {
    pub(crate) fn new(mut select: Select, columns: Vec<Expr>) -> Self {
        select.projection = Projection::Columns(columns);
        Selected { select, _marker: PhantomData }
    }

    /// Groups rows by one column, an expression or a tuple of them: renders
    /// `SELECT "author", COUNT(*) FROM "posts" GROUP BY "author"`.
    pub fn group_by<G: Selectable<M>>(mut self, columns: G) -> Self {
        columns.exprs(&mut self.select.group_by);
        self
    }

    /// Keeps groups matching `cond`, usually over aggregates: renders
    /// `… GROUP BY "author" HAVING COUNT(*) > $1`.
    pub fn having(mut self, cond: Cond<M>) -> Self {
        let e = cond.into_expr();
        self.select.having = Some(match self.select.having.take() {
            Some(h) => h.and(e),
            None => e,
        });
        self
    }

    /// Sorts by columns or expressions, replacing any earlier order. Columns are qualified
    /// by the table, so they name the table's column even where a selected expression
    /// takes the same name (`CAST("views" AS TEXT)` is called `views` on PostgreSQL):
    /// renders `… ORDER BY "posts"."views" DESC`.
    pub fn order_by(mut self, order: impl IntoOrder<M>) -> Self {
        let table = self.select.alias.unwrap_or(self.select.table);
        self.select.order_by = order.into_terms().into_iter().map(|o| o.map_expr(|e| e.qualify(table))).collect();
        self
    }

    /// Decodes each row into `R` instead of the selection's own type: a struct with
    /// `#[derive(FromRow)]`, whose fields are read from the columns of their names
    /// (label the selected expressions).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, author: String, views: i32 }
    /// #[derive(FromRow)]
    /// struct Totals { author: String, total: Option<i64> }
    /// let q = Post::query()
    ///     .select((Post::author, Post::views.sum().label("total")))
    ///     .group_by(Post::author)
    ///     .decode_as::<Totals>();
    /// let sql = q.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert_eq!(sql, "SELECT `author`, CAST(SUM(`views`) AS SIGNED) AS `total` FROM `posts` GROUP BY `author`");
    /// ```
    pub fn decode_as<R: FromRow>(self) -> Selected<M, R> {
        Selected { select: self.select, _marker: PhantomData }
    }

    limit_offset!("rows");

    fn select_mut(&mut self) -> &mut Select {
        &mut self.select
    }

    /// The SELECT this query runs.
    pub(crate) fn into_select(self) -> Select {
        self.select
    }

    /// Renders the SELECT, for inspection.
    ///
    /// # Errors
    /// As rendering.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render(self.select.clone().into(), dialect)
    }

    /// The SQL with its values written inline, quoted for `dialect`: for reading and logs
    /// only, never executed (queries always bind their values).
    ///
    /// # Errors
    /// As rendering.
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        render_inline(self.select.clone().into(), dialect)
    }

    /// Every result row.
    ///
    /// # Errors
    /// Any database error; [`Decode`](crate::ErrorKind::Decode) when a value does not fit.
    pub async fn all<E: Executor>(self, e: &E) -> Result<Vec<O>> {
        run::fetch(e, self.select.into()).await
    }

    /// The single result row of an ungrouped aggregate (`SELECT COUNT(*), MAX(x) …`).
    ///
    /// # Errors
    /// [`NotFound`](crate::ErrorKind::NotFound) when no row comes back (a grouped query over no
    /// rows), [`MultipleRows`](crate::ErrorKind::MultipleRows) when several do.
    pub async fn one<E: Executor>(self, e: &E) -> Result<O> {
        let table = self.select.table;
        let mut rows = self.all(e).await?;
        match rows.len() {
            1 => rows.pop().ok_or_else(|| Error::not_found(table)),
            0 => Err(Error::not_found(table)),
            _ => Err(Error::multiple_rows(table)),
        }
    }
}
