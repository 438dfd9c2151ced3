//! [`ValueRef`]: a column value read from a model without copying its text or bytes.

use std::fmt;

use super::Value;

/// A column value borrowed from a model: text and bytes point into the field, every other
/// type is a [`Value`] (cheap to build: numbers, dates, NULL…). What validation reads, so
/// checking a model copies none of its strings.
///
/// ```
/// use kakaorm_core::{Value, ValueRef};
/// let name = String::from("Ada");
/// let v = ValueRef::Text(&name);
/// assert!(!v.is_null());
/// assert_eq!(v.into_owned(), Value::String("Ada".into()));
/// assert!(ValueRef::Value(Value::Null).is_null());
/// ```
#[derive(Clone, PartialEq)]
pub enum ValueRef<'a> {
    /// Text, borrowed.
    Text(&'a str),
    /// Binary data, borrowed.
    Bytes(&'a [u8]),
    /// Any other value, or NULL.
    Value(Value),
}

impl ValueRef<'_> {
    /// Whether it is SQL NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, ValueRef::Value(Value::Null))
    }

    /// The owned value (copies text and bytes).
    pub fn into_owned(self) -> Value {
        match self {
            ValueRef::Text(s) => Value::String(s.to_owned()),
            ValueRef::Bytes(b) => Value::Bytes(b.to_owned()),
            ValueRef::Value(v) => v,
        }
    }
}

/// Written as the owned [`Value`] would be (`String("Ada")`), so a logged parameter reads
/// the same whether it was borrowed or not.
impl fmt::Debug for ValueRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueRef::Text(s) => f.debug_tuple("String").field(s).finish(),
            ValueRef::Bytes(b) => f.debug_tuple("Bytes").field(b).finish(),
            ValueRef::Value(v) => v.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_reads_as_the_owned_value() {
        for v in [Value::String("a\"b".into()), Value::Bytes(vec![1, 2]), Value::I64(3), Value::Null] {
            let r = match &v {
                Value::String(s) => ValueRef::Text(s),
                Value::Bytes(b) => ValueRef::Bytes(b),
                v => ValueRef::Value(v.clone()),
            };
            assert_eq!(format!("{r:?}"), format!("{v:?}"));
        }
    }
}
