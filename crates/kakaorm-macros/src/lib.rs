//! The `#[derive(Model)]` macro of kakaorm. Use it through the `kakaorm` facade, which
//! re-exports it as `kakaorm::Model`.
//!
//! Attributes are parsed into an IR (`parse`), which collects every error with its span;
//! the IR is then expanded (`expand`) into code that names everything through absolute
//! `::kakaorm::` paths.
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

mod errors;
mod expand;
mod from_row;
mod ir;
mod naming;
mod parse;
mod types;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Maps a struct with named fields to a database table.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use kakaorm::Model;
///
/// #[derive(Model)]
/// #[kakaorm(table = "users", unique = "name, email", index = "age, name")]
/// pub struct User {
///     pub id: i64,                       // `id` integer: auto-increment primary key
///     #[kakaorm(max_length = 50)]
///     pub name: String,
///     #[kakaorm(unique, index)]
///     pub email: Option<String>,         // Option<T>: NULL allowed
///     #[kakaorm(default = 0, check = "age >= 0")]
///     pub age: i32,
///     #[kakaorm(auto_now_add)]
///     pub created_at: DateTime<Utc>,
/// }
///
/// assert_eq!(User::SCHEMA.name, "users");
/// assert_eq!(User::age.name(), "age");
/// assert!(User::SCHEMA.columns[0].auto_increment);
/// ```
///
/// # Table and key
///
/// The table name is `table = "..."`, or else the struct name in snake_case: `BlogPost`
/// maps to `blog_post`, `HTTPRequest` to `http_request`. The column name is
/// `column = "..."`, or else the field name. Names must be non-empty, at most 63 bytes,
/// and free of quotes, backticks and NUL.
///
/// The primary key is the field marked `primary_key` (auto-increment only if also marked
/// `auto_increment`); without one, a field named `id`, which must then be `i16`, `i32` or
/// `i64` and is auto-increment. A primary key is never an `Option`, and composite keys are
/// not supported.
///
/// # Struct options
///
/// - `table = "name"`
/// - `create_builder = "NewUser"`: the create builder's name (default `UserCreate` for
///   `User`), for when the module already has a type of that name.
/// - `index = "a, b"`: a composite index over Rust field names; `unique = "a, b"`: a
///   composite unique constraint. The long forms `index(fields = "a, b", name = "ix")` and
///   `unique(fields = "a, b", name = "uq")` name them. Repeat for more. (Field lists are
///   strings so clippy's `duplicated_attributes` lint accepts two indexes sharing a field.)
///
/// # Field options
///
/// - `primary_key`; `auto_increment` (primary key only, integer types only)
/// - `column = "name"`
/// - `max_length = 50` (`String` only: a `VARCHAR(50)`)
/// - `max_digits = 10, decimal_places = 2` (`Decimal` only, both or neither)
/// - `default = 0` / `-1.5` / `true` / `"text"`: the value used when a create builder
///   leaves the field unset, and the column default in the DDL. Strings are parsed for
///   decimals, UUIDs, dates, times, timestamps and JSON.
/// - `unique`, `index`: a single-column unique constraint or index
/// - `check = "age >= 0"`: a CHECK constraint: one SQL expression, not blank, without
///   `;`, `--`, `/*`, `*/` or a NUL byte
/// - `auto_now` (set on insert and on every save) or `auto_now_add` (set on insert), for
///   `DateTime<Utc>`, `NaiveDateTime` and `NaiveDate`; neither takes a `default`
/// - `references = OtherModel`, with `on_delete = "cascade"` and `on_update = "..."`
///   (`cascade`, `set null`, `set default`, `restrict`, `no action`; case and `_` vs space
///   do not matter). The field type, without `Option`, must be the other model's key type,
///   and `set null` needs an `Option` field.
///
/// # Generated items
///
/// For `struct User`:
/// - one associated const per field, named like the field, with its visibility:
///   `User::age` is a `kakaorm::typed::Column<User, i32>`;
/// - `impl kakaorm::Model` (with a static `TableSchema`, `type Key`, `type Create`) and
///   `impl kakaorm::FromRow`, decoding columns by index in field order;
/// - `UserCreate` (or the `create_builder` name; with the struct's visibility; `Debug`, `Clone`, `Default`), the create
///   builder returned by `User::create()`: one setter per field, named like the field and
///   with its visibility, taking `impl IntoField<T>` (except `auto_now` and `auto_now_add`
///   fields, which are set at insert time), and `impl kakaorm::CreateBuilder`. An
///   auto-increment key is inserted only when its setter was called; other unset fields
///   take their `default`, or NULL.
///
/// No inherent method is added to `User`, so fields may be called `filter`, `create` or
/// `exec`. A field named like a `Model` method hides it in `User::name` paths; call the
/// method as `<User as Model>::create()` then.
///
/// Every problem with the attributes is reported at once, each at its cause.
#[proc_macro_derive(Model, attributes(kakaorm))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match parse::parse(&input) {
        Ok(ir) => expand::expand(&ir).into(),
        Err(err) => err.to_compile_error().into(),
    }
}

/// Decodes a result row into a plain struct with named fields, each field from the column
/// labelled with its name (`.label("total")` in a selection), in any order. Every field type
/// must be a column type (`i64`, `String`, `Option<f64>` ...). A missing column is a
/// `Decode` error naming it.
///
/// ```ignore
/// #[derive(kakaorm::FromRow)]
/// struct Totals { author: String, total: Option<i64> }
/// ```
#[proc_macro_derive(FromRow)]
pub fn derive_from_row(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match from_row::expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(err) => err.to_compile_error().into(),
    }
}
