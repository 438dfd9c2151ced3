//! The traits `#[derive(Model)]` implements.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::create::{self, Fill};
use crate::error::Result;
use crate::row::{ColumnValue, FromRow, ValuesRow};
use crate::schema::{ColumnSchema, TableSchema};
use crate::validate::{Locale, ValidationErrors, check_value_refs, check_values};
use crate::value::{Value, ValueRef};

/// A struct mapped to one table. Implement it with `#[derive(Model)]`, never by hand.
///
/// The derive generates the static [`TableSchema`], a decoder that reads the columns by
/// index in schema order, typed column handles (`User::age`), and a create builder.
pub trait Model: FromRow + Sync + Sized {
    /// The table, its columns and constraints.
    const SCHEMA: &'static TableSchema;

    /// The Rust type of the primary key.
    type Key: ColumnValue;

    /// The generated create builder (`UserCreate` for `User`).
    type Create: CreateBuilder<Model = Self> + Default;

    /// Starts a create builder; omitted fields take their defaults.
    fn create() -> Self::Create {
        Self::Create::default()
    }

    /// The primary key of this instance, as a parameter.
    fn key_value(&self) -> Value;

    /// Every column value, in schema order.
    fn column_values(&self) -> Vec<Value> {
        (0..Self::SCHEMA.columns.len()).map(|i| self.column_value(i)).collect()
    }

    /// The value of column `index` (schema order), or NULL past the last column. Relations
    /// read their keys through it without copying the other columns.
    fn column_value(&self, index: usize) -> Value;

    /// [`column_value`](Self::column_value) with text and bytes borrowed from the field:
    /// what validating a model reads, copying none of its strings. The derive implements
    /// it; the default copies.
    #[doc(hidden)]
    fn column_value_ref(&self, index: usize) -> ValueRef<'_> {
        ValueRef::Value(self.column_value(index))
    }

    /// Sets every `auto_now` field to `now` (called by `save`).
    fn touch_auto_now(&mut self, now: DateTime<Utc>);

    /// Whether the model runs lifecycle hooks (`#[kakaorm(hooks)]`). Writes of models
    /// without hooks open no transaction for them and allocate nothing for them.
    const HAS_HOOKS: bool = false;

    /// Whether the model has custom validators (`validate_with`), which need a model: a
    /// create builder's row is then decoded into one before it is written.
    const CUSTOM_VALIDATION: bool = false;

    /// Runs the custom validators (`validate_with` on fields and on the struct), recording
    /// their failures in `errors`.
    fn validate_custom(&self, errors: &mut ValidationErrors) {
        let _ = errors;
    }

    /// Adds one to the optimistic-locking version field (`#[kakaorm(version)]`), wrapping
    /// at the type's maximum; models without one do nothing.
    fn bump_version(&mut self) {}

    /// Checks every rule of every field, and the custom validators, without a database,
    /// collecting every failure (messages in the program's
    /// [`locale`](crate::validate::locale); [`validate_in`](Model::validate_in) picks one).
    ///
    /// # Errors
    /// [`Validation`](crate::ErrorKind::Validation), whose
    /// [`validation_errors`](crate::Error::validation_errors) list every failure.
    fn validate(&self) -> Result<()> {
        self.validate_in(crate::validate::locale())
    }

    /// As [`validate`](Model::validate), with the built-in messages in `locale` (a custom
    /// validator's message stays as written).
    ///
    /// # Errors
    /// As [`validate`](Model::validate).
    fn validate_in(&self, locale: Locale) -> Result<()> {
        let mut errors = ValidationErrors::in_locale(Self::SCHEMA.model, locale);
        check_values(Self::SCHEMA.columns, &self.column_values(), &mut errors);
        self.validate_custom(&mut errors);
        errors.into_result()
    }
}

/// Validates one insert row of `M` (`columns` and their `values`; `index` is its place in
/// a bulk insert), recording every failure in `errors`: the rules of each column, a NOT
/// NULL field left unset, and, when the model has custom validators and no required field
/// is missing, those on the model the row would become.
///
/// # Errors
/// A [`Decode`](crate::ErrorKind::Decode) error if the row cannot make a model (a custom
/// column type whose values do not round-trip).
#[doc(hidden)]
pub fn validate_row<M: Model>(
    columns: &[&str],
    values: &[Value],
    index: Option<usize>,
    errors: &mut ValidationErrors,
) -> Result<()> {
    let schemas: Vec<_> = columns.iter().map(|name| M::SCHEMA.column(name)).collect();
    validate_row_of::<M>(&schemas, columns, values, index, errors)
}

/// [`validate_row`] with the schema of each column (`None` for a name the table lacks)
/// looked up by the caller, once for many rows with the same column list.
///
/// # Errors
/// As [`validate_row`].
#[doc(hidden)]
pub fn validate_row_of<M: Model>(
    schemas: &[Option<&ColumnSchema>],
    columns: &[&str],
    values: &[Value],
    index: Option<usize>,
    errors: &mut ValidationErrors,
) -> Result<()> {
    let from = errors.errors.len();
    check_values(schemas.iter().flatten().copied(), values, errors);
    // A row missing a field cannot make a model: the custom validators wait for a full one.
    let complete = || errors.errors[from..].iter().all(|e| e.rule != "required");
    if M::CUSTOM_VALIDATION && complete() {
        provisional::<M>(columns, values)?.validate_custom(errors);
    }
    if let Some(index) = index {
        errors.mark_row(from, index);
    }
    Ok(())
}

/// Validates every model of a bulk write (`bulk_update`), collecting the failures of every
/// model, each entry with its `row` index, messages in `locale`. Reads no value of a model whose columns have no
/// rule and which has no custom validator.
///
/// # Errors
/// [`Validation`](crate::ErrorKind::Validation), listing every failure of every model.
#[doc(hidden)]
pub fn validate_models<M: Model>(models: &[M], locale: Locale) -> Result<()> {
    let mut errors = ValidationErrors::in_locale(M::SCHEMA.model, locale);
    if !M::CUSTOM_VALIDATION && M::SCHEMA.columns.iter().all(|c| c.rules.is_empty()) {
        return Ok(());
    }
    // Only the columns a value can fail: a rule, or NOT NULL.
    let checked: Vec<(usize, &ColumnSchema)> =
        M::SCHEMA.columns.iter().enumerate().filter(|(_, c)| !c.rules.is_empty() || !c.nullable).collect();
    let mut values = Vec::with_capacity(checked.len());
    for (index, model) in models.iter().enumerate() {
        let from = errors.errors.len();
        values.extend(checked.iter().map(|(i, _)| model.column_value_ref(*i)));
        check_value_refs(checked.iter().map(|(_, c)| *c), &values, &mut errors);
        values.clear();
        model.validate_custom(&mut errors);
        errors.mark_row(from, index);
    }
    errors.into_result()
}

/// The model an insert row (`columns` and their `values`) would become, before the
/// database fills in its generated key (which reads as zero).
///
/// # Errors
/// A [`Decode`](crate::ErrorKind::Decode) error if the row cannot make a model.
#[doc(hidden)]
pub fn provisional<M: Model>(columns: &[&str], values: &[Value]) -> Result<M> {
    let table = M::SCHEMA;
    let full = table
        .columns
        .iter()
        .map(|col| match columns.iter().position(|c| *c == col.name) {
            Some(i) => values.get(i).cloned().unwrap_or(Value::Null),
            None if col.auto_increment => Value::I64(0),
            None => Value::Null,
        })
        .collect();
    M::from_row(&mut ValuesRow::new(table, full))
}

/// The values of `columns` (names of `M`'s columns) read from `model`: the insert row of a
/// model a before-insert hook may have changed.
#[doc(hidden)]
pub fn row_values<M: Model>(model: &M, columns: &[&str]) -> Vec<Value> {
    let table = M::SCHEMA;
    columns
        .iter()
        .map(|name| table.columns.iter().position(|c| c.name == *name).map_or(Value::Null, |i| model.column_value(i)))
        .collect()
}

/// The foreign-key check of the derive: `F` (a field type) is the key type of model `M`.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "foreign key has type `{F}`, but the primary key of `{M}` is `{Self}`",
    label = "must match the referenced primary key type"
)]
pub trait SameKey<F, M> {}

impl<K, M> SameKey<K, M> for K {}

/// Compiles only when `F` is the key type of `M` (see [`SameKey`]).
#[doc(hidden)]
pub const fn same_key<M: Model, F>()
where
    M::Key: SameKey<F, M>,
{
}

/// A model whose rows are not deleted physically: `#[kakaorm(soft_delete)]` (a
/// `deleted_at` timestamp) or `#[kakaorm(archive)]` (moved into `archive_<table>`). Its
/// queries offer `include_deleted`, `only_deleted`, `restore` and `purge`. Implemented by
/// the derive, never by hand.
pub trait Restorable: Model {}

/// The columns and values of one row to insert.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InsertRow {
    /// Column names, in schema order (a static list: no allocation per row).
    pub columns: &'static [&'static str],
    /// One value per column.
    pub values: Vec<Value>,
}

/// A generated create builder.
///
/// The derive implements its hidden items (the slots and how unset columns are filled);
/// the row is built here, once for every model.
pub trait CreateBuilder: Send + Sized {
    /// The model it creates.
    type Model: Model;

    /// How each column is filled when its field is not set, in schema order.
    #[doc(hidden)]
    const FILL: &'static [Fill];

    /// Every column, in schema order: the insert column list.
    #[doc(hidden)]
    const COLUMNS: &'static [&'static str];

    /// The insert column list when a generated key is left out.
    #[doc(hidden)]
    const COLUMNS_WITHOUT_KEY: &'static [&'static str] = Self::COLUMNS;

    /// The slots: the value of each set field, in schema order.
    #[doc(hidden)]
    fn slots(&self) -> &[Option<Value>];

    /// The slots, to take the values out.
    #[doc(hidden)]
    fn slots_mut(&mut self) -> &mut [Option<Value>];

    /// The row to insert: set fields, then defaults, with `auto_now`/`auto_now_add` set to
    /// `now`. An auto-increment key is left out unless it was set.
    ///
    /// # Errors
    /// [`InvalidInput`](crate::ErrorKind::InvalidInput) when a default literal does not fit
    /// its field.
    fn into_row(self, now: DateTime<Utc>) -> Result<InsertRow> {
        let mut values = Vec::with_capacity(Self::COLUMNS.len());
        let columns = self.write_row(now, &mut values)?;
        Ok(InsertRow { columns, values })
    }

    /// The columns whose fields were set on this builder, in schema order (the ones
    /// `update_or_create` writes to an existing row).
    fn explicit_columns(&self) -> Vec<&'static str> {
        create::set_columns(Self::Model::SCHEMA, self.slots())
    }

    /// Like [`into_row`](Self::into_row), but appends the values to `values` (a bulk insert
    /// keeps every row in one buffer) and returns the column list.
    ///
    /// # Errors
    /// As [`into_row`](Self::into_row).
    fn write_row(mut self, now: DateTime<Utc>, values: &mut Vec<Value>) -> Result<&'static [&'static str]> {
        let complete = create::write_row(Self::Model::SCHEMA, Self::FILL, self.slots_mut(), now, values)?;
        Ok(if complete { Self::COLUMNS } else { Self::COLUMNS_WITHOUT_KEY })
    }
}

/// Types that `auto_now` and `auto_now_add` can fill.
pub trait AutoTimestamp {
    /// The value for the instant `now`, truncated to microseconds (what every backend stores).
    fn from_now(now: DateTime<Utc>) -> Self;
}

/// Truncates to whole microseconds.
pub fn truncate_micros(now: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = now.timestamp_subsec_nanos();
    now - chrono::Duration::nanoseconds(i64::from(nanos % 1_000))
}

impl AutoTimestamp for DateTime<Utc> {
    fn from_now(now: DateTime<Utc>) -> Self {
        truncate_micros(now)
    }
}

impl AutoTimestamp for NaiveDateTime {
    fn from_now(now: DateTime<Utc>) -> Self {
        truncate_micros(now).naive_utc()
    }
}

impl AutoTimestamp for NaiveDate {
    fn from_now(now: DateTime<Utc>) -> Self {
        now.date_naive()
    }
}

impl<T: AutoTimestamp> AutoTimestamp for Option<T> {
    fn from_now(now: DateTime<Utc>) -> Self {
        Some(T::from_now(now))
    }
}
