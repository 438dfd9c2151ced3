//! `Columns<M>`: one column handle, or a tuple of them, all of model `M`.

use super::column::Column;

/// One column of `M`, or a tuple of up to eight: an upsert's conflict target, the columns
/// it updates, or the fields a bulk update writes. Columns of another model do not
/// compile.
///
/// ```
/// use kakaorm_core::typed::{Column, Columns};
/// struct User;
/// const NAME: Column<User, String> = Column::new("name");
/// const AGE: Column<User, i32> = Column::new("age");
/// assert_eq!(Columns::<User>::names(&(NAME, AGE)), ["name", "age"]);
/// assert_eq!(Columns::<User>::names(&AGE), ["age"]);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column or a tuple of columns of `{M}`",
    label = "expected columns of `{M}`, such as `({M}::name, {M}::email)`"
)]
pub trait Columns<M> {
    /// The database names of the columns, in order.
    fn names(&self) -> Vec<&'static str>;
}

impl<M, T> Columns<M> for Column<M, T> {
    fn names(&self) -> Vec<&'static str> {
        vec![self.name()]
    }
}

/// Implements `Columns` for the tuple of the given names and for each shorter suffix.
macro_rules! columns_tuple {
    () => {};
    ($first:ident $(, $rest:ident)*) => {
        impl<M, $first: Columns<M> $(, $rest: Columns<M>)*> Columns<M> for ($first, $($rest,)*) {
            #[allow(non_snake_case, unused_mut)]
            fn names(&self) -> Vec<&'static str> {
                let ($first, $($rest,)*) = self;
                let mut v = $first.names();
                $(v.extend($rest.names());)*
                v
            }
        }
        columns_tuple!($($rest),*);
    };
}
columns_tuple!(A, B, C, D, E, F, G, H);
