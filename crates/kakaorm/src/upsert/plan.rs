//! The statements of one upsert: the chunked INSERTs with their conflict clause, then,
//! where the backend cannot return the stored rows, the reads by conflict key.

use kakaorm_core::ast::{ConflictAction, Expr, Insert, OnConflict, Projection, Select, Statement};
use kakaorm_core::schema::TableSchema;
use kakaorm_core::{Dialect, Error, Model, Result, Value, render};

use crate::bulk::Group;
use crate::driver::PooledConn;

pub(super) struct Plan {
    inserts: Vec<Statement>,
    /// Reads by conflict key; empty when the inserts return the rows.
    reads: Vec<Statement>,
    returning: bool,
}

impl Plan {
    pub(super) fn new(
        table: &'static TableSchema,
        groups: Vec<Group>,
        target: Vec<&'static str>,
        action: ConflictAction,
        d: &dyn Dialect,
    ) -> Result<Plan> {
        check_target(table, &target)?;
        let returning = d.upsert_returning() && matches!(action, ConflictAction::Update(_));
        let mut inserts = Vec::new();
        let mut keys: Vec<Vec<Value>> = Vec::new();
        for g in groups {
            let width = g.columns.len();
            let positions = target_positions(table, &target, g.columns)?;
            let on_conflict = OnConflict::new(target.clone(), group_action(table, g.columns, &action)?);
            for row in g.values.chunks(width.max(1)) {
                let key: Vec<Value> = positions.iter().map(|&p| row[p].clone()).collect();
                if let Some(i) = key.iter().position(|v| *v == Value::Null) {
                    return Err(Error::invalid_input(format!(
                        "{}: an upsert row sets the conflict target `{}` to NULL, which never conflicts",
                        table.model, target[i]
                    )));
                }
                if !returning {
                    keys.push(key);
                }
            }
            for value in &g.values {
                d.check_value(value)?;
            }
            let per_statement = (d.max_params() / width).max(1) * width;
            let mut values = g.values;
            while !values.is_empty() {
                let rest = values.split_off(per_statement.min(values.len()));
                let mut insert = Insert::new(table.name, g.columns.to_vec(), values);
                insert.on_conflict = Some(on_conflict.clone());
                if returning {
                    insert.returning = table.columns.iter().map(|c| c.name).collect();
                }
                inserts.push(insert.into());
                values = rest;
            }
        }
        let reads = reads(table, &target, keys, d);
        Ok(Plan { inserts, reads, returning })
    }

    /// How many statements run.
    pub(super) fn statement_count(&self) -> usize {
        self.inserts.len() + self.reads.len()
    }

    /// Every statement, in order.
    pub(super) fn statements(self) -> Vec<Statement> {
        self.inserts.into_iter().chain(self.reads).collect()
    }

    /// Runs the statements on `conn` and returns the stored rows.
    pub(super) async fn run<M: Model>(self, conn: &mut PooledConn, d: &dyn Dialect) -> Result<Vec<M>> {
        let mut out = Vec::new();
        for s in self.inserts {
            let q = render(s, d)?;
            if self.returning {
                out.extend(conn.fetch::<M>(q).await?);
            } else {
                conn.execute(q).await?;
            }
        }
        for s in self.reads {
            out.extend(conn.fetch::<M>(render(s, d)?).await?);
        }
        Ok(out)
    }
}

/// Refuses a target that is not the primary key, a unique column or a unique index.
fn check_target(table: &TableSchema, target: &[&str]) -> Result<()> {
    let mut wanted: Vec<&str> = target.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let same = |cols: &[&str]| {
        let mut cols = cols.to_vec();
        cols.sort_unstable();
        cols == wanted
    };
    let single = match wanted.as_slice() {
        [one] => table.column(one).is_some_and(|c| c.primary_key || c.unique),
        _ => false,
    };
    if wanted.len() == target.len() && (single || table.indexes.iter().any(|i| i.unique && same(i.columns))) {
        return Ok(());
    }
    Err(Error::invalid_input(format!(
        "{}: the upsert target ({}) is not the primary key, a unique column or a unique index",
        table.model,
        target.join(", ")
    )))
}

/// Where each target column sits in a row of `columns`.
fn target_positions(table: &TableSchema, target: &[&str], columns: &[&str]) -> Result<Vec<usize>> {
    target
        .iter()
        .map(|t| {
            columns.iter().position(|c| c == t).ok_or_else(|| {
                Error::invalid_input(format!("{}: an upsert row does not set the conflict target `{t}`", table.model))
            })
        })
        .collect()
}

/// The action for rows with `columns`: the updated columns must be among them, the
/// `auto_now` columns are refreshed too, and a soft-delete model's `deleted_at` is
/// written (an updated row is live again).
fn group_action(table: &TableSchema, columns: &[&'static str], action: &ConflictAction) -> Result<ConflictAction> {
    let ConflictAction::Update(updated) = action else { return Ok(action.clone()) };
    let mut updated = updated.clone();
    if let Some(c) = updated.iter().find(|c| !columns.contains(c)) {
        return Err(Error::invalid_input(format!(
            "{}: an upsert cannot update `{c}`, which it does not set",
            table.model
        )));
    }
    // A soft-deleted row updated by an upsert takes the proposed `deleted_at` (NULL
    // unless the row sets it): it comes back to life, as an insert of it would.
    let revived = table.deletion.soft_column().and_then(|s| table.column(s));
    for c in table.columns.iter().filter(|c| c.auto_now).chain(revived) {
        if !updated.contains(&c.name) && columns.contains(&c.name) {
            updated.push(c.name);
        }
    }
    Ok(ConflictAction::Update(updated))
}

/// `SELECT … WHERE <target> IN keys`, chunked under the parameter limit.
fn reads(
    table: &'static TableSchema,
    target: &[&'static str],
    keys: Vec<Vec<Value>>,
    d: &dyn Dialect,
) -> Vec<Statement> {
    let per_statement = (d.max_params() / target.len().max(1)).max(1);
    let mut out = Vec::new();
    let mut keys = keys.into_iter().peekable();
    while keys.peek().is_some() {
        let matches: Vec<Expr> = keys
            .by_ref()
            .take(per_statement)
            .map(|key| Expr::And(target.iter().zip(key).map(|(c, v)| Expr::column(c).eq(v)).collect()))
            .collect();
        let mut select = Select::new(table.name, Projection::Model(table));
        select.filter = Some(Expr::Or(matches));
        out.push(select.into());
    }
    out
}
