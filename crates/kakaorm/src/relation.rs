//! Relations between models: the field types that hold related rows, the handles the
//! derive generates for them (`User::posts`), and loading them for a whole result set
//! without N+1.
//!
//! Declare them on the model: `#[kakaorm(has_many)] posts: HasMany<Post>` (the other model
//! holds a foreign key to this one), `#[kakaorm(has_one)] profile: HasOne<Profile>`, and
//! `#[kakaorm(belongs_to)] author: BelongsTo<User>` (this model holds the key). Relation
//! fields are not columns: they are left out of the table, the create builder and `save`.
//! They start *not loaded*, and reading one then is a
//! [`NotLoaded`](crate::ErrorKind::NotLoaded) error, never a hidden query.

mod detect;
mod dispatch;
mod fields;
mod fill;
mod filter;
mod handle;
mod key;
mod load;
mod many;
mod prefetch;

pub use crate::query::prefetch::{ErasedPrefetch, IntoPrefetch};
pub use dispatch::FieldLoader;
pub use fields::{BelongsTo, HasMany, HasOne, ManyToMany};
pub use fill::RelationField;
pub use handle::{Relation, RelationKind, Through};
pub(crate) use key::KeySet;
pub use key::{Grouped, RelKey};
pub(crate) use load::key_chunks;
pub use prefetch::Prefetch;

pub(crate) use detect::NPlusOne;

/// Compile-time check used by the derive: a foreign-key column of type `T` can hold keys
/// of type `K` (`K` itself, or `Option<K>` for a nullable key).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a `{Self}` foreign key cannot hold a `{K}` key",
    label = "the foreign-key field must have the referenced key's type (or `Option` of it)"
)]
pub trait ForeignKeyOf<K> {}

impl<K: kakaorm_core::ColumnValue> ForeignKeyOf<K> for K {}
impl<K: kakaorm_core::ColumnValue> ForeignKeyOf<K> for Option<K> {}

/// Used by the derive: compiles only when `column` can hold keys of type `K`.
#[doc(hidden)]
pub const fn check_foreign_key<M, K, T: ForeignKeyOf<K>>(column: kakaorm_core::Column<M, T>) -> &'static str {
    column.name()
}
