//! Validation rules declared on model fields, checked before any write, with every failure
//! collected in one structured, serializable, translated error.
//!
//! The derive stores each field's rules in its [`ColumnSchema`](crate::schema::ColumnSchema)
//! (`#[kakaorm(min_length = 1, max_length = 50, regex = "^[a-z]+$")]`); one engine checks
//! them against the values about to be written, so a model, a create builder and every
//! row of a bulk insert are validated the same way. Custom validators (`validate_with`)
//! run on the model itself.

mod check;
mod errors;
mod locale;
mod rules;

pub use check::{check_row, check_value_refs, check_values};
pub use errors::{FieldError, IntoInvalid, Invalid, ValidationErrors};
pub use locale::{Locale, locale, set_locale};
pub use rules::{Choices, Number, Pattern, Rule};
