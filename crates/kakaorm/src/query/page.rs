//! Keyset pagination: `paginate(n)`, `.after(cursor)` / `.before(cursor)`, `page(&db)`.

use kakaorm_core::keyset::{Keyset, Seek};
use kakaorm_core::{Dialect, Error, Model, Rendered, Result};

use super::Query;
use crate::executor::Executor;

/// One page of rows and the cursors of its neighbours.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page<M> {
    /// The rows, in the query's order.
    pub items: Vec<M>,
    /// The cursor of the next page (pass it to [`after`](Paginated::after)), when there
    /// are more rows.
    pub next: Option<String>,
    /// The cursor of the previous page (pass it to [`before`](Paginated::before)), when
    /// this is not the first page.
    pub prev: Option<String>,
}

/// A query read page by page with keyset pagination; see [`Query::paginate`].
#[must_use = "a query does nothing until it is executed"]
pub struct Paginated<M> {
    query: Query<M>,
    size: u64,
    cursor: Option<(Seek, String)>,
}

impl<M> Clone for Paginated<M> {
    fn clone(&self) -> Self {
        Paginated { query: self.query.clone(), size: self.size, cursor: self.cursor.clone() }
    }
}

impl<M> std::fmt::Debug for Paginated<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginated")
            .field("query", &self.query)
            .field("size", &self.size)
            .field("cursor", &self.cursor)
            .finish()
    }
}

impl<M: Model> Query<M> {
    /// Reads the query in pages of `size` rows with keyset pagination: each page seeks
    /// past the last row of the one before (`WHERE (k1, k2) > (…)`, written out so mixed
    /// directions work everywhere) instead of counting an OFFSET, so pages stay fast and
    /// stable while rows are inserted. The order is the query's (plain, non-null columns,
    /// composite and mixed directions too), completed with the primary key when it does
    /// not already include a unique column or index. The cursors are opaque base64url
    /// text, safe in a URL, and checked when they come back.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// #[derive(Model)]
    /// #[kakaorm(table = "posts")]
    /// struct Post { id: i64, views: i64, title: String }
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// db.create_table::<Post>().await?;
    /// for (views, title) in [(5, "a"), (9, "b"), (5, "c"), (1, "d")] {
    ///     Post::create().views(views).title(title).exec(&db).await?;
    /// }
    /// let by_views = Post::query().order_by(Post::views.desc());
    /// let first = by_views.clone().paginate(2).page(&db).await?;
    /// assert_eq!(first.items.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(), ["b", "c"]);
    /// let next = first.next.unwrap();
    /// let second = by_views.clone().paginate(2).after(&next).page(&db).await?;
    /// assert_eq!(second.items.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(), ["a", "d"]);
    /// assert!(second.next.is_none());
    /// let back = by_views.paginate(2).before(second.prev.as_deref().unwrap()).page(&db).await?;
    /// assert_eq!(back.items.iter().map(|p| p.title.as_str()).collect::<Vec<_>>(), ["b", "c"]);
    /// # Ok(()) }
    /// ```
    pub fn paginate(self, size: u64) -> Paginated<M> {
        Paginated { query: self, size, cursor: None }
    }
}

impl<M: Model> Paginated<M> {
    /// The page after the row `cursor` names (a [`Page::next`]): for an order
    /// `(age DESC, name)` renders `WHERE ("age" < $1) OR ("age" = $2 AND "name" > $3) OR
    /// ("age" = $4 AND "name" = $5 AND "id" > $6) ORDER BY "age" DESC, "name" ASC, "id" ASC
    /// LIMIT $7` (the primary key breaks ties; the limit is one more than the page).
    pub fn after(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some((Seek::After, cursor.into()));
        self
    }

    /// The page before the row `cursor` names (a [`Page::prev`]): the same condition
    /// with every comparison and the order reversed (`WHERE ("age" > $1) OR … ORDER BY
    /// "age" ASC, "name" DESC, "id" DESC LIMIT $7`), the rows put back in page order.
    pub fn before(mut self, cursor: impl Into<String>) -> Self {
        self.cursor = Some((Seek::Before, cursor.into()));
        self
    }

    /// The query that reads the page (one row more than the page, to see whether another
    /// follows), and the keyset.
    fn build(&self) -> Result<(Query<M>, Keyset, Seek)> {
        if self.size == 0 {
            return Err(Error::invalid_input("a page holds at least one row"));
        }
        if self.query.is_sliced() {
            return Err(Error::invalid_input("a paginated query takes no limit or offset of its own"));
        }
        let keyset = Keyset::new(M::SCHEMA, &self.query.order_by)?;
        let seek = self.cursor.as_ref().map_or(Seek::After, |(s, _)| *s);
        let mut query = self.query.clone();
        query.order_by = keyset.order(seek);
        query.limit = Some(self.size.checked_add(1).ok_or_else(|| Error::invalid_input("page size too large"))?);
        if let Some((_, cursor)) = &self.cursor {
            let past = keyset.seek(cursor, seek)?;
            query.filter = Some(match query.filter.take() {
                Some(f) => f.and(past),
                None => past,
            });
        }
        Ok((query, keyset, seek))
    }

    /// The SELECT that reads the page, for inspection.
    ///
    /// # Errors
    /// As [`page`](Paginated::page), before any database work.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, views: i64 }
    /// let sql = Post::query().order_by(Post::views.desc()).paginate(20).to_sql(kakaorm::Backend::Postgres.dialect()).unwrap().sql;
    /// assert!(sql.ends_with(r#"ORDER BY "views" DESC, "id" DESC LIMIT $1"#));
    /// ```
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        self.build()?.0.to_sql(dialect)
    }

    /// The SELECT that reads the page with its values (the cursor's keys and the limit)
    /// written inline, quoted for `dialect`: for reading and logs only, never executed.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, views: i64 }
    /// let sql = Post::query().order_by(Post::views.desc()).paginate(20).debug_sql(kakaorm::Backend::Mysql.dialect()).unwrap();
    /// assert_eq!(sql, "SELECT `id`, `views` FROM `posts` ORDER BY `views` DESC, `id` DESC LIMIT 21");
    /// ```
    ///
    /// # Errors
    /// As [`to_sql`](Paginated::to_sql).
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        self.build()?.0.debug_sql(dialect)
    }

    /// Reads the page.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) for a page size of zero, a query
    /// with its own limit or offset, an order over something other than plain non-null
    /// columns, or a cursor this ordering did not make (wrong shape, type, key count or
    /// ordering); any database error.
    pub async fn page<E: Executor>(self, e: &E) -> Result<Page<M>> {
        let (query, keyset, seek) = self.build()?;
        let mut items = query.all(e).await?;
        let more = u64::try_from(items.len()).is_ok_and(|n| n > self.size);
        items.truncate(usize::try_from(self.size).unwrap_or(usize::MAX));
        if seek == Seek::Before {
            items.reverse();
        }
        let cursor_of = |row: Option<&M>| row.map(|r| keyset.cursor(r)).transpose();
        let (has_next, has_prev) = match (&self.cursor, seek) {
            (None, _) => (more, false),
            (Some(_), Seek::After) => (more, true),
            (Some(_), Seek::Before) => (true, more),
        };
        let next = if has_next { cursor_of(items.last())? } else { None };
        let prev = if has_prev { cursor_of(items.first())? } else { None };
        Ok(Page { items, next, prev })
    }
}
