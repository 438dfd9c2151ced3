//! Expressions: columns, bound values and predicates.

use super::Select;
use super::func::{Func, Window};
use crate::value::{ColumnType, Value};

/// A column, optionally qualified by its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ColumnRef {
    /// The table, when the column must be qualified.
    pub table: Option<&'static str>,
    /// The column name (from the schema, never from user input).
    pub name: &'static str,
}

impl ColumnRef {
    /// The column `name`, qualified by `table` when given.
    pub const fn new(table: Option<&'static str>, name: &'static str) -> Self {
        ColumnRef { table, name }
    }
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BinOp {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `/` between integers, truncating toward zero (`DIV` on MySQL, whose `/` gives a
    /// decimal).
    IntDiv,
}

impl BinOp {
    /// The SQL operator.
    pub fn sql(self) -> &'static str {
        match self {
            BinOp::Eq => "=",
            BinOp::Ne => "<>",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div | BinOp::IntDiv => "/",
        }
    }

    /// Whether the operator compares (`=`, `<>`, `<`, `<=`, `>`, `>=`) rather than computes.
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }
}

/// Where literal text must occur in a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPosition {
    /// Anywhere (`contains`).
    Anywhere,
    /// At the start (`starts_with`).
    Start,
    /// At the end (`ends_with`).
    End,
}

/// How a LIKE pattern compares letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LikeKind {
    /// Case-sensitive on every backend.
    CaseSensitive,
    /// Case-insensitive on every backend.
    CaseInsensitive,
}

/// An expression node.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Expr {
    /// A column.
    Column(ColumnRef),
    /// A bound parameter.
    Value(Value),
    /// A constant truth value (used for `IN ()` of an empty list).
    Bool(bool),
    /// `lhs op rhs`.
    Binary(Box<Expr>, BinOp, Box<Expr>),
    /// All of the operands (`TRUE` when empty).
    And(Vec<Expr>),
    /// Any of the operands (`FALSE` when empty).
    Or(Vec<Expr>),
    /// Negation.
    Not(Box<Expr>),
    /// `expr IS [NOT] NULL`.
    IsNull {
        /// The tested expression.
        expr: Box<Expr>,
        /// `IS NOT NULL` when true.
        negated: bool,
    },
    /// `expr [NOT] IN (values)`.
    InList {
        /// The tested expression.
        expr: Box<Expr>,
        /// The candidates.
        values: Vec<Value>,
        /// `NOT IN` when true.
        negated: bool,
    },
    /// `expr` equals one of `values`: one array parameter (`expr = ANY($1)`) where the
    /// dialect has array parameters, one JSON array (SQLite), otherwise an `IN` list padded
    /// to one of a few dozen sizes (the last value repeated), so that any number of keys
    /// uses a handful of statement texts.
    /// Used to load related rows; `values` is never empty.
    AnyOf {
        /// The tested expression.
        expr: Box<Expr>,
        /// The candidates.
        values: Vec<Value>,
    },
    /// `[NOT] EXISTS (subquery)`; never NULL. Columns of the enclosing query are written
    /// qualified by its table name, the subquery's own table by an alias.
    Exists {
        /// The subquery.
        select: Box<Select>,
        /// `NOT EXISTS` when true.
        negated: bool,
    },
    /// `(subquery)`: a scalar subquery, selecting one value.
    Subquery(Box<Select>),
    /// `expr [NOT] IN (subquery)`.
    InSelect {
        /// The tested expression.
        expr: Box<Expr>,
        /// The subquery, selecting one column.
        select: Box<Select>,
        /// `NOT IN` when true.
        negated: bool,
    },
    /// `expr BETWEEN low AND high`.
    Between {
        /// The tested expression.
        expr: Box<Expr>,
        /// Lower bound, inclusive.
        low: Box<Expr>,
        /// Upper bound, inclusive.
        high: Box<Expr>,
    },
    /// `expr LIKE pattern`, with `ESCAPE '!'` when `escaped`.
    Like {
        /// The tested expression.
        expr: Box<Expr>,
        /// The pattern.
        pattern: Box<Expr>,
        /// Case handling.
        kind: LikeKind,
        /// Whether the pattern escapes `%`, `_` and `!` with [`LIKE_ESCAPE`].
        escaped: bool,
    },
    /// `expr` holds `text` literally at `position`: a LIKE with `%`, `_` and the escape
    /// character escaped, or byte-wise `instr()`/`substr()` where LIKE stops at NUL.
    HasText {
        /// The tested expression.
        expr: Box<Expr>,
        /// The literal text.
        text: String,
        /// Where it must occur.
        position: TextPosition,
        /// Case handling.
        kind: LikeKind,
    },
    /// `(expr) IS TRUE`, or `(expr) IS FALSE` when `value` is false: never NULL.
    Is {
        /// The tested condition.
        expr: Box<Expr>,
        /// The truth value tested for.
        value: bool,
    },
    /// `COUNT(*)`.
    CountStar,
    /// An aggregate over `arg` (`COUNT(arg)`, `SUM(arg)` ...).
    Agg {
        /// The function.
        func: AggFunc,
        /// Its argument.
        arg: Box<Expr>,
    },
    /// `CAST(expr AS type)`, with the type spelled by the dialect.
    Cast {
        /// The converted expression.
        expr: Box<Expr>,
        /// The target type.
        ty: ColumnType,
    },
    /// A function call.
    Func {
        /// The function.
        func: Func,
        /// Its arguments.
        args: Vec<Expr>,
    },
    /// `CASE WHEN c1 THEN v1 … ELSE otherwise END`.
    Case {
        /// The conditions and their values, tried in order.
        whens: Vec<(Expr, Expr)>,
        /// The value when no condition holds (NULL when absent).
        otherwise: Option<Box<Expr>>,
    },
    /// `expr OVER (window)`: a window function or an aggregate over a window.
    Over {
        /// The function or aggregate.
        expr: Box<Expr>,
        /// The window.
        window: Box<Window>,
    },
    /// `expr AS label` in a select list; the label must be a plain identifier (checked when
    /// rendered).
    Labelled {
        /// The selected expression.
        expr: Box<Expr>,
        /// The output column name.
        label: &'static str,
    },
}

/// An aggregate function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AggFunc {
    /// `COUNT`.
    Count,
    /// `SUM`.
    Sum,
    /// `AVG`.
    Avg,
    /// `MIN`.
    Min,
    /// `MAX`.
    Max,
}

impl AggFunc {
    /// The SQL function name.
    pub fn sql(self) -> &'static str {
        match self {
            AggFunc::Count => "COUNT",
            AggFunc::Sum => "SUM",
            AggFunc::Avg => "AVG",
            AggFunc::Min => "MIN",
            AggFunc::Max => "MAX",
        }
    }
}

/// The escape character used in every LIKE pattern kakaorm builds.
pub const LIKE_ESCAPE: char = '!';

impl Expr {
    /// A bare column reference.
    pub fn column(name: &'static str) -> Self {
        Expr::Column(ColumnRef { table: None, name })
    }

    /// `self op rhs`.
    pub fn binary(self, op: BinOp, rhs: impl Into<Expr>) -> Expr {
        Expr::Binary(Box::new(self), op, Box::new(rhs.into()))
    }

    /// `self = rhs`.
    pub fn eq(self, rhs: impl Into<Expr>) -> Expr {
        self.binary(BinOp::Eq, rhs)
    }

    /// `self >= rhs`.
    pub fn ge(self, rhs: impl Into<Expr>) -> Expr {
        self.binary(BinOp::Ge, rhs)
    }

    /// Combines two conditions with AND, flattening nested ANDs.
    pub fn and(self, other: Expr) -> Expr {
        match (self, other) {
            (Expr::And(mut a), Expr::And(b)) => {
                a.extend(b);
                Expr::And(a)
            }
            (Expr::And(mut a), b) => {
                a.push(b);
                Expr::And(a)
            }
            (a, b) => Expr::And(vec![a, b]),
        }
    }

    /// Combines two conditions with OR, flattening nested ORs.
    pub fn or(self, other: Expr) -> Expr {
        match (self, other) {
            (Expr::Or(mut a), Expr::Or(b)) => {
                a.extend(b);
                Expr::Or(a)
            }
            (Expr::Or(mut a), b) => {
                a.push(b);
                Expr::Or(a)
            }
            (a, b) => Expr::Or(vec![a, b]),
        }
    }

    /// Qualifies every unqualified column with `table` (used when a query joins tables).
    pub fn qualify(self, table: &'static str) -> Expr {
        let q = |e: Box<Expr>| Box::new(e.qualify(table));
        match self {
            Expr::Column(mut c) => {
                c.table.get_or_insert(table);
                Expr::Column(c)
            }
            Expr::Binary(l, op, r) => Expr::Binary(q(l), op, q(r)),
            Expr::And(items) => Expr::And(items.into_iter().map(|e| e.qualify(table)).collect()),
            Expr::Or(items) => Expr::Or(items.into_iter().map(|e| e.qualify(table)).collect()),
            Expr::Not(e) => Expr::Not(q(e)),
            Expr::IsNull { expr, negated } => Expr::IsNull { expr: q(expr), negated },
            Expr::InList { expr, values, negated } => Expr::InList { expr: q(expr), values, negated },
            Expr::AnyOf { expr, values } => Expr::AnyOf { expr: q(expr), values },
            // A subquery's own columns are qualified by its alias already.
            e @ (Expr::Exists { .. } | Expr::Subquery(_)) => e,
            Expr::InSelect { expr, select, negated } => Expr::InSelect { expr: q(expr), select, negated },
            Expr::Between { expr, low, high } => Expr::Between { expr: q(expr), low: q(low), high: q(high) },
            Expr::Like { expr, pattern, kind, escaped } => {
                Expr::Like { expr: q(expr), pattern: q(pattern), kind, escaped }
            }
            Expr::HasText { expr, text, position, kind } => Expr::HasText { expr: q(expr), text, position, kind },
            Expr::Is { expr, value } => Expr::Is { expr: q(expr), value },
            Expr::Agg { func, arg } => Expr::Agg { func, arg: q(arg) },
            Expr::Cast { expr, ty } => Expr::Cast { expr: q(expr), ty },
            e @ (Expr::Func { .. } | Expr::Case { .. } | Expr::Over { .. } | Expr::Labelled { .. }) => {
                e.map_children(&mut |c| c.qualify(table))
            }
            other @ (Expr::Value(_) | Expr::Bool(_) | Expr::CountStar) => other,
        }
    }

    /// Escapes `%`, `_` and the escape character so `text` matches literally in a LIKE.
    pub fn escape_like(text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 2);
        for ch in text.chars() {
            if matches!(ch, '%' | '_') || ch == LIKE_ESCAPE {
                out.push(LIKE_ESCAPE);
            }
            out.push(ch);
        }
        out
    }
}

impl From<Value> for Expr {
    fn from(v: Value) -> Self {
        Expr::Value(v)
    }
}
