//! MySQL 8 and MariaDB 10.5+.

use std::ops::RangeInclusive;

use chrono::NaiveDate;

use super::{
    AlterColumnStyle, Backend, BulkUpdateStyle, ConstraintKind, Dialect, LexicalSyntax, UpsertStyle, push_lock_wait,
};
use crate::ast::{Func, LockStrength, RowLock, SetOp};
use crate::error::Result;
use crate::isolation::IsolationLevel;
use crate::schema::ReferentialAction;
use crate::value::{ColumnType, ymd};

/// MySQL and MariaDB. The two differ in `INSERT … RETURNING`, which MariaDB has, and in
/// the name of the binary collation tables are created with.
///
/// That collation is binary and NO PAD (`utf8mb4_0900_bin` on MySQL 8,
/// `utf8mb4_nopad_bin` on MariaDB), so comparisons, LIKE and unique constraints are
/// case-sensitive and trailing spaces count, as on PostgreSQL and SQLite: `'alpha'` and
/// `'alpha '` are two different values.
///
/// ```
/// use kakaorm_core::{Dialect, MysqlDialect};
/// assert!(!MysqlDialect::MYSQL.supports_returning());
/// assert!(MysqlDialect::MARIADB.supports_returning());
/// assert!(MysqlDialect::MARIADB.table_options().ends_with("COLLATE=utf8mb4_nopad_bin"));
/// assert!(MysqlDialect::MYSQL.table_options().ends_with("COLLATE=utf8mb4_0900_bin"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MysqlDialect {
    returning: bool,
    table_options: &'static str,
    /// How a shared row lock is written: `FOR SHARE` (MySQL 8) or `LOCK IN SHARE MODE`
    /// (MariaDB, which has no `FOR SHARE`).
    share_lock: &'static str,
    /// Whether `INTERSECT` and `EXCEPT` exist (MySQL 8.0.31 and later, MariaDB 10.5+).
    intersect_except: bool,
    /// Whether `JSON_TABLE` exists (MySQL 8.0.4 and later, MariaDB 10.6 and later): bulk
    /// updates join it rather than a `UNION ALL` of rows.
    json_table: bool,
}

/// MySQL 8's binary NO PAD collation.
const MYSQL_TABLE: &str = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin";
/// MariaDB's binary NO PAD collation (MariaDB has no `utf8mb4_0900_bin`).
const MARIADB_TABLE: &str = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin";

/// MariaDB's shared row lock.
const MARIADB_SHARE: &str = " LOCK IN SHARE MODE";

impl MysqlDialect {
    /// MySQL 8.
    pub const MYSQL: MysqlDialect = MysqlDialect {
        returning: false,
        table_options: MYSQL_TABLE,
        share_lock: " FOR SHARE",
        intersect_except: true,
        json_table: true,
    };
    /// MySQL 8 before 8.0.31, which has neither `INTERSECT` nor `EXCEPT`: those set
    /// operations are an [`Unsupported`](crate::ErrorKind::Unsupported) error.
    ///
    /// ```
    /// use kakaorm_core::{Dialect, MysqlDialect, ast::SetOp};
    /// assert!(!MysqlDialect::MYSQL_BEFORE_8_0_31.supports_set_op(SetOp::Intersect));
    /// assert!(MysqlDialect::MYSQL_BEFORE_8_0_31.supports_set_op(SetOp::UnionAll));
    /// assert!(MysqlDialect::MYSQL.supports_set_op(SetOp::ExceptAll));
    /// ```
    pub const MYSQL_BEFORE_8_0_31: MysqlDialect = MysqlDialect { intersect_except: false, ..MysqlDialect::MYSQL };
    /// MySQL before 8.0.4, which has no `JSON_TABLE` either: a bulk update joins a `UNION
    /// ALL` of its rows.
    ///
    /// ```
    /// use kakaorm_core::{BulkUpdateStyle, Dialect, MysqlDialect};
    /// assert_eq!(MysqlDialect::MYSQL_BEFORE_8_0_4.bulk_update_style(), BulkUpdateStyle::JoinUnion);
    /// assert_eq!(MysqlDialect::MYSQL.bulk_update_style(), BulkUpdateStyle::JsonTable);
    /// ```
    pub const MYSQL_BEFORE_8_0_4: MysqlDialect =
        MysqlDialect { json_table: false, ..MysqlDialect::MYSQL_BEFORE_8_0_31 };
    /// MariaDB 10.6 and later.
    pub const MARIADB: MysqlDialect = MysqlDialect {
        returning: true,
        table_options: MARIADB_TABLE,
        share_lock: MARIADB_SHARE,
        intersect_except: true,
        json_table: true,
    };
    /// MariaDB 10.5, which has no `JSON_TABLE`: a bulk update joins a `UNION ALL` of its rows.
    ///
    /// ```
    /// use kakaorm_core::{BulkUpdateStyle, Dialect, MysqlDialect};
    /// assert_eq!(MysqlDialect::MARIADB_10_5.bulk_update_style(), BulkUpdateStyle::JoinUnion);
    /// assert_eq!(MysqlDialect::MARIADB.bulk_update_style(), BulkUpdateStyle::JsonTable);
    /// ```
    pub const MARIADB_10_5: MysqlDialect = MysqlDialect { json_table: false, ..MysqlDialect::MARIADB };
    /// MariaDB spoken without `INSERT … RETURNING` (as before 10.5): the MySQL 8 write
    /// paths against a MariaDB server, for tests. Not a public API.
    #[doc(hidden)]
    pub const MARIADB_WITHOUT_RETURNING: MysqlDialect = MysqlDialect { returning: false, ..MysqlDialect::MARIADB };

    /// The dialect for a server answering `SELECT VERSION()` with `version`: MariaDB 10.6
    /// and later or 10.5, MySQL 8.0.31 and later, an older MySQL without
    /// `INTERSECT`/`EXCEPT`, or one before 8.0.4 without `JSON_TABLE` either.
    ///
    /// ```
    /// use kakaorm_core::{BulkUpdateStyle, Dialect, MysqlDialect, ast::SetOp};
    /// let intersects = |v| MysqlDialect::for_version(v).supports_set_op(SetOp::Intersect);
    /// let json_table = |v| MysqlDialect::for_version(v).bulk_update_style() == BulkUpdateStyle::JsonTable;
    /// assert!(MysqlDialect::for_version("10.11.6-MariaDB-0+deb12u1").supports_returning());
    /// assert!(!intersects("8.0.30"));
    /// assert!(intersects("8.0.36-0ubuntu0.22.04.1"));
    /// assert!(intersects("8.4.0"));
    /// assert!(json_table("10.6.0-MariaDB") && json_table("11.4.2-MariaDB") && json_table("8.0.4"));
    /// assert!(!json_table("10.5.23-MariaDB-log") && !json_table("5.5.5-10.5.9-MariaDB") && !json_table("8.0.3"));
    /// ```
    pub fn for_version(version: &str) -> &'static MysqlDialect {
        if version.contains("MariaDB") {
            // Old clients were told "5.5.5-" before the real version.
            let (major, minor, _) = version_numbers(version.strip_prefix("5.5.5-").unwrap_or(version));
            return if (major, minor) < (10, 6) { &MysqlDialect::MARIADB_10_5 } else { &MysqlDialect::MARIADB };
        }
        match version_numbers(version) {
            v if v < (8, 0, 4) => &MysqlDialect::MYSQL_BEFORE_8_0_4,
            v if v < (8, 0, 31) => &MysqlDialect::MYSQL_BEFORE_8_0_31,
            _ => &MysqlDialect::MYSQL,
        }
    }

    /// The collation tables are created with, from their options.
    fn collation(&self) -> &'static str {
        self.table_options.rsplit_once("COLLATE=").map_or("", |(_, collation)| collation)
    }
}

/// The major, minor and patch numbers a version string starts with (0 for any missing).
fn version_numbers(version: &str) -> (u32, u32, u32) {
    let mut numbers = version
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .next()
        .unwrap_or_default()
        .split('.')
        .map(|n| n.parse().unwrap_or(0));
    let mut next = || numbers.next().unwrap_or(0);
    (next(), next(), next())
}

impl super::sealed::Sealed for MysqlDialect {}

impl Dialect for MysqlDialect {
    fn backend(&self) -> Backend {
        Backend::Mysql
    }

    fn cache_slot(&self) -> Option<usize> {
        // The cached statements differ only by RETURNING (the collation is DDL only).
        Some(if self.returning { 2 } else { 1 })
    }

    fn ident_quote(&self) -> char {
        '`'
    }

    fn lexical_syntax(&self) -> LexicalSyntax {
        LexicalSyntax {
            backslash_escapes: true,
            backtick_identifiers: true,
            hash_comments: true,
            question_placeholders: true,
            ..LexicalSyntax::default()
        }
    }

    fn lock_clause(&self, out: &mut String, lock: RowLock) -> Result<()> {
        out.push_str(match lock.strength {
            LockStrength::Update => " FOR UPDATE",
            LockStrength::Share => self.share_lock,
        });
        push_lock_wait(out, lock.wait);
        Ok(())
    }

    fn placeholder(&self, out: &mut String, _n: usize) {
        out.push('?');
    }

    fn string_literal(&self, out: &mut String, text: &str) {
        out.push('\'');
        for ch in text.chars() {
            match ch {
                '\'' => out.push_str("''"),
                '\\' => out.push_str("\\\\"),
                _ => out.push(ch),
            }
        }
        out.push('\'');
    }

    fn type_name(&self, ty: ColumnType) -> String {
        match ty {
            ColumnType::SmallInt => "SMALLINT".into(),
            ColumnType::Integer => "INT".into(),
            ColumnType::BigInt => "BIGINT".into(),
            ColumnType::Real => "FLOAT".into(),
            ColumnType::Double => "DOUBLE".into(),
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::Text => "LONGTEXT".into(),
            ColumnType::Varchar(n) => format!("VARCHAR({n})"),
            ColumnType::Date => "DATE".into(),
            ColumnType::Time => "TIME(6)".into(),
            ColumnType::Timestamp | ColumnType::TimestampTz => "DATETIME(6)".into(),
            ColumnType::Decimal { precision, scale } => format!("DECIMAL({precision}, {scale})"),
            ColumnType::Uuid => "CHAR(36)".into(),
            ColumnType::Json => "JSON".into(),
            ColumnType::Bytes => "LONGBLOB".into(),
        }
    }

    fn cast_type(&self, ty: ColumnType) -> String {
        match ty {
            ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt | ColumnType::Boolean => "SIGNED".into(),
            ColumnType::Real | ColumnType::Double => "DOUBLE".into(),
            ColumnType::Text | ColumnType::Varchar(_) | ColumnType::Uuid => "CHAR".into(),
            ColumnType::Timestamp | ColumnType::TimestampTz => "DATETIME(6)".into(),
            other => self.type_name(other),
        }
    }

    fn function_name(&self, func: Func) -> &'static str {
        match func {
            Func::Length => "CHAR_LENGTH",
            other => other.sql(),
        }
    }

    fn concat_operator(&self) -> bool {
        false
    }

    fn int_div_operator(&self) -> &'static str {
        "DIV"
    }

    /// MariaDB refuses a parameter as the offset of `LAG`/`LEAD` (a syntax error).
    fn binds_window_offset(&self) -> bool {
        false
    }

    /// MariaDB's `LAG`/`LEAD` take no default argument.
    fn window_default_arg(&self) -> bool {
        false
    }

    /// "This version of MySQL doesn't yet support 'LIMIT & IN/ALL/ANY/SOME subquery'".
    fn limit_in_subquery(&self) -> bool {
        false
    }

    fn supports_set_op(&self, op: SetOp) -> bool {
        self.intersect_except || matches!(op, SetOp::Union | SetOp::UnionAll)
    }

    fn auto_increment_pk(&self, ty: ColumnType) -> String {
        format!("{} NOT NULL AUTO_INCREMENT PRIMARY KEY", self.type_name(ty))
    }

    fn supports_returning(&self) -> bool {
        self.returning
    }

    fn upsert_style(&self) -> UpsertStyle {
        UpsertStyle::OnDuplicateKey
    }

    fn bulk_update_style(&self) -> BulkUpdateStyle {
        if self.json_table { BulkUpdateStyle::JsonTable } else { BulkUpdateStyle::JoinUnion }
    }

    /// Text of every kind (and JSON and base64 bytes, which travel as text) is read as
    /// `LONGTEXT` in the tables' collation, so nothing is cut short before the column
    /// checks it and a text key compares as the table's key does.
    fn json_table_type(&self, ty: ColumnType) -> String {
        match ty {
            ColumnType::Text | ColumnType::Varchar(_) | ColumnType::Uuid | ColumnType::Json | ColumnType::Bytes => {
                format!("LONGTEXT CHARACTER SET utf8mb4 COLLATE {}", self.collation())
            }
            other => self.type_name(other),
        }
    }

    fn unlimited(&self) -> Option<&'static str> {
        Some("18446744073709551615")
    }

    fn supports_nulls_order(&self) -> bool {
        false
    }

    fn begin_sql(&self) -> &'static str {
        "START TRANSACTION"
    }

    /// `SET TRANSACTION ISOLATION LEVEL …` (for the next transaction only), then
    /// `START TRANSACTION [READ ONLY]`.
    fn begin_statements(&self, isolation: Option<IsolationLevel>, read_only: bool) -> Result<Vec<String>> {
        let mut out = Vec::new();
        if let Some(level) = isolation {
            out.push(format!("SET TRANSACTION ISOLATION LEVEL {}", level.sql()));
        }
        out.push(if read_only { "START TRANSACTION READ ONLY" } else { "START TRANSACTION" }.to_owned());
        Ok(out)
    }

    fn default_values(&self) -> &'static str {
        " () VALUES ()"
    }

    fn table_options(&self) -> &'static str {
        self.table_options
    }

    fn inline_indexes(&self) -> bool {
        true
    }

    fn can_index_text(&self) -> bool {
        false
    }

    fn alter_column_style(&self) -> AlterColumnStyle {
        AlterColumnStyle::Modify
    }

    fn drop_index_names_table(&self) -> bool {
        true
    }

    fn transactional_ddl(&self) -> bool {
        false
    }

    fn foreign_keys_create_indexes(&self) -> bool {
        true
    }

    fn drop_primary_key(&self, table: &str) -> String {
        let mut s = String::from("ALTER TABLE ");
        self.quote_ident(&mut s, table);
        s.push_str(" DROP PRIMARY KEY");
        s
    }

    fn drop_constraint_keyword(&self, kind: ConstraintKind) -> &'static str {
        match kind {
            ConstraintKind::Unique => "INDEX",
            ConstraintKind::ForeignKey => "FOREIGN KEY",
            ConstraintKind::Check => "CONSTRAINT",
        }
    }

    /// `DATETIME(6)` needs the current time at the same precision; a DATE default must be
    /// an expression.
    fn now_sql(&self, ty: ColumnType) -> String {
        if ty == ColumnType::Date { "(CURRENT_DATE)".into() } else { "CURRENT_TIMESTAMP(6)".into() }
    }

    fn accepts_literal_default(&self, ty: ColumnType) -> bool {
        !matches!(ty, ColumnType::Text | ColumnType::Bytes | ColumnType::Json)
    }

    fn supports_referential_action(&self, action: ReferentialAction) -> bool {
        action != ReferentialAction::SetDefault
    }

    /// Years 1 to 9999: MySQL's wire format would wrap others, and its DATE and DATETIME
    /// types end there.
    fn date_range(&self) -> RangeInclusive<NaiveDate> {
        ymd(1, 1, 1)..=ymd(9999, 12, 31)
    }

    /// MariaDB's JSON columns check `JSON_VALID`, which refuses 32 levels or more; MySQL
    /// refuses documents nested deeper than 100.
    fn max_json_depth(&self) -> usize {
        if self.returning { 31 } else { 100 }
    }

    fn truncate(&self, table: &str, _has_identity: bool) -> Vec<String> {
        let mut sql = String::from("TRUNCATE TABLE ");
        self.quote_ident(&mut sql, table);
        vec![sql]
    }
}
