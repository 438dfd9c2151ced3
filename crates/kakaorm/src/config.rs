//! Connection URLs and pool options.

use std::fmt;
use std::time::Duration;

use kakaorm_core::{Backend, Error, Result};

/// Where an SQLite database lives.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum SqliteTarget {
    /// A private in-memory database.
    Memory,
    /// A file, opened with the given mode.
    File { path: String, mode: SqliteMode },
}

/// How an SQLite file is opened (`?mode=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SqliteMode {
    /// `ro`: read-only.
    Ro,
    /// `rw`: read-write; the file must exist.
    Rw,
    /// `rwc`: read-write, created when missing.
    Rwc,
}

/// Host, credentials and database of a server backend.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ServerTarget {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) user: String,
    pub(crate) password: Option<String>,
    pub(crate) database: Option<String>,
    /// Backend-specific options from the query string (`application_name`, `options`).
    pub(crate) params: Vec<(String, String)>,
}

#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Sqlite(SqliteTarget),
    Server(ServerTarget),
}

/// A parsed connection URL plus pool settings. Build one with [`ConnectOptions::parse`], or
/// through [`Db::builder`](crate::Db::builder).
///
/// Its `Debug` and `Display` output show the URL with the password replaced by `***`.
///
/// ```
/// use kakaorm::ConnectOptions;
/// let opts = ConnectOptions::parse("postgres://app:s3cret@db.local:5433/shop").unwrap();
/// assert_eq!(opts.to_string(), "postgres://app:***@db.local:5433/shop");
/// assert!(!format!("{opts:?}").contains("s3cret"));
/// ```
#[derive(Clone)]
pub struct ConnectOptions {
    pub(crate) backend: Backend,
    pub(crate) target: Target,
    pub(crate) max_connections: usize,
    pub(crate) min_connections: usize,
    pub(crate) acquire_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) statement_cache_capacity: usize,
    pub(crate) statement_timeout: Option<Duration>,
    pub(crate) tcp_keepalive: Duration,
    pub(crate) log_parameters: bool,
}

impl ConnectOptions {
    /// Parses a connection URL.
    ///
    /// Accepted forms: `sqlite::memory:`, `sqlite://path.db?mode=rwc` (modes `ro`, `rw`,
    /// `rwc`, `memory`; default `rw`), `postgres://` or `postgresql://`, and `mysql://` or
    /// `mariadb://`. A KakaORM/SQLAlchemy-style driver suffix such as `postgresql+asyncpg://`
    /// or `sqlite+aiosqlite:///./app.db` is accepted too; with the suffix, SQLite paths
    /// follow SQLAlchemy's rule (three slashes relative, four absolute) and files are
    /// created when missing.
    ///
    /// # Errors
    /// A [`Config`](crate::ErrorKind::Config) error for an unknown scheme, a malformed URL or
    /// an unknown parameter. The message shows the URL with its password redacted.
    ///
    /// ```
    /// use kakaorm::{ConnectOptions, ErrorKind};
    /// let err = ConnectOptions::parse("oracle://scott:tiger@host/db").unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Config);
    /// assert!(err.to_string().contains("oracle://scott:***@host/db"));
    /// ```
    pub fn parse(url: &str) -> Result<Self> {
        let (scheme, rest) = url
            .split_once(':')
            .ok_or_else(|| bad_url(url, "missing scheme (expected sqlite:, postgres://, mysql://)"))?;
        let (base, alias) = match scheme.split_once('+') {
            Some((base, driver)) if !driver.is_empty() => (base, true),
            Some(_) => return Err(bad_url(url, "empty driver after `+` in the scheme")),
            None => (scheme, false),
        };
        let backend = match base.to_ascii_lowercase().as_str() {
            "sqlite" => Backend::Sqlite,
            "postgres" | "postgresql" => Backend::Postgres,
            "mysql" | "mariadb" => Backend::Mysql,
            other => {
                return Err(bad_url(
                    url,
                    &format!("unknown scheme `{other}` (expected sqlite, postgres, postgresql, mysql or mariadb)"),
                ));
            }
        };
        let target = match backend {
            Backend::Sqlite => Target::Sqlite(parse_sqlite(url, rest, alias)?),
            Backend::Postgres | Backend::Mysql => Target::Server(parse_server(url, backend)?),
        };
        let memory = target == Target::Sqlite(SqliteTarget::Memory);
        Ok(ConnectOptions {
            backend,
            target,
            // A private in-memory SQLite database exists once per connection: share one.
            max_connections: if memory { 1 } else { 10 },
            min_connections: 1,
            acquire_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            statement_cache_capacity: 256,
            statement_timeout: None,
            tcp_keepalive: Duration::from_secs(30),
            log_parameters: false,
        })
    }

    /// The backend family of the URL.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The largest number of pooled connections (default 10; always 1 for `sqlite::memory:`).
    pub fn max_connections(&self) -> usize {
        self.max_connections
    }

    /// The URL with the password replaced by `***`.
    pub fn redacted_url(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            Target::Sqlite(SqliteTarget::Memory) => f.write_str("sqlite::memory:"),
            Target::Sqlite(SqliteTarget::File { path, mode }) => {
                let mode = match mode {
                    SqliteMode::Ro => "ro",
                    SqliteMode::Rw => "rw",
                    SqliteMode::Rwc => "rwc",
                };
                write!(f, "sqlite://{path}?mode={mode}")
            }
            Target::Server(s) => {
                let pw = if s.password.is_some() { ":***" } else { "" };
                write!(f, "{}://{}{pw}@{}:{}", self.backend.name(), s.user, s.host, s.port)?;
                if let Some(db) = &s.database {
                    write!(f, "/{db}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("url", &self.to_string())
            .field("max_connections", &self.max_connections)
            .field("acquire_timeout", &self.acquire_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

fn bad_url(url: &str, why: &str) -> Error {
    Error::config(format!("invalid database url `{}`: {why}", redact(url)))
}

/// Replaces the password of a URL-looking string with `***`, even when the URL is malformed.
pub(crate) fn redact(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return url.to_owned();
    };
    match rest[..at].find(':') {
        Some(colon) => format!("{}{}:***{}", &url[..start], &rest[..colon], &rest[at..]),
        None => url.to_owned(),
    }
}

fn parse_sqlite(url: &str, rest: &str, alias: bool) -> Result<SqliteTarget> {
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = match path.strip_prefix("//") {
        Some(p) if alias => p.strip_prefix('/').unwrap_or(p),
        Some(p) => p,
        None => path,
    };
    let mut mode = if alias { SqliteMode::Rwc } else { SqliteMode::Rw };
    let mut memory = matches!(path, ":memory:" | "");
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match (key.as_ref(), value.as_ref()) {
            ("mode", "ro") => mode = SqliteMode::Ro,
            ("mode", "rw") => mode = SqliteMode::Rw,
            ("mode", "rwc") => mode = SqliteMode::Rwc,
            ("mode", "memory") => memory = true,
            ("mode", other) => {
                return Err(bad_url(url, &format!("unknown sqlite mode `{other}` (expected ro, rw, rwc or memory)")));
            }
            (other, _) => return Err(bad_url(url, &format!("unknown sqlite parameter `{other}` (expected mode)"))),
        }
    }
    if memory {
        return Ok(SqliteTarget::Memory);
    }
    Ok(SqliteTarget::File { path: path.to_owned(), mode })
}

fn parse_server(raw: &str, backend: Backend) -> Result<ServerTarget> {
    // The `url` crate needs a scheme it knows nothing special about; drop any `+driver`.
    let normalized = match raw.split_once("://") {
        Some((scheme, rest)) => format!("{}://{rest}", scheme.split('+').next().unwrap_or(scheme)),
        None => return Err(bad_url(raw, "expected `scheme://user:password@host:port/database`")),
    };
    let url = url::Url::parse(&normalized).map_err(|e| bad_url(raw, &e.to_string()))?;
    let decode = |s: &str| -> Result<String> {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .ok_or_else(|| bad_url(raw, "undecodable user info"))
    };
    let host = match url.host_str() {
        Some(h) if !h.is_empty() => h.trim_start_matches('[').trim_end_matches(']').to_owned(),
        _ => return Err(bad_url(raw, "missing host")),
    };
    let (default_port, default_user) = match backend {
        Backend::Postgres => (5432, "postgres"),
        _ => (3306, "root"),
    };
    let user = if url.username().is_empty() { default_user.to_owned() } else { decode(url.username())? };
    let password = url.password().map(decode).transpose()?;
    let database = url.path().trim_start_matches('/');
    if database.contains('/') {
        return Err(bad_url(raw, "the database name may not contain `/`"));
    }
    let database = (!database.is_empty()).then(|| database.to_owned());
    let allowed: &[&str] = match backend {
        Backend::Postgres => &["application_name", "options", "sslmode"],
        _ => &[],
    };
    let mut params = Vec::new();
    for (key, value) in url.query_pairs() {
        if !allowed.contains(&key.as_ref()) {
            let expected = if allowed.is_empty() {
                "none are accepted".to_owned()
            } else {
                format!("expected one of {}", allowed.join(", "))
            };
            return Err(bad_url(raw, &format!("unknown parameter `{key}` ({expected})")));
        }
        if key == "sslmode" && !matches!(value.as_ref(), "disable" | "prefer" | "allow") {
            return Err(bad_url(
                raw,
                "sslmode other than disable/allow/prefer needs TLS, which kakaorm does not support yet",
            ));
        }
        params.push((key.into_owned(), value.into_owned()));
    }
    Ok(ServerTarget { host, port: url.port().unwrap_or(default_port), user, password, database, params })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(url: &str) -> SqliteTarget {
        match ConnectOptions::parse(url).unwrap().target {
            Target::Sqlite(t) => t,
            Target::Server(_) => panic!("not sqlite"),
        }
    }

    #[test]
    fn sqlite_forms() {
        assert!(sqlite("sqlite::memory:") == SqliteTarget::Memory);
        assert!(sqlite("sqlite+aiosqlite:///:memory:") == SqliteTarget::Memory);
        let file = |path: &str, mode| SqliteTarget::File { path: path.into(), mode };
        assert!(sqlite("sqlite://app.db?mode=rwc") == file("app.db", SqliteMode::Rwc));
        assert!(sqlite("sqlite:///tmp/app.db") == file("/tmp/app.db", SqliteMode::Rw));
        assert!(sqlite("sqlite+aiosqlite:///./app.db") == file("./app.db", SqliteMode::Rwc));
        assert!(sqlite("sqlite+aiosqlite:////abs/app.db") == file("/abs/app.db", SqliteMode::Rwc));
    }

    #[test]
    fn server_forms() {
        let o = ConnectOptions::parse("postgresql+asyncpg://u%40x:p%3Aw@h:6000/d?application_name=a").unwrap();
        let Target::Server(s) = o.target else { panic!() };
        assert_eq!((s.user.as_str(), s.password.as_deref(), s.host.as_str(), s.port), ("u@x", Some("p:w"), "h", 6000));
        assert_eq!(s.database.as_deref(), Some("d"));
        let m = ConnectOptions::parse("mariadb://root@127.0.0.1/test").unwrap();
        assert_eq!(m.backend(), Backend::Mysql);
        assert_eq!(m.to_string(), "mysql://root@127.0.0.1:3306/test");
    }

    #[test]
    fn errors_redact_passwords() {
        for bad in ["postgres://u:hunter2@:99999/db", "mysql://u:hunter2@h/db?foo=1", "redis://u:hunter2@h", "nonsense"]
        {
            let e = ConnectOptions::parse(bad).unwrap_err();
            assert_eq!(e.kind(), kakaorm_core::ErrorKind::Config, "{bad}");
            assert!(!e.to_string().contains("hunter2"), "{e}");
            assert!(!format!("{e:?}").contains("hunter2"), "{e:?}");
        }
    }

    #[test]
    fn redact_handles_malformed_urls() {
        assert_eq!(redact("postgres://a:b@c:d@host/x"), "postgres://a:***@host/x");
        assert_eq!(redact("postgres://host/x"), "postgres://host/x");
    }
}
