//! Backends, workloads and one job (a batch of operations of one cell).

use std::fmt;
use std::str::FromStr;

/// A database backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Backend {
    Sqlite,
    Postgres,
    Mysql,
}

impl Backend {
    pub const ALL: [Backend; 3] = [Backend::Sqlite, Backend::Postgres, Backend::Mysql];

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Backend {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "pg" => Ok(Backend::Postgres),
            "mysql" | "mariadb" => Ok(Backend::Mysql),
            _ => Err(format!("unknown backend `{s}` (sqlite, postgres, mysql)")),
        }
    }
}

/// What one operation does. See `bench/README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Workload {
    SelectAll,
    GetByPk,
    InsertOne,
    BulkInsert,
    UpdateByPk,
    MediumJoin,
    Aggregate,
    EagerLoad,
    EagerLoadNested,
    Concurrent,
    BulkUpdate,
    Stream1m,
}

impl Workload {
    pub const ALL: [Workload; 12] = [
        Workload::SelectAll,
        Workload::GetByPk,
        Workload::InsertOne,
        Workload::BulkInsert,
        Workload::UpdateByPk,
        Workload::MediumJoin,
        Workload::Aggregate,
        Workload::EagerLoad,
        Workload::EagerLoadNested,
        Workload::Concurrent,
        Workload::BulkUpdate,
        Workload::Stream1m,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Workload::SelectAll => "select_all",
            Workload::GetByPk => "get_by_pk",
            Workload::InsertOne => "insert_one",
            Workload::BulkInsert => "bulk_insert",
            Workload::UpdateByPk => "update_by_pk",
            Workload::MediumJoin => "medium_join",
            Workload::Aggregate => "aggregate",
            Workload::EagerLoad => "eager_load",
            Workload::EagerLoadNested => "eager_load_nested",
            Workload::Concurrent => "concurrent",
            Workload::BulkUpdate => "bulk_update",
            Workload::Stream1m => "stream_1m",
        }
    }

    /// Whether one operation is a whole batch: each is large enough to time alone, and
    /// the orchestrator resets or checks a table around every command.
    pub fn one_op_per_batch(self) -> bool {
        matches!(self, Workload::BulkInsert | Workload::BulkUpdate | Workload::Stream1m)
    }

    /// Whether the orchestrator empties `wusers` before each command.
    pub fn writes_wusers(self) -> bool {
        matches!(self, Workload::InsertOne | Workload::BulkInsert)
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Workload {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Workload::ALL.into_iter().find(|w| w.name() == s).ok_or_else(|| format!("unknown workload `{s}`"))
    }
}

/// One command: run `ops` operations of `workload` at size `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Job {
    pub workload: Workload,
    pub n: usize,
    pub ops: usize,
    /// Distinguishes the values an `update_by_pk` or `bulk_update` command writes from
    /// earlier commands.
    pub generation: u64,
}

impl Job {
    pub fn to_line(&self) -> String {
        format!("run {} {} {} {}", self.workload, self.n, self.ops, self.generation)
    }

    pub fn parse(line: &str) -> Result<Job, String> {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [_, w, n, ops, generation] = parts[..] else { return Err(format!("bad command `{line}`")) };
        let num = |s: &str| s.parse::<u64>().map_err(|e| format!("bad number `{s}`: {e}"));
        Ok(Job { workload: w.parse()?, n: num(n)? as usize, ops: num(ops)? as usize, generation: num(generation)? })
    }
}
