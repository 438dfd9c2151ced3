//! kakaorm: an async ORM for PostgreSQL, MySQL/MariaDB and SQLite.
//!
//! Declare models with `#[derive(Model)]`, query them with typed expressions, and run
//! every operation on a pool, a transaction or a connection.
//!
//! ```
//! use kakaorm::prelude::*;
//!
//! #[derive(Model, Debug)]
//! #[kakaorm(table = "users")]
//! struct User {
//!     id: i64,
//!     #[kakaorm(max_length = 50)]
//!     name: String,
//!     #[kakaorm(default = 0)]
//!     age: i32,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
//! let db = kakaorm::connect("sqlite::memory:").await?;
//! db.create_table::<User>().await?;
//! let alice = User::create().name("Alice").age(30).exec(&db).await?;
//! let adults = User::filter(User::age.ge(18)).order_by(User::name).all(&db).await?;
//! assert_eq!(adults[0].id, alice.id);
//! # Ok(()) }
//! ```
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

mod atomic;
mod bulk;
mod bulk_update;
mod config;
mod db;
mod deletion;
mod driver;
mod executor;
mod hooks;
mod model_ext;
mod or_create;
mod query;
mod raw;
pub mod relation;
mod run;
mod stream;
mod tracked;
mod tx;
mod upsert;
mod write;

pub use bulk_update::BulkUpdateOptions;
pub use config::{ConnectOptions, IntoConnectOptions};
pub use db::{Db, DbBuilder, connect};
pub use deletion::register;
pub use executor::{Executor, ModelSet, dialect_of, execute_ddl};
pub use hooks::Hooks;
pub use kakaorm_core::{
    AutoTimestamp, Backend, Column, ColumnType, ColumnValue, Columns, Cond, CreateBuilder, DbErrorInfo, Dialect, Error,
    ErrorKind, ExprArg, FromLiteral, FromRow, InsertRow, IntoField, IsolationLevel, Model, MysqlDialect, Order,
    PostgresDialect, Rendered, Restorable, Result, RowReader, SqliteDialect, TypeKind, Value, ValueRef, schema, typed,
    validate,
};
/// The untyped query AST and its renderer, which the typed API lowers into. Not a stable
/// API: build queries with the typed API, inspect them with `to_sql`.
#[doc(hidden)]
pub use kakaorm_core::{ast, keyset, render};
/// Derives [`FromRow`] for a plain struct, each field read from the column of its name.
/// See [`Selected::decode_as`].
pub use kakaorm_macros::FromRow;
/// Derives [`Model`] for a struct with named fields. See the crate docs.
pub use kakaorm_macros::Model;
pub use model_ext::{CreateExt, ModelExt};
pub use query::{
    Alias, AlsoSelected, Append, Compound, Counted, CteBody, DISPLAY_BACKEND, Fill, InnerRow, InsertInto,
    InsertMapping, IntoCount, IntoOrder, IntoSubquery, JoinPart, JoinRow, JoinSelectable, JoinSelected, Joined, Joins,
    LeftRow, Opt, Page, Paginated, PairRow, PairShape, Query, Req, RightRow, Selected, SetMember, UpdateQuery,
    WithCtes, exists, fill, not_exists,
};
pub use raw::{Raw, raw};
pub use stream::RowStream;
pub use tracked::Tracked;
pub use tx::{Connection, Savepoint, TransactionOptions, Tx};
pub use upsert::{Many, One, Upsert, UpsertConflict, UpsertOutput, UpsertQuery};

/// Everything a typical user needs in scope.
pub mod prelude {
    pub use crate::typed::{ExprOps, OffsetFns, case_when, count, dense_rank, lit, over, rank, row_number};
    pub use crate::{CreateBuilder, CreateExt, Db, Executor, FromRow, Hooks, Model, ModelExt, Tracked, Tx};
    pub use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
}

/// Re-exports used by code that `#[derive(Model)]` generates. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use kakaorm_core::__private::*;
}
