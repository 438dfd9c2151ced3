//! Typed column handles and conditions, which lower into the untyped AST.

mod column;
mod cond;

pub use column::{Column, ExprArg, IntoField, TextColumn};
pub use cond::{Cond, Order};
