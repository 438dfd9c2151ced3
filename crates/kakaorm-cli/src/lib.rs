//! The kakaorm command line.
//!
//! Rust cannot load your models at run time, so the commands that need them run in a
//! one-line binary of your own crate, in the spirit of Django's `manage.py`:
//!
//! ```no_run
//! use kakaorm::Model;
//!
//! #[derive(Model)]
//! #[kakaorm(table = "users")]
//! struct User {
//!     id: i64,
//!     #[kakaorm(max_length = 50)]
//!     name: String,
//! }
//!
//! fn main() {
//!     kakaorm_cli::run::<(User,)>()
//! }
//! ```
//!
//! `cargo run --bin manage -- <command>` then offers:
//! - `init`: creates the migrations directory and `kakaorm.toml`;
//! - `makemigrations [NAME]`: writes a migration from the migrated database to the models
//!   (`--destructive` to drop what the models lack, `--rename FROM=TO` to confirm renames);
//! - `migrate` (or `migrate --down N`), `showmigrations`, `sqlmigrate NAME`, `verify`;
//! - `sync`: applies the models' schema directly, for development.
//!
//! The standalone `kakaorm` binary of this crate has the commands that need no models
//! (`init`, `migrate`, `showmigrations`, `sqlmigrate`, `verify`).
//!
//! The database URL comes from `--database-url`, then `DATABASE_URL`, then `database_url`
//! in the config file (`kakaorm.toml`, or `--config FILE`). Errors and progress show URLs
//! with the password hidden.
#![warn(missing_docs)]
#![forbid(unsafe_code)]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cli;
mod commands;
mod config;
mod models;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;
use kakaorm::{Error, ModelSet, Result};

use cli::{Global, Manage, ManageCommand, Standalone};

/// Runs the `manage` command line for the models `S` on the process's arguments, and exits:
/// with status 0, with status 1 after printing the command's error to stderr, or as clap
/// does for help, version and usage errors.
pub fn run<S: ModelSet>() -> ! {
    exit(execute::<S>(Manage::parse(), &mut std::io::stdout()))
}

/// Runs the `manage` command line for the models `S` on `args` (the program name first),
/// writing its report to `out`.
///
/// # Errors
/// The command's error; [`InvalidInput`](kakaorm::ErrorKind::InvalidInput) for arguments
/// that do not parse (clap's message, or the help text, is the error's message).
pub fn run_with<S: ModelSet, I: IntoIterator<Item = T>, T: Into<OsString> + Clone>(
    args: I,
    out: &mut dyn Write,
) -> Result<()> {
    let cli = Manage::try_parse_from(args).map_err(|e| Error::invalid_input(e.render().to_string()))?;
    execute::<S>(cli, out)
}

fn execute<S: ModelSet>(cli: Manage, out: &mut dyn Write) -> Result<()> {
    block_on(async {
        let settings = config::load(&cli.global)?;
        match &cli.command {
            ManageCommand::Common(c) => commands::run(c, &settings, &cli.global.config, out).await,
            ManageCommand::Makemigrations { name, destructive, rename } => {
                let options = models::MakeOptions { destructive: *destructive, renames: rename.clone() };
                models::makemigrations::<S>(name.as_deref(), &options, &settings, out).await
            }
            ManageCommand::Sync => models::sync::<S>(&settings, out).await,
        }
    })
}

/// Runs the standalone `kakaorm` command line on the process's arguments. The `kakaorm`
/// binary's `main`.
#[doc(hidden)]
pub fn standalone() -> ! {
    let Standalone { global, command } = Standalone::parse();
    exit(block_on(run_common(global, command)))
}

async fn run_common(global: Global, command: cli::Common) -> Result<()> {
    let settings = config::load(&global)?;
    commands::run(&command, &settings, &global.config, &mut std::io::stdout()).await
}

fn block_on<T>(f: impl Future<Output = Result<T>>) -> Result<T> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::config(format!("cannot start the async runtime: {e}")))?;
    rt.block_on(f)
}

/// Exits with the outcome: status 0, or the error on stderr and status 1.
fn exit(outcome: Result<()>) -> ! {
    let _ = std::io::stdout().flush();
    match outcome {
        Ok(()) => std::process::exit(0),
        Err(e) => {
            eprintln!("{} {}", console::style("error:").red().bold(), e.message());
            std::process::exit(1)
        }
    }
}
