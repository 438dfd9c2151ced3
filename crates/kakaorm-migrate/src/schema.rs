//! The engine's schema model (owned, from kakaorm-core) and how two schemas are compared.
//!
//! A schema derived from models and one introspected from a database describe the same
//! tables in different spellings: SQLite has one INTEGER type, MySQL reports BOOLEAN as
//! `tinyint(1)`, defaults come back as SQL text, and constraint names are the database's.
//! [`normalize`] holds the comparisons, made per dialect.

pub mod normalize;

use kakaorm::ModelSet;
pub use kakaorm_core::schema::{
    Check, Column, ColumnDefault, ForeignKey, Index, ReferentialAction, Schema, Table, Unique,
};

/// The schema of a set of models, `(User, Post)`, in the order given.
///
/// ```
/// use kakaorm::prelude::*;
///
/// #[derive(Model, Debug)]
/// #[kakaorm(table = "tags")]
/// struct Tag {
///     id: i64,
///     #[kakaorm(max_length = 20, unique)]
///     name: String,
/// }
///
/// let schema = kakaorm_migrate::schema_of::<(Tag,)>();
/// let tags = schema.table("tags").unwrap();
/// assert_eq!(tags.primary_key, ["id"]);
/// assert_eq!(tags.uniques[0].columns, ["name"]);
/// ```
pub fn schema_of<S: ModelSet>() -> Schema {
    Schema::from_static(&S::schemas())
}
