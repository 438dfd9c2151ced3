//! Hiding the password of a connection URL that could not be parsed.

/// Replaces the password of a URL-looking string with `***`, found by the URL's structure
/// rather than by scanning for the end of the host: the user info ends at the last `@`,
/// and the password starts at the first `:` of the user info. A password holding `/`, `?`,
/// `#`, `@` or `:` is therefore hidden whole, also in malformed URLs (`scheme:u:pw@host`,
/// `scheme//u:pw@host`, `u:pw@host`). Text after the last `@` that is not a password may
/// be hidden too; a password is never shown.
pub(crate) fn redact(url: &str) -> String {
    match url.rfind('@') {
        Some(at) => redact_user_info(url, at),
        None => redact_bad_port(url),
    }
}

/// `url[..at]` holds the user info: keep the scheme and the user, hide the rest.
fn redact_user_info(url: &str, at: usize) -> String {
    let Some(colon) = url[..at].find(':') else {
        return url.to_owned();
    };
    let authority =
        if url[colon + 1..].starts_with("//") { Some(colon + 3) } else { url[..colon].find("//").map(|i| i + 2) };
    let user_end = match authority {
        // `scheme://user:password@…` or `scheme//user:password@…`.
        Some(start) => match url[start..at].find(':') {
            Some(c) => start + c,
            None => return url.to_owned(),
        },
        // No `//`: everything after the first `:` may be a password (`scheme:u:pw@…`, `u:pw@…`).
        None => colon,
    };
    format!("{}:***{}", &url[..user_end], &url[at..])
}

/// Without `@` there is no user info, but `scheme://user:password` (the host forgotten)
/// reads as a host and a port: hide a "port" that is not a number, and all that follows.
fn redact_bad_port(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    // The port follows the first `:` after the host (after the `]` of an IPv6 address).
    let host_end =
        if url[start..].starts_with('[') { url[start..end].find(']').map_or(end, |i| start + i) } else { start };
    let Some(colon) = url[host_end..end].find(':').map(|i| host_end + i) else {
        return url.to_owned();
    };
    if url[colon + 1..end].bytes().all(|b| b.is_ascii_digit()) {
        return url.to_owned();
    }
    format!("{}:***", &url[..colon])
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn hides_the_whole_password() {
        let cases = [
            ("postgres://a:b@c:d@host/x", "postgres://a:***@host/x"),
            ("postgres://u:p/w?x#y@host:1/db", "postgres://u:***@host:1/db"),
            ("mysql:u:p/w@host/db", "mysql:***@host/db"),
            ("mysql//u:p?w@host/db", "mysql//u:***@host/db"),
            ("u:p#w@host/db", "u:***@host/db"),
            ("mysql:u:p//w@host", "mysql:***@host"),
            ("postgres://u:secret", "postgres://u:***"),
            ("postgres://u:sec/ret", "postgres://u:***"),
            ("postgres://u:se:cret", "postgres://u:***"),
            ("postgres://[::1]:se:cret", "postgres://[::1]:***"),
        ];
        for (url, shown) in cases {
            assert_eq!(redact(url), shown, "{url}");
        }
    }

    #[test]
    fn leaves_urls_without_passwords_alone() {
        let urls = [
            "postgres://host/x",
            "postgres://u@h/x",
            "postgres://h:5432/db?a=b:c",
            "mysql://[::1]:1/d",
            "sqlite::memory:",
        ];
        for url in urls {
            assert_eq!(redact(url), url);
        }
    }
}
