//! Queries inside queries: `EXISTS`, `IN (SELECT …)` and scalar subqueries, correlated
//! through [`Column::outer`](kakaorm_core::Column::outer).

use kakaorm_core::ast::{Expr, Projection, Select};
use kakaorm_core::typed::{InValues, SqlExpr};
use kakaorm_core::{ColumnValue, Cond, FromRow, Model};

use super::{Query, Selected};

/// A query that can stand inside another: a [`Query`] (for `exists`) or a [`Selected`]
/// (for `exists`, `in_` and scalar subqueries).
pub trait IntoSubquery {
    /// The subquery, its table under an alias.
    #[doc(hidden)]
    fn into_subquery(self) -> Select;
}

impl<M: Model> IntoSubquery for Query<M> {
    fn into_subquery(mut self) -> Select {
        self.order_by.clear();
        self.into_select(Projection::One).into_subquery()
    }
}

impl<M: Model, O: FromRow> IntoSubquery for Selected<M, O> {
    fn into_subquery(self) -> Select {
        self.into_select().into_subquery()
    }
}

impl<M: Model, O: ColumnValue> InValues<O> for Selected<M, O> {
    fn in_expr(self, lhs: Expr, negated: bool) -> Expr {
        Expr::InSelect { expr: Box::new(lhs), select: Box::new(self.into_subquery()), negated }
    }
}

impl<M: Model, O: ColumnValue + Clone> InValues<Option<O>> for Selected<M, O> {
    fn in_expr(self, lhs: Expr, negated: bool) -> Expr {
        Expr::InSelect { expr: Box::new(lhs), select: Box::new(self.into_subquery()), negated }
    }
}

/// `EXISTS (subquery)`: whether the query finds any row. Refer to the enclosing query's
/// row with [`Column::outer`](kakaorm_core::Column::outer).
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
/// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64 }
/// let authors = User::filter(kakaorm::exists(Post::filter(Post::user_id.eq(User::id.outer()))));
/// let sql = authors.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
/// assert_eq!(sql, r#"SELECT "id", "name" FROM "users" WHERE EXISTS (SELECT 1 FROM "posts" "sq1" WHERE "sq1"."user_id" = "users"."id")"#);
/// ```
pub fn exists<P>(query: impl IntoSubquery) -> Cond<P> {
    Cond::from_expr(Expr::Exists { select: Box::new(query.into_subquery()), negated: false })
}

/// `NOT EXISTS (subquery)`: whether the query finds no row.
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
/// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64 }
/// let idle = User::filter(kakaorm::not_exists(Post::filter(Post::user_id.eq(User::id.outer()))));
/// let sql = idle.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
/// assert!(sql.ends_with("WHERE NOT EXISTS (SELECT 1 FROM `posts` `sq1` WHERE `sq1`.`user_id` = `users`.`id`)"));
/// ```
pub fn not_exists<P>(query: impl IntoSubquery) -> Cond<P> {
    Cond::from_expr(Expr::Exists { select: Box::new(query.into_subquery()), negated: true })
}

impl<M: Model, O: ColumnValue> Selected<M, O> {
    /// This query as a scalar subquery over the rows of an enclosing query on model `P`:
    /// its one column of its one row. Select an aggregate (never no row), or a nullable
    /// type when the subquery may find nothing (NULL then).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, user_id: i64 }
    /// let posts = Post::filter(Post::user_id.eq(User::id.outer())).select(count()).scalar::<User>();
    /// let q = User::query().select((User::name, posts.label("posts")));
    /// let sql = q.to_sql(kakaorm::Backend::Sqlite.dialect()).unwrap().sql;
    /// assert_eq!(sql, r#"SELECT "name", (SELECT COUNT(*) FROM "posts" "sq1" WHERE "sq1"."user_id" = "users"."id") AS "posts" FROM "users""#);
    /// ```
    pub fn scalar<P>(self) -> SqlExpr<P, O> {
        SqlExpr::from_expr(Expr::Subquery(Box::new(self.into_subquery())))
    }
}
