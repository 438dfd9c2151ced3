//! `RelationField`: how the loader puts related rows, grouped by key, into a field.

use super::key::{Grouped, RelKey};

/// How the loader fills a relation field from the rows grouped by key.
#[doc(hidden)]
pub trait RelationField<C>: Send + Sized + 'static {
    /// Fills the field with the rows of `key` (`None`: the parent's key is NULL).
    fn fill(&mut self, rows: &mut Grouped<C>, key: Option<&RelKey>);
}
