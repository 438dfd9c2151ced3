//! Loading a relation for a whole result set: one statement per relation level (per
//! chunk of keys where the backend has no array parameters), never one per row.

use kakaorm_core::ast::{Expr, Projection, Statement};
use kakaorm_core::{Dialect, Error, Model, Result, Value, render};

use super::fill::RelationField;
use super::handle::{Relation, column_index};
use super::key::{Grouped, KeySet, RelKey};
use crate::driver::PooledConn;
use crate::query::Query;
use crate::query::prefetch::{LoadFuture, Loader};

/// The loader of one relation, with the query its related rows come from.
pub(crate) struct RelationLoader<P, C, F> {
    pub(super) relation: Relation<P, C, F>,
    pub(super) query: Query<C>,
}

impl<P: Model, C: Model, F: RelationField<C>> RelationLoader<P, C, F> {
    pub(crate) fn new(relation: Relation<P, C, F>, query: Query<C>) -> Self {
        RelationLoader { relation, query }
    }

    /// The parents' keys, each once, in first-seen order, with each parent's own key.
    pub(super) fn keys(&self, parents: &[P]) -> Result<(Vec<Value>, Vec<Option<RelKey>>)> {
        let idx = column_index(P::SCHEMA, self.relation.parent_column())
            .ok_or_else(|| missing(P::SCHEMA.name, self.relation.parent_column()))?;
        let mut seen = KeySet::default();
        let mut distinct = Vec::new();
        let mut per_parent = Vec::with_capacity(parents.len());
        for p in parents {
            let value = p.column_value(idx);
            let key = RelKey::of(&value);
            if let Some(k) = &key
                && seen.insert(k.clone())
            {
                distinct.push(value);
            }
            per_parent.push(key);
        }
        let keyed = per_parent.iter().filter(|k| k.is_some()).count();
        if keyed > distinct.len() && self.relation.kind() != super::RelationKind::BelongsTo {
            // Each related row would go to one of them only.
            return Err(Error::new(
                kakaorm_core::ErrorKind::InvalidInput,
                format!(
                    "cannot load `{}` into the same `{}` row twice in one call",
                    self.relation.name(),
                    P::SCHEMA.model
                ),
            ));
        }
        Ok((distinct, per_parent))
    }

    /// The statements fetching the related rows of `keys`: one with an array parameter,
    /// or one per chunk of keys that fits the backend's parameter limit.
    fn statements(&self, keys: Vec<Value>, dialect: &'static dyn Dialect) -> Result<Vec<Statement>> {
        self.check_unsliced()?;
        Ok(key_chunks(keys, dialect)
            .map(|values| {
                let any = Expr::AnyOf { expr: Box::new(self.relation.child_expr()), values };
                Statement::Select(self.query.clone().filtered_select(any, Projection::Model(C::SCHEMA)))
            })
            .collect())
    }

    /// Refuses a prefetch query with a limit or offset (it would apply to all parents
    /// together, not to each).
    pub(super) fn check_unsliced(&self) -> Result<()> {
        if self.query.is_sliced() {
            return Err(Error::new(
                kakaorm_core::ErrorKind::InvalidInput,
                format!("a prefetch of `{}` cannot have a limit or offset", self.relation.name()),
            ));
        }
        Ok(())
    }

    async fn run(&self, parents: &mut [P], conn: &mut PooledConn, dialect: &'static dyn Dialect) -> Result<()> {
        let (keys, per_parent) = self.keys(parents)?;
        let mut rows: Vec<C> = Vec::new();
        for stmt in self.statements(keys, dialect)? {
            let q = render(stmt, dialect)?;
            rows.extend(conn.fetch::<C>(q).await?);
        }
        for nested in self.query.loaders() {
            nested.load(&mut rows, conn, dialect).await?;
        }
        let child_idx = column_index(C::SCHEMA, self.relation.child_column())
            .ok_or_else(|| missing(C::SCHEMA.name, self.relation.child_column()))?;
        let grouped = Grouped::new(rows, |c| RelKey::of(&c.column_value(child_idx)));
        self.fill(parents, per_parent, grouped);
        Ok(())
    }

    /// Gives each parent the related rows of its key.
    pub(super) fn fill(&self, parents: &mut [P], per_parent: Vec<Option<RelKey>>, mut grouped: Grouped<C>) {
        let field = self.relation.field();
        for (parent, key) in parents.iter_mut().zip(per_parent) {
            field(parent).fill(&mut grouped, key.as_ref());
        }
    }
}

impl<P: Model, C: Model, F: RelationField<C> + 'static> Loader<P> for RelationLoader<P, C, F> {
    fn load<'a>(
        &'a self,
        parents: &'a mut [P],
        conn: &'a mut PooledConn,
        dialect: &'static dyn Dialect,
    ) -> LoadFuture<'a> {
        Box::pin(self.run(parents, conn, dialect))
    }
}

/// The keys in the groups one statement binds: all of them where the dialect binds the
/// list as one parameter, otherwise chunks that fit the backend's parameter limit.
pub(crate) fn key_chunks(keys: Vec<Value>, dialect: &'static dyn Dialect) -> impl Iterator<Item = Vec<Value>> {
    let chunk = if dialect.key_list().binds_whole(&keys) { keys.len().max(1) } else { chunk_size(dialect) };
    let mut keys = keys.into_iter().peekable();
    std::iter::from_fn(move || keys.peek().is_some().then(|| keys.by_ref().take(chunk).collect()))
}

/// Keys per statement without array parameters: the largest power of two within half
/// the parameter limit (the other half is left for the prefetch's own filter).
fn chunk_size(dialect: &dyn Dialect) -> usize {
    let half = (dialect.max_params() / 2).max(1);
    1 << half.ilog2()
}

pub(super) fn missing(table: &str, column: &str) -> Error {
    Error::new(kakaorm_core::ErrorKind::InvalidInput, format!("table `{table}` has no column `{column}`"))
}
