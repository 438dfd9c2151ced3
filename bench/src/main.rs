//! The orchestrator: builds the workers, seeds each backend, starts one worker process per
//! contender, runs every cell with interleaved rounds, and writes `results/latest.*`.
//!
//! `cargo run --release --manifest-path bench/Cargo.toml -- --backends sqlite,postgres,mysql [--quick]`

mod admin;
mod cells;
mod compile;
mod contenders;
mod info;
mod lock;
mod plot;
mod quiet;
mod report;
mod seed;
mod stats;
mod worker;

use std::path::{Path, PathBuf};
use std::time::Instant;

use protocol::{Backend, Workload};

use crate::admin::Admin;
use crate::cells::{CellResult, Runner, Settings};
use crate::contenders::Spec;
use crate::worker::Worker;

struct Args {
    backends: Vec<Backend>,
    settings: Settings,
    workloads: Option<Vec<Workload>>,
    contenders: Option<Vec<String>>,
    build: bool,
    keep: bool,
    out: PathBuf,
}

const USAGE: &str = "usage: kakaorm-bench [--backends sqlite,postgres,mysql] [--quick] [--rounds N] \
[--target-ms MS] [--workloads a,b] [--contenders a,b] [--seed N] [--no-build] [--keep] [--max-wait SECONDS] [--out DIR]";

fn parse_args(bench: &Path) -> Result<Args, String> {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut it = argv.iter();
    let (mut backends, mut quick, mut rounds, mut target_ms, mut seed) =
        (Backend::ALL.to_vec(), false, 21, None, 0x6B616B61);
    let (mut workloads, mut contenders, mut build, mut out) = (None, None, true, bench.join("results"));
    let mut keep = false;
    let mut max_wait_s = 1200u64;
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().ok_or_else(|| format!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--backends" => backends = val()?.split(',').map(str::parse).collect::<Result<_, _>>()?,
            "--quick" => quick = true,
            "--rounds" => rounds = val()?.parse().map_err(|e| format!("--rounds: {e}"))?,
            "--target-ms" => target_ms = Some(val()?.parse::<f64>().map_err(|e| format!("--target-ms: {e}"))?),
            "--seed" => seed = val()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--workloads" => workloads = Some(val()?.split(',').map(str::parse).collect::<Result<_, _>>()?),
            "--contenders" => contenders = Some(val()?.split(',').map(str::to_owned).collect()),
            "--no-build" => build = false,
            "--keep" => keep = true,
            "--max-wait" => max_wait_s = val()?.parse().map_err(|e| format!("--max-wait: {e}"))?,
            "--out" => out = PathBuf::from(val()?),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let target_ms = target_ms.unwrap_or(if quick { 8.0 } else { 40.0 });
    let max_wait = std::time::Duration::from_secs(max_wait_s);
    let settings = Settings { rounds, target_ns: (target_ms * 1e6) as u64, seed, quick, max_wait };
    Ok(Args { backends, settings, workloads, contenders, build, keep, out })
}

fn sqlite_dir() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() { shm.join("kakaorm-bench") } else { std::env::temp_dir().join("kakaorm-bench") }
}

fn load_warning() {
    if let Ok(l) = std::fs::read_to_string("/proc/loadavg") {
        let one: f64 = l.split_whitespace().next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
        if one > 0.7 {
            eprintln!("warning: load average {one:.2}; other processes may add noise to the measurements");
        }
    }
}

fn progress(cell: &CellResult) {
    let st = stats::cell_stats(cell);
    let mut rows: Vec<String> =
        st.rows.iter().map(|r| format!("{} {:.2}× ({:.1} µs)", r.name(), r.ratio.median, r.abs_us)).collect();
    rows.extend(cell.missing.iter().map(|(s, _)| format!("{} –", s.name)));
    eprintln!(
        "{} {} n={} batch={} [{:.1} s{}]: {}",
        cell.backend,
        cell.workload,
        cell.n,
        cell.ops,
        cell.seconds,
        if cell.waited > 0.5 { format!(", waited {:.0} s for quiet", cell.waited) } else { String::new() },
        rows.join(", ")
    );
}

fn run_backend(
    rt: &tokio::runtime::Runtime,
    bench: &Path,
    backend: Backend,
    args: &Args,
    generation: &mut u64,
) -> Result<(Vec<CellResult>, String), String> {
    let specs: Vec<Spec> = contenders::for_backend(backend)
        .into_iter()
        .filter(|s| s.is_raw() || args.contenders.as_ref().is_none_or(|c| c.iter().any(|c| c == s.name)))
        .collect();
    let mut admin = rt.block_on(Admin::connect(backend, &sqlite_dir()))?;
    let version = rt.block_on(admin.server_version())?;
    eprintln!("{backend}: seeding {} contenders ({version})…", specs.len());
    let stream = if args.workloads.as_ref().is_none_or(|w| w.contains(&Workload::Stream1m)) {
        cells::stream_rows(args.settings.quick)
    } else {
        0
    };
    let urls = rt.block_on(admin.prepare(&specs, stream))?;
    let mut workers = Vec::new();
    for (spec, url) in specs.iter().zip(&urls) {
        let bin = bench.join("target/release").join(spec.bin);
        workers.push(Worker::spawn(&bin, spec.name, backend, url)?);
    }
    let durability = rt.block_on(admin.relax_durability())?;
    let mut runner = Runner {
        rt,
        admin: &mut admin,
        workers: &mut workers,
        specs: &specs,
        settings: args.settings,
        generation: *generation,
    };
    let mut results = Vec::new();
    let mut failure = None;
    for (workload, n) in cells::cells(args.settings.quick) {
        if args.workloads.as_ref().is_some_and(|w| !w.contains(&workload)) {
            continue;
        }
        match runner.run_cell(backend, workload, n) {
            Ok(cell) => {
                progress(&cell);
                results.push(cell);
            }
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    *generation = runner.generation;
    drop(workers);
    rt.block_on(admin.restore_durability(durability))?;
    if let Some(e) = failure {
        return Err(e);
    }
    if !args.keep {
        rt.block_on(admin.cleanup(&specs))?;
    }
    Ok((results, version))
}

fn main() {
    let bench = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let args = parse_args(&bench).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2);
    });
    if let Err(e) = run(&bench, &args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(bench: &Path, args: &Args) -> Result<(), String> {
    let started = Instant::now();
    // Held to the end: another run would share the SQLite directory and the kb_* schemas.
    let _lock = lock::RunLock::take(&sqlite_dir().with_extension("lock"))?;
    // The commit the workers are built from, taken before the build.
    let commit = info::commit(bench.parent().unwrap_or(bench));
    if args.build {
        compile::build_workers(bench)?;
    }
    load_warning();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let mut cells = Vec::new();
    let mut servers = Vec::new();
    let mut generation = 0;
    for &backend in &args.backends {
        let (mut c, version) = run_backend(&rt, bench, backend, args, &mut generation)?;
        cells.append(&mut c);
        servers.push((backend, version));
    }
    let lock_root = bench.join("Cargo.lock");
    let lock_sqlx = bench.join("workers/sqlx-seaorm/Cargo.lock");
    let meta = report::Meta {
        commit,
        date: info::now_utc(),
        settings: args.settings,
        cpu: info::cpu_model(),
        kernel: info::kernel(),
        rustc: info::rustc_version(),
        servers,
        crates: info::crate_versions(&[&lock_root, &lock_sqlx]),
        wall_seconds: started.elapsed().as_secs_f64(),
    };
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let md = args.out.join("latest.md");
    std::fs::write(&md, report::markdown(&meta, &cells)).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&report::json(&meta, &cells)).map_err(|e| e.to_string())?;
    std::fs::write(args.out.join("latest.json"), json + "\n").map_err(|e| e.to_string())?;
    plot::svg(&args.out.join("latest.svg"), &cells)?;
    eprintln!("wrote {} (+ .json, .svg) in {:.0} s", md.display(), started.elapsed().as_secs_f64());
    Ok(())
}
