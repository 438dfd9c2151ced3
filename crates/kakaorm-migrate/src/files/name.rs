//! Migration names: `<UTC timestamp>_<name>`, with the name made of letters, digits, `_`
//! and `-` only.

use chrono::{NaiveDateTime, TimeDelta, Utc};
use kakaorm::{Error, ErrorKind, Result};

/// The `chrono` format of a migration's version: its UTC creation time to the second.
const VERSION_FORMAT: &str = "%Y%m%d%H%M%S";

/// The digits of a version.
pub(crate) const VERSION_LEN: usize = 14;

/// The longest full name (`<version>_<name>`), the width of the history's name column.
pub(crate) const MAX_NAME_LEN: usize = 200;

/// Whether `name` is a valid migration name: not empty, and only ASCII letters, digits,
/// `_` and `-`. Usable in constant evaluation, which `embed_migrations!` relies on.
///
/// ```
/// assert!(kakaorm_migrate::is_valid_name("add_users-2"));
/// assert!(!kakaorm_migrate::is_valid_name("../etc"));
/// assert!(!kakaorm_migrate::is_valid_name("drop table"));
/// ```
pub const fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > MAX_NAME_LEN {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return false;
        }
        i += 1;
    }
    true
}

/// Checks the name given for a new migration.
pub(crate) fn check_label(label: &str) -> Result<()> {
    if label.len() + VERSION_LEN + 1 > MAX_NAME_LEN {
        return Err(Error::invalid_input(format!(
            "migration name is {} bytes long; the most is {}",
            label.len(),
            MAX_NAME_LEN - VERSION_LEN - 1
        )));
    }
    match is_valid_name(label) {
        true => Ok(()),
        false => Err(Error::invalid_input(format!(
            "invalid migration name {label:?}: use only letters, digits, `_` and `-`"
        ))),
    }
}

/// Splits a full migration name into its version and name, checking both.
///
/// # Errors
/// [`Migration`](ErrorKind::Migration) when `full` is not `<14-digit UTC timestamp>_<name>`
/// with a valid name.
pub(crate) fn parse_full(full: &str) -> Result<(&str, &str)> {
    let bad = || {
        Error::new(
            ErrorKind::Migration,
            format!(
                "{full:?} is not a migration name: expected <UTC timestamp YYYYMMDDHHMMSS>_<letters, digits, _ or ->"
            ),
        )
    };
    let (version, label) = full.split_once('_').ok_or_else(bad)?;
    let timestamp = NaiveDateTime::parse_from_str(version, VERSION_FORMAT).is_ok();
    match version.len() == VERSION_LEN && timestamp && is_valid_name(full) && !label.is_empty() {
        true => Ok((version, label)),
        false => Err(bad()),
    }
}

/// The version of a migration created now: the current UTC second, or one second after the
/// `latest` existing version, whichever is later, so that a new migration always sorts last.
pub(crate) fn next_version(latest: Option<&str>) -> String {
    let now = Utc::now().naive_utc();
    let after_latest = latest
        .and_then(|v| NaiveDateTime::parse_from_str(v, VERSION_FORMAT).ok())
        .and_then(|t| t.checked_add_signed(TimeDelta::seconds(1)));
    let at = match after_latest {
        Some(t) if t > now => t,
        _ => now,
    };
    at.format(VERSION_FORMAT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for ok in ["a", "Add_users", "x-1", "0"] {
            assert!(is_valid_name(ok), "{ok}");
            check_label(ok).unwrap();
        }
        for bad in ["", "a b", "a/b", "..", "ü", "a;b", "a.b"] {
            assert!(!is_valid_name(bad), "{bad}");
            assert_eq!(check_label(bad).unwrap_err().kind(), ErrorKind::InvalidInput, "{bad}");
        }
        assert_eq!(check_label(&"a".repeat(186)).unwrap_err().kind(), ErrorKind::InvalidInput);
        check_label(&"a".repeat(185)).unwrap();
    }

    #[test]
    fn full_names() {
        assert_eq!(parse_full("20260102030405_add_users").unwrap(), ("20260102030405", "add_users"));
        for bad in
            ["20260102030405", "2026010203040_x", "20261302030405_x", "20260102030405_", "x_y", "20260102030405_a.b"]
        {
            assert_eq!(parse_full(bad).unwrap_err().kind(), ErrorKind::Migration, "{bad}");
        }
    }

    #[test]
    fn versions_increase() {
        let now = next_version(None);
        assert_eq!(now.len(), VERSION_LEN);
        assert_eq!(next_version(Some("29991231235959")), "30000101000000");
        assert!(next_version(Some("20000101000000")) >= now);
    }
}
