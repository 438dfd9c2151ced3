//! The orchestrator's own raw connections: seeding, resetting write tables and checking
//! what bulk inserts left behind, always outside the timed region.

use std::path::{Path, PathBuf};

use mysql_async::prelude::Queryable;
use protocol::Backend;

use crate::contenders::{Spec, namespace};
use crate::seed;

pub const PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";
pub const MYSQL_URL: &str = "mysql://root@127.0.0.1:3306/test";

pub enum Admin {
    Pg(tokio_postgres::Client),
    Mysql(mysql_async::Conn),
    Sqlite { dir: PathBuf },
}

fn pg_err(e: tokio_postgres::Error) -> String {
    format!("postgres: {e}")
}

fn my_err(e: mysql_async::Error) -> String {
    format!("mysql: {e}")
}

fn lite_err(e: rusqlite::Error) -> String {
    format!("sqlite: {e}")
}

const SEED: &str = "kb_seed";

impl Admin {
    pub async fn connect(backend: Backend, sqlite_dir: &Path) -> Result<Admin, String> {
        Ok(match backend {
            Backend::Postgres => {
                let url = std::env::var("KAKAORM_BENCH_POSTGRES_URL").unwrap_or_else(|_| PG_URL.to_owned());
                let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.map_err(pg_err)?;
                tokio::spawn(async move {
                    let _ = conn.await;
                });
                Admin::Pg(client)
            }
            Backend::Mysql => {
                let url = std::env::var("KAKAORM_BENCH_MYSQL_URL").unwrap_or_else(|_| MYSQL_URL.to_owned());
                let opts = mysql_async::Opts::from_url(&url).map_err(|e| e.to_string())?;
                Admin::Mysql(mysql_async::Conn::new(opts).await.map_err(my_err)?)
            }
            Backend::Sqlite => {
                std::fs::create_dir_all(sqlite_dir).map_err(|e| format!("{}: {e}", sqlite_dir.display()))?;
                Admin::Sqlite { dir: sqlite_dir.to_owned() }
            }
        })
    }

    pub async fn server_version(&mut self) -> Result<String, String> {
        match self {
            Admin::Pg(c) => Ok(c.query_one("SHOW server_version", &[]).await.map_err(pg_err)?.get(0)),
            Admin::Mysql(c) => {
                let v: Option<String> = c.query_first("SELECT VERSION()").await.map_err(my_err)?;
                Ok(v.unwrap_or_default())
            }
            Admin::Sqlite { .. } => Ok(format!("SQLite {} (bundled by rusqlite; see header)", rusqlite::version())),
        }
    }

    fn sqlite_file(dir: &Path, name: &str) -> PathBuf {
        dir.join(format!("{name}.db"))
    }

    async fn exec_all(&mut self, stmts: &[String]) -> Result<(), String> {
        for sql in stmts {
            match self {
                Admin::Pg(c) => c.batch_execute(sql).await.map_err(pg_err)?,
                Admin::Mysql(c) => c.query_drop(sql).await.map_err(my_err)?,
                Admin::Sqlite { .. } => unreachable!("sqlite seeds through files"),
            }
        }
        Ok(())
    }

    /// Fills `{s}susers` with `n` rows: UNNEST of 100 000-row arrays on PostgreSQL,
    /// multi-row inserts in one transaction on MySQL (SQLite seeds inside its own).
    async fn seed_stream(&mut self, s: &str, n: usize) -> Result<(), String> {
        match self {
            Admin::Pg(c) => {
                let sql = format!(
                    "INSERT INTO {s}susers (id, name, hair_color) SELECT * FROM UNNEST($1::int8[], $2::text[], $3::text[])"
                );
                for (ids, names, hairs) in seed::stream_arrays(n, 100_000) {
                    c.execute(&sql, &[&ids, &names, &hairs]).await.map_err(pg_err)?;
                }
                Ok(())
            }
            _ => {
                let mut stmts = vec!["START TRANSACTION".to_owned()];
                stmts.extend(seed::stream_rows(s, n));
                stmts.push("COMMIT".to_owned());
                self.exec_all(&stmts).await
            }
        }
    }

    /// Builds the seed once, then gives every contender its own identical copy. `stream`
    /// is the number of rows of `susers` (0 unless the `stream_1m` cell runs). Returns the
    /// URL (or SQLite path) each contender's worker connects to, in `specs` order.
    pub async fn prepare(&mut self, specs: &[Spec], stream: usize) -> Result<Vec<String>, String> {
        match self {
            Admin::Sqlite { dir } => {
                let dir = dir.clone();
                let template = Self::sqlite_file(&dir, SEED);
                remove_sqlite(&template);
                let c = rusqlite::Connection::open(&template).map_err(lite_err)?;
                c.execute_batch("PRAGMA journal_mode = WAL; BEGIN;").map_err(lite_err)?;
                let stream_rows = if stream > 0 { seed::stream_rows("", stream) } else { Vec::new() };
                for sql in seed::ddl(Backend::Sqlite, "").iter().chain(&seed::rows("")).chain(&stream_rows) {
                    c.execute_batch(sql).map_err(lite_err)?;
                }
                c.execute_batch("COMMIT; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);").map_err(lite_err)?;
                drop(c);
                let mut urls = Vec::new();
                for spec in specs {
                    let file = Self::sqlite_file(&dir, &namespace(spec.name));
                    remove_sqlite(&file);
                    std::fs::copy(&template, &file).map_err(|e| format!("{}: {e}", file.display()))?;
                    urls.push(file.display().to_string());
                }
                Ok(urls)
            }
            Admin::Pg(_) => {
                self.exec_all(&[format!("DROP SCHEMA IF EXISTS {SEED} CASCADE"), format!("CREATE SCHEMA {SEED}")])
                    .await?;
                let s = format!("{SEED}.");
                self.exec_all(&seed::ddl(Backend::Postgres, &s)).await?;
                self.exec_all(&seed::rows(&s)).await?;
                if stream > 0 {
                    self.seed_stream(&s, stream).await?;
                }
                let mut urls = Vec::new();
                for spec in specs {
                    let ns = namespace(spec.name);
                    let mut stmts = vec![format!("DROP SCHEMA IF EXISTS {ns} CASCADE"), format!("CREATE SCHEMA {ns}")];
                    stmts.extend(seed::ddl(Backend::Postgres, &format!("{ns}.")));
                    stmts.extend(seed::copy(SEED, &ns));
                    for t in seed::TABLES {
                        stmts.push(format!(
                            "SELECT setval(pg_get_serial_sequence('{ns}.{t}', 'id'), (SELECT MAX(id) FROM {ns}.{t}))"
                        ));
                    }
                    for t in seed::TABLES.iter().chain(&["wusers"]) {
                        stmts.push(format!("VACUUM ANALYZE {ns}.{t}"));
                    }
                    self.exec_all(&stmts).await?;
                    let base = std::env::var("KAKAORM_BENCH_POSTGRES_URL").unwrap_or_else(|_| PG_URL.to_owned());
                    urls.push(format!("{base}?options=-csearch_path%3D{ns}%20-csynchronous_commit%3Doff"));
                }
                self.exec_all(&[format!("DROP SCHEMA {SEED} CASCADE")]).await?;
                Ok(urls)
            }
            Admin::Mysql(_) => {
                self.exec_all(&[format!("DROP DATABASE IF EXISTS {SEED}"), format!("CREATE DATABASE {SEED}")]).await?;
                let s = format!("{SEED}.");
                self.exec_all(&seed::ddl(Backend::Mysql, &s)).await?;
                self.exec_all(&seed::rows(&s)).await?;
                if stream > 0 {
                    self.seed_stream(&s, stream).await?;
                }
                let mut urls = Vec::new();
                for spec in specs {
                    let ns = namespace(spec.name);
                    let mut stmts = vec![format!("DROP DATABASE IF EXISTS {ns}"), format!("CREATE DATABASE {ns}")];
                    stmts.extend(seed::ddl(Backend::Mysql, &format!("{ns}.")));
                    stmts.extend(seed::copy(SEED, &ns));
                    let tables: Vec<String> =
                        seed::TABLES.iter().chain(&["wusers"]).map(|t| format!("{ns}.{t}")).collect();
                    stmts.push(format!("ANALYZE TABLE {}", tables.join(", ")));
                    self.exec_all(&stmts).await?;
                    let base = std::env::var("KAKAORM_BENCH_MYSQL_URL").unwrap_or_else(|_| MYSQL_URL.to_owned());
                    let server = base.rsplit_once('/').map_or(base.as_str(), |(s, _)| s);
                    urls.push(format!("{server}/{ns}"));
                }
                self.exec_all(&[format!("DROP DATABASE {SEED}")]).await?;
                Ok(urls)
            }
        }
    }

    /// MySQL only: sets `innodb_flush_log_at_trx_commit = 2` for the run (commits are not
    /// flushed to disk one by one, as PostgreSQL sessions run with `synchronous_commit =
    /// off` and SQLite files live on tmpfs). Returns the previous value to restore.
    pub async fn relax_durability(&mut self) -> Result<Option<i64>, String> {
        let Admin::Mysql(c) = self else { return Ok(None) };
        let old: Option<i64> = c.query_first("SELECT @@GLOBAL.innodb_flush_log_at_trx_commit").await.map_err(my_err)?;
        c.query_drop("SET GLOBAL innodb_flush_log_at_trx_commit = 2").await.map_err(my_err)?;
        Ok(old)
    }

    pub async fn restore_durability(&mut self, old: Option<i64>) -> Result<(), String> {
        if let (Admin::Mysql(c), Some(v)) = (self, old) {
            c.query_drop(format!("SET GLOBAL innodb_flush_log_at_trx_commit = {v}")).await.map_err(my_err)?;
        }
        Ok(())
    }

    /// Empties a contender's `wusers` and restarts its ids at 1.
    pub async fn reset_wusers(&mut self, contender: &str) -> Result<(), String> {
        let ns = namespace(contender);
        match self {
            Admin::Pg(c) => c.batch_execute(&format!("TRUNCATE {ns}.wusers RESTART IDENTITY")).await.map_err(pg_err),
            Admin::Mysql(c) => c.query_drop(format!("TRUNCATE TABLE {ns}.wusers")).await.map_err(my_err),
            Admin::Sqlite { dir } => {
                let c = open_existing(&Self::sqlite_file(dir, &ns))?;
                c.execute_batch("DELETE FROM wusers").map_err(lite_err)
            }
        }
    }

    /// Runs a query for three integers in a contender's namespace; `sql(int, table prefix,
    /// placeholder)` writes it, `int` being the backend's name for a BIGINT cast.
    async fn three_ints(
        &mut self,
        contender: &str,
        sql: impl Fn(&str, &str, &str) -> String,
        param: String,
    ) -> Result<(i64, i64, i64), String> {
        let ns = namespace(contender);
        match self {
            Admin::Pg(c) => {
                let r = c.query_one(&sql("BIGINT", &format!("{ns}."), "$1"), &[&param]).await.map_err(pg_err)?;
                Ok((r.get(0), r.get(1), r.get(2)))
            }
            Admin::Mysql(c) => {
                let r: Option<(i64, i64, i64)> =
                    c.exec_first(sql("SIGNED", &format!("{ns}."), "?"), (param,)).await.map_err(my_err)?;
                r.ok_or_else(|| "no row".to_owned())
            }
            Admin::Sqlite { dir } => {
                let c = open_existing(&Self::sqlite_file(dir, &ns))?;
                c.query_row(&sql("BIGINT", "", "?1"), [param], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .map_err(lite_err)
            }
        }
    }

    /// `(rows, sum of ids, rows whose name starts with `prefix`)` of a contender's `wusers`.
    pub async fn wusers_state(&mut self, contender: &str, prefix: &str) -> Result<(i64, i64, i64), String> {
        let sql = |int: &str, ns: &str, ph: &str| {
            format!(
                "SELECT COUNT(*), CAST(COALESCE(SUM(id), 0) AS {int}), \
                 CAST(COALESCE(SUM(CASE WHEN name LIKE {ph} THEN 1 ELSE 0 END), 0) AS {int}) FROM {ns}wusers"
            )
        };
        self.three_ints(contender, sql, format!("{prefix}%")).await
    }

    /// `(rows, sum of ids, rows whose hair_color is NULL)` of the rows of a contender's
    /// `busers` whose name starts with `prefix`.
    pub async fn busers_state(&mut self, contender: &str, prefix: &str) -> Result<(i64, i64, i64), String> {
        let sql = |int: &str, ns: &str, ph: &str| {
            format!(
                "SELECT COUNT(*), CAST(COALESCE(SUM(id), 0) AS {int}), \
                 CAST(COALESCE(SUM(CASE WHEN hair_color IS NULL THEN 1 ELSE 0 END), 0) AS {int}) \
                 FROM {ns}busers WHERE name LIKE {ph}"
            )
        };
        self.three_ints(contender, sql, format!("{prefix}%")).await
    }

    /// Before a `bulk_update` command: on PostgreSQL, vacuums the dead row versions earlier
    /// commands left in a contender's `busers`, so every command starts from the same
    /// table; MySQL and SQLite update rows in place.
    pub async fn reset_busers(&mut self, contender: &str) -> Result<(), String> {
        match self {
            Admin::Pg(c) => c.batch_execute(&format!("VACUUM {}.busers", namespace(contender))).await.map_err(pg_err),
            _ => Ok(()),
        }
    }

    /// Drops what `prepare` created.
    pub async fn cleanup(&mut self, specs: &[Spec]) -> Result<(), String> {
        for spec in specs {
            let ns = namespace(spec.name);
            match self {
                Admin::Pg(c) => {
                    c.batch_execute(&format!("DROP SCHEMA IF EXISTS {ns} CASCADE")).await.map_err(pg_err)?
                }
                Admin::Mysql(c) => c.query_drop(format!("DROP DATABASE IF EXISTS {ns}")).await.map_err(my_err)?,
                Admin::Sqlite { dir } => remove_sqlite(&Self::sqlite_file(dir, &ns)),
            }
        }
        if let Admin::Sqlite { dir } = self {
            remove_sqlite(&Self::sqlite_file(dir, SEED));
        }
        Ok(())
    }
}

/// Opens a contender's database, which `prepare` copied: never creates one, so a file
/// removed under the run (another run's cleanup of the same directory) reports itself
/// instead of turning into an empty database with no tables.
fn open_existing(path: &Path) -> Result<rusqlite::Connection, String> {
    use rusqlite::OpenFlags;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let c =
        rusqlite::Connection::open_with_flags(path, flags).map_err(|e| format!("sqlite: {}: {e}", path.display()))?;
    c.busy_timeout(std::time::Duration::from_secs(10)).map_err(lite_err)?;
    Ok(c)
}

fn remove_sqlite(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
