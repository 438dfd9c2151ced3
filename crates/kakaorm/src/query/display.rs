//! `Display` for every query builder: its SQL with the values written inline, for
//! PostgreSQL ([`DISPLAY_BACKEND`]). For reading and logs only, never executed.

use std::fmt;

use kakaorm_core::{Backend, FromRow, Model, Result};

use super::join_row::JoinRow;
use super::{
    AlsoSelected, Compound, InsertInto, JoinSelected, Joined, Joins, Paginated, PairRow, Query, Selected, UpdateQuery,
    WithCtes,
};

/// The backend whose dialect `Display` renders query builders in. Call `debug_sql` with
/// another dialect to see another backend's SQL.
///
/// ```
/// # use kakaorm::prelude::*;
/// # #[derive(Model)] #[kakaorm(table = "users")] struct User { id: i64, name: String }
/// let q = User::filter(User::name.eq("O'Brien")).limit(1);
/// assert_eq!(q.to_string(), r#"SELECT "id", "name" FROM "users" WHERE "name" = 'O''Brien' LIMIT 1"#);
/// assert_eq!(format!("{q}"), q.debug_sql(kakaorm::DISPLAY_BACKEND.dialect()).unwrap());
/// ```
pub const DISPLAY_BACKEND: Backend = Backend::Postgres;

/// Writes the inline SQL, or why the builder cannot render.
fn show(f: &mut fmt::Formatter<'_>, sql: Result<String>) -> fmt::Result {
    match sql {
        Ok(sql) => f.write_str(&sql),
        Err(e) => write!(f, "<query cannot render: {e}>"),
    }
}

macro_rules! display {
    ($([$($g:tt)*] $ty:ty $(where $($w:tt)*)?;)*) => {$(
        impl<$($g)*> fmt::Display for $ty $(where $($w)*)? {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                show(f, self.debug_sql(DISPLAY_BACKEND.dialect()))
            }
        }
    )*};
}

display! {
    [M: Model] Query<M>;
    [M: Model, O: FromRow] Selected<M, O>;
    [M: Model, O: FromRow] AlsoSelected<M, O>;
    [M: Model] UpdateQuery<M>;
    [M, O: FromRow] Compound<M, O>;
    [M: Model, O: FromRow] WithCtes<M, O>;
    [D: Model, M: Model] InsertInto<D, M>;
    [M: Model] Paginated<M>;
    [A: Model, B: Model, P: PairRow] Joined<A, B, P>;
    [S: JoinRow + 'static] Joins<S>;
    [O: FromRow] JoinSelected<O>;
}
