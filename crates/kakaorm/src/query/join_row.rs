//! The row shape of a query joining several models: which models it returns, in order,
//! and which of them may be missing (the joined side of a left join).

use std::marker::PhantomData;

use kakaorm_core::{FromRow, Model, OffsetRow, Result, RowReader};

use super::join::{InnerRow, LeftRow, RightRow};

/// A model every joined row has (the first model, or one joined with an inner join).
pub struct Req<M>(PhantomData<fn() -> M>);

/// A model a joined row may lack (joined with a left join): decoded as `None` when its
/// primary key is NULL.
pub struct Opt<M>(PhantomData<fn() -> M>);

/// One model's place in a joined row.
pub trait JoinPart {
    /// What the caller gets: `M` or `Option<M>`.
    type Value: Send + 'static;
    /// How many columns the model's part of the row takes.
    fn width() -> usize;
    /// Decodes the part starting at column `base`.
    ///
    /// # Errors
    /// A [`Decode`](crate::ErrorKind::Decode) error.
    fn decode<R: RowReader + ?Sized>(row: &mut R, base: usize) -> Result<Self::Value>;
}

impl<M: Model> JoinPart for Req<M> {
    type Value = M;
    fn width() -> usize {
        M::SCHEMA.columns.len()
    }
    fn decode<R: RowReader + ?Sized>(row: &mut R, base: usize) -> Result<M> {
        M::from_row(&mut OffsetRow::new(row, base))
    }
}

impl<M: Model> JoinPart for Opt<M> {
    type Value = Option<M>;
    fn width() -> usize {
        M::SCHEMA.columns.len()
    }
    fn decode<R: RowReader + ?Sized>(row: &mut R, base: usize) -> Result<Option<M>> {
        let mut view = OffsetRow::new(row, base);
        if view.is_null(M::SCHEMA.primary_key)? { Ok(None) } else { M::from_row(&mut view).map(Some) }
    }
}

/// A tuple of [`JoinPart`]s: the models of a joined row, decoded into a tuple such as
/// `(Comment, Post, Option<User>)`.
pub trait JoinRow {
    /// The tuple returned to the caller.
    type Output: Send + 'static;
    /// Decodes one row, each model from its own columns.
    ///
    /// # Errors
    /// A [`Decode`](crate::ErrorKind::Decode) error.
    fn decode<R: RowReader + ?Sized>(row: &mut R) -> Result<Self::Output>;
}

/// The row shape with one more model after the others.
pub trait Append<P> {
    /// The longer shape.
    type Out;
}

macro_rules! join_row {
    ($($p:ident),+) => {
        impl<$($p: JoinPart),+> JoinRow for ($($p,)+) {
            type Output = ($($p::Value,)+);
            #[allow(unused_assignments)]
            fn decode<R: RowReader + ?Sized>(row: &mut R) -> Result<Self::Output> {
                let mut base = 0;
                Ok(($({
                    let v = $p::decode(row, base)?;
                    base += $p::width();
                    v
                },)+))
            }
        }

        impl<$($p,)+ Next> Append<Next> for ($($p,)+) {
            type Out = ($($p,)+ Next);
        }
    };
}
join_row!(A);
join_row!(A, B);
join_row!(A, B, C);
join_row!(A, B, C, D);
join_row!(A, B, C, D, E);
join_row!(A, B, C, D, E, F);
join_row!(A, B, C, D, E, F, G);

/// One row of a join, decoded by its shape `S`.
pub(crate) struct Decoded<S: JoinRow>(pub(crate) S::Output);

impl<S: JoinRow + 'static> FromRow for Decoded<S> {
    fn from_row<R: RowReader + ?Sized>(row: &mut R) -> Result<Self> {
        S::decode(row).map(Decoded)
    }
}

/// The row shape of a two-model join's rows.
pub trait PairShape {
    /// The models, as [`JoinPart`]s.
    type Parts;
}

impl<A, B> PairShape for InnerRow<A, B> {
    type Parts = (Req<A>, Req<B>);
}

impl<A, B> PairShape for LeftRow<A, B> {
    type Parts = (Req<A>, Opt<B>);
}

impl<A, B> PairShape for RightRow<A, B> {
    type Parts = (Opt<A>, Req<B>);
}
