//! TLS against real servers: connections that are really encrypted in every mode,
//! certificates verified against the right CA and host, and refused, with a clear
//! connection error, when they do not verify. PostgreSQL is the shared server with TLS
//! switched on at run time; MariaDB is a server of the test's own (see `tls/mariadb.rs`).

mod certs;
mod mariadb;
mod pg_server;

use std::path::Path;
use std::time::Duration;

use kakaorm::{Db, ErrorKind, Executor};

use self::certs::TempDir;
use crate::harness::{self, Backend, mysql_url, postgres_url};

/// `base` with its host replaced and `query` as its query string.
fn url_for(base: &str, host: &str, port: Option<u16>, query: &str) -> String {
    let mut url = url::Url::parse(base).expect("test server url");
    url.set_host(Some(host)).expect("host");
    if let Some(port) = port {
        url.set_port(Some(port)).expect("port");
    }
    url.set_query((!query.is_empty()).then_some(query));
    url.to_string()
}

async fn connect(url: &str) -> kakaorm::Result<Db> {
    Db::builder(url).max_connections(1).connect_timeout(Duration::from_secs(10)).connect().await
}

/// How one backend tells whether the session is encrypted.
struct Probe {
    /// The TLS mode parameter and the CA file parameter.
    mode: &'static str,
    ca: &'static str,
    /// The mode names, in the order disable, prefer, require, verify-ca, verify-full.
    names: [&'static str; 5],
    /// Whether verify-ca also compares the host name. It should not; on MySQL it does
    /// until mysql_async releases its fix (issue 404, pull request 408: 0.37.1 looks for
    /// the text "NotValidForName", which rustls no longer prints): stricter, never weaker.
    verify_ca_checks_host: bool,
}

const PG: Probe = Probe {
    mode: "sslmode",
    ca: "sslrootcert",
    names: ["disable", "prefer", "require", "verify-ca", "verify-full"],
    verify_ca_checks_host: false,
};

const MY: Probe = Probe {
    mode: "ssl-mode",
    ca: "ssl-ca",
    names: ["DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"],
    verify_ca_checks_host: true,
};

impl Probe {
    fn query(&self, mode: usize, ca: Option<&Path>) -> String {
        let mut q = format!("{}={}", self.mode, self.names[mode]);
        if let Some(ca) = ca {
            q.push_str(&format!("&{}={}", self.ca, ca.display()));
        }
        q
    }

    /// Whether the session of `db` is encrypted.
    async fn encrypted(&self, db: &Db) -> bool {
        if self.mode == PG.mode {
            let ssl: Vec<bool> = db
                .fetch_raw("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", vec![])
                .await
                .expect("pg_stat_ssl");
            ssl == [true]
        } else {
            let cipher: Vec<(String, String)> =
                db.fetch_raw("SHOW SESSION STATUS LIKE 'Ssl_cipher'", vec![]).await.expect("Ssl_cipher");
            !cipher[0].1.is_empty()
        }
    }
}

/// Every mode against a server with TLS on whose certificate `ca` signed for `localhost`;
/// `other` is a CA that signed nothing. Pinned outcomes: plain only for the first mode,
/// and refusals for the wrong host and the wrong CA.
async fn check_modes(probe: &Probe, base: &str, port: Option<u16>, ca: &Path, other: &Path) {
    let mut cases = vec![
        (0, "127.0.0.1", None, false),
        (1, "127.0.0.1", None, true),
        (2, "127.0.0.1", None, true),
        (3, "localhost", Some(ca), true),
        (4, "localhost", Some(ca), true),
    ];
    let mut refusals = vec![
        (4, "127.0.0.1", ca, "not valid for name"),
        (3, "localhost", other, "UnknownIssuer"),
        // A CA file makes `require` check the chain too.
        (2, "127.0.0.1", other, "UnknownIssuer"),
    ];
    if probe.verify_ca_checks_host {
        refusals.push((3, "127.0.0.1", ca, "not valid for name"));
    } else {
        cases.push((3, "127.0.0.1", Some(ca), true));
    }
    for (mode, host, ca, encrypted) in cases {
        let url = url_for(base, host, port, &probe.query(mode, ca));
        let db = connect(&url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(probe.encrypted(&db).await, encrypted, "{url}");
        db.close().await;
    }
    for (mode, host, ca, why) in refusals {
        let url = url_for(base, host, port, &probe.query(mode, Some(ca)));
        let err = connect(&url).await.expect_err(&url);
        assert_eq!(err.kind(), ErrorKind::Connection, "{url}: {err}");
        assert!(err.to_string().contains(why), "{url}: the error does not say `{why}`: {err}");
    }
    let url = url_for(base, "localhost", port, &probe.query(4, Some(Path::new("/nonexistent/ca.pem"))));
    let err = connect(&url).await.expect_err("a missing CA file");
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
}

#[tokio::test]
async fn postgres() {
    let Some(admin) = harness::admin(Backend::Postgres).await else { return };
    let ca = pg_server::enable(&admin).await;
    admin.close().await;
    let tmp = TempDir::new("kt_tls");
    let other = certs::ca(&tmp.0, "kakaorm other CA");
    let base = postgres_url();
    // The server reloads its configuration in the background: wait until TLS verifies.
    let ready = url_for(&base, "localhost", None, &PG.query(4, Some(&ca)));
    for _ in 0..100 {
        if connect(&ready).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    check_modes(&PG, &base, None, &ca, &other).await;
}

#[tokio::test]
async fn mysql() {
    // The shared server has no TLS: PREFERRED falls back to plain text, REQUIRED fails.
    if let Some(admin) = harness::admin(Backend::Mysql).await {
        admin.close().await;
        let db = connect(&url_for(&mysql_url(), "127.0.0.1", None, &MY.query(1, None))).await.expect("PREFERRED");
        assert!(!MY.encrypted(&db).await, "the shared server has no TLS");
        db.close().await;
        let err = connect(&url_for(&mysql_url(), "127.0.0.1", None, &MY.query(2, None))).await.expect_err("REQUIRED");
        assert_eq!(err.kind(), ErrorKind::Connection, "{err}");
        assert!(err.to_string().contains("server does not have this capability"), "{err}");
    }
    let tmp = TempDir::new("kt_tls");
    let certs = certs::generate(&tmp.0);
    let other_dir = tmp.0.join("other");
    std::fs::create_dir_all(&other_dir).expect("dir");
    let other = certs::ca(&other_dir, "kakaorm other CA");
    let server = match mariadb::OwnMariadb::start(&tmp.0, &certs) {
        Ok(server) => server,
        Err(e) if std::env::var("KAKAORM_TEST_REQUIRE_ALL").is_ok_and(|v| v == "1") => panic!("{e}"),
        Err(e) => return eprintln!("\n*** SKIPPED: MariaDB with TLS: {e} ***\n"),
    };
    let base = format!("mysql://root@127.0.0.1:{}/", server.port);
    check_modes(&MY, &base, Some(server.port), &certs.ca, &other).await;
    drop(server);
}

#[tokio::test]
async fn sqlite_has_no_tls() {
    // SQLite is a file, not a network connection: there is nothing to encrypt.
    let err = kakaorm::connect("sqlite::memory:?sslmode=require").await.expect_err("no TLS parameter");
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    assert!(err.to_string().contains("unknown sqlite parameter `sslmode`"), "{err}");
}
