//! Typed column handles, expressions and conditions, which lower into the untyped AST.

mod aggregate;
mod column;
mod columns;
mod cond;
mod expr;
mod expr_func;
mod in_values;
mod order;
mod set_value;

pub use aggregate::{Agg, Selectable, Summable, count};
pub use column::{Column, ExprArg, IntoField, TextColumn};
pub use columns::Columns;
pub use cond::{Cond, Order};
pub use expr::{Numeric, SqlExpr};
pub use expr_func::{CastTarget, ExprOps, Labelled, Typed, lit};
pub use in_values::InValues;
pub use order::IntoOrder;
pub use set_value::SetValue;
