//! Many-to-many relations: loading the related rows through the join model in one
//! statement per level, and adding, removing and replacing links.

use kakaorm_core::ast::{
    BinOp, ColumnRef, ConflictAction, Delete, Expr, Insert, Join, JoinKind, OnConflict, Projection, Select, Statement,
};
use kakaorm_core::schema::{ColumnSchema, TableSchema};
use kakaorm_core::{ColumnValue, Dialect, FromRow, Model, OffsetRow, Result, RowReader, UpsertStyle, Value, render};

use super::fields::ManyToMany;
use super::fill::RelationField;
use super::handle::{Relation, Through};
use super::key::{Grouped, KeyMap, KeySet, RelKey};
use super::load::{RelationLoader, key_chunks, plan_nested};
use crate::deletion::scope::{self, Scope};
use crate::deletion::timestamp;
use crate::driver::{Decoded, PooledConn, RowSink};
use crate::executor::Executor;
use crate::query::prefetch::{Keys, LoadFuture, Loader, Planned, load_all};

/// A related row with the key of the parent it is linked to (column 0).
struct Linked<K, C>(K, C);

impl<K: ColumnValue, C: FromRow> FromRow for Linked<K, C> {
    fn from_row<R: RowReader + ?Sized>(row: &mut R) -> Result<Self> {
        let key = K::decode(row, 0)?;
        Ok(Linked(key, C::from_row(&mut OffsetRow::new(row, 1))?))
    }
}

fn column(table: &'static str, name: &'static str) -> Expr {
    Expr::Column(ColumnRef::new(Some(table), name))
}

/// The loader of a many-to-many relation.
pub(crate) struct LinkLoader<P, C, F>(pub(crate) RelationLoader<P, C, F>);

impl<P: Model, C: Model + Clone, F: RelationField<C>> LinkLoader<P, C, F> {
    /// `SELECT j.from, c.* FROM c JOIN j ON j.to = c.pk WHERE keys AND …`, where `keys`
    /// tests `j.from`.
    fn select(&self, through: Through, keys: Expr) -> Select {
        let join = (through.schema)();
        let target = C::SCHEMA;
        let mut columns = vec![column(join.name, through.from)];
        columns.extend(target.columns.iter().map(|c| column(target.name, c.name)));
        let mut select = Select::new(target.name, Projection::Columns(columns));
        let mut on = Expr::Binary(
            Box::new(column(join.name, through.to)),
            BinOp::Eq,
            Box::new(column(target.name, target.pk().name)),
        );
        // A soft-deleted link links nothing.
        if let Some(live) = scope::condition(join, Scope::Live) {
            on = on.and(live.qualify(join.name));
        }
        select.joins.push(Join::new(JoinKind::Inner, join.name, on));
        let (filter, order_by) = self.0.query.clone().qualified_parts(target.name);
        select.filter = Some(match filter {
            Some(f) => keys.and(f),
            None => keys,
        });
        select.order_by = order_by;
        // An archive target is read from the tables of the prefetch's scope (the
        // soft-delete condition is in the filter already).
        if target.deletion.archive_table().is_some() {
            scope::restrict(&mut select, target, self.0.query.scope());
        }
        select
    }

    async fn run(&self, parents: &mut [P], conn: &mut PooledConn, dialect: &'static dyn Dialect) -> Result<()> {
        let loader = &self.0;
        loader.check_unsliced()?;
        let Some(through) = loader.relation.through() else { return Ok(()) };
        let (keys, per_parent) = loader.keys(parents)?;
        let from = column((through.schema)().name, through.from);
        let mut linked: Vec<Linked<P::Key, C>> = Vec::new();
        for values in key_chunks(keys, dialect) {
            let any = Expr::AnyOf { expr: Box::new(from.clone()), values };
            let q = render(Statement::Select(self.select(through, any)), dialect)?;
            linked.extend(conn.fetch::<Linked<P::Key, C>>(q).await?);
        }
        let (mut targets, links) = distinct_targets(linked);
        load_all(loader.query.loaders(), &mut targets, conn, dialect).await?;
        loader.fill(parents, per_parent, linked_pairs(targets, links));
        Ok(())
    }
}

/// One row per link: a target linked to several parents arrives several times. Keeps it
/// once, so nested levels load it once, with each link's parent key and target position.
fn distinct_targets<K: ColumnValue, C: Model>(linked: Vec<Linked<K, C>>) -> (Vec<C>, Vec<(Option<RelKey>, usize)>) {
    let pk = C::SCHEMA.primary_key;
    let (mut targets, mut position, mut links) = (Vec::new(), KeyMap::default(), Vec::with_capacity(linked.len()));
    for Linked(parent, row) in linked {
        let at = match RelKey::of(&row.column_value(pk)) {
            Some(k) => *position.entry(k).or_insert_with(|| {
                targets.push(row);
                targets.len() - 1
            }),
            None => continue,
        };
        links.push((RelKey::of(&parent.to_value()), at));
    }
    (targets, links)
}

/// The targets grouped by the parent each link names, copied to each.
fn linked_pairs<C: Clone>(targets: Vec<C>, links: Vec<(Option<RelKey>, usize)>) -> Grouped<C> {
    Grouped::from_pairs(links.into_iter().map(|(parent, at)| (parent, targets[at].clone())).collect())
}

impl<P: Model, C: Model + Clone, F: RelationField<C> + 'static> Loader<P> for LinkLoader<P, C, F> {
    fn load<'a>(
        &'a self,
        parents: &'a mut [P],
        conn: &'a mut PooledConn,
        dialect: &'static dyn Dialect,
    ) -> LoadFuture<'a> {
        Box::pin(self.run(parents, conn, dialect))
    }

    fn name(&self) -> &'static str {
        self.0.relation.name()
    }

    fn has_nested(&self) -> bool {
        !self.0.query.loaders().is_empty()
    }

    fn parent_keys(&self, parents: &[P]) -> Result<Vec<Value>> {
        self.0.parent_keys(parents)
    }

    fn plan<'a>(
        &'a self,
        keys: Keys,
        batch: &mut Vec<Statement>,
        dialect: &'static dyn Dialect,
    ) -> Option<Box<dyn Planned<P> + 'a>> {
        let through = self.0.relation.through()?;
        let filter = self.0.matching(column((through.schema)().name, through.from), keys, dialect)?;
        let select = self.select(through, filter);
        // Parents before their nested levels, so the server runs them in that order.
        let index = batch.len();
        batch.push(Statement::Select(select.clone()));
        let nested = plan_nested(self.0.query.loaders(), &select, batch, dialect)?;
        Some(Box::new(PlannedLinks { loader: self, index, rows: Decoded::default(), nested }))
    }
}

/// A planned many-to-many level.
struct PlannedLinks<'a, P: Model, C, F> {
    loader: &'a LinkLoader<P, C, F>,
    /// This level's statement in the batch.
    index: usize,
    rows: Decoded<Linked<P::Key, C>>,
    nested: Vec<Box<dyn Planned<C> + 'a>>,
}

impl<P: Model, C: Model + Clone, F: RelationField<C>> Planned<P> for PlannedLinks<'_, P, C, F> {
    fn sinks<'s>(&'s mut self, out: &mut Vec<(usize, &'s mut dyn RowSink)>) {
        out.push((self.index, &mut self.rows));
        for level in &mut self.nested {
            level.sinks(out);
        }
    }

    fn fill(self: Box<Self>, parents: &mut [P]) -> Result<()> {
        let (mut targets, links) = distinct_targets(self.rows.0);
        for level in self.nested {
            level.fill(&mut targets)?;
        }
        let loader = &self.loader.0;
        loader.fill(parents, loader.per_parent(parents)?, linked_pairs(targets, links));
        Ok(())
    }
}

/// Links of one parent, as the statements that change them see it.
/// Whether an INSERT of links fills `col` with the time (`auto_now`, `auto_now_add`).
fn stamped(col: &ColumnSchema) -> bool {
    col.auto_now || col.auto_now_add
}

struct Links {
    through: Through,
    join: &'static TableSchema,
    parent: Value,
    /// The values per link an INSERT sets: the two keys and the timestamps.
    width: usize,
}

impl Links {
    /// The links of `parent`, and the distinct keys of `targets`.
    fn to<P: Model, C: Model + Clone>(
        relation: &Relation<P, C, ManyToMany<C>>,
        parent: &P,
        targets: impl IntoIterator<Item = impl Into<C::Key>>,
    ) -> (Self, Vec<Value>) {
        (Links::of(relation, parent), distinct_keys(targets.into_iter().map(Into::into)))
    }

    fn of<P: Model, C: Model + Clone>(relation: &Relation<P, C, ManyToMany<C>>, parent: &P) -> Self {
        let through = relation.through().unwrap_or(Through { schema: || P::SCHEMA, from: "", to: "" });
        let join = (through.schema)();
        let width = 2 + join.columns.iter().filter(|c| stamped(c)).count();
        Links { through, join, parent: parent.key_value(), width }
    }

    /// `j.from = parent`, plus `j.to = ANY(targets)` (or its negation) when given.
    fn filter(&self, targets: Option<(Vec<Value>, bool)>) -> Expr {
        let from = Expr::Binary(
            Box::new(Expr::Column(ColumnRef::new(None, self.through.from))),
            BinOp::Eq,
            Box::new(Expr::Value(self.parent.clone())),
        );
        match targets {
            None => from,
            Some((values, keep)) => {
                let to = Expr::Column(ColumnRef::new(None, self.through.to));
                let any = Expr::AnyOf { expr: Box::new(to), values };
                from.and(if keep { Expr::Not(Box::new(any)) } else { any })
            }
        }
    }

    /// Deletes links: all of them, those to `targets`, or (`keep`) all but those.
    async fn delete(
        &self,
        conn: &mut PooledConn,
        d: &'static dyn Dialect,
        targets: Option<(Vec<Value>, bool)>,
    ) -> Result<u64> {
        if let Some((values, false)) = &targets
            && values.is_empty()
        {
            return Ok(0);
        }
        let targets = targets.filter(|(values, _)| !values.is_empty());
        let stmt = Statement::Delete(Delete::new(self.join.name, Some(self.filter(targets))));
        Ok(conn.execute(render(stmt, d)?).await?.rows_affected)
    }

    /// Whether an INSERT can skip the links that exist by itself and count only the new
    /// ones: the join table has a unique key over the two columns, and the dialect writes
    /// `ON CONFLICT … DO NOTHING` (MySQL's `ON DUPLICATE KEY` counts the skipped rows too).
    fn skips_existing(&self, d: &dyn Dialect) -> bool {
        let pair = [self.through.from, self.through.to];
        d.upsert_style() == UpsertStyle::OnConflict
            && self
                .join
                .indexes
                .iter()
                .any(|i| i.unique && i.columns.len() == 2 && pair.iter().all(|c| i.columns.contains(c)))
    }

    /// The join-model columns an INSERT of links sets, with the timestamps it fills.
    fn insert_columns(&self) -> (Vec<&'static str>, Vec<Value>) {
        let now = chrono::Utc::now();
        let mut columns = Vec::with_capacity(self.width);
        columns.extend([self.through.from, self.through.to]);
        let mut stamps = Vec::new();
        for c in self.join.columns.iter().filter(|c| stamped(c)) {
            columns.push(c.name);
            stamps.push(timestamp(c.ty, now));
        }
        (columns, stamps)
    }

    /// Links to this many targets go into one INSERT.
    fn rows_per_statement(&self, d: &dyn Dialect) -> usize {
        (d.max_params() / self.width).max(1)
    }

    /// Whether adding `targets` takes one statement, so needs no transaction of its own.
    fn adds_in_one_statement(&self, d: &dyn Dialect, targets: &[Value]) -> bool {
        self.skips_existing(d) && targets.len() <= self.rows_per_statement(d)
    }

    /// Inserts the links to `targets` (keys of type `K`) that do not exist yet; returns
    /// how many. With a unique key over the pair, `ON CONFLICT DO NOTHING` skips the
    /// existing ones in the same statement; otherwise they are read first.
    async fn add<K: ColumnValue>(
        &self,
        conn: &mut PooledConn,
        d: &'static dyn Dialect,
        targets: Vec<Value>,
    ) -> Result<u64> {
        if targets.is_empty() {
            return Ok(0);
        }
        let skips = self.skips_existing(d);
        let missing = if skips { targets } else { self.not_linked::<K>(conn, d, targets).await? };
        let (columns, stamps) = self.insert_columns();
        let mut added = 0;
        for chunk in missing.chunks(self.rows_per_statement(d)) {
            let mut values = Vec::with_capacity(chunk.len() * columns.len());
            for target in chunk {
                values.push(self.parent.clone());
                values.push(target.clone());
                values.extend(stamps.iter().cloned());
            }
            let mut insert = Insert::new(self.join.name, columns.clone(), values);
            if skips {
                let pair = vec![self.through.from, self.through.to];
                insert.on_conflict = Some(OnConflict::new(pair, ConflictAction::Nothing));
            }
            added += conn.execute(render(Statement::Insert(insert), d)?).await?.rows_affected;
        }
        Ok(added)
    }

    /// The targets among `targets` that `parent` is not linked to yet.
    async fn not_linked<K: ColumnValue>(
        &self,
        conn: &mut PooledConn,
        d: &'static dyn Dialect,
        targets: Vec<Value>,
    ) -> Result<Vec<Value>> {
        let to = Expr::Column(ColumnRef::new(None, self.through.to));
        let mut existing = Select::new(self.join.name, Projection::Columns(vec![to]));
        existing.filter = Some(self.filter(Some((targets.clone(), false))));
        let present: Vec<K> = conn.fetch(render(Statement::Select(existing), d)?).await?;
        let present: KeySet = present.iter().filter_map(|k| RelKey::of(&k.to_value())).collect();
        Ok(targets.into_iter().filter(|v| RelKey::of(v).is_some_and(|k| !present.contains(&k))).collect())
    }
}

/// The keys of `targets`, each once.
fn distinct_keys<K: ColumnValue>(targets: impl IntoIterator<Item = K>) -> Vec<Value> {
    let mut seen = KeySet::default();
    targets.into_iter().map(|k| k.into_value()).filter(|v| RelKey::of(v).is_some_and(|k| seen.insert(k))).collect()
}

impl<P: Model, C: Model + Clone> Relation<P, C, ManyToMany<C>> {
    /// Links `parent` to each of `targets` (keys of the related model) that it is not
    /// linked to yet, and returns how many links were added. Runs all or nothing (in a
    /// transaction, or a savepoint of yours). Join-model columns other than the two keys
    /// take their defaults (`auto_now`/`auto_now_add` are set to now).
    ///
    /// # Errors
    /// Any database error; a target that does not exist is a foreign-key violation.
    pub async fn add<E: Executor>(
        &self,
        parent: &P,
        targets: impl IntoIterator<Item = impl Into<C::Key>>,
        e: &E,
    ) -> Result<u64> {
        let (links, targets) = Links::to(self, parent, targets);
        let d = e.dialect();
        let mut guard = e.acquire().await?;
        if links.adds_in_one_statement(d, &targets) {
            return links.add::<C::Key>(guard.conn()?, d, targets).await;
        }
        crate::atomic::all_or_nothing(guard.conn()?, d, "a many-to-many add", async |conn| {
            links.add::<C::Key>(conn, d, targets).await
        })
        .await
    }

    /// Unlinks `parent` from each of `targets`, in one statement; returns how many links
    /// were removed.
    ///
    /// # Errors
    /// Any database error.
    pub async fn remove<E: Executor>(
        &self,
        parent: &P,
        targets: impl IntoIterator<Item = impl Into<C::Key>>,
        e: &E,
    ) -> Result<u64> {
        let (links, targets) = Links::to(self, parent, targets);
        let d = e.dialect();
        let mut guard = e.acquire().await?;
        links.delete(guard.conn()?, d, Some((targets, false))).await
    }

    /// Removes every link of `parent`, in one statement; returns how many.
    ///
    /// # Errors
    /// Any database error.
    pub async fn clear<E: Executor>(&self, parent: &P, e: &E) -> Result<u64> {
        let links = Links::of(self, parent);
        let d = e.dialect();
        let mut guard = e.acquire().await?;
        links.delete(guard.conn()?, d, None).await
    }

    /// Makes `targets` the exact set of rows linked to `parent`: removes the other links,
    /// then adds the missing ones, all or nothing.
    ///
    /// # Errors
    /// Any database error.
    pub async fn set<E: Executor>(
        &self,
        parent: &P,
        targets: impl IntoIterator<Item = impl Into<C::Key>>,
        e: &E,
    ) -> Result<()> {
        let (links, targets) = Links::to(self, parent, targets);
        let d = e.dialect();
        let mut guard = e.acquire().await?;
        crate::atomic::all_or_nothing(guard.conn()?, d, "a many-to-many set", async |conn| {
            links.delete(conn, d, Some((targets.clone(), true))).await?;
            links.add::<C::Key>(conn, d, targets).await.map(|_| ())
        })
        .await
    }
}
