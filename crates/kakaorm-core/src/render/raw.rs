//! Raw SQL with portable placeholders: `$1 … $n` in the text, rewritten into the dialect's
//! own placeholders by the shared lexer ([`lex`](crate::lex)), which skips string
//! literals, quoted identifiers and comments, so a raw query written once runs on every backend.

use std::borrow::Cow;

use super::{Rendered, Writer};
use crate::dialect::{Dialect, LexicalSyntax};
use crate::error::{Error, Result};
use crate::lex::{is_ident_byte, opaque_at};
use crate::value::Value;

/// Renders raw SQL written with `$1 … $n` placeholders for `dialect`: each placeholder
/// becomes the dialect's own (`$k` on PostgreSQL, `?` elsewhere) and the parameters are
/// ordered, and repeated where a placeholder is used twice, to match. Text inside string
/// literals, quoted identifiers and comments is left alone. Each parameter is checked as
/// any bound value is.
///
/// # Errors
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) when a placeholder has no parameter,
/// a parameter is never used, the text holds the dialect's own placeholder syntax (`?`,
/// or SQLite's `:name`), a literal or comment is left open, or a parameter cannot be
/// stored by the backend (see [`Dialect::check_value`]).
///
/// ```
/// use kakaorm_core::{Backend, Value, render::render_raw};
/// let sql = "SELECT name FROM users WHERE id = $2 AND name <> '$1' AND age > $1 OR id = $2";
/// let params = vec![Value::I32(18), Value::I64(7)];
/// let r = render_raw(sql, params.clone(), Backend::Mysql.dialect()).unwrap();
/// assert_eq!(r.sql, "SELECT name FROM users WHERE id = ? AND name <> '$1' AND age > ? OR id = ?");
/// assert_eq!(r.params, [Value::I64(7), Value::I32(18), Value::I64(7)]);
/// let r = render_raw(sql, params, Backend::Postgres.dialect()).unwrap();
/// assert_eq!(r.sql, "SELECT name FROM users WHERE id = $1 AND name <> '$1' AND age > $2 OR id = $3");
/// ```
pub fn render_raw(sql: &str, params: Vec<Value>, dialect: &dyn Dialect) -> Result<Rendered> {
    let w = rewrite(sql, &params, Writer::new(dialect))?;
    Ok(Rendered { sql: Cow::Owned(w.sql), params: w.params })
}

/// Raw SQL as [`render_raw`] checks and rewrites it, with each parameter written inline as
/// a literal quoted for `dialect`: for reading and logs only, never executed.
///
/// # Errors
/// As [`render_raw`].
///
/// ```
/// use kakaorm_core::{Backend, Value, render::render_raw_inline};
/// let params = vec![Value::String("O'Brien".into()), Value::I32(18)];
/// let sql = render_raw_inline("SELECT id FROM users WHERE name = $1 AND age > $2", params, Backend::Mysql.dialect());
/// assert_eq!(sql.unwrap(), "SELECT id FROM users WHERE name = 'O''Brien' AND age > 18");
/// ```
pub fn render_raw_inline(sql: &str, params: Vec<Value>, dialect: &dyn Dialect) -> Result<String> {
    let mut w = Writer::new(dialect);
    w.inline = true;
    Ok(rewrite(sql, &params, w)?.sql)
}

/// Copies `sql` into `w`, binding the parameter of each placeholder.
fn rewrite<'d>(sql: &str, params: &[Value], mut w: Writer<'d>) -> Result<Writer<'d>> {
    let mut lexer = Lexer { src: sql, pos: 0, syntax: w.d.lexical_syntax() };
    let mut used = vec![false; params.len()];
    let mut copied = 0;
    while let Some((start, end, n)) = lexer.next_placeholder()? {
        w.push(&sql[copied..start]);
        let value = n.checked_sub(1).and_then(|i| params.get(i)).ok_or_else(|| {
            Error::invalid_input(format!("raw SQL placeholder ${n} has no parameter ({} given)", params.len()))
        })?;
        used[n - 1] = true;
        w.bind(value.clone())?;
        copied = end;
    }
    w.push(&sql[copied..]);
    if let Some(unused) = used.iter().position(|u| !u) {
        return Err(Error::invalid_input(format!(
            "raw SQL parameter {} is never used: the text has no ${} placeholder",
            unused + 1,
            unused + 1
        )));
    }
    Ok(w)
}

/// Walks raw SQL text from placeholder to placeholder.
struct Lexer<'s> {
    src: &'s str,
    pos: usize,
    syntax: LexicalSyntax,
}

impl Lexer<'_> {
    fn bytes(&self) -> &[u8] {
        self.src.as_bytes()
    }

    fn at(&self, i: usize) -> u8 {
        self.bytes().get(i).copied().unwrap_or(0)
    }

    /// The next `$n` outside literals and comments: its byte range and number.
    fn next_placeholder(&mut self) -> Result<Option<(usize, usize, usize)>> {
        while self.pos < self.src.len() {
            let skipped = opaque_at(self.src, self.pos, self.syntax).map_err(|open| {
                Error::invalid_input(format!(
                    "raw SQL leaves a {} open (from line {})",
                    open.what.describe(),
                    open.line(self.src)
                ))
            })?;
            if let Some((_, len)) = skipped {
                self.pos += len;
                continue;
            }
            let c = self.at(self.pos);
            let next = self.at(self.pos + 1);
            match c {
                b'?' if self.syntax.question_placeholders => {
                    return Err(Error::invalid_input("raw SQL takes `$1 … $n` placeholders on every backend, not `?`"));
                }
                b':' | b'@' if self.syntax.named_placeholders && is_ident_start(next) && !self.after_ident() => {
                    return Err(Error::invalid_input(format!(
                        "raw SQL takes `$1 … $n` placeholders on every backend, not `{}name`",
                        char::from(c)
                    )));
                }
                b'$' => {
                    if let Some(found) = self.dollar()? {
                        return Ok(Some(found));
                    }
                }
                _ => self.pos += 1,
            }
        }
        Ok(None)
    }

    /// Whether the byte before `pos` continues an identifier (`a$1` is a name, not `a` and
    /// a placeholder).
    fn after_ident(&self) -> bool {
        self.pos > 0 && is_ident_byte(self.at(self.pos - 1))
    }

    /// Handles a `$` at `pos` that opens no dollar quote: a placeholder `$n`, or a plain
    /// character.
    fn dollar(&mut self) -> Result<Option<(usize, usize, usize)>> {
        let start = self.pos;
        if self.after_ident() {
            self.pos += 1;
            return Ok(None);
        }
        let digits = self.bytes()[start + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits > 0 {
            let end = start + 1 + digits;
            let n = self.src[start + 1..end]
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| Error::invalid_input(format!("`{}` is not a placeholder", &self.src[start..end])))?;
            self.pos = end;
            return Ok(Some((start, end, n)));
        }
        if self.syntax.named_placeholders && is_ident_start(self.at(start + 1)) {
            return Err(Error::invalid_input("raw SQL takes `$1 … $n` placeholders on every backend, not `$name`"));
        }
        self.pos += 1;
        Ok(None)
    }
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

#[cfg(test)]
mod tests {
    use super::render_raw;
    use crate::{Backend, MysqlDialect, Value};

    fn sql(text: &str, n: usize, backend: Backend) -> String {
        let params = (0..n).map(|i| Value::I64(i64::try_from(i).unwrap_or(0))).collect();
        match render_raw(text, params, backend.dialect()) {
            Ok(r) => r.sql.into_owned(),
            Err(e) => format!("error {:?}: {}", e.kind(), e.message()),
        }
    }

    #[test]
    fn literals_identifiers_and_comments_keep_their_dollars() {
        let text = r#"SELECT "a$1", 'b$1', /* $1 /* $1 */ $1 */ $1 -- $1"#;
        assert_eq!(sql(text, 1, Backend::Postgres), r#"SELECT "a$1", 'b$1', /* $1 /* $1 */ $1 */ $1 -- $1"#);
        // Block comments do not nest on SQLite: the first `*/` ends it.
        assert_eq!(sql("SELECT /* $1 /* */ $1", 1, Backend::Sqlite), "SELECT /* $1 /* */ ?");
        assert_eq!(
            sql("SELECT $tag$ $1 ' $tag$, $1, $$x$$", 1, Backend::Postgres),
            "SELECT $tag$ $1 ' $tag$, $1, $$x$$"
        );
        assert_eq!(sql("SELECT E'\\' $1', $1", 1, Backend::Postgres), "SELECT E'\\' $1', $1");
        assert_eq!(sql("SELECT a$1 FROM t WHERE x = $1", 1, Backend::Sqlite), "SELECT a$1 FROM t WHERE x = ?");
    }

    #[test]
    fn mysql_backslashes_and_hash_comments() {
        let d = &MysqlDialect::MARIADB;
        let r = render_raw("SELECT 'it\\'s $1', \"q\\\" $1\", `c$1`, $1 # $1", vec![Value::I32(1)], d);
        assert_eq!(
            r.map(|r| r.sql.into_owned()).ok().as_deref(),
            Some("SELECT 'it\\'s $1', \"q\\\" $1\", `c$1`, ? # $1")
        );
        // On PostgreSQL a backslash does not escape: the quote closes, `$1` is a placeholder.
        assert_eq!(sql("SELECT 'a\\', $1", 1, Backend::Postgres), "SELECT 'a\\', $1");
    }

    #[test]
    fn malformed_text_is_invalid_input() {
        for (text, backend) in [
            ("SELECT 'open", Backend::Postgres),
            ("SELECT \"open", Backend::Sqlite),
            ("SELECT /* open", Backend::Mysql),
            ("SELECT $x$ open", Backend::Postgres),
            ("SELECT ?", Backend::Mysql),
            ("SELECT :name", Backend::Sqlite),
            ("SELECT @name", Backend::Sqlite),
            ("SELECT $name", Backend::Sqlite),
            ("SELECT $2", Backend::Postgres),
            ("SELECT $0", Backend::Mysql),
            ("SELECT $99999999999999999999999", Backend::Mysql),
        ] {
            let out = sql(text, 1, backend);
            assert!(out.starts_with("error InvalidInput"), "{text} on {backend:?}: {out}");
        }
        assert!(sql("SELECT 1", 1, Backend::Postgres).contains("never used"));
        // `?` and `::` are operators on PostgreSQL.
        assert_eq!(
            sql("SELECT j ? 'k', x::int FROM t WHERE y = $1", 1, Backend::Postgres),
            "SELECT j ? 'k', x::int FROM t WHERE y = $1"
        );
    }
}
