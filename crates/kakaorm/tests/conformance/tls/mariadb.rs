//! A MariaDB server of the test's own, with TLS: MariaDB 10.11 cannot switch TLS on at
//! run time (`have_ssl` is DISABLED without certificates at start-up, and `ssl_cert` and
//! `ssl_key` are read-only), and the shared server must never be restarted. This one gets
//! a temporary data directory and a free loopback port, and is killed when dropped.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::certs::Certs;

/// A running server; stopped, and its data removed, when dropped.
pub struct OwnMariadb {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

/// The first of `names` that exists (the server binaries live in sbin, often off PATH).
fn binary(names: &[&str]) -> Option<PathBuf> {
    names.iter().map(PathBuf::from).find(|p| p.exists())
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local addr").port()
}

impl OwnMariadb {
    /// Creates a data directory under `dir` and starts a server with `certs`, ready for
    /// connections. `Err` when MariaDB is not installed here.
    pub fn start(dir: &Path, certs: &Certs) -> Result<OwnMariadb, String> {
        let install = binary(&["/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db"])
            .ok_or("mariadb-install-db is not installed")?;
        let server = binary(&["/usr/sbin/mariadbd", "/usr/bin/mariadbd", "/usr/sbin/mysqld"])
            .ok_or("mariadbd is not installed")?;
        let data = dir.join("data");
        let out = Command::new(install)
            .args(["--no-defaults", "--user=root", "--skip-test-db", "--auth-root-authentication-method=normal"])
            .arg(format!("--datadir={}", data.display()))
            .output()
            .map_err(|e| format!("mariadb-install-db: {e}"))?;
        if !out.status.success() {
            return Err(format!("mariadb-install-db failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let port = free_port();
        let path = |flag: &str, p: &Path| format!("--{flag}={}", p.display());
        let child = Command::new(server)
            .args(["--no-defaults", "--user=root", "--bind-address=127.0.0.1", "--skip-grant-tables"])
            .args(["--skip-name-resolve", "--skip-log-bin", "--innodb-buffer-pool-size=16M"])
            .arg(format!("--port={port}"))
            .arg(path("datadir", &data))
            .arg(path("socket", &dir.join("mysqld.sock")))
            .arg(path("pid-file", &dir.join("mysqld.pid")))
            .arg(path("log-error", &dir.join("error.log")))
            .arg(path("ssl-ca", &certs.ca))
            .arg(path("ssl-cert", &certs.cert))
            .arg(path("ssl-key", &certs.key))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("mariadbd: {e}"))?;
        let mut server = OwnMariadb { child, port, dir: dir.to_owned() };
        server.wait_until_listening()?;
        Ok(server)
    }

    /// Waits (at most a minute) for the port to accept connections.
    fn wait_until_listening(&mut self) -> Result<(), String> {
        for _ in 0..600 {
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default();
                return Err(format!("mariadbd exited ({status}): {log}"));
            }
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("mariadbd did not listen within a minute".into())
    }
}

impl Drop for OwnMariadb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
