//! The untyped statement tree every typed builder lowers into.

mod expr;
mod scope;
mod statement;
mod truth;

pub use expr::{AggFunc, BinOp, ColumnRef, Expr, LIKE_ESCAPE, LikeKind, TextPosition};
pub use statement::{
    CopyIn, Delete, Insert, InsertSelect, InsertUnnest, Join, JoinKind, Nulls, OrderBy, Projection, Select, Statement,
    Update,
};
