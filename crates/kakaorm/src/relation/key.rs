//! Relation keys: a hashable form of a key value, and related rows grouped by it.

use std::collections::{HashMap, HashSet};

use kakaorm_core::Value;

/// A key value that can be hashed: every integer width compares as `i64`, so an `i32`
/// foreign key matches an `i32` primary key whatever the driver returned.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RelKey {
    /// Any integer.
    Int(i64),
    /// Text.
    Text(String),
    /// A UUID.
    Uuid(uuid::Uuid),
    /// Any other type, by its canonical text form.
    Other(String),
}

impl RelKey {
    /// The key of a value; `None` for NULL (a NULL key matches nothing).
    pub(crate) fn of(value: &Value) -> Option<RelKey> {
        Some(match value {
            Value::Null => return None,
            Value::I16(v) => RelKey::Int(i64::from(*v)),
            Value::I32(v) => RelKey::Int(i64::from(*v)),
            Value::I64(v) => RelKey::Int(*v),
            Value::String(s) => RelKey::Text(s.clone()),
            Value::Uuid(u) => RelKey::Uuid(*u),
            other => RelKey::Other(other.to_json().to_string()),
        })
    }
}

/// A map keyed by relation keys, with a fast seeded hasher (keys come from the database,
/// so the seed still guards against collisions chosen by a client).
pub(crate) type KeyMap<V> = HashMap<RelKey, V, foldhash::fast::RandomState>;

/// A set of relation keys, hashed like [`KeyMap`].
pub(crate) type KeySet = HashSet<RelKey, foldhash::fast::RandomState>;

/// Related rows grouped by the key they match, in the order the query returned them.
#[doc(hidden)]
pub struct Grouped<C> {
    rows: KeyMap<Vec<C>>,
}

impl<C> Grouped<C> {
    /// Groups `rows` by the key `key_of` reads from each; rows with a NULL key are dropped.
    pub(crate) fn new(rows: Vec<C>, key_of: impl Fn(&C) -> Option<RelKey>) -> Self {
        let mut grouped: KeyMap<Vec<C>> = KeyMap::default();
        for row in rows {
            if let Some(k) = key_of(&row) {
                grouped.entry(k).or_default().push(row);
            }
        }
        Grouped { rows: grouped }
    }

    /// Groups rows that arrive with the key they belong to (a join model's rows).
    pub(crate) fn from_pairs(pairs: Vec<(Option<RelKey>, C)>) -> Self {
        let mut grouped: KeyMap<Vec<C>> = KeyMap::default();
        for (key, row) in pairs {
            if let Some(k) = key {
                grouped.entry(k).or_default().push(row);
            }
        }
        Grouped { rows: grouped }
    }

    /// Moves the rows of `key` out (each row belongs to one parent).
    pub(crate) fn take(&mut self, key: &RelKey) -> Option<Vec<C>> {
        self.rows.remove(key)
    }

    /// The first row of `key`, left in place (several parents may share it).
    pub(crate) fn first(&self, key: &RelKey) -> Option<&C> {
        self.rows.get(key).and_then(|v| v.first())
    }
}
