//! `Prefetch`: a relation with its own filter, order and nested prefetches, and what turns
//! a relation into the loader a query keeps.

use kakaorm_core::{Cond, Model, Restorable};

use super::dispatch::FieldLoader;
use super::fill::RelationField;
use super::handle::Relation;
use crate::query::prefetch::{ErasedPrefetch, IntoPrefetch};
use crate::query::{IntoOrder, Query};

impl<P: Model, C: Model, F: RelationField<C>> Relation<P, C, F> {
    /// A prefetch of this relation keeping only the related rows matching `cond`.
    pub fn filter(self, cond: Cond<C>) -> Prefetch<P, C, F> {
        Prefetch { relation: self, query: Query::new().filter(cond) }
    }

    /// A prefetch of this relation with the related rows in this order.
    pub fn order_by(self, order: impl IntoOrder<C>) -> Prefetch<P, C, F> {
        Prefetch { relation: self, query: Query::new().order_by(order) }
    }

    /// A prefetch of this relation that also prefetches a relation of the related rows:
    /// `User::posts.prefetch(Post::comments)`.
    pub fn prefetch(self, nested: impl IntoPrefetch<C>) -> Prefetch<P, C, F> {
        Prefetch { relation: self, query: Query::new().prefetch(nested) }
    }
}

/// A relation to prefetch with its own query: a filter, an order, nested prefetches.
pub struct Prefetch<P, C, F> {
    relation: Relation<P, C, F>,
    query: Query<C>,
}

impl<P: Model, C: Model, F: RelationField<C>> Prefetch<P, C, F> {
    /// Keeps only the related rows matching `cond` as well.
    pub fn filter(mut self, cond: Cond<C>) -> Self {
        self.query = self.query.filter(cond);
        self
    }

    /// Orders the related rows of each parent.
    pub fn order_by(mut self, order: impl IntoOrder<C>) -> Self {
        self.query = self.query.order_by(order);
        self
    }

    /// Also prefetches a relation of the related rows.
    pub fn prefetch(mut self, nested: impl IntoPrefetch<C>) -> Self {
        self.query = self.query.prefetch(nested);
        self
    }
}

impl<P: Model, C: Restorable, F: RelationField<C>> Relation<P, C, F> {
    /// A prefetch of this relation that loads deleted related rows too (soft-deleted or
    /// archived), for every kind of relation, many-to-many included.
    pub fn include_deleted(self) -> Prefetch<P, C, F> {
        Prefetch { relation: self, query: Query::new().include_deleted() }
    }
}

impl<P: Model, C: Restorable, F: RelationField<C>> Prefetch<P, C, F> {
    /// Loads deleted related rows too.
    pub fn include_deleted(mut self) -> Self {
        self.query = self.query.include_deleted();
        self
    }
}

impl<P: Model, C: Model, F: FieldLoader<C>> IntoPrefetch<P> for Relation<P, C, F> {
    fn into_prefetch(self) -> ErasedPrefetch<P> {
        Prefetch { relation: self, query: Query::new() }.into_prefetch()
    }
}

impl<P: Model, C: Model, F: FieldLoader<C>> IntoPrefetch<P> for Prefetch<P, C, F> {
    fn into_prefetch(self) -> ErasedPrefetch<P> {
        F::loader(self.relation, self.query)
    }
}
