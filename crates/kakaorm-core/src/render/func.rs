//! Function calls, CASE, windows and labels.

use super::Writer;
use crate::ast::{Expr, Frame, FrameBound, Func, Window};
use crate::error::{Error, Result};
use crate::value::Value;

/// The longest name kakaorm accepts for a label or a CTE (PostgreSQL keeps 63 bytes).
pub const MAX_NAME_LEN: usize = 63;

/// Checks that a name given at run time (a label, a CTE name) is a plain identifier:
/// an ASCII letter or `_`, then letters, digits or `_`, at most [`MAX_NAME_LEN`] long.
///
/// # Errors
/// [`InvalidInput`](crate::ErrorKind::InvalidInput) naming `what` otherwise.
///
/// ```
/// use kakaorm_core::render::check_name;
/// assert!(check_name("label", "total_2").is_ok());
/// assert!(check_name("label", "x\" FROM users --").is_err());
/// ```
pub fn check_name(what: &str, name: &str) -> Result<()> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if first_ok && rest_ok && name.len() <= MAX_NAME_LEN {
        return Ok(());
    }
    Err(Error::invalid_input(format!(
        "{what} {name:?} is not an identifier (a letter or `_`, then letters, digits or `_`, at most {MAX_NAME_LEN})"
    )))
}

impl Writer<'_> {
    pub(crate) fn func(&mut self, func: Func, args: Vec<Expr>) -> Result<()> {
        match func {
            Func::Concat if self.d.concat_operator() => {
                self.push("(");
                for (i, arg) in args.into_iter().enumerate() {
                    if i > 0 {
                        self.push(" || ");
                    }
                    self.operand(arg)?;
                }
                self.push(")");
                Ok(())
            }
            Func::Lag | Func::Lead => self.offset_call(func, args),
            _ => self.call(func, args),
        }
    }

    fn call(&mut self, func: Func, args: Vec<Expr>) -> Result<()> {
        self.push(self.d.function_name(func));
        self.push("(");
        self.list(args, Writer::expr)?;
        self.push(")");
        Ok(())
    }

    /// `LAG(expr, offset, default)`: the offset bound as a parameter where the backend
    /// allows it, otherwise written as the integer it is.
    fn offset_call(&mut self, func: Func, args: Vec<Expr>) -> Result<()> {
        self.push(func.sql());
        self.push("(");
        let binds = self.d.binds_window_offset();
        self.list(args.into_iter().enumerate(), |w, (i, arg)| match (i, arg) {
            (1, Expr::Value(Value::I64(n))) if !binds => {
                w.push(&n.to_string());
                Ok(())
            }
            (_, arg) => w.expr(arg),
        })?;
        self.push(")");
        Ok(())
    }

    pub(crate) fn case(&mut self, whens: Vec<(Expr, Expr)>, otherwise: Option<Box<Expr>>) -> Result<()> {
        if whens.is_empty() {
            return Err(Error::invalid_input("a CASE needs at least one WHEN"));
        }
        self.push("CASE");
        for (cond, value) in whens {
            self.push(" WHEN ");
            self.expr(cond)?;
            self.push(" THEN ");
            self.expr(value)?;
        }
        if let Some(e) = otherwise {
            self.push(" ELSE ");
            self.expr(*e)?;
        }
        self.push(" END");
        Ok(())
    }

    pub(crate) fn over(&mut self, expr: Expr, window: Window) -> Result<()> {
        self.expr(expr)?;
        self.push(" OVER (");
        let Window { partition_by, order_by, frame } = window;
        let mut sep = "";
        if !partition_by.is_empty() {
            self.push("PARTITION BY ");
            self.list(partition_by, Writer::expr)?;
            sep = " ";
        }
        if !order_by.is_empty() {
            self.push(sep);
            self.order_terms(order_by)?;
            sep = " ";
        }
        if let Some(frame) = frame {
            self.push(sep);
            self.frame(frame);
        }
        self.push(")");
        Ok(())
    }

    fn frame(&mut self, frame: Frame) {
        self.push("ROWS BETWEEN ");
        self.frame_bound(frame.start);
        self.push(" AND ");
        self.frame_bound(frame.end);
    }

    fn frame_bound(&mut self, bound: FrameBound) {
        match bound {
            FrameBound::UnboundedPreceding => self.push("UNBOUNDED PRECEDING"),
            FrameBound::Preceding(n) => self.push(&format!("{n} PRECEDING")),
            FrameBound::CurrentRow => self.push("CURRENT ROW"),
            FrameBound::Following(n) => self.push(&format!("{n} FOLLOWING")),
            FrameBound::UnboundedFollowing => self.push("UNBOUNDED FOLLOWING"),
        }
    }

    pub(crate) fn labelled(&mut self, expr: Expr, label: &str) -> Result<()> {
        check_name("label", label)?;
        self.expr(expr)?;
        self.push(" AS ");
        self.ident(label);
        Ok(())
    }
}
