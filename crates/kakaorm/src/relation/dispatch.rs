//! Which loader each kind of relation field uses.

use std::sync::Arc;

use kakaorm_core::Model;

use super::fields::{BelongsTo, HasMany, HasOne, ManyToMany};
use super::fill::RelationField;
use super::handle::Relation;
use super::load::RelationLoader;
use super::many::LinkLoader;
use crate::query::Query;
use crate::query::prefetch::ErasedPrefetch;

/// The loader of a relation held in this kind of field.
#[doc(hidden)]
pub trait FieldLoader<C: Model>: RelationField<C> {
    /// The loader of `relation`, with the query its rows come from.
    fn loader<P: Model>(relation: Relation<P, C, Self>, query: Query<C>) -> ErasedPrefetch<P>;
}

macro_rules! keyed_loader {
    ($($field:ident),*) => {$(
        impl<C: Model> FieldLoader<C> for $field<C>
        where
            $field<C>: RelationField<C>,
        {
            fn loader<P: Model>(relation: Relation<P, C, Self>, query: Query<C>) -> ErasedPrefetch<P> {
                ErasedPrefetch(Arc::new(RelationLoader::new(relation, query)))
            }
        }
    )*};
}

keyed_loader!(HasMany, HasOne, BelongsTo);

impl<C: Model + Clone> FieldLoader<C> for ManyToMany<C> {
    fn loader<P: Model>(relation: Relation<P, C, Self>, query: Query<C>) -> ErasedPrefetch<P> {
        ErasedPrefetch(Arc::new(LinkLoader(RelationLoader::new(relation, query))))
    }
}
