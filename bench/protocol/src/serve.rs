//! The worker side of the line protocol.

use std::future::Future;
use std::io::{BufRead, Write};

use crate::measure::Outcome;
use crate::workload::{Backend, Job};

/// A worker's command line: `--contender <name> --backend <backend> --url <url>`.
#[derive(Debug, Clone)]
pub struct WorkerArgs {
    pub contender: String,
    pub backend: Backend,
    /// A database URL, or for SQLite the path of the database file.
    pub url: String,
}

impl WorkerArgs {
    fn parse() -> Result<WorkerArgs, String> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let get = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .and_then(|i| args.get(i + 1))
                .cloned()
                .ok_or_else(|| format!("missing {flag}"))
        };
        Ok(WorkerArgs { contender: get("--contender")?, backend: get("--backend")?.parse()?, url: get("--url")? })
    }
}

/// One contender on one connection.
#[allow(async_fn_in_trait)]
pub trait Contender {
    /// Runs one job: `job.ops` operations, measured with [`crate::measure`].
    async fn run(&mut self, job: &Job) -> Outcome;
}

/// Parses the command line, connects with `connect` on a current-thread runtime, prints
/// `ready`, and answers commands until `quit` or end of input.
pub fn serve<C, F, Fut>(connect: F)
where
    C: Contender,
    F: FnOnce(WorkerArgs) -> Fut,
    Fut: Future<Output = Result<C, String>>,
{
    let fail = |msg: String| -> ! {
        eprintln!("worker: {msg}");
        println!("err {}", msg.replace('\n', " "));
        std::process::exit(1);
    };
    let args = WorkerArgs::parse().unwrap_or_else(|e| fail(e));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| fail(format!("runtime: {e}")));
    let name = format!("{} on {}", args.contender, args.backend);
    let mut contender = rt.block_on(connect(args)).unwrap_or_else(|e| fail(format!("{name}: connect: {e}")));
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "ready");
    let _ = out.flush();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let line = line.trim();
        if line == "quit" || line.is_empty() {
            break;
        }
        let reply = match Job::parse(line) {
            Ok(job) => rt.block_on(contender.run(&job)).to_line(),
            Err(e) => Outcome::Failed(e).to_line(),
        };
        let _ = writeln!(out, "{reply}");
        let _ = out.flush();
    }
    drop(contender);
    drop(rt);
}
