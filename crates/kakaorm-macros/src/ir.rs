//! The validated description of one model, which expansion turns into code.
//!
//! Parsing builds it and reports every attribute error; expansion never fails.

use proc_macro2::Span;
use syn::{Attribute, Ident, Path, Type, Visibility};

/// A value with the span of the attribute that set it, for spanned compile errors and
/// const assertions.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs `value` with `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// One `#[derive(Model)]` struct.
pub struct ModelIr {
    /// The struct name.
    pub ident: Ident,
    /// The struct visibility, reused for the create builder.
    pub vis: Visibility,
    /// The table name.
    pub table: String,
    /// Every field, in declaration order (which is schema order).
    pub fields: Vec<FieldIr>,
    /// Index into `fields` of the primary key.
    pub primary_key: usize,
    /// Table-level indexes.
    pub indexes: Vec<IndexIr>,
    /// Relation fields (not columns), in declaration order.
    pub relations: Vec<RelationIr>,
    /// The create builder's name, when `create_builder = "..."` sets it.
    pub create_builder: Option<Ident>,
    /// `hooks`: the model implements `kakaorm::Hooks` itself.
    pub hooks: bool,
    /// `validate_with = path` on the struct: model-level validators.
    pub validate_with: Vec<Path>,
    /// How rows are deleted.
    pub deletion: DeletionIr,
}

/// The deletion strategy of a model.
#[derive(Debug, Clone)]
pub enum DeletionIr {
    /// Rows are deleted physically.
    Hard,
    /// `soft_delete`: index into `fields` of the `deleted_at` field, and where the option
    /// was written.
    Soft(usize, Span),
    /// `archive`: the archive table's name.
    Archive(String),
}

impl ModelIr {
    /// The primary-key field.
    pub fn pk(&self) -> &FieldIr {
        &self.fields[self.primary_key]
    }

    /// The name of the create builder: `create_builder = "..."`, or `UserCreate` for `User`.
    pub fn builder_ident(&self) -> Ident {
        self.create_builder.clone().unwrap_or_else(|| Ident::new(&format!("{}Create", self.ident), self.ident.span()))
    }
}

/// One field, which is one column.
pub struct FieldIr {
    /// The field name as written (possibly raw, `r#type`).
    pub ident: Ident,
    /// The field visibility, reused for its column handle and builder setter.
    pub vis: Visibility,
    /// The field type.
    pub ty: Type,
    /// The field's doc comments, copied onto its handle and setter.
    pub docs: Vec<Attribute>,
    /// The column name.
    pub column: String,
    /// Whether this is the primary key.
    pub primary_key: bool,
    /// Whether the database generates the value; set by `auto_increment` or by the `id`
    /// convention (then the span is the field's).
    pub auto_increment: Option<Span>,
    /// Single-column UNIQUE.
    pub unique: bool,
    /// Single-column index.
    pub index: bool,
    /// `max_length = n`.
    pub max_length: Option<Spanned<u32>>,
    /// `max_digits`/`decimal_places`, as (precision, scale).
    pub digits: Option<Spanned<(u8, u8)>>,
    /// `default = <literal>`.
    pub default: Option<Spanned<DefaultLit>>,
    /// `check = "..."`.
    pub check: Option<String>,
    /// `auto_now` or `auto_now_add`.
    pub auto: Option<Spanned<AutoTime>>,
    /// `references = Model`.
    pub references: Option<ForeignKeyIr>,
    /// Validation rules (`max_length` adds one too, at expansion).
    pub rules: Vec<Spanned<RuleIr>>,
    /// `validate_with = path`: custom validators of the field.
    pub validate_with: Vec<Path>,
    /// `version`: the optimistic-locking column.
    pub version: Option<Span>,
}

impl FieldIr {
    /// The field name without `r#`.
    pub fn name(&self) -> String {
        let name = self.ident.to_string();
        name.strip_prefix("r#").map_or(name.clone(), str::to_owned)
    }

    /// The span of the field type, where type errors point.
    pub fn ty_span(&self) -> Span {
        syn::spanned::Spanned::span(&self.ty)
    }

    /// Whether the create builder offers a setter for the field.
    pub fn settable(&self) -> bool {
        self.auto.is_none()
    }
}

/// Which automatic timestamp a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoTime {
    /// Set on insert and on every save.
    Now,
    /// Set on insert only.
    NowAdd,
}

/// A `default = ...` literal.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultLit {
    /// An integer, possibly negative.
    Int(i64),
    /// A finite float.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// A string.
    Str(String),
}

/// A number written in `min_value`/`max_value`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumLit {
    /// An integer.
    Int(i64),
    /// A finite float.
    Float(f64),
}

/// One declarative validation rule.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleIr {
    /// `min_length = n`.
    MinLength(u32),
    /// `min_value = n`.
    MinValue(NumLit),
    /// `max_value = n`.
    MaxValue(NumLit),
    /// `regex = "..."`, checked for syntax.
    Regex(String),
    /// `one_of = ["a", "b"]`.
    OneOfText(Vec<String>),
    /// `one_of = [1, 2]`.
    OneOfInt(Vec<i64>),
    /// `email`.
    Email,
    /// `url`.
    Url,
}

impl RuleIr {
    /// Whether the rule reads a string.
    pub fn on_text(&self) -> bool {
        matches!(self, RuleIr::MinLength(_) | RuleIr::Regex(_) | RuleIr::OneOfText(_) | RuleIr::Email | RuleIr::Url)
    }

    /// The option name.
    pub fn name(&self) -> &'static str {
        match self {
            RuleIr::MinLength(_) => "min_length",
            RuleIr::MinValue(_) => "min_value",
            RuleIr::MaxValue(_) => "max_value",
            RuleIr::Regex(_) => "regex",
            RuleIr::OneOfText(_) | RuleIr::OneOfInt(_) => "one_of",
            RuleIr::Email => "email",
            RuleIr::Url => "url",
        }
    }
}

/// A foreign key declared with `references = Model`.
pub struct ForeignKeyIr {
    /// The referenced model (with `Self` already replaced by the struct name).
    pub target: Path,
    /// Where `references` was written.
    pub span: Span,
    /// Where `set null` was written, if it was: the column must then be nullable.
    pub set_null: Option<Span>,
    /// What happens on delete of the referenced row.
    pub on_delete: FkAction,
    /// What happens on update of the referenced key.
    pub on_update: FkAction,
}

/// A referential action, as named in `on_delete`/`on_update`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FkAction {
    /// `no action` (the default).
    #[default]
    NoAction,
    /// `restrict`.
    Restrict,
    /// `cascade`.
    Cascade,
    /// `set null`.
    SetNull,
    /// `set default`.
    SetDefault,
}

impl FkAction {
    /// Every accepted spelling, normalised (lowercase, single spaces).
    pub const NAMES: [&'static str; 5] = ["cascade", "set null", "set default", "restrict", "no action"];

    /// Parses a name, case-insensitively, with spaces or underscores between words.
    pub fn parse(text: &str) -> Result<FkAction, String> {
        let norm = text.to_lowercase().replace('_', " ");
        let norm = norm.split_whitespace().collect::<Vec<_>>().join(" ");
        match norm.as_str() {
            "cascade" => Ok(FkAction::Cascade),
            "set null" => Ok(FkAction::SetNull),
            "set default" => Ok(FkAction::SetDefault),
            "restrict" => Ok(FkAction::Restrict),
            "no action" => Ok(FkAction::NoAction),
            _ => Err(norm),
        }
    }

    /// The variant name of `kakaorm::schema::ReferentialAction`.
    pub fn variant(self) -> &'static str {
        match self {
            FkAction::NoAction => "NoAction",
            FkAction::Restrict => "Restrict",
            FkAction::Cascade => "Cascade",
            FkAction::SetNull => "SetNull",
            FkAction::SetDefault => "SetDefault",
        }
    }
}

/// A table-level index.
pub struct IndexIr {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Whether it is a unique constraint.
    pub unique: bool,
    /// An explicit name.
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::FkAction;

    #[test]
    fn actions_parse_loosely() {
        assert_eq!(FkAction::parse("cascade"), Ok(FkAction::Cascade));
        assert_eq!(FkAction::parse("SET NULL"), Ok(FkAction::SetNull));
        assert_eq!(FkAction::parse("set_default"), Ok(FkAction::SetDefault));
        assert_eq!(FkAction::parse("No_Action"), Ok(FkAction::NoAction));
        assert_eq!(FkAction::parse(" restrict "), Ok(FkAction::Restrict));
        assert_eq!(FkAction::parse("set  nul"), Err("set nul".to_owned()));
    }
}

/// Which side of a foreign key a relation field stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKindIr {
    /// `HasMany<T>`: `T` holds a foreign key to this model.
    HasMany,
    /// `HasOne<T>`: `T` holds a foreign key to this model; at most one row.
    HasOne,
    /// `BelongsTo<T>`: this model holds a foreign key to `T`.
    BelongsTo,
    /// `ManyToMany<T>`: a join model holds a foreign key to each side.
    ManyToMany,
}

impl RelationKindIr {
    /// The kind of a relation field type name.
    pub fn from_type_name(name: &str) -> Option<Self> {
        match name {
            "HasMany" => Some(RelationKindIr::HasMany),
            "HasOne" => Some(RelationKindIr::HasOne),
            "BelongsTo" => Some(RelationKindIr::BelongsTo),
            "ManyToMany" => Some(RelationKindIr::ManyToMany),
            _ => None,
        }
    }

    /// The kind an attribute keyword names.
    pub fn from_keyword(word: &str) -> Option<Self> {
        match word {
            "has_many" => Some(RelationKindIr::HasMany),
            "has_one" => Some(RelationKindIr::HasOne),
            "belongs_to" => Some(RelationKindIr::BelongsTo),
            "many_to_many" => Some(RelationKindIr::ManyToMany),
            _ => None,
        }
    }

    /// The field type's name, which is also the runtime kind's variant name.
    pub fn type_name(self) -> &'static str {
        match self {
            RelationKindIr::HasMany => "HasMany",
            RelationKindIr::HasOne => "HasOne",
            RelationKindIr::BelongsTo => "BelongsTo",
            RelationKindIr::ManyToMany => "ManyToMany",
        }
    }
}

/// One relation field: not a column, filled by prefetch or `load`.
pub struct RelationIr {
    /// The field name.
    pub ident: Ident,
    /// The field visibility, reused for its relation handle.
    pub vis: Visibility,
    /// The field type (`HasMany<Post>`).
    pub ty: Type,
    /// The related model (`Post`).
    pub target: Type,
    /// The side of the foreign key.
    pub kind: RelationKindIr,
    /// The foreign-key field: on the target for has-many/has-one, on this model for
    /// belongs-to; spanned at the option that named it (or the field).
    pub foreign_key: Ident,
    /// The field's doc comments.
    pub docs: Vec<Attribute>,
    /// For many-to-many: the join model and its foreign keys to the target.
    pub through: Option<ThroughIr>,
}

/// The join model of a many-to-many relation.
pub struct ThroughIr {
    /// The join model.
    pub model: Path,
    /// Its foreign-key field to the related model (`foreign_key` names the one to this
    /// model).
    pub to: Ident,
}
