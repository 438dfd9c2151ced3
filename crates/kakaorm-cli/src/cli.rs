//! The command line, parsed with clap: the options every command shares, the commands
//! that need no models, and those of the `manage` binary that need them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Options every command takes.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// The database URL [default: $DATABASE_URL, then `database_url` in the config file].
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true, value_name = "URL")]
    pub(crate) database_url: Option<String>,
    /// The config file written by `init`; a missing one is no error.
    #[arg(long, global = true, default_value = "kakaorm.toml", value_name = "FILE")]
    pub(crate) config: PathBuf,
    /// The migrations directory [default: `migrations` in the config file, then `migrations`].
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) migrations: Option<PathBuf>,
}

/// The commands that need no models.
#[derive(Debug, Subcommand)]
pub(crate) enum Common {
    /// Creates the migrations directory and a `kakaorm.toml` to fill in.
    Init,
    /// Applies the pending migrations in order, or reverts the latest N with --down N.
    Migrate {
        /// Revert the latest N applied migrations instead.
        #[arg(long, value_name = "N")]
        down: Option<usize>,
    },
    /// Lists the migrations: applied [X], pending [ ], applied but missing [!].
    Showmigrations,
    /// Prints a migration's SQL (UP, or DOWN with --down).
    Sqlmigrate {
        /// The migration: its full name, or the name after the timestamp.
        name: String,
        /// Print down.sql instead of up.sql.
        #[arg(long)]
        down: bool,
    },
    /// Reports applied migrations whose files changed or are gone (exit status 1 if any).
    Verify,
    /// Prints `#[derive(Model)]` source for every table of the database (the migration
    /// history left out), or writes it to a file with --out.
    Inspect {
        /// Write the source to this file instead of printing it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// The standalone `kakaorm` binary.
#[derive(Debug, Parser)]
#[command(name = "kakaorm", version, about = "kakaorm migrations: apply, revert, list and verify")]
pub(crate) struct Standalone {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Common,
}

/// The commands of a `manage` binary, which knows the models.
#[derive(Debug, Subcommand)]
pub(crate) enum ManageCommand {
    #[command(flatten)]
    Common(Common),
    /// Writes a migration from the difference between the models and the migrated database.
    Makemigrations {
        /// The migration's name: letters, digits, `_` and `-` [default: auto].
        name: Option<String>,
        /// Also drop the tables and columns the models no longer have.
        #[arg(long)]
        destructive: bool,
        /// Confirm a rename instead of a drop and an add: OLD=NEW for a table,
        /// TABLE.OLD=NEW for a column (repeatable).
        #[arg(long, value_name = "FROM=TO")]
        rename: Vec<String>,
    },
    /// Applies the models' schema to the database directly, without files (development).
    Sync,
}

/// A `manage` binary.
#[derive(Debug, Parser)]
#[command(version, about = "Manage the database of this project's kakaorm models")]
pub(crate) struct Manage {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: ManageCommand,
}
