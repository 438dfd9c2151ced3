//! Who runs on which backend, and in which worker binary.

use protocol::Backend;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub name: &'static str,
    pub bin: &'static str,
}

impl Spec {
    pub fn is_raw(&self) -> bool {
        self.name.starts_with("raw-")
    }

    pub fn is_kakaorm(&self) -> bool {
        self.name == "kakaorm"
    }

    /// A contender of another library (not a raw floor, not kakaorm in either mode).
    pub fn is_peer(&self) -> bool {
        !self.is_raw() && !self.name.starts_with("kakaorm")
    }
}

const fn s(name: &'static str, bin: &'static str) -> Spec {
    Spec { name, bin }
}

/// The contenders of a backend; the first one is the floor batches are calibrated on.
pub fn for_backend(backend: Backend) -> Vec<Spec> {
    match backend {
        Backend::Sqlite => vec![
            s("raw-rusqlite-inline", "worker-raw"),
            s("raw-rusqlite-thread", "worker-raw"),
            s("kakaorm", "worker-kakaorm"),
            s("kakaorm-inline", "worker-kakaorm"),
            s("sqlx", "worker-sqlx"),
            s("sea-orm", "worker-seaorm"),
            s("diesel", "worker-diesel"),
            s("diesel-async", "worker-diesel"),
        ],
        Backend::Postgres => vec![
            s("raw-tokio-postgres", "worker-raw"),
            s("raw-tokio-postgres-unnest", "worker-raw"),
            s("raw-tokio-postgres-copy", "worker-raw"),
            s("kakaorm", "worker-kakaorm"),
            s("sqlx", "worker-sqlx"),
            s("sea-orm", "worker-seaorm"),
            s("diesel-async", "worker-diesel"),
        ],
        Backend::Mysql => vec![
            s("raw-mysql-async", "worker-raw"),
            s("raw-mysql-async-json", "worker-raw"),
            s("kakaorm", "worker-kakaorm"),
            s("sqlx", "worker-sqlx"),
            s("sea-orm", "worker-seaorm"),
            s("diesel-async", "worker-diesel"),
        ],
    }
}

/// The schema (PostgreSQL), database (MySQL) or file stem (SQLite) a contender owns.
pub fn namespace(name: &str) -> String {
    format!("kb_{}", name.replace('-', "_"))
}
