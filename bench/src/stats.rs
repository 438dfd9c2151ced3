//! Per-cell statistics: per-round ratios to the fastest raw floor, medians and IQRs.

use crate::cells::CellResult;
use crate::contenders::Spec;

/// The q-quantile (0..=1) of `v` with linear interpolation.
pub fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let pos = q * (s.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    s[lo] + (s[hi] - s[lo]) * (pos - lo as f64)
}

const MIB: f64 = 1024.0 * 1024.0;

#[derive(Debug, Clone, Copy)]
pub struct Spread {
    pub median: f64,
    pub q1: f64,
    pub q3: f64,
}

impl Spread {
    pub fn of(v: &[f64]) -> Spread {
        Spread { median: quantile(v, 0.5), q1: quantile(v, 0.25), q3: quantile(v, 0.75) }
    }

    /// Whether two interquartile ranges are disjoint (the only case we call a difference).
    pub fn separate(&self, other: &Spread) -> bool {
        self.q3 < other.q1 || other.q3 < self.q1
    }
}

pub struct Row {
    pub contender: Spec,
    pub ratio: Spread,
    /// Per-round ratios, kept to compare contenders round by round.
    pub ratios: Vec<f64>,
    pub abs_us: f64,
    pub cpu_us: f64,
    pub allocs: f64,
    /// Median high-water mark of live heap over a batch, MiB above the heap at its start.
    pub peak_mib: f64,
    /// Median per-round difference to the floor, µs per op.
    pub delta_us: f64,
}

pub struct Versus {
    pub peer: &'static str,
    pub ratio: Spread,
    /// `Some(true)` faster, `Some(false)` slower, `None` IQRs overlap.
    pub faster: Option<bool>,
}

pub struct CellStats<'a> {
    pub cell: &'a CellResult,
    pub rows: Vec<Row>,
    /// kakaorm ÷ the peer with the lowest median ratio.
    pub vs_best_peer: Option<Versus>,
}

impl Row {
    pub fn name(&self) -> &'static str {
        self.contender.name
    }
}

pub fn cell_stats(cell: &CellResult) -> CellStats<'_> {
    let ops = cell.ops as f64;
    let rounds = cell.series.first().map_or(0, |s| s.samples.len());
    let floor: Vec<f64> = (0..rounds)
        .map(|r| {
            cell.series
                .iter()
                .filter(|s| s.contender.is_raw())
                .map(|s| s.samples[r].wall_ns as f64 / ops)
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    let rows: Vec<Row> = cell
        .series
        .iter()
        .map(|s| {
            let per_op: Vec<f64> = s.samples.iter().map(|x| x.wall_ns as f64 / ops).collect();
            let ratios: Vec<f64> = per_op.iter().zip(&floor).map(|(a, f)| a / f).collect();
            let deltas: Vec<f64> = per_op.iter().zip(&floor).map(|(a, f)| (a - f) / 1000.0).collect();
            let cpu: Vec<f64> = s.samples.iter().map(|x| x.cpu_ns as f64 / ops / 1000.0).collect();
            let allocs: Vec<f64> = s.samples.iter().map(|x| x.allocs as f64 / ops).collect();
            let peaks: Vec<f64> = s.samples.iter().map(|x| x.peak_heap as f64 / MIB).collect();
            Row {
                contender: s.contender,
                ratio: Spread::of(&ratios),
                ratios,
                abs_us: quantile(&per_op, 0.5) / 1000.0,
                cpu_us: quantile(&cpu, 0.5),
                allocs: quantile(&allocs, 0.5),
                peak_mib: quantile(&peaks, 0.5),
                delta_us: quantile(&deltas, 0.5),
            }
        })
        .collect();
    let vs_best_peer = versus_best_peer(&rows);
    CellStats { cell, rows, vs_best_peer }
}

fn versus_best_peer(rows: &[Row]) -> Option<Versus> {
    let k = rows.iter().find(|r| r.contender.is_kakaorm())?;
    let best =
        rows.iter().filter(|r| r.contender.is_peer()).min_by(|a, b| a.ratio.median.total_cmp(&b.ratio.median))?;
    let per_round: Vec<f64> = k.ratios.iter().zip(&best.ratios).map(|(a, b)| a / b).collect();
    let faster = k.ratio.separate(&best.ratio).then_some(k.ratio.median < best.ratio.median);
    Some(Versus { peer: best.name(), ratio: Spread::of(&per_round), faster })
}
