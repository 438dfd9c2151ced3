//! The I/O-free heart of kakaorm: schema metadata, the query AST, bound values, dialect
//! rendering and the error type.
//!
//! Users normally depend on the `kakaorm` facade, which re-exports what they need. This
//! crate is split out so the renderer can be tested, fuzzed and reused without a database.
// Number casts that could wrap, truncate or round are checked conversions instead, or
// carry a local `allow` saying why they cannot lose anything.
#![warn(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss
)]
#![warn(missing_docs)]
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod ast;
mod create;
pub mod dialect;
mod error;
mod isolation;
pub mod keyset;
pub mod lex;
mod literal;
mod model;
pub mod render;
mod row;
pub mod schema;
pub mod typed;
pub mod validate;
mod value;

pub use dialect::{
    AlterColumnStyle, Backend, BulkUpdateStyle, ConstraintKind, Dialect, KeyList, LexicalSyntax, MysqlDialect,
    PostgresDialect, SqliteDialect, UpsertStyle,
};
pub use error::{DbErrorInfo, Error, ErrorKind, Result};
pub use isolation::IsolationLevel;
pub use literal::FromLiteral;
pub use model::{
    AutoTimestamp, CreateBuilder, InsertRow, Model, Restorable, provisional, row_values, truncate_micros,
    validate_models, validate_row, validate_row_of,
};
pub use render::{
    Rendered, add_check, add_column, add_foreign_key, add_unique, alter_column, alter_primary_key, create_index,
    create_table, create_table_def, default_sql, drop_check, drop_column, drop_foreign_key, drop_index, drop_table,
    drop_unique, rename_column, rename_table, render, render_expr, render_inline, render_raw, render_raw_inline,
};
pub use row::{ColumnValue, FromRow, OffsetRow, RowReader, ValuesRow};
pub use typed::{Column, Columns, Cond, ExprArg, IntoField, Order};
pub use value::{ColumnType, MAX_JSON_DEPTH, TypeKind, Value, ValueRef};

/// Re-exports used by code that `#[derive(Model)]` generates and by the `kakaorm` drivers.
/// Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::create::{Fill, Literal, Slots, debug as debug_create, default_value, now_value};
    pub use crate::model::{SameKey, same_key};
    pub use crate::row::{DecodeColumns, column_index};
    pub use crate::value::convert::{decimal_from_text, decode_f32, f64_to_f32, i64_to_f32, i64_to_f64};
    pub use chrono;
    pub use serde_json;
}
