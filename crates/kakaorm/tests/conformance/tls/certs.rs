//! Certificates for the TLS tests, made with the `openssl` command-line tool: a CA, and a
//! server certificate it signs for `localhost` only (so `127.0.0.1` is the wrong name).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The files of one CA and the server certificate it signed.
pub struct Certs {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("run openssl (is it installed?)");
    assert!(out.status.success(), "openssl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write an openssl input file");
}

/// A self-signed CA named `name` in `dir` (`ca.pem`, `ca.key`), EC P-256.
pub fn ca(dir: &Path, name: &str) -> PathBuf {
    write(
        dir,
        "ca.cnf",
        &format!(
            "[req]\ndistinguished_name = dn\nx509_extensions = v3_ca\nprompt = no\n[dn]\nCN = {name}\n\
             [v3_ca]\nbasicConstraints = critical,CA:TRUE\nkeyUsage = critical,keyCertSign,cRLSign\n\
             subjectKeyIdentifier = hash\n"
        ),
    );
    let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(
        dir,
        &[&["req", "-x509", "-config", "ca.cnf", "-days", "3650", "-keyout", "ca.key", "-out", "ca.pem"][..], &key]
            .concat(),
    );
    dir.join("ca.pem")
}

/// A CA and a server certificate for `localhost` in `dir`.
pub fn generate(dir: &Path) -> Certs {
    let ca = ca(dir, "kakaorm test CA");
    write(dir, "server.cnf", "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = localhost\n");
    write(
        dir,
        "server.ext",
        "subjectAltName = DNS:localhost\nbasicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\n\
         extendedKeyUsage = serverAuth\nauthorityKeyIdentifier = keyid\n",
    );
    let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(
        dir,
        &[&["req", "-new", "-config", "server.cnf", "-keyout", "server.key", "-out", "server.csr"][..], &key].concat(),
    );
    let serial = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_micros());
    let serial = serial.to_string();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            &serial,
            "-days",
            "3650",
            "-extfile",
            "server.ext",
            "-out",
            "server.pem",
        ],
    );
    Certs { ca, cert: dir.join("server.pem"), key: dir.join("server.key") }
}

/// A directory removed, with all it holds, when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let dir = std::env::temp_dir().join(crate::harness::unique(prefix));
        std::fs::create_dir_all(&dir).expect("create a temporary directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
