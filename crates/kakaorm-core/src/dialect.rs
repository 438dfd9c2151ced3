//! SQL dialects: the hooks where the backends differ, and nothing else.
//!
//! The renderer walks the AST once for every backend and asks the dialect at each point
//! where the SQL text differs: quoting, placeholders, type names, RETURNING, LIKE, LIMIT and
//! DDL details. Capability questions (`supports_*`) let the renderer refuse what a backend
//! cannot do with an [`Unsupported`](crate::ErrorKind::Unsupported) error.

mod mysql;
mod postgres;
mod sqlite;

use std::fmt::Debug;
use std::ops::RangeInclusive;

use chrono::NaiveDate;

use crate::ast::{Func, LockStrength, LockWait, RowLock, SetOp};
use crate::error::Result;
use crate::isolation::IsolationLevel;
use crate::schema::ReferentialAction;
use crate::value::{ColumnType, Limits, MAX_JSON_DEPTH, Value};

pub use mysql::MysqlDialect;
pub use postgres::PostgresDialect;
pub use sqlite::{DECIMAL_COLLATION, SqliteDialect};

/// The database families kakaorm supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// MySQL and MariaDB.
    Mysql,
    /// SQLite.
    Sqlite,
}

impl Backend {
    /// The lowercase name, as used in URLs and messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
            Backend::Sqlite => "sqlite",
        }
    }

    /// The default dialect of the backend (MySQL 8 syntax for the MySQL family).
    pub fn dialect(self) -> &'static dyn Dialect {
        match self {
            Backend::Postgres => &PostgresDialect,
            Backend::Mysql => &MysqlDialect::MYSQL,
            Backend::Sqlite => &SqliteDialect,
        }
    }
}

pub(crate) mod sealed {
    /// Implemented by the built-in dialects only.
    pub trait Sealed {}
}

/// How a list of keys is bound when related rows are loaded (`Expr::AnyOf`). Chosen per
/// backend by measurement (the `eager_load` bench cell: 1 000 users, 10 000 posts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyList {
    /// One array parameter: `x = ANY($1)` (PostgreSQL).
    Array,
    /// One JSON array parameter: `x IN (SELECT value FROM json_each(?))` (SQLite: 0.99×
    /// the raw floor, against 1.10× for padded lists). Only for integer, text and UUID
    /// keys, whose JSON form equals the stored value; other keys use padded lists.
    JsonEach,
    /// `x IN (?, ?, …)` padded by repeating the last key to the next of a few dozen sizes
    /// (four per power of two), so a handful of statement texts serve every size (MySQL:
    /// 1.05×, against 1.51× for `JSON_TABLE`).
    Padded,
}

impl KeyList {
    /// Whether `keys` go into one parameter (no chunking under the parameter limit).
    pub fn binds_whole(self, keys: &[Value]) -> bool {
        match self {
            KeyList::Array => true,
            KeyList::JsonEach => keys.iter().all(|k| {
                matches!(k, Value::I16(_) | Value::I32(_) | Value::I64(_) | Value::String(_) | Value::Uuid(_))
            }),
            KeyList::Padded => false,
        }
    }
}

/// How an upsert's conflict clause is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpsertStyle {
    /// `ON CONFLICT (target) DO UPDATE SET c = EXCLUDED.c` or `DO NOTHING` (PostgreSQL,
    /// SQLite).
    OnConflict,
    /// `ON DUPLICATE KEY UPDATE c = VALUES(c)`, with a no-op assignment for "do nothing"
    /// (MySQL, MariaDB). There is no conflict target: any unique key counts.
    OnDuplicateKey,
}

/// How an UPDATE of many rows, each with its own values, is joined to those rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BulkUpdateStyle {
    /// `UPDATE t SET … FROM UNNEST($1::type[], …) AS v(key, …)`: one array per column, one
    /// statement text for any number of rows (PostgreSQL).
    Unnest,
    /// `UPDATE t SET c = v.column2 FROM (VALUES (?, ?), …) AS v` (SQLite, whose VALUES
    /// columns are named `column1`, `column2`, …).
    Values,
    /// `UPDATE t INNER JOIN (SELECT ? AS key, ? AS c UNION ALL SELECT ?, ? …) AS v ON … SET
    /// t.c = v.c` (MySQL and MariaDB, which lack UPDATE … FROM and, on MariaDB, named
    /// VALUES rows).
    JoinUnion,
    /// `UPDATE t INNER JOIN JSON_TABLE(?, '$[*]' COLUMNS (key T PATH '$[0]' ERROR ON ERROR, c
    /// T PATH '$[1]' ERROR ON ERROR, …)) AS v ON … SET t.c = v.c` (MySQL 8.0.4 and later,
    /// MariaDB 10.6 and later): every row in one bound JSON document, an array of rows, so
    /// the statement text is the same for any number of rows. Column types come from
    /// [`Dialect::json_table_type`]; bytes travel as base64 and are decoded with
    /// `FROM_BASE64` in the SET.
    JsonTable,
}

/// How a backend's SQL text is lexed, so that raw SQL can be scanned for placeholders, and a
/// migration file split into statements, without looking inside literals, quoted
/// identifiers or comments (see [`lex`](crate::lex)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LexicalSyntax {
    /// Backslashes escape the next character in quoted strings (MySQL).
    pub backslash_escapes: bool,
    /// `` `name` `` quotes an identifier (MySQL; SQLite accepts it too).
    pub backtick_identifiers: bool,
    /// MySQL's comments: `#` starts a comment running to the end of the line, `--` does
    /// only before whitespace, and `/*! … */` is code the server runs, not a comment.
    pub hash_comments: bool,
    /// `[name]` quotes an identifier (SQLite).
    pub bracket_identifiers: bool,
    /// `E'…'` strings, in which backslashes escape (PostgreSQL).
    pub escape_strings: bool,
    /// `$tag$ … $tag$` quotes a string (PostgreSQL).
    pub dollar_quotes: bool,
    /// Block comments nest (PostgreSQL).
    pub nested_comments: bool,
    /// `?` is a placeholder (MySQL, SQLite): raw SQL may not use it.
    pub question_placeholders: bool,
    /// `:name`, `@name` and `$name` are placeholders (SQLite): raw SQL may not use them.
    pub named_placeholders: bool,
}

/// How a case-insensitive LIKE is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IlikeStyle {
    /// `x ILIKE p`.
    Native,
    /// `LOWER(x) LIKE LOWER(p)`.
    Lower,
}

/// How a column's type, nullability or default is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AlterColumnStyle {
    /// One `ALTER COLUMN` clause per property (PostgreSQL).
    Clauses,
    /// `MODIFY COLUMN` with the whole new definition (MySQL).
    Modify,
    /// No ALTER can do it: the table is rebuilt (SQLite).
    Rebuild,
}

/// The kind of a named table constraint, for `ALTER TABLE … DROP`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConstraintKind {
    /// A unique constraint.
    Unique,
    /// A foreign key.
    ForeignKey,
    /// A CHECK constraint.
    Check,
}

/// The per-backend hooks of the renderer.
///
/// ```
/// use kakaorm_core::{Backend, Dialect};
/// let mut sql = String::new();
/// Backend::Mysql.dialect().quote_ident(&mut sql, "order");
/// assert_eq!(sql, "`order`");
/// ```
///
/// The trait is sealed: the three built-in dialects are the only ones (each table's
/// statement cache is keyed by dialect, so a foreign one could read another's SQL).
pub trait Dialect: Debug + Send + Sync + sealed::Sealed {
    /// The backend family.
    fn backend(&self) -> Backend;

    /// This dialect's slot in each table's [`SqlCache`](crate::schema::SqlCache): one of
    /// `0..4` for the built-in dialects, `None` (no caching) for any other.
    fn cache_slot(&self) -> Option<usize> {
        None
    }

    /// The identifier quote character.
    fn ident_quote(&self) -> char;

    /// Appends `ident` quoted, doubling any embedded quote character.
    fn quote_ident(&self, out: &mut String, ident: &str) {
        let q = self.ident_quote();
        out.push(q);
        for ch in ident.chars() {
            if ch == q {
                out.push(q);
            }
            out.push(ch);
        }
        out.push(q);
    }

    /// Appends the placeholder of the `n`-th parameter (1-based).
    fn placeholder(&self, out: &mut String, n: usize);

    /// How raw SQL text is lexed (see [`render_raw`](crate::render::render_raw)).
    fn lexical_syntax(&self) -> LexicalSyntax;

    /// Appends a string literal (used only for developer-written DDL defaults).
    fn string_literal(&self, out: &mut String, text: &str) {
        out.push('\'');
        for ch in text.chars() {
            if ch == '\'' {
                out.push('\'');
            }
            out.push(ch);
        }
        out.push('\'');
    }

    /// The SQL type name of a column.
    fn type_name(&self, ty: ColumnType) -> String;

    /// The type and constraints of an auto-increment primary key column of type `ty`.
    fn auto_increment_pk(&self, ty: ColumnType) -> String;

    /// The type name used in `CAST(x AS …)` (MySQL spells integers `SIGNED`).
    fn cast_type(&self, ty: ColumnType) -> String {
        self.type_name(ty)
    }

    /// The name `func` is called by (MySQL counts characters with `CHAR_LENGTH`).
    fn function_name(&self, func: Func) -> &'static str {
        func.sql()
    }

    /// Whether text concatenates with the `||` operator (otherwise `CONCAT(a, b)`, which
    /// on MySQL is NULL when an operand is, like `||` elsewhere).
    fn concat_operator(&self) -> bool {
        true
    }

    /// The operator dividing integers with truncation toward zero.
    fn int_div_operator(&self) -> &'static str {
        "/"
    }

    /// Whether the offset of `LAG`/`LEAD` may be a bound parameter (otherwise it is written
    /// as an integer literal).
    fn binds_window_offset(&self) -> bool {
        true
    }

    /// Whether `LAG`/`LEAD` take a default as their third argument (otherwise the default
    /// is applied with `COALESCE` around the window function, which also replaces a NULL
    /// the neighbouring row holds).
    fn window_default_arg(&self) -> bool {
        true
    }

    /// Whether the subquery of `IN (…)` may have its own LIMIT or OFFSET (otherwise the
    /// renderer reads it through a derived table).
    fn limit_in_subquery(&self) -> bool {
        true
    }

    /// Whether the set operation is available.
    fn supports_set_op(&self, _op: SetOp) -> bool {
        true
    }

    /// A boolean constant.
    fn bool_literal(&self, value: bool) -> &'static str {
        if value { "TRUE" } else { "FALSE" }
    }

    /// Whether `INSERT … RETURNING` is available.
    fn supports_returning(&self) -> bool;

    /// How an upsert's conflict clause is written.
    fn upsert_style(&self) -> UpsertStyle {
        UpsertStyle::OnConflict
    }

    /// Whether `RETURNING` after an upsert returns the stored row of every input row,
    /// inserted or updated (otherwise the rows are read back by their conflict key).
    fn upsert_returning(&self) -> bool {
        false
    }

    /// How an UPDATE of many rows from a list of rows is written.
    fn bulk_update_style(&self) -> BulkUpdateStyle {
        BulkUpdateStyle::Values
    }

    /// The type a column of type `ty` is read as from the JSON document of a
    /// [`BulkUpdateStyle::JsonTable`] bulk update.
    fn json_table_type(&self, ty: ColumnType) -> String {
        self.type_name(ty)
    }

    /// How case-insensitive LIKE is written.
    fn ilike_style(&self) -> IlikeStyle {
        IlikeStyle::Lower
    }

    /// The LIMIT value meaning "no limit", for an OFFSET without LIMIT; `None` when OFFSET
    /// may stand alone.
    fn unlimited(&self) -> Option<&'static str> {
        None
    }

    /// Whether `NULLS FIRST`/`NULLS LAST` is understood.
    fn supports_nulls_order(&self) -> bool {
        true
    }

    /// Appends the row-lock clause of a SELECT (` FOR UPDATE SKIP LOCKED`, …).
    ///
    /// # Errors
    /// [`Unsupported`](crate::ErrorKind::Unsupported) where the backend has no row locks.
    fn lock_clause(&self, out: &mut String, lock: RowLock) -> Result<()> {
        out.push_str(match lock.strength {
            LockStrength::Update => " FOR UPDATE",
            LockStrength::Share => " FOR SHARE",
        });
        push_lock_wait(out, lock.wait);
        Ok(())
    }

    /// The statement that opens a transaction.
    fn begin_sql(&self) -> &'static str {
        "BEGIN"
    }

    /// The statements that open a transaction at `isolation` (the server's default when
    /// `None`), read-only when `read_only`.
    ///
    /// # Errors
    /// [`Unsupported`](crate::ErrorKind::Unsupported) for what the backend cannot do.
    ///
    /// ```
    /// use kakaorm_core::{Backend, IsolationLevel};
    /// let begin = Backend::Postgres.dialect().begin_statements(Some(IsolationLevel::Serializable), true);
    /// assert_eq!(begin.unwrap(), ["BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY"]);
    /// ```
    fn begin_statements(&self, isolation: Option<IsolationLevel>, read_only: bool) -> Result<Vec<String>> {
        let mut modes = Vec::new();
        if let Some(level) = isolation {
            modes.push(format!("ISOLATION LEVEL {}", level.sql()));
        }
        if read_only {
            modes.push("READ ONLY".to_owned());
        }
        let begin = self.begin_sql();
        Ok(vec![if modes.is_empty() { begin.to_owned() } else { format!("{begin} {}", modes.join(", ")) }])
    }

    /// `INSERT` of one row of all defaults, after `INSERT INTO t`.
    fn default_values(&self) -> &'static str {
        " DEFAULT VALUES"
    }

    /// Text appended after the closing parenthesis of CREATE TABLE.
    fn table_options(&self) -> &'static str {
        ""
    }

    /// Whether indexes are declared inside CREATE TABLE rather than as CREATE INDEX.
    fn inline_indexes(&self) -> bool {
        false
    }

    /// Whether a unique or indexed column may be unbounded TEXT.
    fn can_index_text(&self) -> bool {
        true
    }

    /// Whether the foreign-key action is available.
    fn supports_referential_action(&self, _action: ReferentialAction) -> bool {
        true
    }

    /// How a column's type, nullability or default is changed.
    fn alter_column_style(&self) -> AlterColumnStyle {
        AlterColumnStyle::Clauses
    }

    /// Whether ALTER TABLE can add and drop constraints and drop columns (SQLite cannot:
    /// its tables are rebuilt).
    fn alters_constraints(&self) -> bool {
        self.alter_column_style() != AlterColumnStyle::Rebuild
    }

    /// Whether DDL takes part in transactions (MySQL commits each DDL statement at once).
    fn transactional_ddl(&self) -> bool {
        true
    }

    /// Whether adding a foreign key creates an index named after it on the referring
    /// columns when no index starts with them (InnoDB); dropping the key leaves that index.
    fn foreign_keys_create_indexes(&self) -> bool {
        false
    }

    /// Whether `DROP INDEX name` needs `ON table` (MySQL).
    fn drop_index_names_table(&self) -> bool {
        false
    }

    /// The statement that drops `table`'s primary key. By default (PostgreSQL) the key's
    /// constraint is looked up in the catalog, since its name need not be `<table>_pkey`
    /// (a renamed table keeps its key's name); `ALTER TABLE t DROP PRIMARY KEY` on MySQL.
    fn drop_primary_key(&self, table: &str) -> String {
        let mut quoted = String::new();
        self.quote_ident(&mut quoted, table);
        format!(
            "DO $kakaorm$ BEGIN EXECUTE (SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', c.relname, k.conname) \
             FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
             WHERE k.conrelid = to_regclass('{}') AND k.contype = 'p'); END $kakaorm$",
            quoted.replace('\'', "''")
        )
    }

    /// The keyword after `ALTER TABLE t DROP` for a constraint of `kind`.
    fn drop_constraint_keyword(&self, _kind: ConstraintKind) -> &'static str {
        "CONSTRAINT"
    }

    /// The SQL for the current time as a value of a column of type `ty` (defaults and
    /// back-filled columns), in the form the backend stores it.
    fn now_sql(&self, ty: ColumnType) -> String {
        if ty == ColumnType::Date { "CURRENT_DATE".into() } else { "CURRENT_TIMESTAMP".into() }
    }

    /// Whether a column of type `ty` may have a literal DEFAULT (MySQL refuses one on
    /// TEXT, BLOB and JSON columns, and fills existing rows with an implicit value instead).
    fn accepts_literal_default(&self, _ty: ColumnType) -> bool {
        true
    }

    /// The most bound parameters one statement may carry (bulk inserts chunk below it).
    fn max_params(&self) -> usize {
        65_535
    }

    /// Rows per statement when a bulk insert of rows `width` values wide runs one prepared
    /// multi-row INSERT over and over, binding each slice of one buffer of values in turn
    /// (SQLite, whose statements run in-process, where this skips rendering and parsing
    /// large statements); `None` renders each statement with its values.
    fn repeated_insert_rows(&self, _width: usize) -> Option<usize> {
        None
    }

    /// Whether large bulk inserts stream rows with binary `COPY … FROM STDIN`.
    fn supports_copy_in(&self) -> bool {
        false
    }

    /// Whether bulk inserts bind one array per column (`INSERT … SELECT * FROM UNNEST(…)`),
    /// which sends any number of rows in one statement of fixed text.
    fn supports_unnest_insert(&self) -> bool {
        false
    }

    /// Whether a whole list can be bound as one array parameter (`x = ANY($1)`): related
    /// rows then load with one statement text for any number of keys.
    fn supports_array_params(&self) -> bool {
        self.supports_unnest_insert()
    }

    /// How the keys of related rows are bound (see [`KeyList`]).
    fn key_list(&self) -> KeyList {
        if self.supports_array_params() { KeyList::Array } else { KeyList::Padded }
    }

    /// Whether NaN and infinities can be stored in float columns.
    fn supports_non_finite_floats(&self) -> bool {
        false
    }

    /// Whether text values may contain NUL characters (PostgreSQL's text types refuse
    /// them, so [`check_value`](Dialect::check_value) does too, before any SQL).
    fn text_allows_nul(&self) -> bool {
        true
    }

    /// Whether `LIKE` treats a NUL character as the end of the text (SQLite). The renderer
    /// then matches literal text containing NUL (`contains` and its kin) by its bytes with
    /// `instr()` and `substr()`, and refuses a hand-written LIKE pattern containing NUL.
    fn like_stops_at_nul(&self) -> bool {
        false
    }

    /// The collation a column of type `ty` is declared with, when the backend needs one for
    /// comparisons to mean the same as elsewhere (SQLite compares decimals, stored as exact
    /// text, with a numeric collation).
    fn column_collation(&self, _ty: ColumnType) -> Option<&'static str> {
        None
    }

    /// The statements that empty a table and reset its identity.
    fn truncate(&self, table: &str, has_identity: bool) -> Vec<String>;

    /// The dates a date or timestamp parameter may hold: the backend's own range, where it
    /// stores every day in it exactly.
    fn date_range(&self) -> RangeInclusive<NaiveDate> {
        NaiveDate::MIN..=NaiveDate::MAX
    }

    /// Whether a leap second (chrono's second 59 with a nanosecond of one billion or more)
    /// is stored and read back exactly; otherwise it is refused.
    fn stores_leap_seconds(&self) -> bool {
        false
    }

    /// The deepest nesting of arrays and objects a JSON parameter may have.
    fn max_json_depth(&self) -> usize {
        MAX_JSON_DEPTH
    }

    /// Checks that a parameter can be sent to this backend and stored exactly.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) for NaN or infinite floats where the
    /// backend cannot store them, text containing NUL where it cannot, a date outside [`date_range`](Dialect::date_range), a leap
    /// second the backend cannot store, or a JSON document nested deeper than
    /// [`max_json_depth`](Dialect::max_json_depth); [`Unsupported`](crate::ErrorKind::Unsupported)
    /// for an array where the backend has no array parameters.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use kakaorm_core::{Backend, ErrorKind, Value};
    /// let year_70000 = Value::Date(NaiveDate::from_ymd_opt(70_000, 1, 1).unwrap());
    /// let err = Backend::Mysql.dialect().check_value(&year_70000).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// assert!(err.to_string().contains("+70000-01-01"));
    /// assert!(Backend::Postgres.dialect().check_value(&year_70000).is_ok());
    /// ```
    fn check_value(&self, value: &Value) -> Result<()> {
        let text = matches!(value, Value::String(_)) && !self.text_allows_nul();
        if !text && !Limits::applies_to(value) {
            return Ok(());
        }
        Limits {
            backend: self.backend(),
            non_finite_floats: self.supports_non_finite_floats(),
            arrays: self.supports_unnest_insert(),
            dates: self.date_range(),
            leap_seconds: self.stores_leap_seconds(),
            json_depth: self.max_json_depth(),
            text_nul: self.text_allows_nul(),
        }
        .check(value)
    }
}

/// ` NOWAIT` or ` SKIP LOCKED` after a lock clause.
pub(crate) fn push_lock_wait(out: &mut String, wait: LockWait) {
    out.push_str(match wait {
        LockWait::Wait => "",
        LockWait::NoWait => " NOWAIT",
        LockWait::SkipLocked => " SKIP LOCKED",
    });
}

/// The type name shared by the dialects that spell it the standard way.
pub(crate) fn standard_type_name(ty: ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "SMALLINT".into(),
        ColumnType::Integer => "INTEGER".into(),
        ColumnType::BigInt => "BIGINT".into(),
        ColumnType::Real => "REAL".into(),
        ColumnType::Double => "DOUBLE PRECISION".into(),
        ColumnType::Boolean => "BOOLEAN".into(),
        ColumnType::Text => "TEXT".into(),
        ColumnType::Varchar(n) => format!("VARCHAR({n})"),
        ColumnType::Date => "DATE".into(),
        ColumnType::Time => "TIME".into(),
        ColumnType::Timestamp => "TIMESTAMP".into(),
        ColumnType::TimestampTz => "TIMESTAMPTZ".into(),
        ColumnType::Decimal { precision, scale } => format!("NUMERIC({precision}, {scale})"),
        ColumnType::Uuid => "UUID".into(),
        ColumnType::Json => "JSONB".into(),
        ColumnType::Bytes => "BYTEA".into(),
    }
}
