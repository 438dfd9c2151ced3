//! MySQL 8 and MariaDB 10.5+.

use std::ops::RangeInclusive;

use chrono::NaiveDate;

use super::{Backend, Dialect};
use crate::schema::ReferentialAction;
use crate::value::{ColumnType, ymd};

/// MySQL and MariaDB. The two differ only in `INSERT … RETURNING`, which MariaDB has.
///
/// Tables are created with `utf8mb4_bin`, so comparisons, LIKE and unique constraints are
/// case-sensitive as on PostgreSQL and SQLite.
///
/// ```
/// use kakaorm_core::{Dialect, MysqlDialect};
/// assert!(!MysqlDialect::MYSQL.supports_returning());
/// assert!(MysqlDialect::MARIADB.supports_returning());
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MysqlDialect {
    returning: bool,
}

impl MysqlDialect {
    /// MySQL 8.
    pub const MYSQL: MysqlDialect = MysqlDialect { returning: false };
    /// MariaDB 10.5 and later.
    pub const MARIADB: MysqlDialect = MysqlDialect { returning: true };
}

impl super::sealed::Sealed for MysqlDialect {}

impl Dialect for MysqlDialect {
    fn backend(&self) -> Backend {
        Backend::Mysql
    }

    fn cache_slot(&self) -> Option<usize> {
        Some(if self.returning { 2 } else { 1 })
    }

    fn ident_quote(&self) -> char {
        '`'
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

    fn auto_increment_pk(&self, ty: ColumnType) -> String {
        format!("{} NOT NULL AUTO_INCREMENT PRIMARY KEY", self.type_name(ty))
    }

    fn supports_returning(&self) -> bool {
        self.returning
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

    fn default_values(&self) -> &'static str {
        " () VALUES ()"
    }

    fn table_options(&self) -> &'static str {
        " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
    }

    fn inline_indexes(&self) -> bool {
        true
    }

    fn can_index_text(&self) -> bool {
        false
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
