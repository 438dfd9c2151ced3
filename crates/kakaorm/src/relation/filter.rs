//! Conditions across relations: rows whose related rows match (`EXISTS` subqueries), so a
//! parent is never returned twice however many of its related rows match.

use kakaorm_core::ast::{ColumnRef, Expr, Projection, Select};
use kakaorm_core::{Cond, Model};

use super::fill::RelationField;
use super::handle::Relation;
use crate::query::{IntoCount, Query};

/// Aliases of the related table in nested subqueries, innermost first: each level of
/// nesting gets its own, so a model related to itself never shadows its parent.
const ALIASES: [&str; 8] =
    ["kakaorm_r1", "kakaorm_r2", "kakaorm_r3", "kakaorm_r4", "kakaorm_r5", "kakaorm_r6", "kakaorm_r7", "kakaorm_r8"];

impl<P: Model, C: Model, F: RelationField<C>> Relation<P, C, F> {
    /// Rows with at least one related row matching `cond`, as an `EXISTS` subquery:
    /// `Article::filter(Article::tags.any(Tag::name.eq("rust")))`. Combine it like any
    /// condition (`&`, `|`, `!`, `exclude`), and nest it
    /// (`User::posts.any(Post::comments.any(..))`).
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # use kakaorm::relation::HasMany;
    /// #[derive(Model)]
    /// #[kakaorm(table = "authors")]
    /// struct Author { id: i64, name: String, #[kakaorm(has_many)] books: HasMany<Book> }
    /// #[derive(Model)]
    /// #[kakaorm(table = "books")]
    /// struct Book { id: i64, #[kakaorm(references = Author)] author_id: i64, title: String }
    /// let q = Author::filter(Author::books.any(Book::title.eq("Dune")));
    /// let sql = q.to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert_eq!(
    ///     sql,
    ///     r#"SELECT "id", "name" FROM "authors" WHERE EXISTS (SELECT 1 FROM "books" "kakaorm_r1" WHERE "kakaorm_r1"."author_id" = "authors"."id" AND "kakaorm_r1"."title" = $1)"#
    /// );
    /// ```
    pub fn any(&self, cond: Cond<C>) -> Cond<P> {
        Cond::from_expr(self.subquery(Some(cond.into_expr()), false))
    }

    /// Rows with no related row matching `cond` (`NOT EXISTS`); the exact complement of
    /// [`any`](Self::any).
    pub fn none(&self, cond: Cond<C>) -> Cond<P> {
        Cond::from_expr(self.subquery(Some(cond.into_expr()), true))
    }

    /// Rows whose related row matches `cond`: the same as [`any`](Self::any), worded for
    /// belongs-to relations (`Post::author.is(User::name.eq("jake"))`).
    pub fn is(&self, cond: Cond<C>) -> Cond<P> {
        self.any(cond)
    }

    /// Rows with at least one related row.
    pub fn exists(&self) -> Cond<P> {
        Cond::from_expr(self.subquery(None, false))
    }

    /// Rows without any related row.
    pub fn not_exists(&self) -> Cond<P> {
        Cond::from_expr(self.subquery(None, true))
    }

    /// `(SELECT COUNT(*) FROM c alias WHERE <related to the outer row>)`.
    fn count_subquery(&self) -> Expr {
        let alias = ALIASES[0];
        let filter = self.matching(Some(alias), self.outer_key());
        let select = related_select::<C>(alias, filter, Projection::Count(Box::new(Projection::One)));
        Expr::Subquery(Box::new(select))
    }

    /// The parent's key column, as the enclosing query names it.
    fn outer_key(&self) -> Expr {
        Expr::Column(ColumnRef::new(Some(P::SCHEMA.name), self.parent_column()))
    }

    /// `[NOT] EXISTS (SELECT 1 FROM c alias WHERE <related to the outer row> AND cond)`.
    fn subquery(&self, cond: Option<Expr>, negated: bool) -> Expr {
        let depth = cond.as_ref().map_or(0, Expr::subquery_depth);
        let alias = ALIASES[depth.min(ALIASES.len() - 1)];
        let related = self.matching(Some(alias), self.outer_key());
        let filter = match cond {
            Some(c) => related.and(c.qualify(alias).rename_table(C::SCHEMA.name, alias)),
            None => related,
        };
        let select = related_select::<C>(alias, filter, Projection::One);
        Expr::Exists { select: Box::new(select), negated }
    }
}

/// `SELECT projection FROM c alias WHERE filter`, over the live rows of `C` (started as
/// any query over `C`, so soft-deleted rows are left out).
fn related_select<C: Model>(alias: &'static str, filter: Expr, projection: Projection) -> Select {
    let mut select = Query::<C>::new().filtered_select(filter, projection);
    select.alias = Some(alias);
    select.filter = select.filter.map(|f| f.qualify(alias));
    select
}

impl<P: Model, C: Model, F: RelationField<C>> IntoCount<P> for Relation<P, C, F> {
    fn count_expr(&self) -> Expr {
        self.count_subquery()
    }
}
