//! Literal text matches: `contains`, `starts_with` and `ends_with`.

use super::Writer;
use crate::Value;
use crate::ast::{Expr, LikeKind, TextPosition};
use crate::error::Result;

impl Writer<'_> {
    /// `expr LIKE pattern ESCAPE '!'` with the text escaped, or, where LIKE stops at NUL
    /// and the text contains one, a byte-wise match.
    pub(crate) fn has_text(&mut self, expr: Expr, text: String, position: TextPosition, kind: LikeKind) -> Result<()> {
        if self.d.like_stops_at_nul() && text.contains('\0') {
            return self.bytewise_text(expr, text, position, kind == LikeKind::CaseInsensitive);
        }
        let escaped = Expr::escape_like(&text);
        let pattern = match position {
            TextPosition::Anywhere => format!("%{escaped}%"),
            TextPosition::Start => format!("{escaped}%"),
            TextPosition::End => format!("%{escaped}"),
        };
        self.like(expr, Expr::Value(Value::String(pattern)), kind, true)
    }

    /// `instr(x, ?) > 0` (anywhere), `instr(x, ?) = 1` (at the start) or
    /// `substr(CAST(x AS BLOB), -length(CAST(? AS BLOB))) = CAST(? AS BLOB)` (at the end):
    /// SQLite's `instr()` and its BLOB functions work on the bytes, NUL included.
    fn bytewise_text(&mut self, expr: Expr, text: String, position: TextPosition, lower: bool) -> Result<()> {
        match position {
            TextPosition::Anywhere | TextPosition::Start => {
                self.push("instr(");
                self.lowered(expr, lower)?;
                self.push(", ");
                self.lowered(Expr::Value(Value::String(text)), lower)?;
                self.push(if position == TextPosition::Start { ") = 1" } else { ") > 0" });
            }
            TextPosition::End => {
                self.push("substr(CAST(");
                self.lowered(expr, lower)?;
                self.push(" AS BLOB), -length(CAST(");
                self.lowered(Expr::Value(Value::String(text.clone())), lower)?;
                self.push(" AS BLOB))) = CAST(");
                self.lowered(Expr::Value(Value::String(text)), lower)?;
                self.push(" AS BLOB)");
            }
        }
        Ok(())
    }

    /// `LOWER(e)` when `lower`, else `e` as an operand.
    pub(crate) fn lowered(&mut self, e: Expr, lower: bool) -> Result<()> {
        if !lower {
            return self.operand(e);
        }
        self.push("LOWER(");
        self.expr(e)?;
        self.push(")");
        Ok(())
    }
}
