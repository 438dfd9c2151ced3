//! SQLite 3.35+.

use std::ops::RangeInclusive;

use chrono::NaiveDate;

use super::{AlterColumnStyle, Backend, Dialect, KeyList, LexicalSyntax};
use crate::ast::{RowLock, SetOp};
use crate::error::{Error, Result};
use crate::isolation::IsolationLevel;
use crate::value::{ColumnType, ymd};

/// The collation of decimal columns on SQLite: every kakaorm connection registers it, and
/// it orders decimal text by numeric value.
pub const DECIMAL_COLLATION: &str = "kakaorm_decimal";

/// SQLite.
///
/// Dates and times are stored as fixed-width ISO-8601 text (so they sort correctly, which
/// bounds years to 0000–9999, and a leap second is kept exactly as `23:59:60.…`), UUIDs as
/// hyphenated text and JSON as text. Decimals are stored as exact text at their declared
/// scale, in columns declared `COLLATE kakaorm_decimal` ([`DECIMAL_COLLATION`]), so `=`,
/// `<`, `ORDER BY`, `min`/`max`, unique constraints and CHECK constraints compare them as
/// numbers.
///
/// ```
/// use kakaorm_core::{ColumnType, Dialect, SqliteDialect};
/// assert_eq!(SqliteDialect.begin_sql(), "BEGIN IMMEDIATE");
/// let money = ColumnType::Decimal { precision: 10, scale: 2 };
/// assert_eq!(SqliteDialect.column_collation(money), Some("kakaorm_decimal"));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SqliteDialect;

impl super::sealed::Sealed for SqliteDialect {}

impl Dialect for SqliteDialect {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn cache_slot(&self) -> Option<usize> {
        Some(3)
    }

    fn ident_quote(&self) -> char {
        '"'
    }

    fn lexical_syntax(&self) -> LexicalSyntax {
        LexicalSyntax {
            backtick_identifiers: true,
            bracket_identifiers: true,
            question_placeholders: true,
            named_placeholders: true,
            ..LexicalSyntax::default()
        }
    }

    fn lock_clause(&self, _out: &mut String, _lock: RowLock) -> Result<()> {
        Err(Error::unsupported(
            "sqlite has no row locks (FOR UPDATE / FOR SHARE): a transaction (BEGIN IMMEDIATE) locks the whole database for writing",
        ))
    }

    fn placeholder(&self, out: &mut String, _n: usize) {
        out.push('?');
    }

    fn type_name(&self, ty: ColumnType) -> String {
        match ty {
            ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => "INTEGER".into(),
            ColumnType::Real | ColumnType::Double => "REAL".into(),
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::Text | ColumnType::Decimal { .. } | ColumnType::Json => "TEXT".into(),
            ColumnType::Varchar(n) => format!("VARCHAR({n})"),
            ColumnType::Date => "DATE".into(),
            ColumnType::Time => "TIME".into(),
            ColumnType::Timestamp => "TIMESTAMP".into(),
            ColumnType::TimestampTz => "TIMESTAMPTZ".into(),
            ColumnType::Uuid => "UUID".into(),
            ColumnType::Bytes => "BLOB".into(),
        }
    }

    /// Types SQLite stores as text stay text: a cast to their declared names would take
    /// numeric affinity and turn `2026-01-02 …` into `2026`.
    fn cast_type(&self, ty: ColumnType) -> String {
        match ty {
            ColumnType::Date
            | ColumnType::Time
            | ColumnType::Timestamp
            | ColumnType::TimestampTz
            | ColumnType::Uuid => "TEXT".into(),
            other => self.type_name(other),
        }
    }

    fn auto_increment_pk(&self, _ty: ColumnType) -> String {
        "INTEGER PRIMARY KEY AUTOINCREMENT".into()
    }

    /// SQLite has no `INTERSECT ALL` or `EXCEPT ALL`.
    fn supports_set_op(&self, op: SetOp) -> bool {
        !matches!(op, SetOp::IntersectAll | SetOp::ExceptAll)
    }

    fn supports_returning(&self) -> bool {
        true
    }

    fn upsert_returning(&self) -> bool {
        true
    }

    fn unlimited(&self) -> Option<&'static str> {
        Some("-1")
    }

    fn max_params(&self) -> usize {
        32_766
    }

    fn repeated_insert_rows(&self, width: usize) -> Option<usize> {
        Some((self.max_params() / width.max(1)).clamp(1, REPEATED_ROWS))
    }

    /// As many rows as an insert: one `UPDATE … FROM (VALUES …)` of 64 rows costs about as
    /// much per row as one prepared `UPDATE … WHERE key = ?` run per row, and binds in
    /// fewer calls.
    fn repeated_update_rows(&self, width: usize) -> Option<usize> {
        self.repeated_insert_rows(width)
    }

    fn begin_sql(&self) -> &'static str {
        "BEGIN IMMEDIATE"
    }

    /// Every SQLite transaction is serializable, which satisfies any level asked for;
    /// SQLite has no read-only transactions (only a connection-wide `query_only` switch),
    /// so `read_only` is refused.
    fn begin_statements(&self, _isolation: Option<IsolationLevel>, read_only: bool) -> Result<Vec<String>> {
        if read_only {
            return Err(Error::unsupported("sqlite has no read-only transactions"));
        }
        Ok(vec![self.begin_sql().to_owned()])
    }

    /// Four-digit years, the ones whose text sorts in date order.
    fn date_range(&self) -> RangeInclusive<NaiveDate> {
        ymd(0, 1, 1)..=ymd(9999, 12, 31)
    }

    fn stores_leap_seconds(&self) -> bool {
        true
    }

    fn key_list(&self) -> KeyList {
        KeyList::JsonEach
    }

    fn like_stops_at_nul(&self) -> bool {
        true
    }

    fn column_collation(&self, ty: ColumnType) -> Option<&'static str> {
        matches!(ty, ColumnType::Decimal { .. }).then_some(DECIMAL_COLLATION)
    }

    fn alter_column_style(&self) -> AlterColumnStyle {
        AlterColumnStyle::Rebuild
    }

    /// The current time as the text kakaorm stores for the type.
    fn now_sql(&self, ty: ColumnType) -> String {
        match ty {
            ColumnType::Date => "(strftime('%Y-%m-%d', 'now'))".into(),
            ColumnType::TimestampTz => "(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000+00:00')".into(),
            _ => "(strftime('%Y-%m-%d %H:%M:%f', 'now') || '000')".into(),
        }
    }

    fn truncate(&self, table: &str, has_identity: bool) -> Vec<String> {
        let mut delete = String::from("DELETE FROM ");
        self.quote_ident(&mut delete, table);
        let mut out = vec![delete];
        if has_identity {
            let mut reset = String::from("DELETE FROM sqlite_sequence WHERE name = ");
            self.string_literal(&mut reset, table);
            out.push(reset);
        }
        out
    }
}

/// Rows per statement of a bulk insert or update: large enough that a statement's fixed cost (bind
/// reset, step set-up) is spread thin, small enough that its text and program stay small
/// in the statement cache.
const REPEATED_ROWS: usize = 64;
