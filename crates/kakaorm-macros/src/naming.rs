//! Name rules: the default table name, SQL identifier and CHECK text validation, and
//! "did you mean" suggestions.

/// The longest identifier every backend accepts (PostgreSQL truncates past 63 bytes).
pub const MAX_IDENT_BYTES: usize = 63;

/// Converts a Rust type name to snake_case: `BlogPost` -> `blog_post`,
/// `HTTPRequest` -> `http_request`, `User2Fa` -> `user2_fa`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let after_lower = prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit());
            let acronym_end = prev.is_some_and(char::is_uppercase) && next.is_some_and(char::is_lowercase);
            if (after_lower || acronym_end) && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Checks a table, column or index name; `what` names it in the message.
///
/// # Errors
/// A message when the name is empty, longer than 63 bytes, or holds a quote, a backtick
/// or a NUL byte.
pub fn validate_identifier(name: &str, what: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("{what} must not be empty"));
    }
    if name.len() > MAX_IDENT_BYTES {
        return Err(format!("{what} `{name}` is {} bytes long; the limit is {MAX_IDENT_BYTES}", name.len()));
    }
    if let Some(bad) = name.chars().find(|c| matches!(c, '"' | '`' | '\'' | '\0')) {
        let shown = name.replace('\0', "\\0");
        return Err(format!("{what} `{shown}` must not contain {bad:?}"));
    }
    Ok(())
}

/// Checks the SQL text of a `check` constraint.
///
/// # Errors
/// A message when the text is blank or holds `;`, `--`, `/*` or `*/`, which could end the
/// statement or hide the rest of it.
pub fn validate_check(sql: &str) -> Result<(), String> {
    if sql.trim().is_empty() {
        return Err("`check` must not be empty".to_owned());
    }
    for bad in [";", "--", "/*", "*/"] {
        if sql.contains(bad) {
            return Err(format!("`check` must be one SQL expression and must not contain `{bad}`"));
        }
    }
    if sql.contains('\0') {
        return Err("`check` must not contain a NUL byte".to_owned());
    }
    Ok(())
}

/// The candidate closest to `input`, when it is close enough to be a likely typo.
pub fn suggest<'a>(input: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (input.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (edit_distance(input, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps
/// of two adjacent characters each cost one.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best =
                (d[(i - 1) * width + j] + 1).min(d[i * width + j - 1] + 1).min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// "; did you mean `x`?" when a candidate is close, else nothing.
pub fn did_you_mean(input: &str, candidates: &[&str]) -> String {
    suggest(input, candidates).map_or_else(String::new, |s| format!("; did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_handles_words_acronyms_and_digits() {
        assert_eq!(snake_case("User"), "user");
        assert_eq!(snake_case("BlogPost"), "blog_post");
        assert_eq!(snake_case("HTTPRequest"), "http_request");
        assert_eq!(snake_case("UserID"), "user_id");
        assert_eq!(snake_case("User2Fa"), "user2_fa");
        assert_eq!(snake_case("already_snake"), "already_snake");
        assert_eq!(snake_case("Item_Tag"), "item_tag");
    }

    #[test]
    fn identifiers_are_checked() {
        assert!(validate_identifier("users", "table name").is_ok());
        assert!(validate_identifier("", "table name").is_err());
        assert!(validate_identifier("a\"b", "table name").is_err());
        assert!(validate_identifier("a`b", "column name").is_err());
        assert!(validate_identifier("it's", "column name").is_err());
        assert!(validate_identifier("a\0", "column name").is_err());
        assert!(validate_identifier(&"x".repeat(63), "table name").is_ok());
        let err = validate_identifier(&"x".repeat(64), "table name").unwrap_err();
        assert!(err.contains("64 bytes"), "{err}");
    }

    #[test]
    fn check_text_is_one_expression() {
        assert!(validate_check("age >= 0").is_ok());
        assert!(validate_check("name <> ''").is_ok());
        assert!(validate_check("age >= 0; DROP TABLE users").is_err());
        assert!(validate_check("age >= 0 -- comment").is_err());
        assert!(validate_check("age /* x */ >= 0").is_err());
        assert!(validate_check("age >= 0 */").is_err());
        assert!(validate_check("age >= 0\0").is_err());
        assert!(validate_check("   ").is_err());
    }

    #[test]
    fn suggestions_catch_typos_only() {
        let known = ["max_length", "max_digits", "primary_key", "unique", "index"];
        assert_eq!(suggest("max_lenght", &known), Some("max_length"));
        assert_eq!(suggest("primarykey", &known), Some("primary_key"));
        assert_eq!(suggest("uniqe", &known), Some("unique"));
        assert_eq!(suggest("frobnicate", &known), None);
        assert_eq!(did_you_mean("indx", &known), "; did you mean `index`?");
        assert_eq!(did_you_mean("zzz", &known), "");
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("length", "lenght"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
