//! The cells of a run and the protocol of measuring one: warm up, calibrate, rounds.

use std::time::{Duration, Instant};

use protocol::{Backend, Job, Sample, Workload, shuffle};

use crate::admin::Admin;
use crate::contenders::Spec;
use crate::quiet;
use crate::worker::{Reply, Worker};

#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub rounds: usize,
    /// Wall time a batch of the calibration floor should take.
    pub target_ns: u64,
    pub seed: u64,
    pub quick: bool,
    /// Longest wait for a quiet machine before a round.
    pub max_wait: Duration,
}

/// Rows `stream_1m` reads (and `susers` holds when that cell runs).
pub fn stream_rows(quick: bool) -> usize {
    if quick { 100_000 } else { 1_000_000 }
}

/// Rounds of `stream_1m`: each of its operations reads the whole table (about a second
/// per contender at full size), so it runs at most this many rounds.
pub const STREAM_ROUNDS: usize = 7;

/// The `(workload, n)` cells of a run.
pub fn cells(quick: bool) -> Vec<(Workload, usize)> {
    let (big, rel) = if quick { (1_000, 100) } else { (10_000, 1_000) };
    vec![
        (Workload::SelectAll, 1),
        (Workload::SelectAll, 100),
        (Workload::SelectAll, big),
        (Workload::GetByPk, protocol::KEY_SEQUENCE),
        (Workload::InsertOne, 1),
        (Workload::BulkInsert, big),
        (Workload::UpdateByPk, protocol::KEY_SEQUENCE),
        (Workload::MediumJoin, rel),
        (Workload::Aggregate, rel),
        (Workload::EagerLoad, rel),
        (Workload::EagerLoadNested, rel),
        (Workload::Concurrent, protocol::TASKS),
        (Workload::BulkUpdate, big),
        (Workload::Stream1m, stream_rows(quick)),
    ]
}

/// What one contender did in one cell.
pub struct Series {
    pub contender: Spec,
    pub samples: Vec<Sample>,
}

pub struct CellResult {
    pub backend: Backend,
    pub workload: Workload,
    pub n: usize,
    pub ops: usize,
    pub series: Vec<Series>,
    /// Contenders that answered `unsupported`, with their reason.
    pub missing: Vec<(Spec, String)>,
    pub seconds: f64,
    /// Seconds spent waiting for a quiet machine, and rounds measured on a busy one.
    pub waited: f64,
    pub busy_rounds: usize,
}

pub struct Runner<'a> {
    pub rt: &'a tokio::runtime::Runtime,
    pub admin: &'a mut Admin,
    pub workers: &'a mut [Worker],
    pub specs: &'a [Spec],
    pub settings: Settings,
    pub generation: u64,
}

impl Runner<'_> {
    /// Runs one command on worker `w`, resetting and checking write tables around it.
    fn run_one(&mut self, w: usize, workload: Workload, n: usize, ops: usize) -> Result<Reply, String> {
        self.generation += 1;
        let job = Job { workload, n, ops, generation: self.generation };
        let name = self.specs[w].name;
        if workload.writes_wusers() {
            self.rt.block_on(self.admin.reset_wusers(name))?;
        }
        if workload == Workload::BulkUpdate {
            self.rt.block_on(self.admin.reset_busers(name))?;
        }
        let reply = self.workers[w].run(&job)?;
        if let Reply::Done(_) = reply {
            self.verify_table(name, &job)?;
        }
        Ok(reply)
    }

    fn verify_table(&mut self, name: &str, job: &Job) -> Result<(), String> {
        if job.workload == Workload::BulkUpdate {
            return self.verify_bulk_update(name, job);
        }
        let (prefix, rows) = match job.workload {
            Workload::BulkInsert => ("Bulk ", job.n * job.ops),
            Workload::InsertOne => (protocol::NEW_NAME, job.ops),
            _ => return Ok(()),
        };
        let (count, sum, named) = self.rt.block_on(self.admin.wusers_state(name, prefix))?;
        let rows = rows as i64;
        // Bulk commands run one operation (see `calibrate`), so ids are 1..=rows either way.
        let want = (rows, rows * (rows + 1) / 2, rows);
        if (count, sum, named) != want {
            return Err(format!(
                "{name} {} n={}: wusers holds (rows, id sum, matching names) {:?}, expected {want:?}",
                job.workload,
                job.n,
                (count, sum, named)
            ));
        }
        Ok(())
    }

    /// After `bulk_update`: rows 1..=n of `busers` hold the values of the command's last
    /// operation, a third of them with a NULL hair colour.
    fn verify_bulk_update(&mut self, name: &str, job: &Job) -> Result<(), String> {
        let last = job.ops.saturating_sub(1);
        let prefix = protocol::bulk_update_prefix(job.generation, last);
        let got = self.rt.block_on(self.admin.busers_state(name, &prefix))?;
        let n = job.n as i64;
        let nulls = (1..=n).filter(|&id| protocol::bulk_update_hair(job.generation, id).is_none()).count() as i64;
        let want = (n, n * (n + 1) / 2, nulls);
        if got != want {
            return Err(format!(
                "{name} bulk_update n={}: busers holds (rows with the new names, their id sum, NULL hair colours) \
                 {got:?}, expected {want:?}",
                job.n
            ));
        }
        Ok(())
    }

    fn sample(&mut self, w: usize, workload: Workload, n: usize, ops: usize) -> Result<Sample, String> {
        match self.run_one(w, workload, n, ops)? {
            Reply::Done(s) => Ok(s),
            Reply::Unsupported(why) => Err(format!("{} stopped supporting {workload}: {why}", self.specs[w].name)),
        }
    }

    /// One batch size for the cell, shared by all contenders: the floor's batch reaches
    /// the target wall time. Bulk inserts and updates and the 1M-row stream are one
    /// operation per batch (the table is reset or checked around each).
    fn calibrate(&mut self, floor: usize, workload: Workload, n: usize) -> Result<usize, String> {
        if workload.one_op_per_batch() {
            return Ok(1);
        }
        let target = self.settings.target_ns;
        let mut ops = 1usize;
        loop {
            let s = self.sample(floor, workload, n, ops)?;
            if s.wall_ns >= target * 9 / 10 || ops >= 1_000_000 {
                return Ok(ops);
            }
            let per_op = (s.wall_ns / ops as u64).max(1);
            let want = (target / per_op) as usize + 1;
            ops = want.clamp(ops * 2, ops * 64).min(1_000_000);
        }
    }

    pub fn run_cell(&mut self, backend: Backend, workload: Workload, n: usize) -> Result<CellResult, String> {
        let started = Instant::now();
        // Warm-up 1: one operation each, which also tells who supports the cell.
        let mut active = Vec::new();
        let mut missing = Vec::new();
        for w in 0..self.workers.len() {
            match self.run_one(w, workload, n, 1)? {
                Reply::Done(_) => active.push(w),
                Reply::Unsupported(why) => missing.push((self.specs[w], why)),
            }
        }
        let floor = *active
            .iter()
            .find(|&&w| self.specs[w].is_raw())
            .ok_or_else(|| format!("no raw floor runs {workload} on {backend}"))?;
        let (mut waited, mut busy_rounds) = (Duration::ZERO, 0);
        let (w, _) = quiet::wait(self.settings.max_wait);
        waited += w;
        let ops = self.calibrate(floor, workload, n)?;
        // Warm-up 2: one full batch each.
        for &w in &active {
            self.sample(w, workload, n, ops)?;
        }
        let mut series: Vec<Series> =
            active.iter().map(|&w| Series { contender: self.specs[w], samples: Vec::new() }).collect();
        let cell_seed = self.settings.seed ^ ((workload as u64) << 32) ^ (n as u64) ^ ((backend as u64) << 48);
        let rounds = match workload {
            Workload::Stream1m => self.settings.rounds.min(STREAM_ROUNDS),
            _ => self.settings.rounds,
        };
        for round in 0..rounds {
            let (w, busy) = quiet::wait(self.settings.max_wait);
            waited += w;
            busy_rounds += usize::from(busy);
            let mut order: Vec<usize> = (0..active.len()).collect();
            shuffle(&mut order, cell_seed.wrapping_add(round as u64 * 0x9E37));
            for i in order {
                let s = self.sample(active[i], workload, n, ops)?;
                series[i].samples.push(s);
            }
        }
        let seconds = (started.elapsed() - waited).as_secs_f64();
        Ok(CellResult {
            backend,
            workload,
            n,
            ops,
            series,
            missing,
            seconds,
            waited: waited.as_secs_f64(),
            busy_rounds,
        })
    }
}
