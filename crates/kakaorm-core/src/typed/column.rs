//! `Column<M, T>`: a typed handle on one column of model `M` holding Rust type `T`.

use std::marker::PhantomData;

use super::cond::{Cond, Order};
use super::in_values::InValues;
use crate::ast::{BinOp, ColumnRef, Expr, LikeKind, TextPosition};
use crate::row::ColumnValue;
use crate::value::Value;

/// A typed handle on one column. The derive defines one per field as an associated
/// constant, so `User::age` is a `Column<User, i32>`.
///
/// Comparisons only accept values of the column's type, so `User::age.eq("x")` does not
/// compile.
///
/// ```
/// use kakaorm_core::typed::Column;
/// struct User;
/// const AGE: Column<User, i32> = Column::new("age");
/// let adults = AGE.ge(18);
/// let teens = AGE.between(13, 19);
/// let listed = AGE.in_([1, 2, 3]);
/// # let _ = (adults, teens, listed);
/// ```
pub struct Column<M, T> {
    name: &'static str,
    _marker: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for Column<M, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M, T> Copy for Column<M, T> {}

impl<M, T> std::fmt::Debug for Column<M, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Column({})", self.name)
    }
}

/// A value or column that may stand on the right of a comparison with a `T` column.
#[diagnostic::on_unimplemented(
    message = "a `{T}` column cannot be compared with `{Self}`",
    label = "expected a `{T}` value or a `{T}` column",
    note = "kakaorm filters are typed: pass a value of the column's Rust type"
)]
pub trait ExprArg<T> {
    /// Lowers into an expression.
    fn into_expr(self) -> Expr;
}

impl<T: ColumnValue> ExprArg<T> for T {
    fn into_expr(self) -> Expr {
        Expr::Value(self.into_value())
    }
}

impl<T: ColumnValue + Clone> ExprArg<Option<T>> for T {
    fn into_expr(self) -> Expr {
        Expr::Value(self.into_value())
    }
}

impl ExprArg<String> for &str {
    fn into_expr(self) -> Expr {
        Expr::Value(Value::String(self.to_owned()))
    }
}

impl ExprArg<Option<String>> for &str {
    fn into_expr(self) -> Expr {
        Expr::Value(Value::String(self.to_owned()))
    }
}

/// A value a create builder accepts for a field of type `T` (`&str` for `String`, `T` for
/// `Option<T>`).
#[diagnostic::on_unimplemented(message = "a `{T}` field cannot be set from `{Self}`", label = "expected a `{T}` value")]
pub trait IntoField<T> {
    /// Converts into the field type.
    fn into_field(self) -> T;
}

impl<T: ColumnValue> IntoField<T> for T {
    fn into_field(self) -> T {
        self
    }
}

impl<T: ColumnValue + Clone> IntoField<Option<T>> for T {
    fn into_field(self) -> Option<T> {
        Some(self)
    }
}

impl IntoField<String> for &str {
    fn into_field(self) -> String {
        self.to_owned()
    }
}

impl IntoField<Option<String>> for &str {
    fn into_field(self) -> Option<String> {
        Some(self.to_owned())
    }
}

impl IntoField<Option<String>> for Option<&str> {
    fn into_field(self) -> Option<String> {
        self.map(str::to_owned)
    }
}

impl<M, T> ExprArg<T> for Column<M, T> {
    fn into_expr(self) -> Expr {
        self.expr()
    }
}

impl<M, T> Column<M, T> {
    /// A handle on the column called `name` in the database.
    pub const fn new(name: &'static str) -> Self {
        Column { name, _marker: PhantomData }
    }

    /// The column name in the database.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The column as an untyped expression.
    pub fn expr(&self) -> Expr {
        Expr::Column(ColumnRef { table: None, name: self.name })
    }

    fn compare(self, op: BinOp, rhs: impl ExprArg<T>) -> Cond<M> {
        let rhs = rhs.into_expr();
        let expr = match (&rhs, op) {
            // Comparing with NULL means IS [NOT] NULL, as in Django.
            (Expr::Value(Value::Null), BinOp::Eq) => Expr::IsNull { expr: Box::new(self.expr()), negated: false },
            (Expr::Value(Value::Null), BinOp::Ne) => Expr::IsNull { expr: Box::new(self.expr()), negated: true },
            _ => Expr::Binary(Box::new(self.expr()), op, Box::new(rhs)),
        };
        Cond::from_expr(expr)
    }

    /// `column = value`, or `IS NULL` for `None`.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(EMAIL.eq(None::<String>).to_sql(&PostgresDialect).unwrap().sql, r#""email" IS NULL"#);
    /// ```
    pub fn eq(self, value: impl ExprArg<T>) -> Cond<M> {
        self.compare(BinOp::Eq, value)
    }

    /// `column <> value`, or `IS NOT NULL` for `None`.
    ///
    /// This is SQL's `<>`: a row whose column is NULL matches neither `eq(v)` nor `ne(v)`.
    /// To keep those rows, use `exclude(column.eq(v))`, the exact complement of
    /// `filter(column.eq(v))`, or add `| column.is_null()`.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(AGE.ne(3).to_sql(&PostgresDialect).unwrap().sql, r#""age" <> $1"#);
    /// ```
    pub fn ne(self, value: impl ExprArg<T>) -> Cond<M> {
        self.compare(BinOp::Ne, value)
    }

    /// `column < value`.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(AGE.lt(3).to_sql(&PostgresDialect).unwrap().sql, r#""age" < $1"#);
    /// ```
    pub fn lt(self, value: impl ExprArg<T>) -> Cond<M> {
        self.compare(BinOp::Lt, value)
    }

    /// `column <= value`.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(AGE.le(3).to_sql(&PostgresDialect).unwrap().sql, r#""age" <= $1"#);
    /// ```
    pub fn le(self, value: impl ExprArg<T>) -> Cond<M> {
        self.compare(BinOp::Le, value)
    }

    /// `column > value`.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(AGE.gt(3).to_sql(&PostgresDialect).unwrap().sql, r#""age" > $1"#);
    /// ```
    pub fn gt(self, value: impl ExprArg<T>) -> Cond<M> {
        self.compare(BinOp::Gt, value)
    }

    /// `column >= value`.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(AGE.ge(3).to_sql(&PostgresDialect).unwrap().sql, r#""age" >= $1"#);
    /// ```
    pub fn ge(self, value: impl ExprArg<T>) -> Cond<M> {
        self.compare(BinOp::Ge, value)
    }

    /// `column IN (values)`, over a list or a subquery (`Post::user_id.in_(User::filter(…).select(User::id))`);
    /// an empty list matches no row.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(AGE.in_([1, 2]).to_sql(&PostgresDialect).unwrap().sql, r#""age" IN ($1, $2)"#);
    /// ```
    pub fn in_(self, values: impl InValues<T>) -> Cond<M> {
        Cond::from_expr(values.in_expr(self.expr(), false))
    }

    /// `column NOT IN (values)`, over a list or a subquery; an empty list matches every row.
    /// As in SQL, a subquery returning a NULL makes `NOT IN` match nothing.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(AGE.not_in(Vec::<i32>::new()).to_sql(&PostgresDialect).unwrap().sql, r#"TRUE"#);
    /// ```
    pub fn not_in(self, values: impl InValues<T>) -> Cond<M> {
        Cond::from_expr(values.in_expr(self.expr(), true))
    }

    /// `column IS NULL`.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(EMAIL.is_null().to_sql(&PostgresDialect).unwrap().sql, r#""email" IS NULL"#);
    /// ```
    pub fn is_null(self) -> Cond<M> {
        Cond::from_expr(Expr::IsNull { expr: Box::new(self.expr()), negated: false })
    }

    /// `column IS NOT NULL`.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(EMAIL.is_not_null().to_sql(&PostgresDialect).unwrap().sql, r#""email" IS NOT NULL"#);
    /// ```
    pub fn is_not_null(self) -> Cond<M> {
        Cond::from_expr(Expr::IsNull { expr: Box::new(self.expr()), negated: true })
    }

    /// `column BETWEEN low AND high`, both bounds included.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(AGE.between(13, 19).to_sql(&PostgresDialect).unwrap().sql, r#""age" BETWEEN $1 AND $2"#);
    /// ```
    pub fn between(self, low: impl ExprArg<T>, high: impl ExprArg<T>) -> Cond<M> {
        Cond::from_expr(Expr::Between {
            expr: Box::new(self.expr()),
            low: Box::new(low.into_expr()),
            high: Box::new(high.into_expr()),
        })
    }

    /// Ascending order: `"views" ASC`.
    pub fn asc(self) -> Order<M> {
        Order::new(self.expr(), false)
    }

    /// Descending order: `"views" DESC`.
    pub fn desc(self) -> Order<M> {
        Order::new(self.expr(), true)
    }
}

impl<M: crate::Model, T> Column<M, T> {
    /// This column of the enclosing query's row, inside a subquery (a correlated
    /// reference): qualified by its table, which the subquery's own table never hides
    /// because subqueries read their table under an alias.
    pub fn outer(self) -> super::expr::SqlExpr<M, T> {
        self.qualified()
    }

    /// This column qualified by its table (`"users"."id"`): how a join's ON condition or
    /// filter names a column of another model than the one it is written over.
    ///
    /// ```
    /// # use kakaorm_core::typed::Column;
    /// # use kakaorm_core::{Model, PostgresDialect};
    /// # fn show<M: Model>(id: Column<M, i64>) -> String {
    /// id.qualified().expr_sql(&PostgresDialect) // "users"."id" for a model over table users
    /// # }
    /// ```
    pub fn qualified(self) -> super::expr::SqlExpr<M, T> {
        super::expr::SqlExpr::from_expr(self.expr().qualify(M::SCHEMA.name))
    }
}

/// Marks the column types that hold text, for `like` and friends.
pub trait TextColumn {
    /// The type of the text's length (`Option` when the text may be NULL).
    type Len;
}
impl TextColumn for String {
    type Len = i64;
}
impl TextColumn for Option<String> {
    type Len = Option<i64>;
}

impl<M, T: TextColumn> Column<M, T> {
    fn like_expr(self, pattern: String, kind: LikeKind) -> Cond<M> {
        Cond::from_expr(Expr::Like {
            expr: Box::new(self.expr()),
            pattern: Box::new(Expr::Value(Value::String(pattern))),
            kind,
            escaped: false,
        })
    }

    fn has_text(self, text: &str, position: TextPosition, kind: LikeKind) -> Cond<M> {
        Cond::from_expr(Expr::HasText { expr: Box::new(self.expr()), text: text.to_owned(), position, kind })
    }

    /// `column LIKE pattern`, case-sensitive on every backend. `%` and `_` are wildcards.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(NAME.like("A%").to_sql(&PostgresDialect).unwrap().sql, r#""name" LIKE $1"#);
    /// ```
    pub fn like(self, pattern: impl Into<String>) -> Cond<M> {
        self.like_expr(pattern.into(), LikeKind::CaseSensitive)
    }

    /// Case-insensitive LIKE on every backend (`ILIKE` on PostgreSQL, `LOWER() LIKE LOWER()`
    /// elsewhere).
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(NAME.ilike("a%").to_sql(&PostgresDialect).unwrap().sql, r#""name" ILIKE $1"#);
    /// ```
    pub fn ilike(self, pattern: impl Into<String>) -> Cond<M> {
        self.like_expr(pattern.into(), LikeKind::CaseInsensitive)
    }

    /// The column contains `text` literally (`%` and `_` in `text` are escaped). Text
    /// containing NUL matches exactly too: on SQLite, whose LIKE stops at NUL, it is matched
    /// byte-wise with `instr()`; PostgreSQL text cannot hold NUL, so there such text is
    /// refused with [`InvalidInput`](crate::ErrorKind::InvalidInput).
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(NAME.contains("50%").to_sql(&PostgresDialect).unwrap().sql, r#""name" LIKE $1 ESCAPE '!'"#);
    /// ```
    pub fn contains(self, text: &str) -> Cond<M> {
        self.has_text(text, TextPosition::Anywhere, LikeKind::CaseSensitive)
    }

    /// Case-insensitive [`contains`](Column::contains).
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(NAME.icontains("x").to_sql(&PostgresDialect).unwrap().sql, r#""name" ILIKE $1 ESCAPE '!'"#);
    /// ```
    pub fn icontains(self, text: &str) -> Cond<M> {
        self.has_text(text, TextPosition::Anywhere, LikeKind::CaseInsensitive)
    }

    /// The column starts with `text` literally.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(NAME.starts_with("A_").to_sql(&PostgresDialect).unwrap().sql, r#""name" LIKE $1 ESCAPE '!'"#);
    /// ```
    pub fn starts_with(self, text: &str) -> Cond<M> {
        self.has_text(text, TextPosition::Start, LikeKind::CaseSensitive)
    }

    /// The column ends with `text` literally.
    ///
    /// ```
    /// # use kakaorm_core::{Column, PostgresDialect};
    /// # struct User;
    /// # const AGE: Column<User, i32> = Column::new("age");
    /// # const NAME: Column<User, String> = Column::new("name");
    /// # const EMAIL: Column<User, Option<String>> = Column::new("email");
    /// assert_eq!(NAME.ends_with("son").to_sql(&PostgresDialect).unwrap().sql, r#""name" LIKE $1 ESCAPE '!'"#);
    /// ```
    pub fn ends_with(self, text: &str) -> Cond<M> {
        self.has_text(text, TextPosition::End, LikeKind::CaseSensitive)
    }
}
