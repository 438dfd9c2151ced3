//! Mapping mysql_async errors to kakaorm errors.

use kakaorm_core::{DbErrorInfo, Error, ErrorKind};

use crate::driver::describe;

/// Maps a driver error by the server's numeric code.
pub(crate) fn map_error(e: mysql_async::Error) -> Error {
    let server = match &e {
        mysql_async::Error::Server(s) => s,
        mysql_async::Error::Io(_) | mysql_async::Error::Driver(_) => {
            return Error::new(ErrorKind::Connection, format!("mysql: {}", describe(&e))).with_source(e);
        }
        _ => return Error::new(ErrorKind::Database, format!("mysql: {}", describe(&e))).with_source(e),
    };
    let kind = match server.code {
        1062 | 1586 => ErrorKind::UniqueViolation,
        1451 | 1452 | 1216 | 1217 => ErrorKind::ForeignKeyViolation,
        1048 | 1364 => ErrorKind::NotNullViolation,
        3819 | 4025 => ErrorKind::CheckViolation,
        1213 => ErrorKind::Deadlock,
        1205 => ErrorKind::SerializationFailure,
        1045 | 1044 | 1049 | 1053 | 1927 | 2002 | 2003 | 2006 | 2013 => ErrorKind::Connection,
        _ => ErrorKind::Database,
    };
    let msg = &server.message;
    let mut info = DbErrorInfo::new(server.code.to_string(), msg.clone());
    info.constraint = quoted_after(msg, "for key '", '\'')
        .or_else(|| quoted_after(msg, "CONSTRAINT `", '`'))
        .or_else(|| quoted_after(msg, "constraint '", '\''))
        .map(|k| k.rsplit('.').next().unwrap_or(&k).to_owned());
    info.column = quoted_after(msg, "Column '", '\'').or_else(|| quoted_after(msg, "Field '", '\''));
    Error::new(kind, format!("mysql {}: {msg}", server.code)).with_db_info(info)
}

/// The text between `prefix` and the next `end`, if `prefix` occurs.
fn quoted_after(text: &str, prefix: &str, end: char) -> Option<String> {
    let start = text.find(prefix)? + prefix.len();
    let len = text[start..].find(end)?;
    Some(text[start..start + len].to_owned())
}

#[cfg(test)]
mod tests {
    use super::quoted_after;

    #[test]
    fn extracts_names_from_messages() {
        let m = "Duplicate entry 'a@x' for key 'users.email'";
        assert_eq!(quoted_after(m, "for key '", '\'').as_deref(), Some("users.email"));
        assert_eq!(quoted_after("Column 'name' cannot be null", "Column '", '\'').as_deref(), Some("name"));
    }
}
