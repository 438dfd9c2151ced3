//! Orderings written as text (`"views desc, title"`), as a web handler receives them,
//! checked against a model's columns.

use super::expr::Expr;
use super::statement::{Nulls, OrderBy};
use crate::error::{Error, Result};
use crate::schema::{ColumnSchema, TableSchema};

/// The longest ordering text accepted, in bytes.
const MAX_TEXT: usize = 1024;
/// The most terms one ordering may have.
const MAX_TERMS: usize = 16;

/// Parses `text`: comma-separated terms `column [ASC|DESC] [NULLS FIRST|NULLS LAST]`, where
/// `column` is a column (or field) name of `schema`, optionally written `table.column`.
/// Keywords are case-insensitive; names are matched exactly.
///
/// # Errors
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) for anything else: an unknown column or
/// table, an empty term, an unknown keyword, quotes, parentheses, operators, or a text
/// longer than 1 024 bytes or of more than 16 terms.
pub fn parse_order(text: &str, schema: &'static TableSchema) -> Result<Vec<OrderBy>> {
    if text.len() > MAX_TEXT {
        return Err(Error::invalid_input(format!("an ordering may be at most {MAX_TEXT} bytes long")));
    }
    let terms: Vec<&str> = text.split(',').collect();
    if terms.len() > MAX_TERMS {
        return Err(Error::invalid_input(format!("an ordering may have at most {MAX_TERMS} terms")));
    }
    terms.into_iter().map(|term| parse_term(term, schema)).collect()
}

fn parse_term(term: &str, schema: &'static TableSchema) -> Result<OrderBy> {
    let mut words = term.split_ascii_whitespace();
    let name = words.next().ok_or_else(|| Error::invalid_input("an ordering has an empty term"))?;
    let column = resolve(name, schema)?;
    let rest: Vec<String> = words.map(str::to_ascii_uppercase).collect();
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    let (desc, nulls_words) = match rest.split_first() {
        Some((&"ASC", tail)) => (false, tail),
        Some((&"DESC", tail)) => (true, tail),
        _ => (false, rest.as_slice()),
    };
    let nulls = match nulls_words {
        [] => None,
        ["NULLS", "FIRST"] => Some(Nulls::First),
        ["NULLS", "LAST"] => Some(Nulls::Last),
        _ => {
            return Err(Error::invalid_input(format!(
                "ordering term `{}` is not `column [ASC|DESC] [NULLS FIRST|NULLS LAST]`",
                shown(term)
            )));
        }
    };
    Ok(OrderBy::new(Expr::column(column.name), desc, nulls))
}

/// The column `name` (`column` or `table.column`) names in `schema`.
fn resolve(name: &str, schema: &'static TableSchema) -> Result<&'static ColumnSchema> {
    let column = match name.split_once('.') {
        Some((table, column)) if table == schema.name => column,
        Some((table, _)) => {
            return Err(Error::invalid_input(format!(
                "cannot order `{}` rows by a column of `{}`",
                schema.name,
                shown(table)
            )));
        }
        None => name,
    };
    schema.columns.iter().find(|c| c.name == column || c.field == column).ok_or_else(|| {
        Error::invalid_input(format!("cannot order by `{}`: `{}` has no such column", shown(column), schema.name))
    })
}

/// User text quoted in a message: at most 64 characters, control characters escaped.
fn shown(text: &str) -> String {
    let mut out: String = text.chars().take(64).flat_map(char::escape_debug).collect();
    if text.chars().count() > 64 {
        out.push('…');
    }
    out
}
