//! Secrets in connection URLs: a password holding any character that URLs reserve never
//! shows in `Display`, `Debug`, errors or logs, also when the URL is malformed. (SQLite
//! URLs carry no credentials, so these tests concern PostgreSQL and MySQL.)

use std::time::Duration;

use kakaorm::{ConnectOptions, Db, ErrorKind};

use crate::capture::Logs;

/// The characters that end a password early or change its meaning in a URL.
pub const SPECIAL: [char; 9] = ['+', '%', '/', '#', '?', '@', ':', ';', ' '];

/// The two halves of every test password: neither may ever show.
pub const LEFT: &str = "Sx7q";
pub const RIGHT: &str = "Zk9w";

/// Fails when `text` shows either half of the password.
pub fn assert_hidden(what: &str, text: &str) {
    assert!(!text.contains(LEFT) && !text.contains(RIGHT), "{what} shows the password: {text}");
}

/// The URL shapes tried for `scheme` and password `pw` (holding `c`), each with whether
/// `ConnectOptions::parse` accepts it: a well-formed URL unless `/ ? #` end the host
/// early, and malformed URLs, which never parse.
fn shapes(scheme: &str, pw: &str, c: char) -> Vec<(String, bool)> {
    let mut shapes = vec![
        (format!("{scheme}://app:{pw}@127.0.0.1:1/shop"), !matches!(c, '/' | '?' | '#')),
        (format!("{scheme}:app:{pw}@127.0.0.1:1/shop"), false),
        (format!("{scheme}//app:{pw}@127.0.0.1:1/shop"), false),
        (format!("app:{pw}@127.0.0.1:1/shop"), false),
    ];
    // `scheme://app:Sx7q@Zk9w` is a well-formed URL of the host `Zk9w`: no shape to try.
    if c != '@' {
        shapes.push((format!("{scheme}://app:{pw}"), false));
    }
    shapes
}

async fn passwords_never_show(scheme: &str) {
    let logs = Logs::capture();
    for c in SPECIAL {
        let pw = format!("{LEFT}{c}{RIGHT}");
        for (url, parses) in shapes(scheme, &pw, c) {
            match ConnectOptions::parse(&url) {
                Ok(opts) => {
                    assert!(parses, "{url} parsed");
                    assert_hidden("Display", &opts.to_string());
                    assert_hidden("Debug", &format!("{opts:?}"));
                    assert!(opts.to_string().contains("app:***@"), "{opts}");
                }
                Err(e) => {
                    assert!(!parses, "{url}: {e}");
                    assert_eq!(e.kind(), ErrorKind::Config, "{url}: {e}");
                    assert_hidden("the parse error", &format!("{e} {e:?}"));
                    assert!(e.to_string().contains(":***"), "the error shows no redacted url: {e}");
                }
            }
            let builder = Db::builder(&url).connect_timeout(Duration::from_secs(5));
            assert_hidden("Debug of the builder", &format!("{builder:?}"));
            let err = builder.connect().await.expect_err("nothing listens on port 1");
            let expected = if parses { ErrorKind::Connection } else { ErrorKind::Config };
            assert_eq!(err.kind(), expected, "{url}: {err}");
            assert_hidden("the connect error", &format!("{err} {err:?}"));
        }
    }
    tracing::info!(target: "kakaorm_tests", "end of the secrets test");
    let text = logs.text();
    assert!(text.contains("end of the secrets test"), "the log capture saw nothing: {text}");
    assert_hidden("the logs", &text);
}

#[tokio::test]
async fn passwords_never_show_in_postgres_urls() {
    passwords_never_show("postgres").await;
}

#[tokio::test]
async fn passwords_never_show_in_mysql_urls() {
    passwords_never_show("mysql").await;
}
