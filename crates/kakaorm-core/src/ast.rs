//! The untyped statement tree every typed builder lowers into.

mod expr;
mod func;
mod lock;
mod order_text;
mod scope;
mod statement;
mod truth;
mod write;

pub use expr::{AggFunc, BinOp, ColumnRef, Expr, LIKE_ESCAPE, LikeKind, TextPosition};
pub use func::{Frame, FrameBound, Func, Window};
pub use lock::{LockStrength, LockWait, RowLock};
pub use order_text::parse_order;
pub use statement::{
    CopyIn, Delete, Insert, InsertSelect, InsertUnnest, Join, JoinKind, Nulls, OrderBy, Projection, Select, Statement,
    Update,
};
pub use write::{ConflictAction, OnConflict, UpdateFrom};
