//! The field types that hold related rows: `HasMany`, `HasOne` and `BelongsTo`.
//!
//! A relation field is not a column. The row decoder leaves it *not loaded*; `prefetch`
//! and `load` fill it. Reading a field that was never loaded is a typed
//! [`NotLoaded`](crate::ErrorKind::NotLoaded) error: kakaorm never runs a hidden query.

use std::fmt;

use kakaorm_core::{Error, ErrorKind, Result};

use super::fill::RelationField;
use super::key::{Grouped, RelKey};

/// Which model and relation a field belongs to, for the `NotLoaded` message.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Origin {
    model: &'static str,
    relation: &'static str,
}

impl Origin {
    fn not_loaded(self) -> Error {
        let what =
            if self.model.is_empty() { "a relation".to_owned() } else { format!("`{}.{}`", self.model, self.relation) };
        Error::new(
            ErrorKind::NotLoaded,
            format!("{what} was not loaded: add `.prefetch(...)` to the query, or call `load` first"),
        )
    }
}

macro_rules! relation_field {
    ($(#[$doc:meta])* $name:ident, $stored:ty) => {
        $(#[$doc])*
        pub struct $name<T> {
            value: Option<$stored>,
            origin: Origin,
        }

        impl<T> $name<T> {
            /// A field that was not loaded, naming its model and relation for the error.
            #[doc(hidden)]
            pub const fn not_loaded(model: &'static str, relation: &'static str) -> Self {
                $name { value: None, origin: Origin { model, relation } }
            }

            /// Whether the relation was loaded.
            pub fn is_loaded(&self) -> bool {
                self.value.is_some()
            }

            fn held(&self) -> Result<&$stored> {
                self.value.as_ref().ok_or_else(|| self.origin.not_loaded())
            }

            fn take_held(&mut self) -> Result<$stored> {
                self.value.take().ok_or_else(|| self.origin.not_loaded())
            }
        }

        impl<T> Default for $name<T> {
            fn default() -> Self {
                $name { value: None, origin: Origin::default() }
            }
        }

        impl<T: Clone> Clone for $name<T> {
            fn clone(&self) -> Self {
                $name { value: self.value.clone(), origin: self.origin }
            }
        }

        /// Two fields are equal when both hold equal values or neither is loaded.
        impl<T: PartialEq> PartialEq for $name<T> {
            fn eq(&self, other: &Self) -> bool {
                self.value == other.value
            }
        }

        impl<T: fmt::Debug> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match &self.value {
                    Some(v) => v.fmt(f),
                    None => f.write_str("<not loaded>"),
                }
            }
        }

        /// A loaded field serializes as its value, one that was not loaded as `null`.
        impl<T: serde::Serialize> serde::Serialize for $name<T> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                self.value.serialize(s)
            }
        }
    };
}

relation_field!(
    /// The rows of another model that point at this one (`#[kakaorm(has_many)]`).
    ///
    /// ```
    /// use kakaorm::relation::HasMany;
    /// let mut posts: HasMany<&str> = HasMany::default();
    /// assert_eq!(posts.get().unwrap_err().kind(), kakaorm::ErrorKind::NotLoaded);
    /// posts = HasMany::loaded(vec!["hello"]);
    /// assert_eq!(posts.get().unwrap(), ["hello"]);
    /// ```
    HasMany,
    Vec<T>
);

relation_field!(
    /// The one row of another model that points at this one, if any
    /// (`#[kakaorm(has_one)]`). The row is boxed, so a model may have one of its own kind.
    HasOne,
    Option<Box<T>>
);

relation_field!(
    /// The row this model's foreign key points at (`#[kakaorm(belongs_to)]`). The row is
    /// boxed, so a model may point at its own kind (a tree: `parent: BelongsTo<Comment>`).
    BelongsTo,
    Option<Box<T>>
);

relation_field!(
    /// The rows of another model linked to this one through a join model
    /// (`#[kakaorm(many_to_many, through = ArticleTag)]`).
    ManyToMany,
    Vec<T>
);

macro_rules! many_rows_field {
    ($name:ident) => {
        impl<T> $name<T> {
            /// A loaded field holding `rows` (for models built by hand, in tests).
            pub fn loaded(rows: Vec<T>) -> Self {
                $name { value: Some(rows), origin: Origin::default() }
            }

            /// Takes the rows out, leaving the field not loaded.
            ///
            /// # Errors
            /// [`NotLoaded`](crate::ErrorKind::NotLoaded) when it was never loaded.
            pub fn take(&mut self) -> Result<Vec<T>> {
                self.take_held()
            }

            /// The related rows (empty when there are none).
            ///
            /// # Errors
            /// [`NotLoaded`](crate::ErrorKind::NotLoaded) when the relation was not loaded.
            pub fn get(&self) -> Result<&[T]> {
                self.held().map(Vec::as_slice)
            }
        }
    };
}

many_rows_field!(HasMany);
many_rows_field!(ManyToMany);

impl<C: Send + 'static> RelationField<C> for HasMany<C> {
    fn fill(&mut self, rows: &mut Grouped<C>, key: Option<&RelKey>) {
        self.value = Some(key.and_then(|k| rows.take(k)).unwrap_or_default());
    }
}

/// The same target may be linked to many parents, so its rows are copied.
impl<C: Clone + Send + 'static> RelationField<C> for ManyToMany<C> {
    fn fill(&mut self, rows: &mut Grouped<C>, key: Option<&RelKey>) {
        self.value = Some(key.and_then(|k| rows.take(k)).unwrap_or_default());
    }
}

macro_rules! one_row_field {
    ($name:ident) => {
        impl<T> $name<T> {
            /// A loaded field holding `row` (for models built by hand, in tests).
            pub fn loaded(row: Option<T>) -> Self {
                $name { value: Some(row.map(Box::new)), origin: Origin::default() }
            }

            /// Takes the row out, leaving the field not loaded.
            ///
            /// # Errors
            /// [`NotLoaded`](crate::ErrorKind::NotLoaded) when it was never loaded.
            pub fn take(&mut self) -> Result<Option<T>> {
                self.take_held().map(|row| row.map(|b| *b))
            }
        }
    };
}

one_row_field!(HasOne);
one_row_field!(BelongsTo);

impl<T> HasOne<T> {
    /// The related row, or `None` when no row points at this one.
    ///
    /// # Errors
    /// [`NotLoaded`](crate::ErrorKind::NotLoaded) when the relation was not loaded.
    pub fn get(&self) -> Result<Option<&T>> {
        self.held().map(Option::as_deref)
    }
}

impl<T> BelongsTo<T> {
    /// The row the foreign key points at.
    ///
    /// # Errors
    /// [`NotLoaded`](crate::ErrorKind::NotLoaded) when the relation was not loaded, and
    /// [`NotFound`](crate::ErrorKind::NotFound) when the foreign key is NULL.
    pub fn get(&self) -> Result<&T> {
        let origin = self.origin;
        self.held()?
            .as_deref()
            .ok_or_else(|| Error::new(ErrorKind::NotFound, format!("`{}.{}` is NULL", origin.model, origin.relation)))
    }

    /// The row the foreign key points at, or `None` when the key is NULL.
    ///
    /// # Errors
    /// [`NotLoaded`](crate::ErrorKind::NotLoaded) when the relation was not loaded.
    pub fn get_opt(&self) -> Result<Option<&T>> {
        self.held().map(Option::as_deref)
    }
}

impl<C: Send + 'static> RelationField<C> for HasOne<C> {
    fn fill(&mut self, rows: &mut Grouped<C>, key: Option<&RelKey>) {
        self.value = Some(key.and_then(|k| rows.take(k)).and_then(|v| v.into_iter().next()).map(Box::new));
    }
}

impl<C: Clone + Send + 'static> RelationField<C> for BelongsTo<C> {
    fn fill(&mut self, rows: &mut Grouped<C>, key: Option<&RelKey>) {
        self.value = Some(key.and_then(|k| rows.first(k).cloned()).map(Box::new));
    }
}
