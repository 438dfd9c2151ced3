//! The commands that need no models.

use std::io::Write;

use console::style;
use kakaorm::{Error, ErrorKind, Result};
use kakaorm_migrate::{Direction, MigrationSource, MigrationState, Migrator, Progress};

use crate::cli::Common;
use crate::config::{Settings, TEMPLATE};

/// Runs `cmd`, writing what it reports to `out`.
pub(crate) async fn run(
    cmd: &Common,
    settings: &Settings,
    config: &std::path::Path,
    out: &mut dyn Write,
) -> Result<()> {
    match cmd {
        Common::Init => init(settings, config, out),
        Common::Migrate { down } => migrate(*down, settings, out).await,
        Common::Showmigrations => showmigrations(settings, out).await,
        Common::Sqlmigrate { name, down } => sqlmigrate(name, *down, settings, out),
        Common::Verify => verify(settings, out).await,
        Common::Inspect { out: file } => inspect(file.as_deref(), settings, out).await,
    }
}

/// Writes a line; a closed output is no reason to fail the command.
pub(crate) fn say(out: &mut dyn Write, line: impl std::fmt::Display) {
    let _ = writeln!(out, "{line}");
}

fn init(settings: &Settings, config: &std::path::Path, out: &mut dyn Write) -> Result<()> {
    let io = |path: &std::path::Path, e: std::io::Error| Error::config(format!("{}: {e}", path.display()));
    std::fs::create_dir_all(&settings.migrations).map_err(|e| io(&settings.migrations, e))?;
    say(out, format_args!("Migrations directory: {}", settings.migrations.display()));
    if config.exists() {
        say(out, format_args!("{} exists; left as it is", config.display()));
    } else {
        std::fs::write(config, TEMPLATE).map_err(|e| io(config, e))?;
        say(out, format_args!("Wrote {}: set database_url there, or DATABASE_URL", config.display()));
    }
    Ok(())
}

/// The migrations directory as a source; a missing directory says to run `init`.
pub(crate) fn source(settings: &Settings) -> Result<MigrationSource> {
    if !settings.migrations.is_dir() {
        return Err(Error::new(
            ErrorKind::Migration,
            format!("no migrations directory at {} (run `init`)", settings.migrations.display()),
        ));
    }
    MigrationSource::from_dir(&settings.migrations)
}

/// A runner that prints each migration as it goes.
fn migrator(settings: &Settings) -> Result<Migrator> {
    Ok(Migrator::new(source(settings)?).on_progress(|p: &Progress| {
        let verb = if p.direction == Direction::Up { "Applying" } else { "Reverting" };
        match p.elapsed {
            None => eprint!("  {verb} {} ({}/{})...", p.name, p.index, p.total),
            Some(_) if p.skipped => eprintln!(" {}", style("done by another runner").yellow()),
            Some(t) => eprintln!(" {} ({} ms)", style("OK").green(), t.as_millis()),
        }
    }))
}

async fn migrate(down: Option<usize>, settings: &Settings, out: &mut dyn Write) -> Result<()> {
    let migrator = migrator(settings)?;
    say(out, format_args!("Database: {}", settings.shown_url()));
    let done = settings
        .with_db(async |db| match down {
            Some(n) => migrator.downgrade(n, db).await,
            None => migrator.run(db).await,
        })
        .await?;
    let verb = if down.is_some() { "Reverted" } else { "Applied" };
    match done.is_empty() {
        true => say(out, if down.is_some() { "Nothing to revert." } else { "No migrations to apply." }),
        false => done.iter().for_each(|name| say(out, format_args!("{verb} {name}"))),
    }
    Ok(())
}

async fn showmigrations(settings: &Settings, out: &mut dyn Write) -> Result<()> {
    let migrator = Migrator::new(source(settings)?);
    for s in settings.with_db(async |db| migrator.status(db).await).await? {
        let line = match s.state {
            MigrationState::Applied(at) => format!("[X] {} (applied {})", s.name, at.format("%Y-%m-%d %H:%M:%S UTC")),
            MigrationState::Pending => format!("[ ] {}", s.name),
            MigrationState::Missing(_) => format!("[!] {} (applied, files missing)", s.name),
            _ => format!("[?] {}", s.name),
        };
        say(out, line);
    }
    Ok(())
}

fn sqlmigrate(name: &str, down: bool, settings: &Settings, out: &mut dyn Write) -> Result<()> {
    let source = source(settings)?;
    let suffix = format!("_{name}");
    let mut found = source.migrations().iter().filter(|m| m.name() == name || m.name().ends_with(&suffix));
    let (Some(m), None) = (found.next(), found.next()) else {
        return Err(Error::invalid_input(format!("no single migration called {name:?}")));
    };
    say(out, format_args!("-- {} ({})", m.name(), if down { "down" } else { "up" }));
    let _ = out.write_all(if down { m.down_sql() } else { m.up_sql() }.as_bytes());
    Ok(())
}

async fn verify(settings: &Settings, out: &mut dyn Write) -> Result<()> {
    let migrator = Migrator::new(source(settings)?);
    let found = settings.with_db(async |db| migrator.verify(db).await).await?;
    if found.is_empty() {
        say(out, "Every applied migration matches its files.");
        return Ok(());
    }
    for m in &found {
        say(out, m);
    }
    Err(Error::new(
        ErrorKind::Migration,
        format!("{} applied migration(s) changed since they were applied", found.len()),
    ))
}

/// Reverse-engineers the database: its schema as model source.
async fn inspect(file: Option<&std::path::Path>, settings: &Settings, out: &mut dyn Write) -> Result<()> {
    let schema = settings.with_db(async |db| kakaorm_migrate::introspect(db).await).await?;
    let source = kakaorm_migrate::codegen::models_source(&schema);
    match file {
        None => {
            let _ = out.write_all(source.as_bytes());
        }
        Some(path) => {
            std::fs::write(path, &source).map_err(|e| Error::config(format!("{}: {e}", path.display())))?;
            say(out, format_args!("Wrote {} model(s) to {}", schema.tables.len(), path.display()));
        }
    }
    Ok(())
}
