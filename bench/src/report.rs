//! `latest.md` and `latest.json`.

use std::fmt::Write as _;

use protocol::{Backend, Workload};
use serde_json::{Value, json};

use crate::cells::{CellResult, Settings};
use crate::stats::{CellStats, Row, Spread, cell_stats};

pub struct Meta {
    pub commit: String,
    pub date: String,
    pub settings: Settings,
    pub cpu: String,
    pub kernel: String,
    pub rustc: String,
    pub servers: Vec<(Backend, String)>,
    pub crates: Vec<(String, Vec<String>)>,
    pub wall_seconds: f64,
}

fn f(v: f64) -> String {
    if !v.is_finite() {
        "–".into()
    } else if v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else if v.abs() >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

fn verdict(faster: Option<bool>) -> &'static str {
    match faster {
        Some(true) => "faster",
        Some(false) => "**slower**",
        None => "same (IQRs overlap)",
    }
}

fn header(out: &mut String, meta: &Meta, cells: &[CellResult]) {
    let s = &meta.settings;
    let mode = if s.quick { "quick (1/10 sizes)" } else { "full" };
    let _ = writeln!(out, "# kakaorm benchmark: {mode} run\n");
    let _ = writeln!(out, "- date: {}", meta.date);
    let _ = writeln!(out, "- kakaorm commit: `{}`", meta.commit);
    let _ = writeln!(
        out,
        "- settings: {} rounds per cell, contenders in seeded random order each round (seed {:#x}); one batch size \
         per cell, calibrated so the first raw floor's batch takes ≥ {:.0} ms; bulk insert, bulk update and \
         stream_1m = 1 operation per batch, stream_1m at most {} rounds; \
         single connection, tokio current_thread runtime, one worker process per contender",
        s.rounds,
        s.seed,
        s.target_ns as f64 / 1e6,
        crate::cells::STREAM_ROUNDS
    );
    let _ = writeln!(
        out,
        "- durability excluded: PostgreSQL sessions run with `synchronous_commit = off`, MariaDB with \
         `innodb_flush_log_at_trx_commit = 2` for the run, SQLite files live on tmpfs (WAL, `synchronous = NORMAL`)"
    );
    let _ = writeln!(
        out,
        "- transport: every contender reaches PostgreSQL and MariaDB over TCP on 127.0.0.1 (mysql_async's \
         `prefer_socket`, which would move raw-mysql-async and diesel-async to the server's Unix socket, is off)"
    );
    let _ = writeln!(out, "- machine: {}; {}; {}", meta.cpu, meta.kernel, meta.rustc);
    for (b, v) in &meta.servers {
        let _ = writeln!(out, "- {b} server: {v}");
    }
    let crates: Vec<String> = meta.crates.iter().map(|(c, v)| format!("{c} {}", v.join("/"))).collect();
    let _ = writeln!(out, "- crates: {}", crates.join(", "));
    let total: f64 = cells.iter().map(|c| c.seconds).sum();
    let waited: f64 = cells.iter().map(|c| c.waited).sum();
    let busy: usize = cells.iter().map(|c| c.busy_rounds).sum();
    let _ = writeln!(
        out,
        "- quiet machine: before calibration and before every round the orchestrator waits until no compiler runs \
         and other processes use < 15% of the CPUs; waited {waited:.0} s in all; rounds measured on a busy machine \
         after {} s of waiting: {busy}",
        s.max_wait.as_secs()
    );
    let _ = writeln!(
        out,
        "- time: {:.0} s measuring cells, {:.0} s in all (build and seeding included)\n",
        total, meta.wall_seconds
    );
    let _ = writeln!(
        out,
        "How to read: `×raw` is the median over rounds of (contender time ÷ fastest raw floor of that backend in the \
         same round), with its interquartile range; two contenders differ only when their IQRs do not overlap. \
         Times are wall µs per operation (median), CPU is client-process user+system µs per operation (every \
         thread of the worker; for SQLite that includes the database engine), allocs are heap allocations per \
         operation counted by a global allocator.\n"
    );
}

fn summary(out: &mut String, stats: &[CellStats<'_>]) {
    let _ = writeln!(out, "## kakaorm at a glance\n");
    let _ = writeln!(
        out,
        "| backend | workload | n | kakaorm ×raw [IQR] | +µs/op vs raw | best peer | peer ×raw | kakaorm ÷ best peer [IQR] | verdict |"
    );
    let _ = writeln!(out, "|---|---|---:|---|---:|---|---|---|---|");
    for st in stats {
        let c = st.cell;
        let k = st.rows.iter().find(|r| r.contender.is_kakaorm());
        let best = st.vs_best_peer.as_ref().and_then(|v| st.rows.iter().find(|r| r.name() == v.peer));
        let kcol = match k {
            Some(k) => format!("{} [{}–{}]", f(k.ratio.median), f(k.ratio.q1), f(k.ratio.q3)),
            None => {
                st.cell.missing.iter().find(|(s, _)| s.is_kakaorm()).map_or("–".into(), |(_, why)| format!("*{why}*"))
            }
        };
        let delta = k.map_or("–".into(), |k| f(k.delta_us));
        let (bname, bratio) = best.map_or(("–".into(), "–".into()), |b| (b.name().to_owned(), f(b.ratio.median)));
        let (vs, v) = match &st.vs_best_peer {
            Some(v) => (format!("{} [{}–{}]", f(v.ratio.median), f(v.ratio.q1), f(v.ratio.q3)), verdict(v.faster)),
            None => ("–".into(), "–"),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {kcol} | {delta} | {bname} | {bratio} | {vs} | {v} |",
            c.backend, c.workload, c.n
        );
    }
    let _ = writeln!(out);
}

fn find<'a>(stats: &'a [CellStats<'a>], b: Backend, w: Workload, n: Option<usize>) -> Option<&'a CellStats<'a>> {
    stats.iter().find(|s| s.cell.backend == b && s.cell.workload == w && n.is_none_or(|n| s.cell.n == n))
}

fn kakaorm<'a>(st: &'a CellStats<'a>) -> Option<&'a Row> {
    st.rows.iter().find(|r| r.contender.is_kakaorm())
}

/// kakaorm's time over one named floor's, per round.
fn versus_floor(st: &CellStats<'_>, floor: &str) -> Option<Spread> {
    let k = kakaorm(st)?;
    let fl = st.rows.iter().find(|r| r.name() == floor)?;
    let per_round: Vec<f64> = k.ratios.iter().zip(&fl.ratios).map(|(a, b)| a / b).collect();
    Some(Spread::of(&per_round))
}

fn targets(out: &mut String, stats: &[CellStats<'_>]) {
    let _ = writeln!(out, "## Targets (issue figures; benchmark only, never test assertions)\n");
    let big = |b: Backend| {
        stats.iter().filter(|s| s.cell.backend == b && s.cell.workload == Workload::SelectAll).map(|s| s.cell.n).max()
    };
    let mut line = |text: String| {
        let _ = writeln!(out, "- {text}");
    };
    // The issue names the floor of each read target.
    for (b, floor, limit, fixed) in
        [(Backend::Postgres, "raw-tokio-postgres", 1.05, 3.0), (Backend::Sqlite, "raw-rusqlite-inline", 1.10, 5.0)]
    {
        if let Some(st) = big(b).and_then(|n| find(stats, b, Workload::SelectAll, Some(n)))
            && let Some(r) = versus_floor(st, floor)
        {
            let ok = if r.median <= limit { "met" } else { "**missed**" };
            line(format!(
                "{b} select_all n={}: kakaorm {}× {floor} [{}–{}] (target ≤ {limit}×): {ok}",
                st.cell.n,
                f(r.median),
                f(r.q1),
                f(r.q3)
            ));
        }
        if let Some(st) = find(stats, b, Workload::SelectAll, Some(1))
            && let Some(k) = kakaorm(st)
        {
            let ok = if k.delta_us <= fixed { "met" } else { "**missed**" };
            line(format!(
                "{b} fixed overhead (select_all n=1): raw + {} µs (target ≤ raw + {fixed} µs): {ok}",
                f(k.delta_us)
            ));
        }
        if let Some(st) = find(stats, b, Workload::GetByPk, None)
            && let Some(k) = kakaorm(st)
        {
            line(format!("{b} get_by_pk: raw + {} µs per lookup", f(k.delta_us)));
        }
    }
    let my: Vec<String> = stats
        .iter()
        .filter(|s| s.cell.backend == Backend::Mysql)
        .filter_map(|s| kakaorm(s).map(|k| (s, k)))
        .map(|(s, k)| {
            let mark = if k.ratio.median <= 1.15 { "" } else { " **missed**" };
            format!("{} n={}: {}×{mark}", s.cell.workload, s.cell.n, f(k.ratio.median))
        })
        .collect();
    if !my.is_empty() {
        line(format!("mysql ≤ 1.15× mysql_async: {}", my.join("; ")));
    }
    let per_backend = |w: Workload| -> String {
        let cells: Vec<String> = stats
            .iter()
            .filter(|s| s.cell.workload == w)
            .map(|s| match kakaorm(s) {
                Some(k) => format!("{}: {}×", s.cell.backend, f(k.ratio.median)),
                None => format!("{}: not yet", s.cell.backend),
            })
            .collect();
        cells.join("; ")
    };
    let ran = |w: Workload| stats.iter().any(|s| s.cell.workload == w);
    if ran(Workload::BulkInsert) {
        line(format!("bulk_insert ≤ 1.2× best raw strategy: {}", per_backend(Workload::BulkInsert)));
    }
    if ran(Workload::BulkUpdate) {
        line(format!("bulk_update ≤ 1.2× fastest raw floor: {}", per_backend(Workload::BulkUpdate)));
    }
    for st in stats.iter().filter(|s| s.cell.workload == Workload::Stream1m) {
        let Some(k) = kakaorm(st) else { continue };
        let ok = if 1.0 / k.ratio.median >= 0.95 { "met" } else { "**missed**" };
        let raw = lowest_raw_peak(st).map_or("–".into(), |r| format!("{:.3} MiB ({})", r.peak_mib, r.name()));
        line(format!(
            "{} stream_1m n={}: kakaorm {}× raw time, so {}× raw throughput (target ≥ 0.95×): {ok}; peak heap \
             kakaorm {:.3} MiB, raw {raw}",
            st.cell.backend,
            st.cell.n,
            f(k.ratio.median),
            f(1.0 / k.ratio.median),
            k.peak_mib
        ));
    }
    for b in Backend::ALL {
        let Some(st) = big(b).and_then(|n| find(stats, b, Workload::SelectAll, Some(n))) else { continue };
        let raw = st.rows.iter().filter(|r| r.contender.is_raw()).min_by(|a, c| a.allocs.total_cmp(&c.allocs));
        if let (Some(k), Some(raw)) = (kakaorm(st), raw) {
            let n = st.cell.n as f64;
            line(format!(
                "{b} allocations per row read (select_all n={}): kakaorm {} vs {} {}",
                st.cell.n,
                f(k.allocs / n),
                raw.name(),
                f(raw.allocs / n)
            ));
        }
    }
    let mut slower = Vec::new();
    for st in stats {
        let Some(k) = kakaorm(st) else { continue };
        for p in st.rows.iter().filter(|r| matches!(r.name(), "sqlx" | "sea-orm" | "diesel-async")) {
            if k.ratio.separate(&p.ratio) && k.ratio.median > p.ratio.median {
                slower.push(format!("{} {} n={} vs {}", st.cell.backend, st.cell.workload, st.cell.n, p.name()));
            }
        }
    }
    if slower.is_empty() {
        line("kakaorm is never slower than sqlx, SeaORM or diesel-async where IQRs separate: met".into());
    } else {
        line(format!("kakaorm slower than sqlx / SeaORM / diesel-async (IQRs separate): **{}**", slower.join("; ")));
    }
    let _ = writeln!(out);
}

/// The raw floor that held the least heap at its peak.
fn lowest_raw_peak<'a>(st: &'a CellStats<'a>) -> Option<&'a Row> {
    st.rows.iter().filter(|r| r.contender.is_raw()).min_by(|a, b| a.peak_mib.total_cmp(&b.peak_mib))
}

/// Peak heap of every contender in the streaming cells, beside its time ratio.
fn stream_memory(out: &mut String, stats: &[CellStats<'_>]) {
    let streams: Vec<&CellStats<'_>> = stats.iter().filter(|s| s.cell.workload == Workload::Stream1m).collect();
    if streams.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Peak heap while streaming (stream_1m)\n");
    let _ = writeln!(
        out,
        "Median over rounds of the most heap bytes live at once during the operation, above those live when it \
         started (every thread of the worker; a constant-memory stream stays flat as n grows). `÷ raw` divides by \
         the raw floor with the lowest peak, which holds a few KiB at most, so a large quotient of small numbers \
         can still be flat memory: compare the MiB across n. stream_1m runs at most {} rounds.\n",
        crate::cells::STREAM_ROUNDS
    );
    let _ = writeln!(out, "| backend | n | contender | peak heap MiB | KiB | ÷ raw peak | ×raw time | rows/s |");
    let _ = writeln!(out, "|---|---:|---|---:|---:|---:|---:|---:|");
    for st in streams {
        let raw_peak = lowest_raw_peak(st).map_or(f64::NAN, |r| r.peak_mib);
        let mut rows: Vec<&Row> = st.rows.iter().collect();
        rows.sort_by(|a, b| a.ratio.median.total_cmp(&b.ratio.median));
        for r in rows {
            let rate = st.cell.n as f64 / (r.abs_us / 1e6);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.3} | {:.0} | {} | {} | {:.0} |",
                st.cell.backend,
                st.cell.n,
                r.name(),
                r.peak_mib,
                r.peak_mib * 1024.0,
                f(r.peak_mib / raw_peak),
                f(r.ratio.median),
                rate
            );
        }
    }
    let _ = writeln!(out);
}

fn details(out: &mut String, stats: &[CellStats<'_>]) {
    for b in Backend::ALL {
        let mine: Vec<&CellStats<'_>> = stats.iter().filter(|s| s.cell.backend == b).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {b}\n");
        let _ = writeln!(out, "| workload | n | batch | contender | ×raw | IQR | µs/op | CPU µs/op | allocs/op |");
        let _ = writeln!(out, "|---|---:|---:|---|---:|---|---:|---:|---:|");
        for st in mine {
            let c = st.cell;
            let mut rows: Vec<&Row> = st.rows.iter().collect();
            rows.sort_by(|a, b| a.ratio.median.total_cmp(&b.ratio.median));
            for r in rows {
                let name = if r.contender.is_kakaorm() { "**kakaorm**".to_owned() } else { r.name().to_owned() };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {name} | {} | {}–{} | {} | {} | {} |",
                    c.workload,
                    c.n,
                    c.ops,
                    f(r.ratio.median),
                    f(r.ratio.q1),
                    f(r.ratio.q3),
                    f(r.abs_us),
                    f(r.cpu_us),
                    f(r.allocs)
                );
            }
            for (s, why) in &c.missing {
                let _ = writeln!(out, "| {} | {} | – | {} | – | – | – | – | *{why}* |", c.workload, c.n, s.name);
            }
        }
        let _ = writeln!(out);
    }
}

pub fn markdown(meta: &Meta, cells: &[CellResult]) -> String {
    let stats: Vec<CellStats<'_>> = cells.iter().map(cell_stats).collect();
    let mut out = String::new();
    header(&mut out, meta, cells);
    summary(&mut out, &stats);
    targets(&mut out, &stats);
    stream_memory(&mut out, &stats);
    details(&mut out, &stats);
    out
}

fn round(v: f64, digits: i32) -> Value {
    if !v.is_finite() {
        return Value::Null;
    }
    let p = 10f64.powi(digits);
    json!((v * p).round() / p)
}

pub fn json(meta: &Meta, cells: &[CellResult]) -> Value {
    let mut out_cells = Vec::new();
    let mut missing = Vec::new();
    let mut versus = Vec::new();
    for c in cells {
        let st = cell_stats(c);
        for r in &st.rows {
            out_cells.push(json!({
                "backend": c.backend.name(),
                "workload": c.workload.name(),
                "n": c.n,
                "contender": r.name(),
                "ratio_median": round(r.ratio.median, 4),
                "ratio_iqr": [round(r.ratio.q1, 4), round(r.ratio.q3, 4)],
                "abs_median_us": round(r.abs_us, 3),
                "cpu_us_per_op": round(r.cpu_us, 3),
                "allocs_per_op": round(r.allocs, 2),
                "peak_heap_mib": round(r.peak_mib, 3),
                "delta_vs_raw_us": round(r.delta_us, 3),
                "batch": c.ops,
                "rounds": r.ratios.len(),
                "busy_rounds": c.busy_rounds,
            }));
        }
        for (s, why) in &c.missing {
            let status = if why.starts_with("not yet") { "not yet" } else { "n/a" };
            missing.push(json!({
                "backend": c.backend.name(), "workload": c.workload.name(), "n": c.n,
                "contender": s.name, "status": status, "reason": why,
            }));
        }
        if let Some(v) = &st.vs_best_peer {
            versus.push(json!({
                "backend": c.backend.name(), "workload": c.workload.name(), "n": c.n,
                "best_peer": v.peer,
                "kakaorm_over_best_peer_median": round(v.ratio.median, 4),
                "kakaorm_over_best_peer_iqr": [round(v.ratio.q1, 4), round(v.ratio.q3, 4)],
                "verdict": match v.faster { Some(true) => "faster", Some(false) => "slower", None => "same" },
            }));
        }
    }
    let s = &meta.settings;
    json!({
        "commit": meta.commit,
        "date": meta.date,
        "mode": if s.quick { "quick" } else { "full" },
        "settings": { "rounds": s.rounds, "target_batch_ms": s.target_ns as f64 / 1e6, "seed": s.seed },
        "machine": { "cpu": meta.cpu, "kernel": meta.kernel, "rustc": meta.rustc },
        "servers": meta.servers.iter().map(|(b, v)| (b.name().to_owned(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "crates": meta.crates.iter().map(|(c, v)| (c.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "cells": out_cells,
        "kakaorm_vs_best_peer": versus,
        "missing": missing,
    })
}
