//! The commands of a `manage` binary that need the models.

use std::io::Write;

use kakaorm::{Db, Error, ErrorKind, ModelSet, Result};
use kakaorm_migrate::schema::Schema;
use kakaorm_migrate::{
    DiffOptions, HISTORY_TABLE, MigrationSource, MigrationState, Migrator, Plan, Rename, SyncExt, diff, introspect,
    plan, schema_of, write_plan,
};

use crate::commands::{say, source};
use crate::config::Settings;

/// Writes a migration from the migrated database to the models.
pub(crate) async fn makemigrations<S: ModelSet>(
    name: Option<&str>,
    options: &MakeOptions,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(bad) = name.filter(|n| !kakaorm_migrate::is_valid_name(n)) {
        return Err(Error::invalid_input(format!(
            "invalid migration name {bad:?}: use only letters, digits, `_` and `-`"
        )));
    }
    let source = source(settings)?;
    let (planned, candidates) = settings.with_db(async |db| plan_for::<S>(db, source, options).await).await?;
    for r in candidates {
        say(out, format_args!("possible rename: {r} (confirm with --rename, or it is a drop and an add)"));
    }
    let Some(p) = planned else {
        say(out, "No changes detected.");
        return Ok(());
    };
    for w in &p.warnings {
        say(out, format_args!("warning: {w}"));
    }
    let name = name.map_or_else(|| format!("auto_{}", p.up.len()), str::to_owned);
    let path = write_plan(&settings.migrations, &name, &p)?;
    say(out, format_args!("Wrote {} ({} statement(s) up, {} down)", path.display(), p.up.len(), p.down.len()));
    Ok(())
}

/// The plan from the database to the models; `None` when they agree. The database must
/// have every migration applied, since the plan starts from it.
async fn plan_for<S: ModelSet>(
    db: &Db,
    source: MigrationSource,
    options: &MakeOptions,
) -> Result<(Option<Plan>, Vec<Rename>)> {
    let migrator = Migrator::new(source);
    let pending = migrator.status(db).await?.into_iter().filter(|s| s.state == MigrationState::Pending).count();
    if pending > 0 {
        return Err(Error::new(
            ErrorKind::Migration,
            format!("{pending} migration(s) are not applied: run `migrate` first, so the new one starts from them"),
        ));
    }
    let live = introspect(db).await?;
    let from = Schema::new(live.tables.into_iter().filter(|t| t.name != HISTORY_TABLE).collect());
    let mut diff_options = DiffOptions::new(db.dialect()).destructive(options.destructive);
    for r in &options.renames {
        diff_options = diff_options.confirm_rename(parse_rename(r)?);
    }
    let d = diff(&from, &schema_of::<S>(), &diff_options);
    let candidates = d.rename_candidates().to_vec();
    match d.is_empty() {
        true => Ok((None, candidates)),
        false => Ok((Some(plan(&d, db.dialect())?), candidates)),
    }
}

/// What `makemigrations` may do besides adding.
pub(crate) struct MakeOptions {
    pub(crate) destructive: bool,
    pub(crate) renames: Vec<String>,
}

/// `OLD=NEW` renames a table, `TABLE.OLD=NEW` a column.
fn parse_rename(text: &str) -> Result<Rename> {
    let bad = || Error::invalid_input(format!("--rename {text:?}: expected OLD=NEW or TABLE.OLD=NEW"));
    let (from, to) = text.split_once('=').ok_or_else(bad)?;
    match from.split_once('.') {
        _ if from.is_empty() || to.is_empty() => Err(bad()),
        Some((table, column)) => Ok(Rename::column(table, column, to)),
        None => Ok(Rename::table(from, to)),
    }
}

/// Applies the models' schema directly.
pub(crate) async fn sync<S: ModelSet>(settings: &Settings, out: &mut dyn Write) -> Result<()> {
    let report = settings.with_db(async |db| db.sync::<S>().await).await?;
    for w in &report.warnings {
        say(out, format_args!("warning: {w}"));
    }
    match report.statements.is_empty() {
        true => say(out, "The schema is current."),
        false => report.statements.iter().for_each(|s| say(out, s)),
    }
    Ok(())
}
