//! The untyped statement tree every typed builder lowers into.

mod compound;
mod expr;
mod func;
mod scope;
mod statement;
mod truth;

pub use compound::{Compound, SetOp, With};
pub use expr::{AggFunc, BinOp, ColumnRef, Expr, LIKE_ESCAPE, LikeKind, TextPosition};
pub use func::{Frame, FrameBound, Func, Window};
pub use statement::{
    CopyIn, Delete, Insert, InsertUnnest, Join, JoinKind, Nulls, OrderBy, Projection, Select, Statement, Update,
};
