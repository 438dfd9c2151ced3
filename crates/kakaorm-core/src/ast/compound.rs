//! Set operations (`UNION`, `INTERSECT`, `EXCEPT`) and common table expressions (`WITH`).

use super::statement::{OrderBy, Select, Statement};

/// How two queries' rows combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SetOp {
    /// `UNION`: rows of either, without duplicates.
    Union,
    /// `UNION ALL`: rows of either, duplicates kept.
    UnionAll,
    /// `INTERSECT`: rows of both, without duplicates.
    Intersect,
    /// `INTERSECT ALL`: rows of both, duplicates kept as often as in both.
    IntersectAll,
    /// `EXCEPT`: rows of the first not in the second, without duplicates.
    Except,
    /// `EXCEPT ALL`: rows of the first not in the second, duplicates counted.
    ExceptAll,
}

impl SetOp {
    /// The SQL keyword(s).
    pub fn sql(self) -> &'static str {
        match self {
            SetOp::Union => "UNION",
            SetOp::UnionAll => "UNION ALL",
            SetOp::Intersect => "INTERSECT",
            SetOp::IntersectAll => "INTERSECT ALL",
            SetOp::Except => "EXCEPT",
            SetOp::ExceptAll => "EXCEPT ALL",
        }
    }
}

/// `first op second op third … [ORDER BY …] [LIMIT …]`. Members with their own ORDER BY,
/// LIMIT or OFFSET are read through a derived table, which every backend accepts.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Compound {
    /// The first query.
    pub first: Select,
    /// The others, each with the operation joining it to what comes before.
    pub rest: Vec<(SetOp, Select)>,
    /// `ORDER BY` over the output columns.
    pub order_by: Vec<OrderBy>,
    /// `LIMIT`.
    pub limit: Option<u64>,
}

impl Compound {
    /// The rows of `first` alone, until others are added.
    pub fn new(first: Select) -> Self {
        Compound { first, rest: Vec::new(), order_by: Vec::new(), limit: None }
    }
}

/// `WITH [RECURSIVE] name AS (…), … main`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct With {
    /// The named queries, in order; each may read the ones before it (and itself when
    /// `recursive`).
    pub ctes: Vec<(&'static str, Statement)>,
    /// `WITH RECURSIVE`.
    pub recursive: bool,
    /// The statement reading them.
    pub main: Box<Statement>,
}

impl With {
    /// `WITH ctes main`.
    pub fn new(ctes: Vec<(&'static str, Statement)>, recursive: bool, main: Statement) -> Self {
        With { ctes, recursive, main: Box::new(main) }
    }
}
