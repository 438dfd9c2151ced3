//! Splitting a migration file into statements on `;`, outside quotes, comments and the
//! bodies of compound statements. Quotes and comments are found by kakaorm's one SQL lexer
//! ([`kakaorm_core::lex`]), the one that raw SQL's placeholders are found with.

use kakaorm::{Backend, Error, ErrorKind, Result};
use kakaorm_core::LexicalSyntax;
use kakaorm_core::lex::{Opaque, is_ident_byte, opaque_at};

/// The words after `CREATE` (before any `(`) that make a statement a compound one, whose
/// body may hold `;` between `BEGIN` and `END`.
const COMPOUND: [&str; 4] = ["TRIGGER", "PROCEDURE", "FUNCTION", "EVENT"];

/// The words after `END` that close a MySQL flow-control block rather than a `BEGIN` or a
/// `CASE` (`END IF`, `END LOOP`, …); their openers are not counted either.
const FLOW_ENDS: [&str; 4] = ["IF", "LOOP", "WHILE", "REPEAT"];

/// Splits `sql` into its statements, in order, for `backend`: on each `;` that is outside
/// string literals, quoted identifiers, comments, (PostgreSQL) dollar-quoted bodies, and
/// the `BEGIN … END` body of a compound statement. Statements are trimmed, lose their `;`,
/// and keep the comments inside them; a piece with nothing but whitespace and comments is
/// no statement.
///
/// A compound statement is a `CREATE … TRIGGER`, `PROCEDURE`, `FUNCTION` or `EVENT` (the
/// word coming before any `(`): inside it, `BEGIN` and `CASE` open a block that `END`
/// closes, and a `;` inside a block does not end the statement. MySQL's `END IF`,
/// `END LOOP`, `END WHILE` and `END REPEAT` close their own blocks, which are not counted.
/// This covers SQLite and MySQL triggers, MySQL procedures and PostgreSQL's
/// `BEGIN ATOMIC … END` functions; a PostgreSQL `DO $$ … $$` or dollar-quoted function
/// body is one quoted string. The client command `DELIMITER` is not needed (nor accepted).
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
/// let trigger = "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN UPDATE t SET s = 'x'; END; SELECT 1";
/// let statements = kakaorm_migrate::split_statements(trigger, Backend::Sqlite)?;
/// assert_eq!(statements, ["CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN UPDATE t SET s = 'x'; END", "SELECT 1"]);
/// # Ok::<(), kakaorm::Error>(())
/// ```
pub fn split_statements(sql: &str, backend: Backend) -> Result<Vec<String>> {
    Splitter { text: sql, at: 0, syntax: backend.dialect().lexical_syntax(), piece: Piece::default() }.run()
}

/// What is known of the statement being read.
#[derive(Debug, Default)]
struct Piece {
    /// It has something besides whitespace and comments.
    content: bool,
    /// Words read so far (only the first matters: `CREATE`).
    words: usize,
    /// A `(` came: a compound keyword after it is a name, not the statement's kind.
    paren: bool,
    /// It is a compound statement (see [`COMPOUND`]).
    compound: bool,
    /// How many `BEGIN`/`CASE` blocks of a compound statement are open.
    depth: usize,
    /// The first word was `CREATE`.
    create: bool,
}

struct Splitter<'a> {
    text: &'a str,
    at: usize,
    syntax: LexicalSyntax,
    piece: Piece,
}

impl Splitter<'_> {
    fn run(mut self) -> Result<Vec<String>> {
        let sql = self.text.as_bytes();
        let mut out = Vec::new();
        let mut start = 0;
        while let Some(&c) = sql.get(self.at) {
            let skipped = opaque_at(self.text, self.at, self.syntax).map_err(|open| {
                Error::new(
                    ErrorKind::Migration,
                    format!("unterminated {} starting on line {}", open.what.describe(), open.line(self.text)),
                )
            })?;
            match skipped {
                Some((kind, len)) => {
                    self.piece.content |= !matches!(kind, Opaque::LineComment | Opaque::BlockComment);
                    self.at += len;
                }
                None if c == b';' && self.piece.depth == 0 => {
                    if self.piece.content {
                        out.push(self.piece(start, self.at));
                    }
                    self.at += 1;
                    start = self.at;
                    self.piece = Piece::default();
                }
                None if (c.is_ascii_alphabetic() || c == b'_') && !self.after_ident() => self.word(),
                None => {
                    self.piece.content |= !c.is_ascii_whitespace();
                    self.piece.paren |= c == b'(';
                    self.at += 1;
                }
            }
        }
        if self.piece.content {
            out.push(self.piece(start, sql.len()));
        }
        Ok(out)
    }

    fn piece(&self, from: usize, to: usize) -> String {
        self.text.get(from..to).unwrap_or_default().trim().to_owned()
    }

    fn after_ident(&self) -> bool {
        self.at > 0 && self.text.as_bytes().get(self.at - 1).copied().is_some_and(is_ident_byte)
    }

    /// Reads the word at `at`, keeping count of the blocks of a compound statement.
    fn word(&mut self) {
        let text = self.text;
        let word = word_at(text, self.at);
        let len = word.len();
        let is = |w: &str| word.eq_ignore_ascii_case(w);
        let p = &mut self.piece;
        p.content = true;
        p.words += 1;
        if p.words == 1 {
            p.create = is("CREATE");
        } else if p.create && !p.paren && !p.compound && COMPOUND.iter().any(|w| is(w)) {
            p.compound = true;
        } else if p.compound && (is("BEGIN") || is("CASE")) {
            p.depth += 1;
        } else if p.compound && is("END") {
            let after = text.get(self.at + len..).unwrap_or_default();
            let next = after.len() - after.trim_start().len() + self.at + len;
            let closes = word_at(text, next);
            let flow = FLOW_ENDS.iter().any(|w| closes.eq_ignore_ascii_case(w));
            if !flow {
                p.depth = p.depth.saturating_sub(1);
            }
            // `END CASE`, `END IF`, …: the word after `END` opens nothing.
            if flow || closes.eq_ignore_ascii_case("CASE") {
                self.at = next + closes.len();
                return;
            }
        }
        self.at += len;
    }
}

/// The word of `text` starting at `at`, which ends at the first byte that cannot continue it.
fn word_at(text: &str, at: usize) -> &str {
    let rest = text.get(at..).unwrap_or_default();
    let len = rest.bytes().take_while(|&b| is_ident_byte(b)).count();
    rest.get(..len).unwrap_or_default()
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
    fn trigger_bodies_are_one_statement() {
        let sqlite = "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n  UPDATE t SET s = CASE WHEN new.x > 0 THEN 'a;' ELSE 'b' END;\n  \
                      INSERT INTO log VALUES (new.x);\nEND;\nCREATE TEMP TRIGGER [x;y] AFTER DELETE ON t BEGIN DELETE FROM log; END";
        let got = split(sqlite, Backend::Sqlite);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("CREATE TRIGGER t_ai") && got[0].ends_with("VALUES (new.x);\nEND"), "{got:?}");
        assert_eq!(got[1], "CREATE TEMP TRIGGER [x;y] AFTER DELETE ON t BEGIN DELETE FROM log; END");
        // A MySQL trigger without a body ends at its `;`.
        let mysql = "CREATE TRIGGER a BEFORE INSERT ON t FOR EACH ROW SET NEW.x = 1; SELECT 2";
        assert_eq!(
            split(mysql, Backend::Mysql),
            ["CREATE TRIGGER a BEFORE INSERT ON t FOR EACH ROW SET NEW.x = 1", "SELECT 2"]
        );
    }

    #[test]
    fn mysql_procedures_with_flow_control() {
        let sql = "CREATE DEFINER = `u`@`%` PROCEDURE p(IN n INT)\nBEGIN\n  IF n > 0 THEN SET @x = 1; END IF;\n  \
                   WHILE n > 0 DO SET n = n - 1; END WHILE;\n  CASE n WHEN 0 THEN SET @y = 2; ELSE BEGIN END; END CASE;\nEND;\n\
                   CALL p(1)";
        let got = split(sql, Backend::Mysql);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].ends_with("END CASE;\nEND"), "{got:?}");
        assert_eq!(got[1], "CALL p(1)");
    }

    #[test]
    fn postgres_atomic_bodies_and_names_that_look_like_keywords() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3";
        assert_eq!(
            split(sql, Backend::Postgres),
            ["CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END", "SELECT 3"]
        );
        // A column named like a compound keyword, after the `(`, is only a name; `BEGIN` alone
        // is a transaction, not a block.
        let sql = "CREATE TABLE ev (event INT, \"trigger\" INT); BEGIN; INSERT INTO ev VALUES (1, 2); END";
        assert_eq!(
            split(sql, Backend::Mysql),
            ["CREATE TABLE ev (event INT, \"trigger\" INT)", "BEGIN", "INSERT INTO ev VALUES (1, 2)", "END"]
        );
    }

    #[test]
    fn multibyte_text_is_kept_whole() {
        assert_eq!(split("SELECT 'ü;é'; SELECT '日本'", Backend::Sqlite), ["SELECT 'ü;é'", "SELECT '日本'"]);
    }
}
