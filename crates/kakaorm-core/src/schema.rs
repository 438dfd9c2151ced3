//! Static schema metadata produced by `#[derive(Model)]`.

mod deletion;
mod owned;
mod sql_cache;

pub use deletion::{ARCHIVED_AT, Deletion};
pub use owned::{Check, Column, ColumnDefault, ForeignKey, Index, Schema, Table, Unique};
pub use sql_cache::{CachedSql, SqlCache};

use crate::validate::Rule;
use crate::value::ColumnType;

/// Longest identifier accepted by every backend (PostgreSQL truncates at 63 bytes).
const MAX_IDENT: usize = 63;

/// A table: its name, its columns in declaration order, and its table-level constraints.
///
/// Built by `#[derive(Model)]` with [`TableSchema::new`] (fields may be added in minor
/// releases, so it cannot be written as a struct literal outside this crate).
#[derive(Debug)]
#[non_exhaustive]
pub struct TableSchema {
    /// The table name in the database.
    pub name: &'static str,
    /// The Rust struct name, used in error messages.
    pub model: &'static str,
    /// Every column, in field order. Decoders read columns in this order.
    pub columns: &'static [ColumnSchema],
    /// Index into `columns` of the primary key.
    pub primary_key: usize,
    /// Composite indexes declared on the table.
    pub indexes: &'static [IndexSchema],
    /// Rendered statements whose text never changes, per dialect.
    pub sql: SqlCache,
    /// How rows are deleted: physically, softly or into an archive table.
    pub deletion: Deletion,
}

/// Two schemas are the same table when they name the same table.
impl PartialEq for TableSchema {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other) || self.name == other.name
    }
}

impl TableSchema {
    /// A table schema, usable in a `static`.
    pub const fn new(
        name: &'static str,
        model: &'static str,
        columns: &'static [ColumnSchema],
        primary_key: usize,
        indexes: &'static [IndexSchema],
    ) -> Self {
        TableSchema { name, model, columns, primary_key, indexes, sql: SqlCache::new(), deletion: Deletion::Hard }
    }

    /// The same schema with deletion strategy `deletion` (set by the derive).
    #[must_use]
    pub const fn deletion(mut self, deletion: Deletion) -> Self {
        self.deletion = deletion;
        self
    }

    /// The primary-key column.
    pub fn pk(&self) -> &ColumnSchema {
        &self.columns[self.primary_key]
    }

    /// Looks a column up by database name.
    pub fn column(&self, name: &str) -> Option<&ColumnSchema> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The index of the optimistic-locking version column, if any.
    pub fn version_column(&self) -> Option<usize> {
        self.columns.iter().position(|c| c.version)
    }

    /// Foreign keys of this table, in column order.
    pub fn foreign_keys(&self) -> impl Iterator<Item = (&ColumnSchema, &ForeignKeySchema)> {
        self.columns.iter().filter_map(|c| c.references.as_ref().map(|fk| (c, fk)))
    }
}

/// One column.
///
/// Built with [`ColumnSchema::new`] and its `const` setters:
///
/// ```
/// use kakaorm_core::ColumnType;
/// use kakaorm_core::schema::ColumnSchema;
/// static ID: ColumnSchema = ColumnSchema::new("id", "id", ColumnType::BigInt).primary_key().auto_increment();
/// assert!(ID.primary_key && ID.auto_increment && !ID.nullable);
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct ColumnSchema {
    /// The column name in the database.
    pub name: &'static str,
    /// The Rust field name.
    pub field: &'static str,
    /// The SQL type.
    pub ty: ColumnType,
    /// Whether NULL is allowed (the field is an `Option`).
    pub nullable: bool,
    /// Whether this is the primary key.
    pub primary_key: bool,
    /// Whether the database generates the value.
    pub auto_increment: bool,
    /// Whether a single-column UNIQUE constraint applies.
    pub unique: bool,
    /// Whether a single-column index is created.
    pub index: bool,
    /// A literal default, used at create time and in the DDL.
    pub default: Option<DefaultValue>,
    /// A CHECK constraint, developer-written SQL.
    pub check: Option<&'static str>,
    /// Set to the current time on every update.
    pub auto_now: bool,
    /// Set to the current time on insert.
    pub auto_now_add: bool,
    /// Longest allowed string, in characters.
    pub max_length: Option<u32>,
    /// The referenced table, for foreign keys.
    pub references: Option<ForeignKeySchema>,
    /// Validation rules checked before every write (`max_length` among them).
    pub rules: &'static [Rule],
    /// Whether this is the optimistic-locking version column.
    pub version: bool,
}

/// A `const` setter of a boolean column option.
macro_rules! flag_setters {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        $($(#[$doc])*
        #[must_use]
        pub const fn $name(mut self) -> Self {
            self.$name = true;
            self
        })*
    };
}

impl ColumnSchema {
    flag_setters! {
        /// Marks the primary key.
        primary_key;
        /// Lets the database generate the value.
        auto_increment;
        /// Adds a single-column UNIQUE constraint.
        unique;
        /// Adds a single-column index.
        index;
        /// Sets the value to the current time on every update.
        auto_now;
        /// Sets the value to the current time on insert.
        auto_now_add;
        /// Marks the optimistic-locking version column.
        version;
    }

    /// The validation rules.
    #[must_use]
    pub const fn rules(mut self, rules: &'static [Rule]) -> Self {
        self.rules = rules;
        self
    }

    /// Whether NULL is allowed.
    #[must_use]
    pub const fn nullable(mut self, nullable: bool) -> Self {
        self.nullable = nullable;
        self
    }

    /// A literal default.
    #[must_use]
    pub const fn default(mut self, value: DefaultValue) -> Self {
        self.default = Some(value);
        self
    }

    /// A CHECK constraint (developer-written SQL, validated by the derive).
    #[must_use]
    pub const fn check(mut self, sql: &'static str) -> Self {
        self.check = Some(sql);
        self
    }

    /// The longest allowed string, in characters.
    #[must_use]
    pub const fn max_length(mut self, chars: u32) -> Self {
        self.max_length = Some(chars);
        self
    }

    /// A foreign key to another table's primary key.
    #[must_use]
    pub const fn references(mut self, fk: ForeignKeySchema) -> Self {
        self.references = Some(fk);
        self
    }

    /// A column with every option off; the setters above turn them on.
    pub const fn new(name: &'static str, field: &'static str, ty: ColumnType) -> Self {
        ColumnSchema {
            name,
            field,
            ty,
            nullable: false,
            primary_key: false,
            auto_increment: false,
            unique: false,
            index: false,
            default: None,
            check: None,
            auto_now: false,
            auto_now_add: false,
            max_length: None,
            references: None,
            rules: &[],
            version: false,
        }
    }
}

/// A literal column default.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum DefaultValue {
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A boolean literal.
    Bool(bool),
    /// A string literal (also used for decimals, dates and UUIDs written as text).
    Str(&'static str),
}

/// What a foreign key does when the referenced row is deleted or its key updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ReferentialAction {
    /// Refuse the change if rows still refer to it (checked at statement end).
    #[default]
    NoAction,
    /// Refuse the change immediately.
    Restrict,
    /// Delete or update the referring rows too.
    Cascade,
    /// Set the referring column to NULL.
    SetNull,
    /// Set the referring column to its default.
    SetDefault,
}

impl ReferentialAction {
    /// The SQL keywords.
    pub fn sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// A foreign key from one column to another table's primary key.
#[derive(Debug)]
#[non_exhaustive]
pub struct ForeignKeySchema {
    /// The referenced table's schema (a function, so models may refer to each other).
    pub target: fn() -> &'static TableSchema,
    /// On delete of the referenced row.
    pub on_delete: ReferentialAction,
    /// On update of the referenced key.
    pub on_update: ReferentialAction,
}

impl ForeignKeySchema {
    /// A foreign key to the table `target` returns, with its actions.
    pub const fn new(
        target: fn() -> &'static TableSchema,
        on_delete: ReferentialAction,
        on_update: ReferentialAction,
    ) -> Self {
        ForeignKeySchema { target, on_delete, on_update }
    }
}

/// A table-level index or unique constraint over one or more columns.
#[derive(Debug)]
#[non_exhaustive]
pub struct IndexSchema {
    /// Database column names, in order.
    pub columns: &'static [&'static str],
    /// Whether the combination must be unique.
    pub unique: bool,
    /// An explicit name; otherwise one is derived from the table and columns.
    pub name: Option<&'static str>,
}

impl IndexSchema {
    /// An index over `columns` (database names, in order), unique or not, with an
    /// optional explicit name.
    pub const fn new(columns: &'static [&'static str], unique: bool, name: Option<&'static str>) -> Self {
        IndexSchema { columns, unique, name }
    }
}

/// `prefix_table_col1_col2`, shortened with a stable hash when over 63 bytes.
pub fn constraint_name(prefix: &str, table: &str, cols: &[&str]) -> String {
    let full = format!("{prefix}_{table}_{}", cols.join("_"));
    if full.len() <= MAX_IDENT {
        return full;
    }
    let hash = full.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    let mut cut = MAX_IDENT - 17;
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{hash:016x}", &full[..cut])
}
