//! Parsing what databases report: type names, default expressions, and SQLite's CREATE
//! TABLE text (for checks and column collations, which no pragma lists).

use kakaorm::{ColumnType, Error};
use kakaorm_core::schema::{Check, ColumnDefault};

/// A type name kakaorm has no mapping for.
pub(super) fn unknown_type(table: &str, column: &str, ty: &str) -> Error {
    Error::unsupported(format!("column `{table}.{column}` has type `{ty}`, which kakaorm does not map"))
}

/// `name(a, b)` → (`name`, [a, b]).
fn with_args(ty: &str) -> (String, Vec<u32>) {
    let lower = ty.trim().to_ascii_lowercase();
    match lower.split_once('(') {
        Some((name, rest)) => {
            let args = rest.split(')').next().unwrap_or("").split(',').filter_map(|a| a.trim().parse().ok()).collect();
            let after = rest.split_once(')').map_or("", |(_, a)| a).trim();
            (format!("{}{}{after}", name.trim(), if after.is_empty() { "" } else { " " }), args)
        }
        None => (lower, Vec::new()),
    }
}

fn decimal(args: &[u32]) -> ColumnType {
    match args {
        [p, s] => {
            ColumnType::Decimal { precision: u8::try_from(*p).unwrap_or(u8::MAX), scale: u8::try_from(*s).unwrap_or(0) }
        }
        [p] => ColumnType::Decimal { precision: u8::try_from(*p).unwrap_or(u8::MAX), scale: 0 },
        _ => ColumnType::resolve(kakaorm::TypeKind::Decimal, None, None),
    }
}

fn varchar(args: &[u32]) -> ColumnType {
    args.first().map_or(ColumnType::Text, |n| ColumnType::Varchar(*n))
}

/// A PostgreSQL `format_type` name.
pub(super) fn postgres_type(ty: &str) -> Option<ColumnType> {
    let (name, args) = with_args(ty);
    Some(match name.as_str() {
        "smallint" => ColumnType::SmallInt,
        "integer" => ColumnType::Integer,
        "bigint" => ColumnType::BigInt,
        "real" => ColumnType::Real,
        "double precision" => ColumnType::Double,
        "boolean" => ColumnType::Boolean,
        "text" => ColumnType::Text,
        "character varying" | "character" => varchar(&args),
        "date" => ColumnType::Date,
        "time without time zone" | "time" => ColumnType::Time,
        "timestamp without time zone" | "timestamp" => ColumnType::Timestamp,
        "timestamp with time zone" | "timestamptz" => ColumnType::TimestampTz,
        "numeric" => decimal(&args),
        "uuid" => ColumnType::Uuid,
        "jsonb" | "json" => ColumnType::Json,
        "bytea" => ColumnType::Bytes,
        _ => return None,
    })
}

/// A MySQL `COLUMN_TYPE`.
pub(super) fn mysql_type(ty: &str) -> Option<ColumnType> {
    let (name, args) = with_args(ty);
    Some(match name.as_str() {
        "tinyint" if args == [1] => ColumnType::Boolean,
        "tinyint" | "smallint" => ColumnType::SmallInt,
        "mediumint" | "int" | "integer" => ColumnType::Integer,
        "bigint" => ColumnType::BigInt,
        "float" => ColumnType::Real,
        "double" => ColumnType::Double,
        "bool" | "boolean" => ColumnType::Boolean,
        "longtext" | "mediumtext" | "text" | "tinytext" => ColumnType::Text,
        "char" if args == [36] => ColumnType::Uuid,
        "varchar" | "char" => varchar(&args),
        "date" => ColumnType::Date,
        "time" => ColumnType::Time,
        "datetime" | "timestamp" => ColumnType::TimestampTz,
        "decimal" | "numeric" => decimal(&args),
        "json" => ColumnType::Json,
        "longblob" | "mediumblob" | "blob" | "tinyblob" | "varbinary" | "binary" => ColumnType::Bytes,
        _ => return None,
    })
}

/// An SQLite declared type; `decimal` when the column has kakaorm's decimal collation.
pub(super) fn sqlite_type(ty: &str, decimal_collation: bool) -> Option<ColumnType> {
    let (name, args) = with_args(ty);
    Some(match name.as_str() {
        "text" if decimal_collation => decimal(&[]),
        "integer" | "int" | "bigint" | "smallint" => ColumnType::BigInt,
        "real" | "double" | "double precision" | "float" => ColumnType::Double,
        "boolean" => ColumnType::Boolean,
        "text" | "json" => ColumnType::Text,
        "varchar" | "character varying" | "char" => varchar(&args),
        "date" => ColumnType::Date,
        "time" => ColumnType::Time,
        "timestamp" | "datetime" => ColumnType::Timestamp,
        "timestamptz" => ColumnType::TimestampTz,
        "uuid" => ColumnType::Uuid,
        "blob" => ColumnType::Bytes,
        _ => return None,
    })
}

/// A default as the database prints it: a quoted string (with PostgreSQL's `::type` cast),
/// a number, a boolean, NULL (no default) or any other expression.
pub(super) fn default_value(raw: &str) -> Option<ColumnDefault> {
    let raw = raw.trim();
    if raw.eq_ignore_ascii_case("null") || raw.to_ascii_lowercase().starts_with("null::") {
        return None;
    }
    if let Some(text) = quoted(raw) {
        return Some(ColumnDefault::Str(text));
    }
    let bare = raw.split("::").next().unwrap_or(raw).trim();
    let unwrapped = bare.trim_start_matches('(').trim_end_matches(')');
    Some(if let Ok(i) = unwrapped.parse::<i64>() {
        ColumnDefault::Int(i)
    } else if let Ok(f) = unwrapped.parse::<f64>() {
        ColumnDefault::Float(f)
    } else if unwrapped.eq_ignore_ascii_case("true") {
        ColumnDefault::Bool(true)
    } else if unwrapped.eq_ignore_ascii_case("false") {
        ColumnDefault::Bool(false)
    } else {
        ColumnDefault::Expr(raw.to_owned())
    })
}

/// The text of a quoted literal (`'it''s'`, with an optional `::cast` after it).
fn quoted(raw: &str) -> Option<String> {
    let rest = raw.strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push('\'');
            }
            '\'' => {
                let tail: String = chars.collect();
                return (tail.is_empty() || tail.starts_with("::")).then_some(out);
            }
            '\\' => out.push(chars.next()?),
            c => out.push(c),
        }
    }
    None
}

/// The top-level, comma-separated parts inside the outer parentheses of CREATE TABLE.
pub(super) fn create_table_parts(sql: &str) -> Vec<String> {
    let Some(start) = sql.find('(') else { return Vec::new() };
    let mut parts = Vec::new();
    let mut depth = 0_usize;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in sql[start + 1..].chars() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            current.push(c);
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '[' => quote = Some(']'),
            '(' => depth += 1,
            ')' if depth == 0 => break,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current).trim().to_owned());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current.trim().to_owned());
    parts
}

/// The identifier at the start of `text` (quoted or bare) and what follows it.
pub(super) fn leading_ident(text: &str) -> Option<(String, &str)> {
    let text = text.trim_start();
    let first = text.chars().next()?;
    let close = match first {
        '"' => '"',
        '`' => '`',
        '[' => ']',
        _ => {
            let end = text.find(|c: char| c.is_whitespace() || c == '(').unwrap_or(text.len());
            return Some((text[..end].to_owned(), &text[end..]));
        }
    };
    let mut name = String::new();
    let mut iter = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = iter.next() {
        if c == close {
            if close != ']' && iter.peek().is_some_and(|(_, n)| *n == close) {
                iter.next();
                name.push(c);
                continue;
            }
            return Some((name, &text[i + c.len_utf8()..]));
        }
        name.push(c);
    }
    None
}

/// The CHECK constraints of an SQLite CREATE TABLE: named table constraints keep their
/// names, others are named `ck_<table>_<n>`.
pub(super) fn sqlite_checks(table: &str, sql: &str) -> Vec<Check> {
    let mut out = Vec::new();
    for part in create_table_parts(sql) {
        let upper = part.to_ascii_uppercase();
        let (name, rest) = if upper.starts_with("CONSTRAINT") {
            match leading_ident(&part["CONSTRAINT".len()..]) {
                Some((n, rest)) => (Some(n), rest.trim_start()),
                None => continue,
            }
        } else {
            (None, part.as_str())
        };
        if !rest.to_ascii_uppercase().starts_with("CHECK") {
            continue;
        }
        let body = rest["CHECK".len()..].trim();
        let expr = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')).unwrap_or(body);
        let name = name.unwrap_or_else(|| format!("ck_{table}_{}", out.len()));
        out.push(Check::new(name, expr.trim()));
    }
    out
}

/// Whether a column definition of an SQLite CREATE TABLE uses kakaorm's decimal collation.
pub(super) fn sqlite_decimal_columns(sql: &str) -> Vec<String> {
    let marker = format!("COLLATE \"{}\"", kakaorm_core::dialect::DECIMAL_COLLATION);
    create_table_parts(sql)
        .iter()
        .filter(|p| p.to_ascii_uppercase().contains(&marker.to_ascii_uppercase()))
        .filter_map(|p| leading_ident(p).map(|(n, _)| n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_parsed() {
        assert_eq!(default_value("'it''s'::text"), Some(ColumnDefault::Str("it's".into())));
        assert_eq!(default_value("0"), Some(ColumnDefault::Int(0)));
        assert_eq!(default_value("NULL"), None);
        assert_eq!(default_value("TRUE"), Some(ColumnDefault::Bool(true)));
        assert_eq!(default_value("now()"), Some(ColumnDefault::Expr("now()".into())));
    }

    #[test]
    fn create_table_text_is_split() {
        let sql =
            r#"CREATE TABLE "a,b" ("x" TEXT COLLATE "kakaorm_decimal", CONSTRAINT "ck" CHECK (x IN ('a,b', 'c')))"#;
        let parts = create_table_parts(sql);
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert_eq!(sqlite_checks("t", sql), [Check::new("ck", "x IN ('a,b', 'c')")]);
        assert_eq!(sqlite_decimal_columns(sql), ["x"]);
        assert_eq!(postgres_type("numeric(10,2)"), Some(ColumnType::Decimal { precision: 10, scale: 2 }));
        assert_eq!(postgres_type("time without time zone"), Some(ColumnType::Time));
        assert_eq!(mysql_type("tinyint(1)"), Some(ColumnType::Boolean));
    }
}
