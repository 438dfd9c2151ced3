//! MySQL 8 and MariaDB 10.5+.

use std::ops::RangeInclusive;

use chrono::NaiveDate;

use super::{Backend, Dialect};
use crate::ast::Func;
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
}

/// MySQL 8's binary NO PAD collation.
const MYSQL_TABLE: &str = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_bin";
/// MariaDB's binary NO PAD collation (MariaDB has no `utf8mb4_0900_bin`).
const MARIADB_TABLE: &str = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin";

impl MysqlDialect {
    /// MySQL 8.
    pub const MYSQL: MysqlDialect = MysqlDialect { returning: false, table_options: MYSQL_TABLE };
    /// MariaDB 10.5 and later.
    pub const MARIADB: MysqlDialect = MysqlDialect { returning: true, table_options: MARIADB_TABLE };
    /// MariaDB spoken without `INSERT … RETURNING` (as before 10.5): the MySQL 8 write
    /// paths against a MariaDB server, for tests. Not a public API.
    #[doc(hidden)]
    pub const MARIADB_WITHOUT_RETURNING: MysqlDialect = MysqlDialect { returning: false, table_options: MARIADB_TABLE };
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
        self.table_options
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
