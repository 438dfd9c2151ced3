//! Switches TLS on in the shared PostgreSQL server, without a restart, with a certificate
//! for `localhost` signed by the tests' own CA. Idempotent and left on (plain clients are
//! not affected): the files live in the server's data directory and are reused, and the
//! settings are written only when they differ.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use kakaorm::{Db, Executor};

use super::certs;

/// Switches TLS on; returns the CA file that verifies the server.
pub async fn enable(admin: &Db) -> PathBuf {
    let data: Vec<String> =
        admin.fetch_raw("SELECT current_setting('data_directory')", vec![]).await.expect("data dir");
    let data = Path::new(&data[0]);
    let dir = data.join("kakaorm_test_tls");
    if !dir.join("ca.pem").exists() {
        install(data, &dir);
    }
    let (cert, key) = (dir.join("server.pem").display().to_string(), dir.join("server.key").display().to_string());
    let now: Vec<(String, String, String)> = admin
        .fetch_raw(
            "SELECT current_setting('ssl'), current_setting('ssl_cert_file'), current_setting('ssl_key_file')",
            vec![],
        )
        .await
        .expect("ssl settings");
    if now != [("on".to_owned(), cert.clone(), key.clone())] {
        for sql in [
            format!("ALTER SYSTEM SET ssl_cert_file = '{cert}'"),
            format!("ALTER SYSTEM SET ssl_key_file = '{key}'"),
            "ALTER SYSTEM SET ssl = on".to_owned(),
            "SELECT pg_reload_conf()".to_owned(),
        ] {
            admin.execute_raw(&sql, vec![]).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }
    dir.join("ca.pem")
}

/// Writes the certificates into `dir`, readable by the server's OS user only. Made in a
/// directory of their own and renamed into place, so that a concurrent run sees all or none.
fn install(data: &Path, dir: &Path) {
    assert!(data.exists(), "the PostgreSQL data directory {} is not on this machine", data.display());
    let staging = data.join(format!("kakaorm_test_tls.{}", std::process::id()));
    std::fs::create_dir_all(&staging).expect("staging dir");
    certs::generate(&staging);
    let owner = std::fs::metadata(data).expect("data dir owner");
    for entry in std::fs::read_dir(&staging).expect("list staging dir") {
        let path = entry.expect("staging entry").path();
        let keep = matches!(path.file_name().and_then(|n| n.to_str()), Some("ca.pem" | "server.pem" | "server.key"));
        if !keep {
            std::fs::remove_file(&path).expect("remove a staging file");
            continue;
        }
        std::os::unix::fs::chown(&path, Some(owner.uid()), Some(owner.gid())).expect("chown");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    std::os::unix::fs::chown(&staging, Some(owner.uid()), Some(owner.gid())).expect("chown dir");
    if std::fs::rename(&staging, dir).is_err() {
        // Another run installed its own first: use that one.
        let _ = std::fs::remove_dir_all(&staging);
    }
}
