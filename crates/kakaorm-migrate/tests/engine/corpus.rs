//! A randomized corpus: seeded random sequences of schema changes on every backend. After
//! each step's UP, a fresh diff against the database is empty; after its DOWN, the
//! database equals the schema before; the rows present before survive both (table
//! rebuilds included); then UP runs again and the sequence goes on.

use kakaorm::schema::ReferentialAction;
use kakaorm::{ColumnType, Db, Executor, Result};
use kakaorm_migrate::schema::{Check, Column, ColumnDefault, ForeignKey, Index, Schema, Table, Unique};
use kakaorm_migrate::{DiffOptions, Rename, apply};

use crate::conformance;
use crate::support::{assert_schema, id, up};

/// Sequences per backend.
const SEQUENCES: u64 = 50;
/// Changes per sequence.
const STEPS: usize = 4;
/// Rows seeded in every table.
const ROWS: usize = 3;

/// SplitMix64: small, seeded, and good enough to pick changes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() { None } else { items.get(self.below(items.len())) }
    }
}

/// A sequence's state: the schema and a counter for fresh names.
struct World {
    rng: Rng,
    schema: Schema,
    names: usize,
    /// How many times each kind of change was made.
    seen: [usize; KINDS],
}

/// The kinds of change: add/drop table, add/drop/alter column, add/drop index, unique,
/// foreign key and check, rename, primary key.
const KINDS: usize = 15;

/// What a step did, for the diff options and the row checks.
#[derive(Default)]
struct Step {
    renames: Vec<Rename>,
    destructive: bool,
    dropped_table: Option<String>,
}

const FAMILIES: [&[ColumnType]; 3] = [
    &[ColumnType::Integer, ColumnType::BigInt],
    &[ColumnType::Varchar(40), ColumnType::Varchar(80)],
    &[ColumnType::Boolean],
];

impl World {
    fn fresh(&mut self, prefix: &str) -> String {
        self.names += 1;
        format!("{prefix}{}", self.names)
    }

    /// A random column for a table that may hold rows: nullable, with a default, or NOT
    /// NULL without one (filled by the plan).
    fn column(&mut self) -> Column {
        let name = self.fresh("c");
        let ty = match self.rng.below(6) {
            0 => ColumnType::Integer,
            1 => ColumnType::BigInt,
            2 => ColumnType::Varchar(40),
            3 => ColumnType::Boolean,
            4 => ColumnType::Double,
            _ => ColumnType::TimestampTz,
        };
        let mut c = Column::new(name, ty).nullable(self.rng.chance(2));
        c.default = match (ty, self.rng.chance(2)) {
            (_, false) | (ColumnType::TimestampTz, _) => None,
            (ColumnType::Varchar(_), _) => Some(ColumnDefault::Str(format!("d{}", self.rng.below(9)))),
            (ColumnType::Boolean, _) => Some(ColumnDefault::Bool(self.rng.chance(2))),
            (ColumnType::Double, _) => Some(ColumnDefault::Float(0.5)),
            _ => Some(ColumnDefault::Int(i64::try_from(self.rng.below(9)).unwrap_or(0))),
        };
        c.auto_now_add = ty == ColumnType::TimestampTz && !c.nullable;
        c
    }

    /// A table with an id, a distinct `code` per row, and a couple of columns new rows
    /// need not set.
    fn table(&mut self) -> Table {
        let mut t = Table::new(self.fresh("t"));
        t.columns = vec![id(), Column::new("code", ColumnType::Varchar(40))];
        t.primary_key = vec!["id".into()];
        for _ in 0..=self.rng.below(2) {
            let mut c = self.column();
            c.nullable = true;
            c.auto_now_add = false;
            t.columns.push(c);
        }
        t
    }

    fn table_index(&mut self) -> usize {
        self.rng.below(self.schema.tables.len())
    }

    /// A random table that `has` something to drop.
    fn table_with(&mut self, has: fn(&Table) -> bool) -> Option<usize> {
        let found: Vec<usize> = (0..self.schema.tables.len()).filter(|i| has(&self.schema.tables[*i])).collect();
        self.rng.pick(&found).copied()
    }

    /// A table keyed by its data rather than an auto-increment id: `code`, then `part`
    /// (whose key changes between `(code)` and `(code, part)`).
    fn keyed_table(&mut self) -> Table {
        let mut t = Table::new(self.fresh("k"));
        t.columns = vec![
            Column::new("code", ColumnType::Varchar(40)),
            Column::new("part", ColumnType::Integer).default(Some(ColumnDefault::Int(0))),
        ];
        t.primary_key = vec!["code".into()];
        t
    }

    /// The tables a foreign key may refer to (by their `id`).
    fn with_id(&self) -> Vec<String> {
        self.schema.tables.iter().filter(|t| t.column("id").is_some()).map(|t| t.name.clone()).collect()
    }

    /// Columns a change may alter, index, rename or drop: not the key, not `code`, not a
    /// foreign key.
    fn free_columns(t: &Table) -> Vec<String> {
        t.columns
            .iter()
            .filter(|c| {
                c.name != "id"
                    && c.name != "code"
                    && !t.primary_key.contains(&c.name)
                    && !t.foreign_keys.iter().any(|f| f.columns.contains(&c.name))
            })
            .map(|c| c.name.clone())
            .collect()
    }

    fn referenced(&self, name: &str) -> bool {
        self.schema.tables.iter().any(|t| t.name != name && t.foreign_keys.iter().any(|f| f.ref_table == name))
    }

    /// Applies one random change to the schema.
    fn change(&mut self) -> Step {
        loop {
            let kind = self.rng.below(KINDS);
            if let Some(step) = self.try_change(kind) {
                self.seen[kind] += 1;
                return step;
            }
        }
    }

    fn try_change(&mut self, kind: usize) -> Option<Step> {
        let ti = self.table_index();
        let mut step = Step::default();
        match kind {
            0 => {
                let mut t = self.table();
                if let Some(target) = self.rng.pick(&self.with_id()).cloned() {
                    let col = format!("ref_{}", self.fresh("r"));
                    t.columns.push(Column::new(col.clone(), ColumnType::BigInt).nullable(true));
                    let fk =
                        ForeignKey::new(Some(format!("fk_{}_{col}", t.name)), vec![col], target, vec!["id".into()]);
                    t.foreign_keys.push(fk.actions(ReferentialAction::SetNull, ReferentialAction::NoAction));
                }
                self.schema.tables.push(t);
            }
            1 => {
                let name = self.schema.tables[ti].name.clone();
                if self.schema.tables.len() < 2 || self.referenced(&name) {
                    return None;
                }
                self.schema.tables.remove(ti);
                step.destructive = true;
                step.dropped_table = Some(name);
            }
            2 => {
                let c = self.column();
                self.schema.tables[ti].columns.push(c);
            }
            3 => {
                let t = &self.schema.tables[ti];
                let name = self.rng.pick(&Self::free_columns(t))?.clone();
                let t = &mut self.schema.tables[ti];
                t.columns.retain(|c| c.name != name);
                t.indexes.retain(|i| !i.columns.contains(&name));
                t.uniques.retain(|u| !u.columns.contains(&name));
                // One drop in three is left to a warning: the column stays (the diff's target).
                step.destructive = !self.rng.chance(3);
            }
            4 => self.alter(ti)?,
            5 => {
                let t = &self.schema.tables[ti];
                let indexable: Vec<String> = Self::free_columns(t)
                    .into_iter()
                    .filter(|c| t.column(c).is_some_and(|c| c.ty != ColumnType::Text))
                    .collect();
                let mut cols: Vec<String> = self.rng.pick(&indexable).cloned().into_iter().collect();
                if let Some(second) = self.rng.pick(&indexable).filter(|s| !cols.contains(s)) {
                    cols.push(second.clone());
                }
                if cols.is_empty() || t.indexes.iter().any(|i| i.columns == cols) {
                    // Nothing new to index: add a column with its index.
                    let c = Column::new(self.fresh("c"), ColumnType::Integer).nullable(true);
                    cols = vec![c.name.clone()];
                    self.schema.tables[ti].columns.push(c);
                }
                let name = format!("idx_{}", self.fresh("i"));
                self.schema.tables[ti].indexes.push(Index::new(name, cols));
            }
            6 => {
                let ti = self.table_with(|t| !t.indexes.is_empty())?;
                self.schema.tables[ti].indexes.pop()?;
            }
            7 => {
                let t = &self.schema.tables[ti];
                let mut cols = vec!["code".to_owned()];
                let free = Self::free_columns(t);
                if let Some(c) = self.rng.pick(&free).filter(|c| t.column(c).is_some_and(|c| c.ty != ColumnType::Text))
                {
                    cols.push(c.clone());
                }
                // A unique constraint on the key's own columns is redundant (SQLite does not
                // keep it apart from the key).
                if t.uniques.iter().any(|u| u.columns == cols) || t.primary_key == cols {
                    return None;
                }
                let name = format!("uq_{}", self.fresh("u"));
                self.schema.tables[ti].uniques.push(Unique::new(Some(name), cols));
            }
            8 => {
                let ti = self.table_with(|t| !t.uniques.is_empty())?;
                self.schema.tables[ti].uniques.pop()?;
            }
            9 => {
                let target = self.rng.pick(&self.with_id())?.clone();
                let col = format!("ref_{}", self.fresh("r"));
                let action = *self.rng.pick(&[
                    ReferentialAction::SetNull,
                    ReferentialAction::Cascade,
                    ReferentialAction::NoAction,
                ])?;
                let t = &mut self.schema.tables[ti];
                t.columns.push(Column::new(col.clone(), ColumnType::BigInt).nullable(true));
                let fk = ForeignKey::new(Some(format!("fk_{}_{col}", t.name)), vec![col], target, vec!["id".into()]);
                t.foreign_keys.push(fk.actions(action, ReferentialAction::NoAction));
            }
            10 => {
                let ti = self.table_with(|t| !t.foreign_keys.is_empty())?;
                self.schema.tables[ti].foreign_keys.pop()?;
            }
            11 => {
                let name = format!("ck_{}", self.fresh("k"));
                self.schema.tables[ti].checks.push(Check::new(name, "code <> ''"));
            }
            12 => {
                let ti = self.table_with(|t| !t.checks.is_empty())?;
                self.schema.tables[ti].checks.pop()?;
            }
            13 => return self.rename(ti),
            _ => {
                // The primary key grows to `(code, part)` or shrinks back to `(code)`.
                let ti = self.table_with(|t| t.column("part").is_some() && t.column("id").is_none())?;
                let t = &mut self.schema.tables[ti];
                let mut key = t.primary_key.clone();
                match key.len() {
                    1 => key.push("part".into()),
                    _ => key.truncate(1),
                }
                if t.uniques.iter().any(|u| u.columns == key) {
                    return None;
                }
                t.primary_key = key;
            }
        }
        Some(step)
    }

    /// Changes a column's type within its family, relaxes NOT NULL, or changes its default.
    fn alter(&mut self, ti: usize) -> Option<()> {
        let t = &self.schema.tables[ti];
        let name = self.rng.pick(&Self::free_columns(t))?.clone();
        let what = self.rng.below(3);
        let fresh_default = format!("e{}", self.rng.below(9));
        let t = &mut self.schema.tables[ti];
        let c = t.columns.iter_mut().find(|c| c.name == name)?;
        let family = FAMILIES.iter().find(|f| f.contains(&c.ty))?;
        match what {
            0 => c.ty = *family.iter().find(|t| **t != c.ty)?,
            1 if !c.nullable => c.nullable = true,
            _ => {
                c.default = match (c.default.is_some(), c.ty) {
                    (true, _) => None,
                    (false, ColumnType::Varchar(_)) => Some(ColumnDefault::Str(fresh_default)),
                    (false, ColumnType::Boolean) => Some(ColumnDefault::Bool(true)),
                    (false, _) => Some(ColumnDefault::Int(5)),
                };
            }
        }
        // A family's other type may differ in the default's spelling only; keep it valid.
        if let (ColumnType::Boolean, Some(ColumnDefault::Int(_))) = (c.ty, &c.default) {
            c.default = Some(ColumnDefault::Bool(false));
        }
        Some(())
    }

    /// Renames a free column, or a table, confirmed.
    fn rename(&mut self, ti: usize) -> Option<Step> {
        let mut step = Step::default();
        if self.rng.chance(2) {
            let old = self.schema.tables[ti].name.clone();
            let new = self.fresh("t");
            self.schema.tables[ti].name.clone_from(&new);
            for fk in self.schema.tables.iter_mut().flat_map(|t| t.foreign_keys.iter_mut()) {
                if fk.ref_table == old {
                    fk.ref_table.clone_from(&new);
                }
            }
            step.renames.push(Rename::table(old, new));
            return Some(step);
        }
        let old = self.rng.pick(&Self::free_columns(&self.schema.tables[ti]))?.clone();
        let new = self.fresh("c");
        let t = &mut self.schema.tables[ti];
        let fix = |cols: &mut Vec<String>| cols.iter_mut().filter(|c| **c == old).for_each(|c| c.clone_from(&new));
        t.columns.iter_mut().filter(|c| c.name == old).for_each(|c| c.name.clone_from(&new));
        t.indexes.iter_mut().for_each(|i| fix(&mut i.columns));
        t.uniques.iter_mut().for_each(|u| fix(&mut u.columns));
        step.renames.push(Rename::column(t.name.clone(), old, new));
        Some(step)
    }
}

/// The `code` values of each table, sorted, by table name.
async fn rows<'a>(db: &Db, tables: impl Iterator<Item = &'a str>) -> Result<Vec<(String, Vec<String>)>> {
    let mut out = Vec::new();
    for t in tables {
        let mut sql = String::from("SELECT code FROM ");
        db.dialect().quote_ident(&mut sql, t);
        sql.push_str(" ORDER BY code");
        out.push((t.to_owned(), db.fetch_raw(&sql, vec![]).await?));
    }
    out.sort();
    Ok(out)
}

async fn seed(db: &Db, t: &Table, seq: u64) -> Result<()> {
    for r in 0..ROWS {
        let mut sql = String::from("INSERT INTO ");
        db.dialect().quote_ident(&mut sql, &t.name);
        sql.push_str(&format!(" (code) VALUES ('s{seq}r{r}')"));
        kakaorm::execute_ddl(&sql, db).await?;
    }
    Ok(())
}

/// The rows expected after a step: those before, under renamed table names, less a
/// dropped table's.
fn after(before: &[(String, Vec<String>)], step: &Step) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = before
        .iter()
        .filter(|(t, _)| step.dropped_table.as_deref() != Some(t.as_str()))
        .map(|(t, r)| {
            let name = step.renames.iter().find_map(|rn| match rn {
                Rename::Table { from, to } if from == t => Some(to.clone()),
                _ => None,
            });
            (name.unwrap_or_else(|| t.clone()), r.clone())
        })
        .collect();
    out.sort();
    out
}

async fn sequence(db: &Db, seq: u64, seen: &mut [usize; KINDS]) -> Result<()> {
    let d = db.dialect();
    let mut w =
        World { rng: Rng(seq.wrapping_mul(7919) ^ 0x5EED), schema: Schema::default(), names: 0, seen: [0; KINDS] };
    for n in 0..2 {
        let mut t = w.table();
        // Something of each kind to drop or change: a unique key, a check, an index, and a
        // foreign key from the second table to the first.
        t.uniques.push(Unique::new(Some(format!("uq_{}_code", t.name)), vec!["code".into()]));
        t.checks.push(Check::new(format!("ck_{}_code", t.name), "code <> ''"));
        let first = t.columns[2].name.clone();
        t.indexes.push(Index::new(format!("idx_{}_{first}", t.name), vec![first]));
        if let (1, Some(parent)) = (n, w.schema.tables.first()) {
            let fk = ForeignKey::new(
                Some(format!("fk_{}_parent", t.name)),
                vec!["parent".into()],
                parent.name.clone(),
                vec!["id".into()],
            );
            t.columns.push(Column::new("parent", ColumnType::BigInt).nullable(true));
            t.foreign_keys.push(fk.actions(ReferentialAction::Cascade, ReferentialAction::NoAction));
        }
        w.schema.tables.push(t);
    }
    // A table keyed by its data, with a foreign key of its own to the first table.
    let mut keyed = w.keyed_table();
    let parent = w.schema.tables[0].name.clone();
    keyed.columns.push(Column::new("owner", ColumnType::BigInt).nullable(true));
    let fk = ForeignKey::new(Some(format!("fk_{}_owner", keyed.name)), vec!["owner".into()], parent, vec!["id".into()]);
    keyed.foreign_keys.push(fk.actions(ReferentialAction::SetNull, ReferentialAction::NoAction));
    w.schema.tables.push(keyed);
    let all = DiffOptions::new(d).destructive(true);
    up(db, &Schema::default(), &w.schema, &all).await?;
    for t in &w.schema.tables {
        seed(db, t, seq).await?;
    }
    for n in 0..STEPS {
        let ctx = |what: &str| format!("sequence {seq} step {n}: {what}");
        let before = w.schema.clone();
        let step = w.change();
        let options = step
            .renames
            .iter()
            .cloned()
            .fold(DiffOptions::new(d).destructive(step.destructive), DiffOptions::confirm_rename);
        let names = || before.tables.iter().map(|t| t.name.as_str());
        let rows_before = rows(db, names()).await?;
        let (diff, plan) = up(db, &before, &w.schema, &options)
            .await
            .map_err(|e| kakaorm::Error::new(e.kind(), ctx(&e.to_string())))?;
        assert_schema(db, diff.target(), &ctx(&format!("after up\n{diff}"))).await?;
        let expected = after(&rows_before, &step);
        let rows_up = rows(db, expected.iter().map(|(t, _)| t.as_str())).await?;
        assert_eq!(rows_up, expected, "{}", ctx("rows after up"));
        apply(&plan.down, db).await.map_err(|e| kakaorm::Error::new(e.kind(), ctx(&format!("down: {e}\n{diff}"))))?;
        assert_schema(db, &before, &ctx(&format!("after down\n{diff}"))).await?;
        if step.dropped_table.is_none() {
            let rows_down = rows(db, names()).await?;
            assert_eq!(rows_down, rows_before, "{}", ctx("rows after down"));
        }
        apply(&plan.up, db).await?;
        w.schema = diff.target().clone();
        if let Some(created) = w.schema.tables.iter().find(|t| {
            before.table(&t.name).is_none()
                && !step.renames.iter().any(|r| matches!(r, Rename::Table { to, .. } if *to == t.name))
        }) {
            seed(db, created, seq).await?;
        }
    }
    up(db, &w.schema, &Schema::default(), &all).await?;
    seen.iter_mut().zip(w.seen).for_each(|(a, b)| *a += b);
    assert_schema(db, &Schema::default(), &format!("sequence {seq}: teardown")).await
}

conformance! {
    async fn random_sequences_apply_revert_and_keep_rows(db: Db) -> Result<()> {
        let mut seen = [0; KINDS];
        for seq in 0..SEQUENCES {
            sequence(&db, seq, &mut seen).await?;
        }
        // Every kind of change was made several times.
        assert!(seen.iter().all(|n| *n >= 5), "changes made per kind: {seen:?}");
        Ok(())
    }
}
