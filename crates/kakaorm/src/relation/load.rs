//! Loading a relation for a whole result set: one statement per relation level (per
//! chunk of keys where the backend has no array parameters), never one per row.

use std::sync::Arc;

use kakaorm_core::ast::{Expr, Projection, Select, Statement};
use kakaorm_core::{Dialect, Error, Model, Result, Value, render};

use super::fill::RelationField;
use super::handle::{Relation, column_index};
use super::key::{Grouped, KeySet, RelKey};
use crate::driver::{Decoded, PooledConn, RowSink};
use crate::query::Query;
use crate::query::prefetch::{Keys, LoadFuture, Loader, Planned, load_all};

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
        load_all(self.query.loaders(), &mut rows, conn, dialect).await?;
        self.attach(parents, per_parent, rows)
    }

    /// Groups `rows` by the key they hold and gives each parent those of its key.
    fn attach(&self, parents: &mut [P], per_parent: Vec<Option<RelKey>>, rows: Vec<C>) -> Result<()> {
        let child_idx = column_index(C::SCHEMA, self.relation.child_column())
            .ok_or_else(|| missing(C::SCHEMA.name, self.relation.child_column()))?;
        let grouped = Grouped::new(rows, |c| RelKey::of(&c.column_value(child_idx)));
        self.fill(parents, per_parent, grouped);
        Ok(())
    }

    /// Each parent's own key (no check for repeats: the rows of one planned level are
    /// distinct rows).
    pub(super) fn per_parent(&self, parents: &[P]) -> Result<Vec<Option<RelKey>>> {
        let idx = column_index(P::SCHEMA, self.relation.parent_column())
            .ok_or_else(|| missing(P::SCHEMA.name, self.relation.parent_column()))?;
        Ok(parents.iter().map(|p| RelKey::of(&p.column_value(idx))).collect())
    }

    /// The condition selecting the related rows of the parents `keys` stands for.
    pub(super) fn matching(&self, child: Expr, keys: Keys, dialect: &'static dyn Dialect) -> Option<Expr> {
        if self.query.is_sliced() {
            return None;
        }
        keys.matching(child, P::SCHEMA.name, self.relation.parent_column(), dialect)
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

    fn name(&self) -> &'static str {
        self.relation.name()
    }

    fn has_nested(&self) -> bool {
        !self.query.loaders().is_empty()
    }

    fn parent_keys(&self, parents: &[P]) -> Result<Vec<Value>> {
        self.keys(parents).map(|(keys, _)| keys)
    }

    fn plan<'a>(
        &'a self,
        keys: Keys,
        batch: &mut Vec<Statement>,
        dialect: &'static dyn Dialect,
    ) -> Option<Box<dyn Planned<P> + 'a>> {
        let filter = self.matching(self.relation.child_expr(), keys, dialect)?;
        let select = self.query.clone().filtered_select(filter, Projection::Model(C::SCHEMA));
        // Parents before their nested levels, so the server runs them in that order.
        let index = batch.len();
        batch.push(Statement::Select(select.clone()));
        let nested = plan_nested(self.query.loaders(), &select, batch, dialect)?;
        Some(Box::new(PlannedLevel { loader: self, index, rows: Decoded::default(), nested }))
    }
}

/// Plans the nested prefetches of a level whose rows `select` returns.
pub(super) fn plan_nested<'a, C>(
    loaders: &'a [Arc<dyn Loader<C>>],
    select: &Select,
    batch: &mut Vec<Statement>,
    dialect: &'static dyn Dialect,
) -> Option<Vec<Box<dyn Planned<C> + 'a>>> {
    loaders.iter().map(|l| l.plan(Keys::Rows(Box::new(select.clone())), batch, dialect)).collect()
}

/// A planned has-many, has-one or belongs-to level.
struct PlannedLevel<'a, P, C, F> {
    loader: &'a RelationLoader<P, C, F>,
    /// This level's statement in the batch.
    index: usize,
    rows: Decoded<C>,
    nested: Vec<Box<dyn Planned<C> + 'a>>,
}

impl<P: Model, C: Model, F: RelationField<C>> Planned<P> for PlannedLevel<'_, P, C, F> {
    fn sinks<'s>(&'s mut self, out: &mut Vec<(usize, &'s mut dyn RowSink)>) {
        out.push((self.index, &mut self.rows));
        for level in &mut self.nested {
            level.sinks(out);
        }
    }

    fn fill(self: Box<Self>, parents: &mut [P]) -> Result<()> {
        let mut children = self.rows.0;
        for level in self.nested {
            level.fill(&mut children)?;
        }
        self.loader.attach(parents, self.loader.per_parent(parents)?, children)
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
