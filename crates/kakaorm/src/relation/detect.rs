//! The N+1 detector: a warning when one task loads the same relation one row at a time
//! again and again, where one prefetch with the query would have done.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// Who loads: a tokio task, or a thread outside any task (`block_on`'s future).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Loader {
    Task(tokio::task::Id),
    Thread(std::thread::ThreadId),
}

impl Loader {
    fn current() -> Loader {
        tokio::task::try_id().map_or_else(|| Loader::Thread(std::thread::current().id()), Loader::Task)
    }
}

/// Counters kept at most this long before they start again (tasks that ended leave theirs).
const MAX_COUNTERS: usize = 4096;

/// Counts single-row loads per task and relation, for one pool.
#[derive(Debug)]
pub(crate) struct NPlusOne {
    threshold: u32,
    counts: Mutex<HashMap<(Loader, &'static str, &'static str), u32, foldhash::fast::RandomState>>,
}

impl NPlusOne {
    pub(crate) fn new(threshold: u32) -> Self {
        NPlusOne { threshold, counts: Mutex::default() }
    }

    /// Records that the current task loaded `relation` of one `model` row; the load that
    /// takes it past the threshold logs one warning.
    pub(crate) fn single_load(&self, model: &'static str, relation: &'static str) {
        let loads = {
            let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
            if counts.len() >= MAX_COUNTERS {
                counts.clear();
            }
            let n = counts.entry((Loader::current(), model, relation)).or_insert(0);
            *n = n.saturating_add(1);
            *n
        };
        if loads == self.threshold.saturating_add(1) {
            tracing::warn!(
                target: "kakaorm::n_plus_one",
                model,
                relation,
                loads,
                "N+1: `{relation}` of `{model}` was loaded one row at a time {loads} times in this task; \
                 prefetch it with the query instead (`.prefetch({model}::{relation})`)"
            );
        }
    }
}
