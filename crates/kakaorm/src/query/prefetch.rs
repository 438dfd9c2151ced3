//! What `Query::prefetch` keeps: type-erased loaders of related rows, filled in after the
//! query's own rows are fetched, on the same connection.
//!
//! Where the connection pipelines (PostgreSQL), the whole prefetch tree goes out in one
//! round trip: the first level is keyed by the parents' values, and each nested level by a
//! subquery selecting its parents' keys with the level above's own filter, so no level
//! waits for another's rows. Elsewhere the levels load one after another.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use kakaorm_core::ast::{ColumnRef, Expr, Projection, Select, Statement};
use kakaorm_core::{Dialect, Result, Value, render};

use crate::driver::{PooledConn, RowSink};

/// A boxed future borrowing the parents and the connection.
pub(crate) type LoadFuture<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// Fills one relation of every parent, on one connection.
pub(crate) trait Loader<P>: Send + Sync {
    /// Loads the relation of `parents` with the statements of `dialect` on `conn`, level
    /// after level.
    fn load<'a>(
        &'a self,
        parents: &'a mut [P],
        conn: &'a mut PooledConn,
        dialect: &'static dyn Dialect,
    ) -> LoadFuture<'a>;

    /// The relation's name, for messages.
    fn name(&self) -> &'static str;

    /// Whether the prefetch has nested prefetches of its own.
    fn has_nested(&self) -> bool;

    /// The distinct keys of `parents` this relation matches, each once.
    fn parent_keys(&self, parents: &[P]) -> Result<Vec<Value>>;

    /// Adds the statement of this relation, its rows keyed by `keys`, and those of its
    /// nested prefetches to `batch`. `None` when the tree cannot go out in one batch (the
    /// keys do not fit one parameter, or the prefetch query is refused): then it loads
    /// level by level, which reports any error.
    fn plan<'a>(
        &'a self,
        keys: Keys,
        batch: &mut Vec<Statement>,
        dialect: &'static dyn Dialect,
    ) -> Option<Box<dyn Planned<P> + 'a>>;
}

/// Where the parents of a planned level come from.
pub(crate) enum Keys {
    /// The parents' distinct key values.
    Values(Vec<Value>),
    /// The parents are the rows of this statement (its projection is replaced).
    Rows(Box<Select>),
}

impl Keys {
    /// `child IN keys`: the key values as one parameter, or a subquery selecting the
    /// parents' column `parent_column` (of table `parent_table`). `None` when the values
    /// would not fit one parameter.
    pub(crate) fn matching(
        self,
        child: Expr,
        parent_table: &'static str,
        parent_column: &'static str,
        dialect: &'static dyn Dialect,
    ) -> Option<Expr> {
        match self {
            Keys::Values(values) if dialect.key_list().binds_whole(&values) => {
                Some(Expr::AnyOf { expr: Box::new(child), values })
            }
            Keys::Values(_) => None,
            Keys::Rows(mut select) => {
                select.projection =
                    Projection::Columns(vec![Expr::Column(ColumnRef::new(Some(parent_table), parent_column))]);
                select.order_by.clear();
                Some(Expr::InSelect { expr: Box::new(child), select, negated: false })
            }
        }
    }
}

/// A relation level planned into a batch: its rows are decoded as they arrive, then it
/// fills its parents.
pub(crate) trait Planned<P>: Send {
    /// Where the rows of this level's statement and of its nested levels' go, each with
    /// the index of its statement in the batch.
    fn sinks<'s>(&'s mut self, out: &mut Vec<(usize, &'s mut dyn RowSink)>);

    /// Fills the nested relations of this level's rows, then gives `parents` their rows.
    fn fill(self: Box<Self>, parents: &mut [P]) -> Result<()>;
}

/// Loads every relation in `loaders` into `parents`: the whole tree in one round trip
/// where the connection pipelines, otherwise level by level.
pub(crate) async fn load_all<P>(
    loaders: &[Arc<dyn Loader<P>>],
    parents: &mut [P],
    conn: &mut PooledConn,
    dialect: &'static dyn Dialect,
) -> Result<()> {
    if loaders.is_empty() || parents.is_empty() {
        return Ok(());
    }
    // One statement gains nothing from a pipeline: it goes the plain way.
    let several = loaders.len() > 1 || loaders.iter().any(|l| l.has_nested());
    if several
        && conn.pipelines()
        && let Some((batch, mut planned)) = plan_all(loaders, parents, dialect)?
    {
        let qs = batch.into_iter().map(|s| render(s, dialect)).collect::<Result<Vec<_>>>()?;
        let mut sinks = Vec::with_capacity(qs.len());
        for level in &mut planned {
            level.sinks(&mut sinks);
        }
        sinks.sort_unstable_by_key(|(index, _)| *index);
        conn.fetch_pipelined(qs, sinks.into_iter().map(|(_, sink)| sink).collect()).await?;
        for level in planned {
            level.fill(parents)?;
        }
        return Ok(());
    }
    for loader in loaders {
        loader.load(parents, conn, dialect).await?;
    }
    Ok(())
}

type Plan<'a, P> = (Vec<Statement>, Vec<Box<dyn Planned<P> + 'a>>);

/// The batch of every relation in `loaders`, or `None` when one of them cannot be batched.
fn plan_all<'a, P>(
    loaders: &'a [Arc<dyn Loader<P>>],
    parents: &[P],
    dialect: &'static dyn Dialect,
) -> Result<Option<Plan<'a, P>>> {
    let mut batch = Vec::new();
    let mut planned = Vec::with_capacity(loaders.len());
    for loader in loaders {
        match loader.plan(Keys::Values(loader.parent_keys(parents)?), &mut batch, dialect) {
            Some(level) => planned.push(level),
            None => return Ok(None),
        }
    }
    Ok(Some((batch, planned)))
}

/// A prefetch with its types erased, as a query keeps it.
#[doc(hidden)]
pub struct ErasedPrefetch<P>(pub(crate) Arc<dyn Loader<P>>);

/// Something `Query::prefetch` and `load` accept: a relation handle (`User::posts`) or a
/// refined one (`User::posts.filter(..)`).
pub trait IntoPrefetch<P> {
    /// The type-erased loader.
    #[doc(hidden)]
    fn into_prefetch(self) -> ErasedPrefetch<P>;
}
