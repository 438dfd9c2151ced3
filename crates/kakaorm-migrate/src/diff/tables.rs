//! Table-by-table comparison, collecting changes by phase, then ordering them.

use kakaorm::Dialect;
use kakaorm_core::schema::{Schema, Table, constraint_name};

use super::order::fk_order;
use super::{Change, DiffOptions};
use crate::schema::normalize::{same_check, same_column, same_foreign_key, same_name, same_names};

/// Changes grouped by the phase they run in.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    drop_keys: Vec<Change>,
    drop_other: Vec<Change>,
    create: Vec<Table>,
    add_columns: Vec<Change>,
    alter_columns: Vec<Change>,
    primary_keys: Vec<Change>,
    drop_columns: Vec<Change>,
    add_other: Vec<Change>,
    add_keys: Vec<Change>,
    drop_tables: Vec<Table>,
}

impl Changes {
    /// Every change in a runnable order: constraints are dropped before the columns and
    /// tables they use, tables created in foreign-key order, columns added (and altered)
    /// before the primary keys and constraints that use them, and tables dropped last, referring tables first.
    pub(crate) fn into_ordered(mut self) -> Vec<Change> {
        let (order, back) = fk_order(&self.create);
        let mut create = Vec::with_capacity(order.len());
        for i in order {
            let mut t = self.create[i].clone();
            let deferred: Vec<usize> = back.iter().filter(|(ti, _)| *ti == i).map(|(_, k)| *k).collect();
            for k in deferred.into_iter().rev() {
                let fk = t.foreign_keys.remove(k);
                self.add_keys.push(Change::AddForeignKey { table: t.name.clone(), foreign_key: fk });
            }
            create.push(Change::CreateTable(t));
        }
        let (order, back) = fk_order(&self.drop_tables);
        for (ti, k) in back {
            let t = &self.drop_tables[ti];
            self.drop_keys
                .push(Change::DropForeignKey { table: t.name.clone(), foreign_key: t.foreign_keys[k].clone() });
        }
        let drops = order.into_iter().rev().map(|i| Change::DropTable(self.drop_tables[i].clone()));
        let mut out = self.drop_keys;
        out.extend(self.drop_other);
        out.extend(create);
        out.extend(self.add_columns);
        out.extend(self.alter_columns);
        out.extend(self.primary_keys);
        out.extend(self.drop_columns);
        out.extend(self.add_other);
        out.extend(self.add_keys);
        out.extend(drops);
        out
    }
}

/// Compares every table and returns the schema the changes produce.
pub(crate) fn compare(
    from: &Schema,
    to: &Schema,
    o: &DiffOptions,
    c: &mut Changes,
    warnings: &mut Vec<String>,
) -> Schema {
    let mut target = Vec::new();
    for t in &to.tables {
        match from.table(&t.name) {
            Some(old) => target.push(table(old, t, o, c, warnings)),
            None => {
                c.create.push(t.clone());
                target.push(t.clone());
            }
        }
    }
    for old in from.tables.iter().filter(|t| to.table(&t.name).is_none()) {
        if o.destructive {
            c.drop_tables.push(old.clone());
        } else {
            warnings.push(format!("table {} is not in the target; kept (drop it in destructive mode)", old.name));
            target.push(old.clone());
        }
    }
    Schema::new(target)
}

fn table(old: &Table, new: &Table, o: &DiffOptions, c: &mut Changes, warnings: &mut Vec<String>) -> Table {
    let d = o.dialect;
    let name = || new.name.clone();
    let mut target = new.clone();
    for col in &new.columns {
        match old.columns.iter().find(|oc| same_name(&oc.name, &col.name, d)) {
            None => c.add_columns.push(Change::AddColumn { table: name(), column: col.clone() }),
            Some(oc) if !same_column(oc, col, d) => {
                c.alter_columns.push(Change::AlterColumn { table: name(), from: oc.clone(), to: col.clone() });
            }
            Some(_) => {}
        }
    }
    for oc in old.columns.iter().filter(|oc| !new.columns.iter().any(|col| same_name(&oc.name, &col.name, d))) {
        if o.destructive {
            c.drop_columns.push(Change::DropColumn { table: name(), column: oc.clone() });
        } else {
            warnings.push(format!(
                "column {}.{} is not in the target; kept (drop it in destructive mode){}",
                new.name,
                oc.name,
                if oc.nullable || oc.default.is_some() {
                    ""
                } else {
                    "; it is NOT NULL without default, so inserts that omit it fail"
                }
            ));
            target.columns.push(oc.clone());
        }
    }
    if !same_names(&old.primary_key, &new.primary_key, d) {
        c.primary_keys.push(Change::AlterPrimaryKey {
            table: name(),
            from: old.primary_key.clone(),
            to: new.primary_key.clone(),
        });
    }
    constraints(old, &mut target, d, c);
    target
}

/// Compares one kind of constraint: `drop` gets what only `old` has, `add` what only `new`
/// has, and `inherit` gives the ones kept the names the database uses.
fn sync<T: Clone>(
    old: &[T],
    new: &mut [T],
    same: impl Fn(&T, &T) -> bool,
    inherit: impl Fn(&mut T, &T),
    mut drop: impl FnMut(T),
    mut add: impl FnMut(T),
) {
    for item in old.iter().filter(|x| !new.iter().any(|y| same(x, y))) {
        drop(item.clone());
    }
    for item in new.iter_mut() {
        match old.iter().find(|x| same(x, item)) {
            Some(kept) => inherit(item, kept),
            None => add(item.clone()),
        }
    }
}

fn constraints(old: &Table, new: &mut Table, d: &dyn Dialect, c: &mut Changes) {
    let t = new.name.clone();
    for u in new.uniques.iter_mut().filter(|u| u.name.is_none()) {
        let cols: Vec<&str> = u.columns.iter().map(String::as_str).collect();
        u.name = Some(constraint_name("uq", &t, &cols));
    }
    let (drops, adds) = (&mut c.drop_other, &mut c.add_other);
    let cols = |a: &[String], b: &[String]| same_names(a, b, d);
    sync(
        &old.uniques,
        &mut new.uniques,
        |a, b| cols(&a.columns, &b.columns),
        |n, o| n.name.clone_from(&o.name),
        |unique| drops.push(Change::DropUnique { table: t.clone(), unique }),
        |unique| adds.push(Change::AddUnique { table: t.clone(), unique }),
    );
    sync(
        &old.indexes,
        &mut new.indexes,
        |a, b| cols(&a.columns, &b.columns),
        |n, o| n.name.clone_from(&o.name),
        |index| drops.push(Change::DropIndex { table: t.clone(), index }),
        |index| adds.push(Change::AddIndex { table: t.clone(), index }),
    );
    sync(
        &old.checks,
        &mut new.checks,
        same_check,
        |_, _| {},
        |check| drops.push(Change::DropCheck { table: t.clone(), check }),
        |check| adds.push(Change::AddCheck { table: t.clone(), check }),
    );
    let (drops, adds) = (&mut c.drop_keys, &mut c.add_keys);
    sync(
        &old.foreign_keys,
        &mut new.foreign_keys,
        |a, b| same_foreign_key(a, b, d),
        |n, o| n.name.clone_from(&o.name),
        |foreign_key| drops.push(Change::DropForeignKey { table: t.clone(), foreign_key }),
        |foreign_key| adds.push(Change::AddForeignKey { table: t.clone(), foreign_key }),
    );
}
