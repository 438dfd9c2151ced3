//! Splitting a migration file into statements on `;`, outside quotes and comments.

use kakaorm::{Backend, Error, ErrorKind, Result};

/// What the lexer of one backend treats as quoted text or comments.
#[derive(Debug, Clone, Copy)]
struct Lexis {
    /// A backslash escapes the next character in every quoted string (MySQL).
    backslash_escapes: bool,
    /// `$tag$ … $tag$` strings and `E'…'` escape strings (PostgreSQL).
    dollar_quotes: bool,
    /// `/* … */` comments nest (PostgreSQL).
    nested_comments: bool,
    /// `#` starts a comment, and `--` does only when whitespace follows (MySQL).
    mysql_comments: bool,
    /// `` `…` `` quotes identifiers (MySQL, SQLite).
    backticks: bool,
    /// `[…]` quotes identifiers (SQLite).
    brackets: bool,
}

impl Lexis {
    fn of(backend: Backend) -> Lexis {
        let pg = backend == Backend::Postgres;
        let mysql = backend == Backend::Mysql;
        Lexis {
            backslash_escapes: mysql,
            dollar_quotes: pg,
            nested_comments: pg,
            mysql_comments: mysql,
            backticks: !pg,
            brackets: backend == Backend::Sqlite,
        }
    }
}

/// Splits `sql` into its statements, in order, for `backend`: on each `;` that is outside
/// string literals, quoted identifiers, comments and (PostgreSQL) dollar-quoted bodies.
/// Statements are trimmed, lose their `;`, and keep the comments inside them; a piece with
/// nothing but whitespace and comments is no statement.
///
/// Compound statements that contain `;` without quoting it (an SQLite trigger's
/// `BEGIN … END`, a MySQL procedure body) are not supported: write them as a single
/// dollar-quoted body on PostgreSQL, or apply them outside the migration files.
///
/// # Errors
/// [`Migration`](ErrorKind::Migration) for a quote, quoted identifier, comment or dollar
/// quote left open at the end, naming the line where it starts.
///
/// ```
/// use kakaorm::Backend;
/// let sql = "CREATE TABLE t (s TEXT DEFAULT ';'); -- one\nINSERT INTO t VALUES ('a;b');";
/// let statements = kakaorm_migrate::split_statements(sql, Backend::Sqlite)?;
/// assert_eq!(statements, ["CREATE TABLE t (s TEXT DEFAULT ';')", "-- one\nINSERT INTO t VALUES ('a;b')"]);
/// # Ok::<(), kakaorm::Error>(())
/// ```
pub fn split_statements(sql: &str, backend: Backend) -> Result<Vec<String>> {
    Splitter { sql: sql.as_bytes(), text: sql, at: 0, lexis: Lexis::of(backend) }.run()
}

struct Splitter<'a> {
    sql: &'a [u8],
    text: &'a str,
    at: usize,
    lexis: Lexis,
}

impl Splitter<'_> {
    fn run(mut self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut start = 0;
        // Whether the current piece has anything besides whitespace and comments.
        let mut content = false;
        while let Some(&c) = self.sql.get(self.at) {
            let comment = self.comment_len()?;
            if comment > 0 {
                self.at += comment;
                continue;
            }
            if c == b';' {
                if content {
                    out.push(self.piece(start, self.at));
                }
                self.at += 1;
                start = self.at;
                content = false;
                continue;
            }
            content |= !c.is_ascii_whitespace();
            self.at += self.quoted_len()?.max(1);
        }
        if content {
            out.push(self.piece(start, self.sql.len()));
        }
        Ok(out)
    }

    fn piece(&self, from: usize, to: usize) -> String {
        self.text.get(from..to).unwrap_or_default().trim().to_owned()
    }

    fn peek(&self, ahead: usize) -> Option<u8> {
        self.sql.get(self.at + ahead).copied()
    }

    /// The length of the comment starting here, 0 when none does.
    fn comment_len(&self) -> Result<usize> {
        let rest = self.sql.get(self.at..).unwrap_or_default();
        let line = |from: usize| rest.iter().skip(from).position(|&b| b == b'\n').map_or(rest.len(), |p| p + from);
        match (self.peek(0), self.peek(1)) {
            (Some(b'-'), Some(b'-')) if !self.lexis.mysql_comments => Ok(line(2)),
            (Some(b'-'), Some(b'-')) if self.peek(2).is_none_or(|b| b.is_ascii_whitespace()) => Ok(line(2)),
            (Some(b'#'), _) if self.lexis.mysql_comments => Ok(line(1)),
            // MySQL runs the text of `/*! … */`: it is a statement, not a comment.
            (Some(b'/'), Some(b'*')) if self.lexis.mysql_comments && self.peek(2) == Some(b'!') => Ok(0),
            (Some(b'/'), Some(b'*')) => self.block_comment_len(rest),
            _ => Ok(0),
        }
    }

    fn block_comment_len(&self, rest: &[u8]) -> Result<usize> {
        let mut depth = 0usize;
        let mut i = 0;
        while i + 1 < rest.len() {
            match (rest[i], rest[i + 1]) {
                (b'/', b'*') if depth == 0 || self.lexis.nested_comments => {
                    depth += 1;
                    i += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        return Ok(i);
                    }
                }
                _ => i += 1,
            }
        }
        Err(self.unterminated("block comment"))
    }

    /// The length of the quoted text starting here (quotes included), 0 when none does.
    fn quoted_len(&self) -> Result<usize> {
        let Some(c) = self.peek(0) else { return Ok(0) };
        let lx = self.lexis;
        match c {
            b'\'' => self.closed_by(b'\'', lx.backslash_escapes || self.escape_string(), "string literal"),
            b'"' => self.closed_by(b'"', lx.backslash_escapes, "quoted identifier"),
            b'`' if lx.backticks => self.closed_by(b'`', false, "quoted identifier"),
            b'[' if lx.brackets => self.closed_by(b']', false, "quoted identifier"),
            b'$' if lx.dollar_quotes => self.dollar_quoted_len(),
            _ => Ok(0),
        }
    }

    /// Whether the `'` here opens a PostgreSQL `E'…'` string, in which backslashes escape.
    fn escape_string(&self) -> bool {
        if !self.lexis.dollar_quotes || self.at == 0 {
            return false;
        }
        let prev = self.sql.get(self.at - 1).copied();
        let before = self.at.checked_sub(2).and_then(|i| self.sql.get(i)).copied();
        matches!(prev, Some(b'e' | b'E')) && !before.is_some_and(is_ident_byte)
    }

    /// The length up to and including the `close` that ends the text opened here; a doubled
    /// `close` stands for itself.
    fn closed_by(&self, close: u8, backslash: bool, what: &str) -> Result<usize> {
        let rest = self.sql.get(self.at..).unwrap_or_default();
        let mut i = 1;
        while let Some(&b) = rest.get(i) {
            let escaped = backslash && b == b'\\';
            if escaped || (b == close && rest.get(i + 1) == Some(&close)) {
                i += 2;
            } else if b == close {
                return Ok(i + 1);
            } else {
                i += 1;
            }
        }
        Err(self.unterminated(what))
    }

    /// The length of a `$tag$ … $tag$` string starting here, 0 for a `$` that opens none
    /// (a parameter `$1`, or a `$` inside an identifier).
    fn dollar_quoted_len(&self) -> Result<usize> {
        if self.at > 0 && self.sql.get(self.at - 1).copied().is_some_and(is_ident_byte) {
            return Ok(0);
        }
        let rest = self.sql.get(self.at..).unwrap_or_default();
        let tag_len = rest.iter().skip(1).take_while(|&&b| is_ident_byte(b) && b != b'$').count();
        let opens = rest.get(1 + tag_len) == Some(&b'$') && !rest.get(1).is_some_and(u8::is_ascii_digit);
        if !opens {
            return Ok(0);
        }
        let delimiter = &rest[..tag_len + 2];
        let body = &rest[tag_len + 2..];
        match body.windows(delimiter.len()).position(|w| w == delimiter) {
            Some(p) => Ok(tag_len + 2 + p + delimiter.len()),
            None => Err(self.unterminated("dollar-quoted string")),
        }
    }

    fn unterminated(&self, what: &str) -> Error {
        let line = 1 + self.sql.iter().take(self.at).filter(|&&b| b == b'\n').count();
        Error::new(ErrorKind::Migration, format!("unterminated {what} starting on line {line}"))
    }
}

/// A byte that may continue an unquoted identifier (non-ASCII letters included).
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(sql: &str, backend: Backend) -> Vec<String> {
        split_statements(sql, backend).unwrap()
    }

    #[test]
    fn plain_statements_and_blank_pieces() {
        let got = split("CREATE TABLE a (x INT);\n\n;  ;INSERT INTO a VALUES (1)", Backend::Sqlite);
        assert_eq!(got, ["CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"]);
        assert!(split("  -- only a comment\n/* and; another */ ", Backend::Postgres).is_empty());
    }

    #[test]
    fn quotes_hide_semicolons() {
        let sql = r#"INSERT INTO "a;b" VALUES ('x;''y'); SELECT 1"#;
        for b in [Backend::Postgres, Backend::Sqlite, Backend::Mysql] {
            assert_eq!(split(sql, b), [r#"INSERT INTO "a;b" VALUES ('x;''y')"#, "SELECT 1"], "{b:?}");
        }
        assert_eq!(split("SELECT `a;b`, [c;d]; SELECT 2", Backend::Sqlite), ["SELECT `a;b`, [c;d]", "SELECT 2"]);
        assert_eq!(split("SELECT `a;b`; SELECT 2", Backend::Mysql), ["SELECT `a;b`", "SELECT 2"]);
    }

    #[test]
    fn backslashes_escape_on_mysql_and_in_postgres_e_strings_only() {
        assert_eq!(split(r"SELECT 'a\';b'; SELECT 2", Backend::Mysql), [r"SELECT 'a\';b'", "SELECT 2"]);
        assert_eq!(split(r"SELECT 'a\'; SELECT 2", Backend::Postgres), [r"SELECT 'a\'", "SELECT 2"]);
        assert_eq!(split(r"SELECT E'a\';b'; SELECT 2", Backend::Postgres), [r"SELECT E'a\';b'", "SELECT 2"]);
        assert_eq!(split(r"SELECT e'a\'; SELECT 2", Backend::Sqlite), [r"SELECT e'a\'", "SELECT 2"]);
    }

    #[test]
    fn postgres_dollar_quotes() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql;\n\
                   DO $$ BEGIN PERFORM 1; END $$; SELECT $1::int, a$b$ FROM t";
        let got = split(sql, Backend::Postgres);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].ends_with("$body$ LANGUAGE plpgsql"), "{got:?}");
        assert_eq!(got[1], "DO $$ BEGIN PERFORM 1; END $$");
        assert_eq!(got[2], "SELECT $1::int, a$b$ FROM t");
    }

    #[test]
    fn comments_per_backend() {
        let sql = "SELECT 1 -- a; b\n; /* c; /* nested; */ d; */ SELECT 2";
        assert_eq!(split(sql, Backend::Postgres), ["SELECT 1 -- a; b", "/* c; /* nested; */ d; */ SELECT 2"]);
        // SQLite and MySQL comments do not nest: the first `*/` closes.
        assert_eq!(split(sql, Backend::Sqlite), ["SELECT 1 -- a; b", "/* c; /* nested; */ d", "*/ SELECT 2"]);
        assert_eq!(
            split("SELECT 1 # a; b\n; SELECT 2--1; SELECT 3", Backend::Mysql),
            ["SELECT 1 # a; b", "SELECT 2--1", "SELECT 3"]
        );
        assert_eq!(split("/*!40101 SET x = 1 */; SELECT 2", Backend::Mysql), ["/*!40101 SET x = 1 */", "SELECT 2"]);
    }

    #[test]
    fn open_quotes_and_comments_are_errors_with_their_line() {
        for (sql, backend, what) in [
            ("SELECT 1;\nSELECT 'open", Backend::Sqlite, "unterminated string literal starting on line 2"),
            ("SELECT \"x", Backend::Postgres, "unterminated quoted identifier starting on line 1"),
            ("SELECT 1;\n\n/* never closed", Backend::Mysql, "unterminated block comment starting on line 3"),
            ("DO $x$ BEGIN END $y$", Backend::Postgres, "unterminated dollar-quoted string starting on line 1"),
        ] {
            let err = split_statements(sql, backend).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Migration);
            assert_eq!(err.message(), what);
        }
    }

    #[test]
    fn multibyte_text_is_kept_whole() {
        assert_eq!(split("SELECT 'ü;é'; SELECT '日本'", Backend::Sqlite), ["SELECT 'ü;é'", "SELECT '日本'"]);
    }
}
