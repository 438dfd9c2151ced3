//! The one SQL lexer shared by everything that scans SQL text written by hand: raw SQL's
//! placeholder rewriting ([`render_raw`](crate::render::render_raw)) and the statement
//! splitter of migration files. It finds where string literals, quoted identifiers,
//! dollar-quoted bodies and comments start and end, per backend ([`LexicalSyntax`]), so
//! that neither looks for placeholders or `;` inside them.

use std::fmt;

use crate::dialect::LexicalSyntax;

/// What kind of text the lexer skipped: nothing in it is code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Opaque {
    /// `'…'` (and PostgreSQL's `E'…'`).
    StringLiteral,
    /// `"…"`, `` `…` `` or SQLite's `[…]`.
    QuotedIdentifier,
    /// PostgreSQL's `$tag$ … $tag$`.
    DollarQuoted,
    /// `-- …` or MySQL's `# …`, to the end of the line.
    LineComment,
    /// `/* … */`, nested on PostgreSQL.
    BlockComment,
}

impl Opaque {
    /// What it is called in an error message.
    pub fn describe(self) -> &'static str {
        match self {
            Opaque::StringLiteral => "string literal",
            Opaque::QuotedIdentifier => "quoted identifier",
            Opaque::DollarQuoted => "dollar-quoted string",
            Opaque::LineComment => "line comment",
            Opaque::BlockComment => "block comment",
        }
    }
}

/// A literal, quoted identifier or comment that the text leaves open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unterminated {
    /// What is left open.
    pub what: Opaque,
    /// The byte offset where it opens.
    pub at: usize,
}

impl Unterminated {
    /// The 1-based line of `src` where it opens.
    pub fn line(&self, src: &str) -> usize {
        1 + src.as_bytes().iter().take(self.at).filter(|&&b| b == b'\n').count()
    }
}

impl fmt::Display for Unterminated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unterminated {} at byte {}", self.what.describe(), self.at)
    }
}

/// The literal, quoted identifier or comment that starts at byte `at` of `src` under
/// `syntax`, with its length in bytes (delimiters included); `None` when code starts there.
///
/// A `$` opens a dollar quote only where it does not continue an identifier and is not
/// followed by a digit (so `$1` stays a placeholder). On MySQL (`hash_comments`) `--` opens
/// a comment only before whitespace, and `/*! … */` is code that the server runs.
///
/// # Errors
/// [`Unterminated`] when the text ends before it closes.
///
/// ```
/// use kakaorm_core::{Backend, lex::{Opaque, opaque_at}};
/// let pg = Backend::Postgres.dialect().lexical_syntax();
/// assert_eq!(opaque_at("$f$ a; b $f$;", 0, pg), Ok(Some((Opaque::DollarQuoted, 12))));
/// assert_eq!(opaque_at("/* a /* b */ c */ x", 0, pg), Ok(Some((Opaque::BlockComment, 17))));
/// assert_eq!(opaque_at("$1", 0, pg), Ok(None));
/// let mysql = Backend::Mysql.dialect().lexical_syntax();
/// assert_eq!(opaque_at("SELECT 2--1", 8, mysql), Ok(None));
/// ```
pub fn opaque_at(src: &str, at: usize, syntax: LexicalSyntax) -> Result<Option<(Opaque, usize)>, Unterminated> {
    let rest = src.as_bytes().get(at..).unwrap_or_default();
    let peek = |i: usize| rest.get(i).copied();
    let prev = |back: usize| at.checked_sub(back).and_then(|i| src.as_bytes().get(i)).copied();
    let open = |what: Opaque, len: Option<usize>| len.map(|n| Some((what, n))).ok_or(Unterminated { what, at });
    let mysql = syntax.hash_comments;
    match (peek(0), peek(1)) {
        (Some(b'-'), Some(b'-')) if !mysql || peek(2).is_none_or(|b| b.is_ascii_whitespace()) => {
            Ok(Some((Opaque::LineComment, line_len(rest))))
        }
        (Some(b'#'), _) if mysql => Ok(Some((Opaque::LineComment, line_len(rest)))),
        (Some(b'/'), Some(b'*')) if mysql && peek(2) == Some(b'!') => Ok(None),
        (Some(b'/'), Some(b'*')) => open(Opaque::BlockComment, block_comment_len(rest, syntax.nested_comments)),
        (Some(b'\''), _) => {
            let e_string =
                syntax.escape_strings && matches!(prev(1), Some(b'e' | b'E')) && !prev(2).is_some_and(is_ident_byte);
            open(Opaque::StringLiteral, closed_by(rest, b'\'', syntax.backslash_escapes || e_string))
        }
        (Some(b'"'), _) => open(Opaque::QuotedIdentifier, closed_by(rest, b'"', syntax.backslash_escapes)),
        (Some(b'`'), _) if syntax.backtick_identifiers => open(Opaque::QuotedIdentifier, closed_by(rest, b'`', false)),
        (Some(b'['), _) if syntax.bracket_identifiers => open(Opaque::QuotedIdentifier, closed_by(rest, b']', false)),
        (Some(b'$'), _) if syntax.dollar_quotes && !prev(1).is_some_and(is_ident_byte) => {
            let tag_len = rest.iter().skip(1).take_while(|&&b| is_ident_byte(b) && b != b'$').count();
            if peek(1 + tag_len) != Some(b'$') || peek(1).is_some_and(|b| b.is_ascii_digit()) {
                return Ok(None);
            }
            let delimiter = &rest[..tag_len + 2];
            let body = &rest[tag_len + 2..];
            let close = body.windows(delimiter.len()).position(|w| w == delimiter);
            open(Opaque::DollarQuoted, close.map(|p| tag_len + 2 + p + delimiter.len()))
        }
        _ => Ok(None),
    }
}

/// A byte that may continue an unquoted identifier (non-ASCII letters included, and `$`).
pub fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// The length of a line comment: up to and including its newline, or to the end.
fn line_len(rest: &[u8]) -> usize {
    rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |p| p + 1)
}

/// The length of the block comment opening `rest`; `None` when it never closes.
fn block_comment_len(rest: &[u8], nested: bool) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i + 1 < rest.len() {
        match (rest[i], rest[i + 1]) {
            (b'/', b'*') if depth == 0 || nested => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The length up to and including the `close` that ends the text opening `rest`; a
/// doubled `close` stands for itself, and a backslash escapes where `backslash`.
fn closed_by(rest: &[u8], close: u8, backslash: bool) -> Option<usize> {
    let mut i = 1;
    while let Some(&b) = rest.get(i) {
        if (backslash && b == b'\\') || (b == close && rest.get(i + 1) == Some(&close)) {
            i += 2;
        } else if b == close {
            return Some(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Backend;

    fn skip(src: &str, backend: Backend) -> Result<Option<(Opaque, usize)>, Unterminated> {
        opaque_at(src, 0, backend.dialect().lexical_syntax())
    }

    #[test]
    fn quotes_per_backend() {
        assert_eq!(skip("'a''b' x", Backend::Sqlite), Ok(Some((Opaque::StringLiteral, 6))));
        assert_eq!(skip(r"'a\' x'", Backend::Mysql), Ok(Some((Opaque::StringLiteral, 7))));
        assert_eq!(skip(r"'a\' x'", Backend::Postgres), Ok(Some((Opaque::StringLiteral, 4))));
        assert_eq!(
            opaque_at(r"E'a\'b'", 1, Backend::Postgres.dialect().lexical_syntax()),
            Ok(Some((Opaque::StringLiteral, 6)))
        );
        assert_eq!(
            opaque_at(r"e'a\'b'", 1, Backend::Sqlite.dialect().lexical_syntax()),
            Ok(Some((Opaque::StringLiteral, 4)))
        );
        assert_eq!(skip("[a;b] x", Backend::Sqlite), Ok(Some((Opaque::QuotedIdentifier, 5))));
        assert_eq!(skip("[a;b] x", Backend::Postgres), Ok(None));
        assert_eq!(skip("`a` x", Backend::Postgres), Ok(None));
    }

    #[test]
    fn comments_and_their_nesting() {
        assert_eq!(skip("/* a /* b */ c */", Backend::Postgres), Ok(Some((Opaque::BlockComment, 17))));
        assert_eq!(skip("/* a /* b */ c */", Backend::Sqlite), Ok(Some((Opaque::BlockComment, 12))));
        assert_eq!(skip("# x\ny", Backend::Mysql), Ok(Some((Opaque::LineComment, 4))));
        assert_eq!(skip("# x\ny", Backend::Sqlite), Ok(None));
        assert_eq!(skip("--x", Backend::Mysql), Ok(None));
        assert_eq!(skip("--x", Backend::Postgres), Ok(Some((Opaque::LineComment, 3))));
        assert_eq!(skip("/*!40101 x */", Backend::Mysql), Ok(None));
    }

    #[test]
    fn open_text_says_what_and_where() {
        let err = opaque_at("x;\n'open", 3, Backend::Sqlite.dialect().lexical_syntax()).unwrap_err();
        assert_eq!((err.what, err.at, err.line("x;\n'open")), (Opaque::StringLiteral, 3, 2));
        assert_eq!(skip("$a$ x $b$", Backend::Postgres).unwrap_err().what, Opaque::DollarQuoted);
        assert_eq!(skip("/* /* */", Backend::Postgres).unwrap_err().what, Opaque::BlockComment);
    }
}
