//! Connection URLs and pool options. What each backend's URL may say (default port and
//! user, query parameters) is the business of its driver; this module reads the shared
//! structure.

mod redact;

use std::fmt;
use std::time::Duration;

use kakaorm_core::validate::Locale;
use kakaorm_core::{Backend, Error, Result};
use percent_encoding::percent_decode_str;

pub(crate) use redact::redact;

/// Where an SQLite database lives (read by the SQLite driver's `parse_url`).
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) enum SqliteTarget {
    /// A private in-memory database.
    Memory,
    /// A file, opened with the given mode.
    File { path: String, mode: SqliteMode },
}

/// How an SQLite file is opened (`?mode=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
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
    /// The query string's parameters, checked by the backend's driver.
    pub(crate) params: Vec<(String, String)>,
}

#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Sqlite(SqliteTarget),
    Server(ServerTarget),
}
/// A parsed connection URL plus pool settings. Build one with [`ConnectOptions::parse`], or
/// through [`Db::builder`](crate::Db::builder), which also takes a `ConnectOptions`.
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
    /// SQLite statements run on the caller's thread.
    pub(crate) sqlite_inline: bool,
    /// Single-row loads of one relation in one task before the N+1 warning.
    pub(crate) n_plus_one: Option<u32>,
    /// The language of validation messages (`None`: the program's).
    pub(crate) locale: Option<Locale>,
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
    /// The user, password and database name of a server URL are percent-decoded (and
    /// nothing else: `+` stays `+`). Percent-encode `/ ? # @` in them (`%2F %3F %23 %40`);
    /// an `@` after the host is refused, since it means a password was cut short.
    ///
    /// # TLS
    ///
    /// PostgreSQL and MySQL connections are encrypted with rustls when the URL asks for
    /// it (the `tls` cargo feature, on by default); without a mode they are not.
    ///
    /// | PostgreSQL `sslmode=` | MySQL `ssl-mode=` | encrypted | certificate checked |
    /// |---|---|---|---|
    /// | `disable` (default), `allow` | `DISABLED` (default) | no | — |
    /// | `prefer` | `PREFERRED` | when the server offers it | no |
    /// | `require` | `REQUIRED` | yes | no |
    /// | `verify-ca` | `VERIFY_CA` | yes | signed by the CA |
    /// | `verify-full` | `VERIFY_IDENTITY` | yes | signed by the CA and issued for the host |
    ///
    /// The CA comes from `sslrootcert=/path/ca.pem` (PostgreSQL) or `ssl-ca=/path/ca.pem`
    /// (MySQL), a PEM file; without one, the Mozilla root set (`webpki-roots`) is trusted.
    /// As in libpq, `require` with a CA file checks the chain like `verify-ca`, and a CA
    /// file without a mode means `verify-ca` on both backends. MySQL modes are accepted in
    /// any case; MySQL's `VERIFY_CA` compares the host name too for now (mysql_async 0.37.1
    /// does not honour skipping it with current rustls). A certificate that does not verify
    /// fails the connection with a [`Connection`](crate::ErrorKind::Connection) error that
    /// says why.
    ///
    /// ```
    /// use kakaorm::ConnectOptions;
    /// let pg = ConnectOptions::parse("postgres://app@db.local/shop?sslmode=verify-full&sslrootcert=/etc/ca.pem");
    /// assert!(pg.is_ok());
    /// let my = ConnectOptions::parse("mysql://app@db.local/shop?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/ca.pem");
    /// assert!(my.is_ok());
    /// ```
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
    /// let err = ConnectOptions::parse("postgres://app:pa/ss@host/db").unwrap_err();
    /// assert!(err.to_string().contains("postgres://app:***@host/db"));
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
            other if other.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) => {
                return Err(bad_url(
                    url,
                    &format!("unknown scheme `{other}` (expected sqlite, postgres, postgresql, mysql or mariadb)"),
                ));
            }
            _ => return Err(bad_url(url, "malformed scheme (expected sqlite:, postgres://, mysql://)")),
        };
        let target = match backend {
            Backend::Sqlite => {
                Target::Sqlite(crate::driver::parse_sqlite_url(rest, alias).map_err(|why| bad_url(url, &why))?)
            }
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
            sqlite_inline: false,
            n_plus_one: None,
            locale: None,
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

mod sealed {
    /// Only the types listed on `IntoConnectOptions` convert.
    pub trait Sealed {}
}

/// What [`Db::builder`](crate::Db::builder) and [`connect`](crate::connect) accept: a URL
/// (`&str`, `String`) or [`ConnectOptions`] parsed earlier.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// let opts = kakaorm::ConnectOptions::parse("sqlite::memory:")?;
/// let db = kakaorm::Db::builder(opts).connect().await?;
/// assert_eq!(db.backend(), kakaorm::Backend::Sqlite);
/// # db.close().await; Ok(()) }
/// ```
pub trait IntoConnectOptions: sealed::Sealed {
    /// Parses the URL, or hands the options over as they are.
    ///
    /// # Errors
    /// As [`ConnectOptions::parse`].
    fn into_connect_options(self) -> Result<ConnectOptions>;
}

impl sealed::Sealed for &str {}
impl sealed::Sealed for String {}
impl sealed::Sealed for &String {}
impl sealed::Sealed for ConnectOptions {}

impl IntoConnectOptions for &str {
    fn into_connect_options(self) -> Result<ConnectOptions> {
        ConnectOptions::parse(self)
    }
}

impl IntoConnectOptions for String {
    fn into_connect_options(self) -> Result<ConnectOptions> {
        ConnectOptions::parse(&self)
    }
}

impl IntoConnectOptions for &String {
    fn into_connect_options(self) -> Result<ConnectOptions> {
        ConnectOptions::parse(self)
    }
}

impl IntoConnectOptions for ConnectOptions {
    fn into_connect_options(self) -> Result<ConnectOptions> {
        Ok(self)
    }
}

/// What `Display` percent-encodes in a user or database name, so the URL stays readable
/// as one (everything but RFC 3986's unreserved characters).
const COMPONENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

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
                let user = percent_encoding::utf8_percent_encode(&s.user, COMPONENT);
                let pw = if s.password.is_some() { ":***" } else { "" };
                write!(f, "{}://{user}{pw}@{}:{}", self.backend.name(), s.host, s.port)?;
                if let Some(db) = &s.database {
                    write!(f, "/{}", percent_encoding::utf8_percent_encode(db, COMPONENT))?;
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

/// Percent-decodes one part of the URL (and only that: `+` is not a space here).
fn decode(raw: &str, part: &str, encoded: &str) -> Result<String> {
    percent_decode_str(encoded)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| bad_url(raw, &format!("the {part} is not UTF-8 once percent-decoded")))
}

fn parse_server(raw: &str, backend: Backend) -> Result<ServerTarget> {
    let rules = crate::driver::server_url_rules(backend)?;
    // The `url` crate needs a scheme it knows nothing special about; drop any `+driver`.
    let normalized = match raw.split_once("://") {
        Some((scheme, rest)) => format!("{}://{rest}", scheme.split('+').next().unwrap_or(scheme)),
        None => return Err(bad_url(raw, "expected `scheme://user:password@host:port/database`")),
    };
    let url = url::Url::parse(&normalized).map_err(|e| bad_url(raw, &e.to_string()))?;
    // The user info ends at the last `@`: one after the host means that a `/`, `?` or `#`
    // in the password ended the host early.
    if url.path().contains('@') || url.query().is_some_and(|q| q.contains('@')) || url.fragment().is_some() {
        return Err(bad_url(
            raw,
            "text after the host holds `@` or `#`: percent-encode `/ ? # @` in the password (%2F %3F %23 %40)",
        ));
    }
    let host = match url.host_str() {
        Some(h) if !h.is_empty() => h.trim_start_matches('[').trim_end_matches(']').to_owned(),
        _ => return Err(bad_url(raw, "missing host")),
    };
    let user = match url.username() {
        "" => rules.default_user.to_owned(),
        user => decode(raw, "user name", user)?,
    };
    let password = url.password().map(|pw| decode(raw, "password", pw)).transpose()?;
    let path = url.path().trim_start_matches('/');
    if path.contains('/') {
        return Err(bad_url(raw, "the database name may not contain `/` (percent-encode it as %2F)"));
    }
    let database = (!path.is_empty()).then(|| decode(raw, "database name", path)).transpose()?;
    let params: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    (rules.check_params)(&params).map_err(|why| bad_url(raw, &why))?;
    Ok(ServerTarget { host, port: url.port().unwrap_or(rules.default_port), user, password, database, params })
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

    fn server(url: &str) -> ServerTarget {
        match ConnectOptions::parse(url).unwrap().target {
            Target::Server(s) => s,
            Target::Sqlite(_) => panic!("not a server"),
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
        let s = server("postgresql+asyncpg://u%40x:p%3Aw@h:6000/d?application_name=a");
        assert_eq!((s.user.as_str(), s.password.as_deref(), s.host.as_str(), s.port), ("u@x", Some("p:w"), "h", 6000));
        assert_eq!(s.database.as_deref(), Some("d"));
        let m = ConnectOptions::parse("mariadb://root@127.0.0.1/test").unwrap();
        assert_eq!(m.backend(), Backend::Mysql);
        assert_eq!(m.to_string(), "mysql://root@127.0.0.1:3306/test");
    }

    #[test]
    fn credentials_and_database_are_percent_decoded_only() {
        let s = server("postgres://a+b%20c:p+w%25%2F%23%3F%40%3A%3B%20x@h/my%20db+1");
        assert_eq!(s.user, "a+b c");
        assert_eq!(s.password.as_deref(), Some("p+w%/#?@:; x"));
        assert_eq!(s.database.as_deref(), Some("my db+1"));
        let m = server("mysql://u:p+w@h/my%2Fdb");
        assert_eq!((m.password.as_deref(), m.database.as_deref()), (Some("p+w"), Some("my/db")));
        let e = ConnectOptions::parse("postgres://u:%FF@h/db").unwrap_err();
        assert!(e.to_string().contains("password is not UTF-8"), "{e}");
    }

    #[test]
    fn display_encodes_what_it_shows() {
        let o = ConnectOptions::parse("postgres://a%40b:pw@h/my%20db").unwrap();
        assert_eq!(o.to_string(), "postgres://a%40b:***@h:5432/my%20db");
    }

    #[test]
    fn errors_redact_passwords() {
        let bad = [
            "postgres://u:hunter2@:99999/db",
            "mysql://u:hunter2@h/db?foo=1",
            "redis://u:hunter2@h",
            "postgres://u:hun/ter2@h/db",
            "postgres://u:hun?ter2@h/db",
            "postgres://u:hun#ter2@h/db",
            "postgres://u:12/ter2@h/db",
            "postgres:u:hunter2@h/db",
            "postgres//u:hunter2@h/db",
            "u:hunter2@h/db",
            "postgres://u:hunter2",
            "nonsense",
        ];
        for bad in bad {
            let e = ConnectOptions::parse(bad).unwrap_err();
            assert_eq!(e.kind(), kakaorm_core::ErrorKind::Config, "{bad}");
            assert!(!e.to_string().contains("ter2"), "{e}");
            assert!(!format!("{e:?}").contains("ter2"), "{e:?}");
        }
    }
}
