//! Orderings from user input: `order_by_str("views desc, title")`.

use kakaorm_core::ast::parse_order;
use kakaorm_core::{Model, Result};

use super::Query;

impl<M: Model> Query<M> {
    /// Sorts by an ordering written as text, as a web handler receives it in a `sort`
    /// parameter, replacing any earlier order. The text is comma-separated terms
    /// `column [ASC|DESC] [NULLS FIRST|NULLS LAST]`, where `column` is one of the model's
    /// columns (its column or field name), optionally written `table.column`. Keywords
    /// are case-insensitive. NULL placement is emulated where the backend lacks it.
    ///
    /// ```
    /// # use kakaorm::prelude::*;
    /// # #[derive(Model)] #[kakaorm(table = "posts")] struct Post { id: i64, title: String, views: Option<i64> }
    /// let q = Post::query().order_by_str("views desc nulls last, posts.title").unwrap();
    /// let sql = q.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert!(sql.ends_with("ORDER BY `views` IS NULL ASC, `views` DESC, `title` ASC"));
    /// let err = Post::query().order_by_str("title; DROP TABLE posts").unwrap_err();
    /// assert_eq!(err.kind(), kakaorm::ErrorKind::InvalidInput);
    /// ```
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) for any text outside that grammar:
    /// an unknown column or table, an empty term, an unknown keyword, quotes, operators,
    /// or more than 16 terms or 1 024 bytes.
    pub fn order_by_str(mut self, text: &str) -> Result<Self> {
        self.order_by = parse_order(text, M::SCHEMA)?;
        Ok(self)
    }
}
