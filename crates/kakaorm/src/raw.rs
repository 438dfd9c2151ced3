//! `Raw`: hand-written SQL with portable `$1 … $n` placeholders and separately bound
//! parameters, decoded into models, tuples or single values.

use kakaorm_core::{Dialect, Error, ErrorKind, FromRow, Rendered, Result, Value, render_raw, render_raw_inline};

use crate::executor::Executor;

/// Starts a raw SQL statement. Write placeholders as `$1 … $n` on every backend (each
/// may appear more than once) and pass the values with [`bind`](Raw::bind): they are
/// rewritten into the backend's own placeholders by a lexer that leaves string literals,
/// quoted identifiers and comments alone, and never formatted into the text.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// kakaorm::raw("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)").execute(&db).await?;
/// let n = kakaorm::raw("INSERT INTO t (id, name) VALUES ($1, $2), ($1 + 1, $2 || '!')")
///     .bind(1_i64)
///     .bind("a")
///     .execute(&db)
///     .await?;
/// assert_eq!(n, 2);
/// let rows: Vec<(i64, String)> = kakaorm::raw("SELECT id, name FROM t ORDER BY id").all(&db).await?;
/// assert_eq!(rows, [(1, "a".to_owned()), (2, "a!".to_owned())]);
/// let count: i64 = kakaorm::raw("SELECT COUNT(*) FROM t WHERE name = $1").bind("a").one(&db).await?;
/// assert_eq!(count, 1);
/// # Ok(()) }
/// ```
pub fn raw(sql: impl Into<String>) -> Raw {
    Raw { sql: sql.into(), params: Vec::new() }
}

/// A raw SQL statement and its parameters; see [`raw`].
#[derive(Clone)]
#[must_use = "a raw statement does nothing until it is executed"]
pub struct Raw {
    sql: String,
    params: Vec<Value>,
}

impl std::fmt::Debug for Raw {
    /// Shows the text and the number of parameters, never their values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Raw").field("sql", &self.sql).field("params", &self.params.len()).finish()
    }
}

impl Raw {
    /// Binds the value of the next placeholder (`$1`, then `$2`, …).
    ///
    /// ```
    /// let r = kakaorm::raw("SELECT * FROM users WHERE age > $1 AND name = $2").bind(18).bind(Some("Ann"));
    /// let sql = r.to_sql(kakaorm::Backend::Mysql.dialect()).unwrap().sql;
    /// assert_eq!(sql, "SELECT * FROM users WHERE age > ? AND name = ?");
    /// ```
    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        self.params.push(value.into());
        self
    }

    /// The text and parameters as sent to `dialect`.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) as
    /// [`render_raw`](crate::render::render_raw) says: a placeholder without a parameter, an
    /// unused parameter, a backend-specific placeholder (`?`, `:name`), an open quote or
    /// comment, or a value the backend cannot store.
    pub fn to_sql(&self, dialect: &dyn Dialect) -> Result<Rendered> {
        render_raw(&self.sql, self.params.clone(), dialect)
    }

    /// The text with each parameter written inline, quoted for `dialect`: for reading and
    /// logs only, never executed (the statement always binds its parameters).
    ///
    /// ```
    /// let r = kakaorm::raw("SELECT * FROM users WHERE name = $1 OR name = $1").bind("O'Brien");
    /// let sql = r.debug_sql(kakaorm::Backend::Postgres.dialect()).unwrap();
    /// assert_eq!(sql, "SELECT * FROM users WHERE name = 'O''Brien' OR name = 'O''Brien'");
    /// ```
    ///
    /// # Errors
    /// As [`to_sql`](Raw::to_sql).
    pub fn debug_sql(&self, dialect: &dyn Dialect) -> Result<String> {
        render_raw_inline(&self.sql, self.params.clone(), dialect)
    }

    fn render(self, dialect: &dyn Dialect) -> Result<Rendered> {
        render_raw(&self.sql, self.params, dialect)
    }

    /// Runs the statement and returns the number of rows it affected.
    ///
    /// # Errors
    /// As [`to_sql`](Raw::to_sql), and any database error.
    pub async fn execute(self, e: &impl Executor) -> Result<u64> {
        let q = self.render(e.dialect())?;
        let mut guard = e.acquire().await?;
        Ok(guard.conn()?.execute(q).await?.rows_affected)
    }

    /// Every row, decoded into `T`: a model (its columns in field order), a tuple of up
    /// to six column values, or one value (read from the first column).
    ///
    /// # Errors
    /// As [`to_sql`](Raw::to_sql), any database error, and
    /// [`Decode`](crate::ErrorKind::Decode) when a column does not fit.
    pub async fn all<T: FromRow>(self, e: &impl Executor) -> Result<Vec<T>> {
        let q = self.render(e.dialect())?;
        let mut guard = e.acquire().await?;
        guard.conn()?.fetch(q).await
    }

    /// The rows one at a time as the database sends them, in constant memory; see
    /// [`RowStream`](crate::RowStream).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
    /// let db = kakaorm::connect("sqlite::memory:").await?;
    /// let mut rows = kakaorm::raw("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < $1) SELECT x FROM n")
    ///     .bind(1000)
    ///     .stream::<i64>(&db);
    /// let mut sum = 0;
    /// while let Some(x) = rows.next().await {
    ///     sum += x?;
    /// }
    /// assert_eq!(sum, 500_500);
    /// # Ok(()) }
    /// ```
    pub fn stream<T: FromRow>(self, e: &impl Executor) -> crate::RowStream<'_, T> {
        let q = self.render(e.dialect());
        crate::RowStream::new(e, q)
    }

    /// Exactly one row (or one value: `raw("SELECT COUNT(*) …").one::<i64>(&db)`).
    ///
    /// # Errors
    /// As [`all`](Raw::all); [`NotFound`](crate::ErrorKind::NotFound) when no row comes back
    /// and [`MultipleRows`](crate::ErrorKind::MultipleRows) when several do.
    pub async fn one<T: FromRow>(self, e: &impl Executor) -> Result<T> {
        let mut rows = self.all::<T>(e).await?;
        let none = || Error::new(ErrorKind::NotFound, "the raw query returned no row");
        match rows.len() {
            0 => Err(none()),
            1 => rows.pop().ok_or_else(none),
            n => Err(Error::new(ErrorKind::MultipleRows, format!("the raw query returned {n} rows, not one"))),
        }
    }
}
