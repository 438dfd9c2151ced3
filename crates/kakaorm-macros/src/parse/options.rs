//! The names of the `#[kakaorm(...)]` options at each place they may be written, shared by
//! the struct and field parsers for their "unknown option" messages.

/// Struct-level option names.
pub const CONTAINER_OPTIONS: &[&str] =
    &["table", "index", "unique", "create_builder", "soft_delete", "archive", "hooks", "validate_with"];

/// Option names inside the long forms `index(...)` and `unique(...)`.
pub const INDEX_OPTIONS: &[&str] = &["fields", "name"];

/// Field-level option names.
pub const FIELD_OPTIONS: &[&str] = &[
    "primary_key",
    "auto_increment",
    "column",
    "max_length",
    "default",
    "unique",
    "index",
    "check",
    "auto_now",
    "auto_now_add",
    "max_digits",
    "decimal_places",
    "references",
    "on_delete",
    "on_update",
    "min_length",
    "min_value",
    "max_value",
    "regex",
    "one_of",
    "email",
    "url",
    "validate_with",
    "version",
];
