//! The two tables every fault test writes: rows with a unique key and the group (transaction
//! or bulk insert) they belong to, and one counter row per task.

use kakaorm::prelude::*;

/// One written row. `k` is unique per operation; `grp` names the transaction or bulk insert
/// that wrote it (0 for a single autocommit insert) and `size` how many rows that group has,
/// so a partial group shows in the table itself.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "fault_entries")]
pub struct Entry {
    pub id: i64,
    #[kakaorm(unique)]
    pub k: i64,
    #[kakaorm(index)]
    pub grp: i64,
    pub size: i32,
    #[kakaorm(index)]
    pub task: i32,
}

/// A counter per task, incremented with `n = n + 1`.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "fault_counters")]
pub struct Counter {
    pub id: i64,
    #[kakaorm(unique)]
    pub task: i32,
    pub n: i64,
}

/// Creates both tables and one counter row (at 0) for each of `tasks` tasks.
pub async fn schema(db: &Db, tasks: i32) -> kakaorm::Result<()> {
    db.create_tables::<(Entry, Counter)>().await?;
    Counter::bulk_create((0..tasks).map(|t| Counter::create().task(t).n(0)), db).await?;
    Ok(())
}

/// The insert of one row.
pub fn entry(k: i64, grp: i64, size: i32, task: i32) -> <Entry as Model>::Create {
    Entry::create().k(k).grp(grp).size(size).task(task)
}

/// The statement that increments the counter of `task` (an integer, never user input).
pub fn increment_sql(task: i32) -> String {
    format!("UPDATE fault_counters SET n = n + 1 WHERE task = {task}")
}
