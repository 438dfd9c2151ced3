//! Statements: SELECT, INSERT, UPDATE and DELETE.

use super::compound::{Compound, With};
use super::expr::Expr;
use super::lock::RowLock;
use super::write::{OnConflict, UpdateFrom};
use crate::schema::TableSchema;
use crate::value::{ColumnType, Value};

/// Where NULLs sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Nulls {
    /// NULLs before other values.
    First,
    /// NULLs after other values.
    Last,
}

/// One ORDER BY term.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OrderBy {
    /// The sorted expression.
    pub expr: Expr,
    /// Descending when true.
    pub desc: bool,
    /// Explicit NULL placement.
    pub nulls: Option<Nulls>,
}

impl OrderBy {
    /// A term sorting by `expr`, descending when `desc`, with NULLs placed by `nulls` (or
    /// the backend's default).
    pub fn new(expr: Expr, desc: bool, nulls: Option<Nulls>) -> Self {
        OrderBy { expr, desc, nulls }
    }

    /// The same term over `f` of its expression (the same column, qualified, say).
    #[must_use]
    pub fn map_expr(self, f: impl FnOnce(Expr) -> Expr) -> Self {
        OrderBy { expr: f(self.expr), ..self }
    }

    /// The same term in the opposite direction (NULL placement flips too).
    pub fn reversed(mut self) -> Self {
        self.desc = !self.desc;
        self.nulls = self.nulls.map(|n| match n {
            Nulls::First => Nulls::Last,
            Nulls::Last => Nulls::First,
        });
        self
    }
}

impl Join {
    /// `kind JOIN table ON on`.
    pub fn new(kind: JoinKind, table: &'static str, on: Expr) -> Self {
        Join { kind, table, alias: None, on }
    }

    /// `kind JOIN table alias ON on`: the table under another name (a self-join). The
    /// alias is checked to be an identifier when the statement renders.
    pub fn aliased(kind: JoinKind, table: &'static str, alias: &'static str, on: Expr) -> Self {
        Join { kind, table, alias: Some(alias), on }
    }
}

impl Insert {
    /// `INSERT INTO table (columns) VALUES …` with `values` row after row, returning
    /// nothing.
    pub fn new(table: &'static str, columns: Vec<&'static str>, values: Vec<Value>) -> Self {
        Insert { table, columns, values, on_conflict: None, returning: Vec::new() }
    }
}

impl InsertUnnest {
    /// One array per column, in the order of `columns`.
    pub fn new(table: &'static str, columns: Vec<(&'static str, ColumnType)>, arrays: Vec<Value>) -> Self {
        InsertUnnest { table, columns, arrays }
    }
}

impl CopyIn {
    /// `COPY table (columns) FROM STDIN (FORMAT binary)`.
    pub fn new(table: &'static str, columns: Vec<&'static str>) -> Self {
        CopyIn { table, columns }
    }
}

impl Update {
    /// `UPDATE table SET sets [WHERE filter]`.
    pub fn new(table: &'static str, sets: Vec<(&'static str, Expr)>, filter: Option<Expr>) -> Self {
        Update { table, sets, filter }
    }
}

impl Delete {
    /// `DELETE FROM table [WHERE filter]`.
    pub fn new(table: &'static str, filter: Option<Expr>) -> Self {
        Delete { table, filter }
    }
}

/// What a SELECT returns.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Projection {
    /// Every column of the model's table, in schema order (rendered once per dialect and
    /// cached in the schema).
    Model(&'static TableSchema),
    /// Every column of each model's table, qualified with its table name (joins).
    Models(Vec<&'static TableSchema>),
    /// Every column of each model's table, qualified with the given name: the table's
    /// own, or the alias it goes by in the statement (joins with aliases).
    Sources(Vec<(&'static TableSchema, &'static str)>),
    /// These columns, in order.
    Columns(Vec<Expr>),
    /// `COUNT(*)` over the filtered set; when DISTINCT, LIMIT or OFFSET apply, over a
    /// subquery selecting the inner projection.
    Count(Box<Projection>),
    /// `1`, used by `exists`.
    One,
}

/// How a joined table's rows combine with the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JoinKind {
    /// `INNER JOIN`: only matching pairs.
    Inner,
    /// `LEFT JOIN`: every left row, with NULLs when nothing matches.
    Left,
    /// `RIGHT JOIN`: every right row, with NULLs when nothing matches.
    Right,
}

/// One `JOIN table ON condition`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Join {
    /// Inner, left or right.
    pub kind: JoinKind,
    /// The joined table.
    pub table: &'static str,
    /// The name the joined table goes by (`JOIN table alias`), checked to be an identifier.
    pub alias: Option<&'static str>,
    /// The `ON` condition.
    pub on: Expr,
}

/// `SELECT`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Select {
    /// The table.
    pub table: &'static str,
    /// The name the table goes by in this statement (`FROM table alias`), for a subquery
    /// over a table its enclosing query reads too.
    pub alias: Option<&'static str>,
    /// The output.
    pub projection: Projection,
    /// Joined tables, in order.
    pub joins: Vec<Join>,
    /// `WHERE`.
    pub filter: Option<Expr>,
    /// `GROUP BY`.
    pub group_by: Vec<Expr>,
    /// `HAVING`.
    pub having: Option<Expr>,
    /// `ORDER BY`.
    pub order_by: Vec<OrderBy>,
    /// `LIMIT`.
    pub limit: Option<u64>,
    /// `OFFSET`.
    pub offset: Option<u64>,
    /// `SELECT DISTINCT`.
    pub distinct: bool,
    /// When not empty, the rows come from these SELECTs combined with `UNION ALL`, as a
    /// derived table named `alias` (or `table`): `FROM (… UNION ALL …) "users"`. Used to
    /// read a table together with its archive.
    pub from_union: Vec<Select>,
    /// `FOR UPDATE` / `FOR SHARE`.
    pub lock: Option<RowLock>,
    /// Whether `table` names a common table expression: a name from the caller, checked
    /// as an identifier when the statement renders.
    pub from_cte: bool,
}

impl Select {
    /// `SELECT columns FROM table`.
    pub fn new(table: &'static str, projection: Projection) -> Self {
        Select {
            table,
            alias: None,
            projection,
            joins: Vec::new(),
            filter: None,
            group_by: Vec::new(),
            having: None,
            order_by: Vec::new(),
            limit: None,
            offset: None,
            distinct: false,
            from_union: Vec::new(),
            lock: None,
            from_cte: false,
        }
    }
}

/// `INSERT INTO table (columns) VALUES (...), ... [RETURNING ...]`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Insert {
    /// The table.
    pub table: &'static str,
    /// The inserted columns.
    pub columns: Vec<&'static str>,
    /// The values, row after row, `columns.len()` to a row. Without columns the statement
    /// inserts one row of defaults and has no values.
    pub values: Vec<Value>,
    /// What to do with a row whose unique key is taken (an upsert); `None` fails on it.
    pub on_conflict: Option<OnConflict>,
    /// Columns to return, when the dialect supports RETURNING.
    pub returning: Vec<&'static str>,
}

/// `INSERT INTO table (columns) SELECT * FROM UNNEST($1::type[], …)`: one array
/// parameter per column, for dialects that [support it](crate::Dialect::supports_unnest_insert).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct InsertUnnest {
    /// The table.
    pub table: &'static str,
    /// The inserted columns with their types (for the array casts).
    pub columns: Vec<(&'static str, ColumnType)>,
    /// One [`Value::Array`] per column, all of the same length.
    pub arrays: Vec<Value>,
}

/// `COPY table (columns) FROM STDIN (FORMAT binary)`: the rows stream separately, for
/// dialects that [support it](crate::Dialect::supports_copy_in).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CopyIn {
    /// The table.
    pub table: &'static str,
    /// The copied columns.
    pub columns: Vec<&'static str>,
}

/// `INSERT INTO table (columns) SELECT …`: rows copied from a query (moving rows into
/// and out of an archive table).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct InsertSelect {
    /// The table.
    pub table: &'static str,
    /// The inserted columns, one per column the SELECT returns.
    pub columns: Vec<&'static str>,
    /// Where the rows come from.
    pub select: Select,
}

impl InsertSelect {
    /// `INSERT INTO table (columns) select`.
    pub fn new(table: &'static str, columns: Vec<&'static str>, select: Select) -> Self {
        InsertSelect { table, columns, select }
    }
}

/// `UPDATE table SET ... WHERE ...`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Update {
    /// The table.
    pub table: &'static str,
    /// Assignments.
    pub sets: Vec<(&'static str, Expr)>,
    /// `WHERE`.
    pub filter: Option<Expr>,
}

/// `DELETE FROM table WHERE ...`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Delete {
    /// The table.
    pub table: &'static str,
    /// `WHERE`.
    pub filter: Option<Expr>,
}

/// Any data statement.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Statement {
    /// SELECT.
    Select(Select),
    /// INSERT.
    Insert(Insert),
    /// INSERT from column arrays.
    InsertUnnest(InsertUnnest),
    /// INSERT from a SELECT.
    InsertSelect(InsertSelect),
    /// Binary COPY into a table.
    CopyIn(CopyIn),
    /// UPDATE.
    Update(Update),
    /// DELETE.
    Delete(Delete),
    /// A set operation over SELECTs.
    Compound(Compound),
    /// A query with common table expressions.
    With(With),
    /// UPDATE of many rows from a list of rows.
    UpdateFrom(UpdateFrom),
}

macro_rules! statement_from {
    ($($v:ident),*) => {$(
        impl From<$v> for Statement {
            fn from(s: $v) -> Self { Statement::$v(s) }
        }
    )*};
}
statement_from!(Select, Insert, InsertUnnest, InsertSelect, CopyIn, Update, Delete, UpdateFrom, Compound, With);
