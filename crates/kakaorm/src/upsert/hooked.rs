//! An upsert of a model with hooks: `before_insert` on every proposed row, the statements,
//! then `after_insert` on every stored row, in one transaction.

use kakaorm_core::validate::ValidationErrors;
use kakaorm_core::{Model, Result, provisional, row_values, validate_row};

use crate::bulk::Group;
use crate::executor::sealed::Sealed;
use crate::hooks::Hooks;
use crate::tx::Tx;
use crate::write::check_row;

/// Runs `before_insert` on the model each proposed row would become and writes back what
/// the hook changed, then validates every row again (all failures together, each with
/// its `row` index).
pub(super) async fn before_insert<M: Model + Hooks>(groups: &mut [Group], tx: &Tx) -> Result<()> {
    let mut errors = ValidationErrors::in_locale(M::SCHEMA.model, tx.validation_locale());
    let mut index = 0;
    for g in groups.iter_mut() {
        let width = g.columns.len().max(1);
        for row in g.values.chunks_mut(width) {
            let mut model: M = provisional(g.columns, row)?;
            model.before_insert(tx).await?;
            let mut values = row_values(&model, g.columns);
            validate_row::<M>(g.columns, &values, Some(index), &mut errors)?;
            check_row(M::SCHEMA, g.columns, &mut values)?;
            row.clone_from_slice(&values);
            index += 1;
        }
    }
    errors.into_result()
}

/// Runs `after_insert` on every stored row.
pub(super) async fn after_insert<M: Model + Hooks>(rows: &mut [M], tx: &Tx) -> Result<()> {
    for m in rows.iter_mut() {
        m.after_insert(tx).await?;
    }
    Ok(())
}
