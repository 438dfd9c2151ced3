//! An owned schema model: what migrations introspect from a live database, diff and render.
//!
//! The derive's [`TableSchema`] is static and describes one model; [`Table`] is owned, so it
//! can also hold what a database reports, and compares with it after normalisation. Convert
//! with `Table::from(User::SCHEMA)`.

use crate::schema::{ColumnSchema, DefaultValue, ReferentialAction, TableSchema};
use crate::value::ColumnType;

use super::constraint_name;

/// A set of tables.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Schema {
    /// The tables, in the order given (models) or by name (introspection).
    pub tables: Vec<Table>,
}

impl Schema {
    /// A schema holding `tables`.
    pub fn new(tables: Vec<Table>) -> Self {
        Schema { tables }
    }

    /// The schema of several derived tables.
    ///
    /// ```
    /// use kakaorm_core::schema::{ColumnSchema, Schema, TableSchema};
    /// use kakaorm_core::ColumnType;
    /// static COLS: [ColumnSchema; 1] = [ColumnSchema::new("id", "id", ColumnType::BigInt).primary_key().auto_increment()];
    /// static T: TableSchema = TableSchema::new("tags", "Tag", &COLS, 0, &[]);
    /// let schema = Schema::from_static(&[&T]);
    /// assert_eq!(schema.table("tags").unwrap().primary_key, ["id"]);
    /// ```
    pub fn from_static(tables: &[&TableSchema]) -> Self {
        Schema { tables: tables.iter().map(|t| Table::from(*t)).collect() }
    }

    /// Looks a table up by name.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// One table with its columns and constraints.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Table {
    /// The table name.
    pub name: String,
    /// The columns, in table order.
    pub columns: Vec<Column>,
    /// The primary-key columns, in key order.
    pub primary_key: Vec<String>,
    /// Unique constraints.
    pub uniques: Vec<Unique>,
    /// Plain (non-unique) indexes.
    pub indexes: Vec<Index>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// CHECK constraints.
    pub checks: Vec<Check>,
}

impl Table {
    /// An empty table called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Table { name: name.into(), ..Table::default() }
    }

    /// Looks a column up by name.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether `column` is covered by a key, a unique constraint, an index or a foreign key.
    pub fn is_indexed(&self, column: &str) -> bool {
        let first = |cols: &[String]| cols.first().is_some_and(|c| c == column);
        self.primary_key.iter().any(|c| c == column)
            || self.uniques.iter().any(|u| u.columns.iter().any(|c| c == column))
            || self.indexes.iter().any(|i| i.columns.iter().any(|c| c == column))
            || self.foreign_keys.iter().any(|f| first(&f.columns))
    }
}

/// One column.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Column {
    /// The column name.
    pub name: String,
    /// The SQL type.
    pub ty: ColumnType,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The default, if any.
    pub default: Option<ColumnDefault>,
    /// Whether the database generates the value (an identity or auto-increment key).
    pub auto_increment: bool,
    /// Whether the application sets the value to the current time on insert; a NOT NULL
    /// column added to a table with rows is then filled with the current time.
    pub auto_now_add: bool,
}

impl Column {
    /// A NOT NULL column without default.
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column { name: name.into(), ty, nullable: false, default: None, auto_increment: false, auto_now_add: false }
    }

    /// Sets whether NULL is allowed.
    #[must_use]
    pub fn nullable(mut self, nullable: bool) -> Self {
        self.nullable = nullable;
        self
    }

    /// Sets the default.
    #[must_use]
    pub fn default(mut self, default: Option<ColumnDefault>) -> Self {
        self.default = default;
        self
    }
}

/// A column default.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ColumnDefault {
    /// An integer literal.
    Int(i64),
    /// A float literal.
    Float(f64),
    /// A boolean literal.
    Bool(bool),
    /// A string literal (also decimals, dates and UUIDs written as text).
    Str(String),
    /// The current time when the row is inserted.
    CurrentTimestamp,
    /// An expression the database reported that kakaorm does not model, kept verbatim.
    Expr(String),
}

impl From<DefaultValue> for ColumnDefault {
    fn from(v: DefaultValue) -> Self {
        match v {
            DefaultValue::Int(i) => ColumnDefault::Int(i),
            DefaultValue::Float(f) => ColumnDefault::Float(f),
            DefaultValue::Bool(b) => ColumnDefault::Bool(b),
            DefaultValue::Str(s) => ColumnDefault::Str(s.to_owned()),
        }
    }
}

/// A unique constraint.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Unique {
    /// The constraint name; `None` for a column declared `UNIQUE` inline, whose name the
    /// database chooses.
    pub name: Option<String>,
    /// The columns, in order.
    pub columns: Vec<String>,
}

impl Unique {
    /// A unique constraint over `columns`.
    pub fn new(name: Option<String>, columns: Vec<String>) -> Self {
        Unique { name, columns }
    }
}

/// A plain index.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Index {
    /// The index name.
    pub name: String,
    /// The columns, in index order.
    pub columns: Vec<String>,
}

impl Index {
    /// An index called `name` over `columns`.
    pub fn new(name: impl Into<String>, columns: Vec<String>) -> Self {
        Index { name: name.into(), columns }
    }
}

/// A foreign key.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ForeignKey {
    /// The constraint name; `None` where the database keeps none (SQLite).
    pub name: Option<String>,
    /// The referring columns.
    pub columns: Vec<String>,
    /// The referenced table.
    pub ref_table: String,
    /// The referenced columns.
    pub ref_columns: Vec<String>,
    /// On delete of the referenced row.
    pub on_delete: ReferentialAction,
    /// On update of the referenced key.
    pub on_update: ReferentialAction,
}

impl ForeignKey {
    /// A foreign key from `columns` to `ref_table(ref_columns)` with NO ACTION.
    pub fn new(
        name: Option<String>,
        columns: Vec<String>,
        ref_table: impl Into<String>,
        ref_columns: Vec<String>,
    ) -> Self {
        ForeignKey {
            name,
            columns,
            ref_table: ref_table.into(),
            ref_columns,
            on_delete: ReferentialAction::NoAction,
            on_update: ReferentialAction::NoAction,
        }
    }

    /// Sets the actions.
    #[must_use]
    pub fn actions(mut self, on_delete: ReferentialAction, on_update: ReferentialAction) -> Self {
        self.on_delete = on_delete;
        self.on_update = on_update;
        self
    }
}

/// A CHECK constraint.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Check {
    /// The constraint name.
    pub name: String,
    /// The condition, developer-written SQL.
    pub expr: String,
}

impl Check {
    /// A check called `name`.
    pub fn new(name: impl Into<String>, expr: impl Into<String>) -> Self {
        Check { name: name.into(), expr: expr.into() }
    }
}

impl From<&ColumnSchema> for Column {
    fn from(c: &ColumnSchema) -> Self {
        Column {
            name: c.name.to_owned(),
            ty: c.ty,
            nullable: c.nullable,
            default: c.default.map(ColumnDefault::from),
            auto_increment: c.auto_increment,
            auto_now_add: c.auto_now_add,
        }
    }
}

impl From<&TableSchema> for Table {
    fn from(t: &TableSchema) -> Self {
        let owned = |cols: &[&str]| cols.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        let mut table = Table::new(t.name);
        table.columns = t.columns.iter().map(Column::from).collect();
        table.primary_key = vec![t.pk().name.to_owned()];
        let single = |pred: fn(&ColumnSchema) -> bool| t.columns.iter().filter(move |c| pred(c) && !c.primary_key);
        table.uniques = single(|c| c.unique).map(|c| Unique::new(None, vec![c.name.to_owned()])).collect();
        table.indexes = single(|c| c.index && !c.unique)
            .map(|c| Index::new(constraint_name("idx", t.name, &[c.name]), vec![c.name.to_owned()]))
            .collect();
        for idx in t.indexes {
            let name = idx.name.map_or_else(
                || constraint_name(if idx.unique { "uq" } else { "idx" }, t.name, idx.columns),
                str::to_owned,
            );
            if idx.unique {
                table.uniques.push(Unique::new(Some(name), owned(idx.columns)));
            } else {
                table.indexes.push(Index::new(name, owned(idx.columns)));
            }
        }
        table.checks = t
            .columns
            .iter()
            .filter_map(|c| c.check.map(|sql| Check::new(constraint_name("ck", t.name, &[c.name]), sql)))
            .collect();
        table.foreign_keys = t
            .foreign_keys()
            .map(|(c, fk)| {
                let target = (fk.target)();
                ForeignKey::new(
                    Some(constraint_name("fk", t.name, &[c.name])),
                    vec![c.name.to_owned()],
                    target.name,
                    vec![target.pk().name.to_owned()],
                )
                .actions(fk.on_delete, fk.on_update)
            })
            .collect();
        table
    }
}
