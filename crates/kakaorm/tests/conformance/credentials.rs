//! Logging in with a real PostgreSQL role and MySQL user whose password holds every
//! character URLs reserve, into a database whose name needs percent-encoding. (SQLite
//! has no users or passwords.)

use std::time::Duration;

use kakaorm::{Db, ErrorKind, Executor};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::capture::Logs;
use crate::harness::{self, Backend, mysql_url, postgres_url};
use crate::secrets::{LEFT, RIGHT, SPECIAL, assert_hidden};

/// Percent-encodes all but letters, digits and `+`: a raw `+` must stay a `+`.
const URL_PART: &AsciiSet = &NON_ALPHANUMERIC.remove(b'+').remove(b'_');

/// The password: both halves around every special character.
fn password() -> String {
    let special: String = SPECIAL.iter().collect();
    format!("{LEFT}{special}{RIGHT}")
}

/// `Err(what)` unless `ok`: the body reports instead of panicking, so cleanup always runs.
fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what()) }
}

/// A server URL for `user`, `password` and `database`, on the host and port of `base`.
fn login_url(base: &str, user: &str, password: &str, database: &str) -> String {
    let base = url::Url::parse(base).expect("test server url");
    let (host, port) = (base.host_str().expect("host"), base.port().expect("port"));
    let enc = |s: &str| utf8_percent_encode(s, URL_PART).to_string();
    format!("{}://{}:{}@{host}:{port}/{}", base.scheme(), enc(user), enc(password), enc(database))
}

/// Checks that a wrong password (`+` read as a space, the old bug) is refused, logs in as
/// `user`, checks who and where the session is, and that nothing shows the password.
async fn log_in(base: &str, user: &str, database: &str, whoami: &str) -> Result<(), String> {
    let logs = Logs::capture();
    // First the wrong password, until refused: from then on passwords are checked.
    let wrong = login_url(base, user, &password().replace('+', " "), database);
    let err = refused(&wrong).await?;
    check(err.kind() == ErrorKind::Connection, || format!("a wrong password gave {err}"))?;
    assert_hidden("the login error", &format!("{err} {err:?}"));
    let url = login_url(base, user, &password(), database);
    let db = Db::builder(&url).max_connections(1).connect().await.map_err(|e| format!("login failed: {e}"))?;
    let seen: Vec<(String, String)> = db.fetch_raw(whoami, vec![]).await.map_err(|e| e.to_string())?;
    check(seen == [(user.to_owned(), database.to_owned())], || format!("logged in as {seen:?}"))?;
    assert_hidden("Debug of the pool", &format!("{db:?}"));
    db.close().await;
    let text = logs.text();
    check(text.contains("connected"), || format!("no connection was logged: {text}"))?;
    assert_hidden("the logs", &text);
    Ok(())
}

/// The error of logging in with `url`, retried for a while: a server reloading its
/// configuration may still let the first attempts in.
async fn refused(url: &str) -> Result<kakaorm::Error, String> {
    for _ in 0..50 {
        match Db::builder(url).max_connections(1).connect().await {
            Err(e) => return Ok(e),
            Ok(db) => db.close().await,
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err("a wrong password was accepted".into())
}

/// Runs `body`, then the cleanup statements whatever happened, then reports.
async fn with_cleanup(admin: Db, body: impl Future<Output = Result<(), String>>, cleanup: &[String]) {
    let outcome = body.await;
    for sql in cleanup {
        if let Err(e) = admin.execute_raw(sql, vec![]).await {
            eprintln!("cleanup failed ({sql}): {e}");
        }
    }
    admin.close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

/// The group whose members PostgreSQL asks for a password (SCRAM) over 127.0.0.1.
const SCRAM_GROUP: &str = "kakaorm_scram_auth";

/// The local PostgreSQL trusts local connections, so no password would be checked: a
/// line at the top of pg_hba.conf (added once, then kept) makes members of `SCRAM_GROUP`
/// authenticate with SCRAM. The group is created here and dropped by the cleanup once no
/// member is left.
async fn require_passwords(admin: &Db) -> kakaorm::Result<()> {
    let line = format!("host all +{SCRAM_GROUP} 127.0.0.1/32 scram-sha-256");
    admin
        .execute_raw(
            &format!(
                "DO $$ BEGIN CREATE ROLE {SCRAM_GROUP} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            ),
            vec![],
        )
        .await?;
    let file: Vec<String> = admin.fetch_raw("SELECT current_setting('hba_file')", vec![]).await?;
    let path = &file[0];
    let text = std::fs::read_to_string(path).expect("read pg_hba.conf (the tests need a local server)");
    if !text.lines().any(|l| l == line) {
        let header = "# kakaorm tests: members of this group log in with a password";
        std::fs::write(path, format!("{header}\n{line}\n{text}")).expect("write pg_hba.conf");
        let bad: Vec<i64> =
            admin.fetch_raw("SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL", vec![]).await?;
        assert_eq!(bad, [0], "pg_hba.conf has errors");
        admin.execute_raw("SELECT pg_reload_conf()", vec![]).await?;
    }
    Ok(())
}

#[tokio::test]
async fn special_password_and_database_name_postgres() {
    let Some(admin) = harness::admin(Backend::Postgres).await else { return };
    require_passwords(&admin).await.expect("password authentication");
    let user = harness::unique("kt_pw");
    let database = format!("{user} db+1");
    let pw = password();
    assert!(!pw.contains(['\'', '\\']), "the password is written as an SQL literal");
    admin
        .execute_raw(&format!("CREATE ROLE \"{user}\" LOGIN PASSWORD '{pw}' IN ROLE {SCRAM_GROUP}"), vec![])
        .await
        .expect("create role");
    admin.execute_raw(&format!("CREATE DATABASE \"{database}\" OWNER \"{user}\""), vec![]).await.expect("create db");
    let whoami = "SELECT current_user::text, current_database()::text";
    let cleanup = [
        format!("DROP DATABASE \"{database}\" WITH (FORCE)"),
        format!("DROP ROLE \"{user}\""),
        format!(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid \
             WHERE r.rolname = '{SCRAM_GROUP}') THEN DROP ROLE IF EXISTS {SCRAM_GROUP}; END IF; END $$"
        ),
    ];
    with_cleanup(admin, log_in(&postgres_url(), &user, &database, whoami), &cleanup).await;
}

#[tokio::test]
async fn special_password_and_database_name_mysql() {
    let Some(admin) = harness::admin(Backend::Mysql).await else { return };
    let user = harness::unique("kt_pw");
    let database = format!("{user} db+1");
    let pw = password();
    assert!(!pw.contains(['\'', '\\']), "the password is written as an SQL literal");
    for sql in [
        format!("CREATE USER '{user}'@'%' IDENTIFIED BY '{pw}'"),
        format!("CREATE DATABASE `{database}`"),
        format!("GRANT ALL ON `{database}`.* TO '{user}'@'%'"),
    ] {
        admin.execute_raw(&sql, vec![]).await.expect("create user and database");
    }
    let whoami = "SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1), DATABASE()";
    let cleanup = [format!("DROP DATABASE `{database}`"), format!("DROP USER '{user}'@'%'")];
    with_cleanup(admin, log_in(&mysql_url(), &user, &database, whoami), &cleanup).await;
}
