//! Dirty tracking: a model with a snapshot of its values, whose `save` writes only the
//! columns that changed.

use std::ops::{Deref, DerefMut};

use kakaorm_core::{Model, Result, Value};

use crate::executor::Executor;
use crate::hooks::Hooks;
use crate::write;

/// A model together with the values it had when it was loaded or last saved, so that
/// [`save`](Tracked::save) writes only the columns that changed since (plus `auto_now`
/// fields and the version), and nothing at all when nothing changed.
///
/// Tracking is opt-in so that reads stay as cheap as they are: a model is a plain struct,
/// and only a tracked one pays for its snapshot (one copy of its column values). The
/// wrapper derefs to the model, so fields read and write as usual.
///
/// ```
/// use kakaorm::prelude::*;
/// #[derive(Model, Debug)]
/// #[kakaorm(table = "notes")]
/// struct Note { id: i64, title: String, body: String }
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> kakaorm::Result<()> {
/// let db = kakaorm::connect("sqlite::memory:").await?;
/// db.create_table::<Note>().await?;
/// let note = Note::create().title("a").body("b").exec(&db).await?;
/// let mut note = Tracked::new(note);
/// assert!(!note.save(&db).await?, "nothing changed: no statement");
/// note.title = "A".into();
/// assert_eq!(note.changed(), ["title"]);
/// assert!(note.save(&db).await?, "UPDATE notes SET title = ? WHERE id = ?");
/// assert!(note.changed().is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Tracked<M> {
    model: M,
    snapshot: Vec<Value>,
}

impl<M: Model + Hooks> Tracked<M> {
    /// Starts tracking `model` from its current values.
    pub fn new(model: M) -> Self {
        let snapshot = model.column_values();
        Tracked { model, snapshot }
    }

    /// Tracks each of `models` (what a query returned).
    pub fn all(models: Vec<M>) -> Vec<Self> {
        models.into_iter().map(Tracked::new).collect()
    }

    /// The model, no longer tracked.
    pub fn into_inner(self) -> M {
        self.model
    }

    /// The schema indexes of the columns `save` would write as changed.
    fn changed_columns(&self) -> Vec<usize> {
        let columns = M::SCHEMA.columns.iter().enumerate();
        columns
            .filter(|(i, c)| {
                !c.primary_key && !c.auto_now_add && self.snapshot.get(*i) != Some(&self.model.column_value(*i))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The fields changed since the model was loaded or last saved, in field order.
    pub fn changed(&self) -> Vec<&'static str> {
        self.changed_columns().into_iter().map(|i| M::SCHEMA.columns[i].field).collect()
    }

    /// Writes the changed columns, as [`ModelExt::save`](crate::ModelExt::save) does for
    /// all of them (validation, hooks, `auto_now`, version check); returns whether a
    /// statement was sent. With nothing changed it sends nothing, runs no hook and
    /// returns `false`.
    ///
    /// # Errors
    /// As [`ModelExt::save`](crate::ModelExt::save).
    pub async fn save<E: Executor>(&mut self, e: &E) -> Result<bool> {
        let changed = self.changed_columns();
        if changed.is_empty() {
            return Ok(false);
        }
        write::save(&mut self.model, Some(&changed), e).await?;
        self.snapshot = self.model.column_values();
        Ok(true)
    }

    /// Reloads the model from the database and tracks it from there.
    ///
    /// # Errors
    /// [`NotFound`](crate::ErrorKind::NotFound) when the row is gone.
    pub async fn refresh<E: Executor>(&mut self, e: &E) -> Result<()> {
        write::refresh(&mut self.model, e).await?;
        self.snapshot = self.model.column_values();
        Ok(())
    }
}

impl<M> Deref for Tracked<M> {
    type Target = M;

    fn deref(&self) -> &M {
        &self.model
    }
}

impl<M> DerefMut for Tracked<M> {
    fn deref_mut(&mut self) -> &mut M {
        &mut self.model
    }
}
