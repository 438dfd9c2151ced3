//! Runs of consecutive columns decoded into a tuple: how `#[derive(Model)]` reads fields
//! whose type it knows by name, one call per run instead of one per field.

use super::{ColumnValue, RowReader};
use crate::error::Result;

/// A tuple of column values read from consecutive columns of a row, the first at `first`.
///
/// Generated `FromRow` impls call it once per run of up to 12 fields (the longest tuple it is implemented for), which
/// the compiler checks much faster than one decode (and one early return) per field; once
/// inlined it is the same code.
///
/// ```
/// use kakaorm_core::__private::DecodeColumns;
/// use kakaorm_core::schema::{ColumnSchema, TableSchema};
/// use kakaorm_core::{ColumnType, Value, ValuesRow};
///
/// static COLUMNS: [ColumnSchema; 3] = [
///     ColumnSchema::new("id", "id", ColumnType::BigInt),
///     ColumnSchema::new("age", "age", ColumnType::Integer),
///     ColumnSchema::new("nick", "nick", ColumnType::Text).nullable(true),
/// ];
/// static TABLE: TableSchema = TableSchema::new("users", "User", &COLUMNS, 0, &[]);
///
/// let mut row = ValuesRow::new(&TABLE, vec![Value::I64(7), Value::I32(30), Value::Null]);
/// let (age, nick) = <(i32, Option<String>)>::decode_columns(&mut row, 1)?;
/// assert_eq!((age, nick), (30, None));
/// # Ok::<(), kakaorm_core::Error>(())
/// ```
#[doc(hidden)]
pub trait DecodeColumns: Sized {
    /// Reads columns `first`, `first + 1`, ... in order.
    ///
    /// # Errors
    /// The first column's [`Decode`](crate::ErrorKind::Decode) error.
    fn decode_columns<R: RowReader + ?Sized>(row: &mut R, first: usize) -> Result<Self>;
}

macro_rules! decode_columns {
    ($($t:ident $i:tt),+) => {
        impl<$($t: ColumnValue),+> DecodeColumns for ($($t,)+) {
            #[inline]
            fn decode_columns<R: RowReader + ?Sized>(row: &mut R, first: usize) -> Result<Self> {
                Ok(($($t::decode(row, first + $i)?,)+))
            }
        }
    };
}

decode_columns!(A 0);
decode_columns!(A 0, B 1);
decode_columns!(A 0, B 1, C 2);
decode_columns!(A 0, B 1, C 2, D 3);
decode_columns!(A 0, B 1, C 2, D 3, E 4);
decode_columns!(A 0, B 1, C 2, D 3, E 4, F 5);
decode_columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
decode_columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
decode_columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
decode_columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
decode_columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
decode_columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
