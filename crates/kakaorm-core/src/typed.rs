//! Typed column handles and conditions, which lower into the untyped AST.

mod aggregate;
mod column;
mod columns;
mod cond;

pub use aggregate::{Agg, Selectable, Summable, count};
pub use column::{Column, ExprArg, IntoField, TextColumn};
pub use columns::Columns;
pub use cond::{Cond, Order};
