//! Settings: the database URL from `--database-url`, `DATABASE_URL` or the config file,
//! and the migrations directory.

use std::path::{Path, PathBuf};

use kakaorm::{Db, Error, Result};
use serde::Deserialize;

use crate::cli::Global;

/// The config file's keys.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    migrations: Option<PathBuf>,
}

/// The settings a command runs with.
pub(crate) struct Settings {
    url: Option<String>,
    pub(crate) migrations: PathBuf,
}

/// What `init` writes: no credentials, only where they go.
pub(crate) const TEMPLATE: &str = "\
# kakaorm settings. DATABASE_URL and --database-url take precedence over database_url.
# database_url = \"postgres://user@localhost:5432/app\"
migrations = \"migrations\"
";

/// The settings from the command line, the environment and the config file.
///
/// # Errors
/// [`Config`](kakaorm::ErrorKind::Config) for a config file that cannot be read or parsed
/// (the message quotes no line of it, which could hold a password).
pub(crate) fn load(global: &Global) -> Result<Settings> {
    let file = read(&global.config)?;
    let url = global.database_url.clone().or(file.database_url);
    let migrations = global.migrations.clone().or(file.migrations).unwrap_or_else(|| PathBuf::from("migrations"));
    Ok(Settings { url, migrations })
}

fn read(path: &Path) -> Result<FileConfig> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileConfig::default()),
        Err(e) => return Err(Error::config(format!("cannot read {}: {e}", path.display()))),
    };
    toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(0, |s| text.get(..s.start).unwrap_or_default().lines().count().max(1));
        Error::config(format!("{} line {line}: {}", path.display(), e.message().trim()))
    })
}

impl Settings {
    /// Connects to the configured database.
    ///
    /// # Errors
    /// [`Config`](kakaorm::ErrorKind::Config) when no URL is configured; as
    /// [`kakaorm::connect`] otherwise (its errors redact the password).
    pub(crate) async fn connect(&self) -> Result<Db> {
        let Some(url) = &self.url else {
            return Err(Error::config(
                "no database URL: pass --database-url, set DATABASE_URL, or set database_url in kakaorm.toml",
            ));
        };
        let connected = Db::builder(url.as_str()).max_connections(2).connect().await;
        connected.map_err(|e| Error::new(e.kind(), format!("{}: {}", self.shown_url(), e.message())))
    }

    /// Runs `f` on a connection to the configured database, closing it afterwards.
    ///
    /// # Errors
    /// As [`connect`](Settings::connect), and `f`'s error.
    pub(crate) async fn with_db<T>(&self, f: impl AsyncFnOnce(&Db) -> Result<T>) -> Result<T> {
        let db = self.connect().await?;
        let outcome = f(&db).await;
        db.close().await;
        outcome
    }

    /// The configured URL with its password hidden, for messages.
    pub(crate) fn shown_url(&self) -> String {
        let parsed = self.url.as_deref().map(kakaorm::ConnectOptions::parse);
        match parsed {
            Some(Ok(o)) => o.redacted_url(),
            Some(Err(_)) => "<an invalid URL>".to_owned(),
            None => "<none>".to_owned(),
        }
    }
}
