//! Hooks: their order on create, save, delete, bulk_create, bulk_update, get_or_create,
//! update_or_create and upsert; a before-hook error aborts and an after-hook error undoes,
//! leaving nothing; they share the caller's transaction; queryset update and delete run
//! none; models without hooks open no transaction.

use kakaorm::prelude::*;
use kakaorm::{Backend, Error, ErrorKind};

use crate::models::*;

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "gadgets", hooks)]
pub struct Gadget {
    pub id: i64,
    #[kakaorm(unique, max_length = 40)]
    pub name: String,
    #[kakaorm(default = 0)]
    pub saves: i32,
}

/// What the hooks saw, written through the transaction of the write.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "gadget_events")]
pub struct GadgetEvent {
    pub id: i64,
    pub event: String,
}

async fn record(tx: &Tx, hook: &str, g: &Gadget) -> kakaorm::Result<()> {
    let keyed = if g.id > 0 { "keyed" } else { "unkeyed" };
    GadgetEvent::create().event(format!("{hook} {} {keyed}", g.name)).exec(tx).await.map(drop)
}

fn refused(what: &str) -> Error {
    Error::new(ErrorKind::InvalidInput, format!("{what} refused by a hook"))
}

impl Hooks for Gadget {
    async fn before_insert(&mut self, tx: &Tx) -> kakaorm::Result<()> {
        record(tx, "before_insert", self).await?;
        if self.name == "forbidden" {
            return Err(refused("insert"));
        }
        self.name = self.name.to_uppercase();
        Ok(())
    }

    async fn after_insert(&mut self, tx: &Tx) -> kakaorm::Result<()> {
        record(tx, "after_insert", self).await?;
        if self.name == "UNDONE" { Err(refused("insert")) } else { Ok(()) }
    }

    async fn before_update(&mut self, tx: &Tx) -> kakaorm::Result<()> {
        self.saves += 1;
        record(tx, "before_update", self).await?;
        if self.name == "FROZEN" { Err(refused("update")) } else { Ok(()) }
    }

    async fn after_update(&mut self, tx: &Tx) -> kakaorm::Result<()> {
        record(tx, "after_update", self).await
    }

    async fn before_delete(&self, tx: &Tx) -> kakaorm::Result<()> {
        record(tx, "before_delete", self).await?;
        if self.name == "KEEP" { Err(refused("delete")) } else { Ok(()) }
    }

    async fn after_delete(&self, tx: &Tx) -> kakaorm::Result<()> {
        record(tx, "after_delete", self).await
    }
}

async fn schema(db: &Db) -> kakaorm::Result<()> {
    db.create_tables::<(Gadget, GadgetEvent)>().await
}

async fn events(e: &impl Executor) -> kakaorm::Result<Vec<String>> {
    let all = GadgetEvent::query().order_by(GadgetEvent::id).all(e).await?;
    Ok(all.into_iter().map(|ev| ev.event).collect())
}

conformance! {
    async fn hooks_run_in_order_around_each_write(db: Db) -> Result<()> {
        schema(&db).await?;
        let mut lamp = Gadget::create().name("lamp").exec(&db).await?;
        assert_eq!(lamp.name, "LAMP", "before_insert changed what was written");
        assert_eq!(Gadget::find(lamp.id, &db).await?.map(|g| g.name).as_deref(), Some("LAMP"));
        lamp.save(&db).await?;
        assert_eq!(lamp.saves, 1);
        assert_eq!(Gadget::find(lamp.id, &db).await?.map(|g| g.saves), Some(1), "before_update's change is saved");
        assert_eq!(lamp.delete(&db).await?, 1);
        assert_eq!(
            events(&db).await?,
            [
                "before_insert lamp unkeyed",
                "after_insert LAMP keyed",
                "before_update LAMP keyed",
                "after_update LAMP keyed",
                "before_delete LAMP keyed",
                "after_delete LAMP keyed",
            ]
        );
        Ok(())
    }

    async fn a_hook_error_leaves_nothing_behind(db: Db) -> Result<()> {
        schema(&db).await?;
        let err = Gadget::create().name("forbidden").exec(&db).await.unwrap_err();
        assert_eq!(err.to_string(), "invalid input: insert refused by a hook");
        let err = Gadget::create().name("undone").exec(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!((Gadget::count(&db).await?, GadgetEvent::count(&db).await?), (0, 0));
        let keep = Gadget::create().name("keep").exec(&db).await?;
        let before = events(&db).await?;
        assert_eq!(keep.delete(&db).await.unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(Gadget::count(&db).await?, 1, "the delete was aborted");
        assert_eq!(events(&db).await?, before, "and so was its hook's write");
        Ok(())
    }

    async fn hooks_share_the_callers_transaction(db: Db) -> Result<()> {
        schema(&db).await?;
        let tx = db.begin().await?;
        Gadget::create().name("draft").exec(&tx).await?;
        assert_eq!(events(&tx).await?.len(), 2, "the hooks' writes are visible inside the transaction");
        tx.rollback().await?;
        assert_eq!((Gadget::count(&db).await?, GadgetEvent::count(&db).await?), (0, 0));

        let tx = db.begin().await?;
        Gadget::create().name("kept").exec(&tx).await?;
        assert!(Gadget::create().name("forbidden").exec(&tx).await.is_err());
        Gadget::create().name("also").exec(&tx).await?;
        tx.commit().await?;
        let names: Vec<String> = Gadget::query().order_by(Gadget::id).all(&db).await?.into_iter().map(|g| g.name).collect();
        assert_eq!(names, ["KEPT", "ALSO"], "the failed write was undone alone");
        assert_eq!(events(&db).await?.len(), 4);
        Ok(())
    }

    async fn bulk_create_runs_hooks_per_row(db: Db) -> Result<()> {
        schema(&db).await?;
        let n = Gadget::bulk_create(["a", "b"].map(|n| Gadget::create().name(n)), &db).await?;
        assert_eq!(n, 2);
        assert_eq!(
            events(&db).await?,
            ["before_insert a unkeyed", "after_insert A keyed", "before_insert b unkeyed", "after_insert B keyed"]
        );
        let err = Gadget::bulk_create(["c", "forbidden"].map(|n| Gadget::create().name(n)), &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!((Gadget::count(&db).await?, GadgetEvent::count(&db).await?), (2, 4), "the whole bulk was undone");
        Ok(())
    }

    /// Queryset `update()` and `delete()` load no models, so no hook runs.
    async fn queryset_update_and_delete_run_no_hooks(db: Db) -> Result<()> {
        schema(&db).await?;
        Gadget::create().name("x").exec(&db).await?;
        let before = events(&db).await?;
        assert_eq!(Gadget::query().update().set(Gadget::saves, 5).exec(&db).await?, 1);
        assert_eq!(Gadget::query().delete(&db).await?, 1);
        assert_eq!(events(&db).await?, before);
        Ok(())
    }

    async fn models_without_hooks_open_no_transaction(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        schema(&db).await?;
        let begin = if db.backend() == Backend::Mysql { "sql=START TRANSACTION" } else { "sql=BEGIN" };
        let (log, guard) = crate::logs::capture();
        let mut u = User::create().name("plain").exec(&db).await?;
        u.save(&db).await?;
        u.delete(&db).await?;
        let plain = log.take();
        Gadget::create().name("hooked").exec(&db).await?;
        let hooked = log.take();
        drop(guard);
        assert!(plain.contains("kakaorm::query") && !plain.contains(begin), "{plain}");
        assert_eq!(hooked.matches(begin).count(), 1, "{hooked}");
        assert_eq!(hooked.matches("sql=COMMIT").count(), 1, "{hooked}");
        Ok(())
    }

    /// get_or_create runs the insert hooks only when it inserts; update_or_create runs the
    /// update hooks when it updates and the insert hooks when it inserts.
    async fn or_create_runs_the_hooks_of_the_write_it_does(db: Db) -> Result<()> {
        schema(&db).await?;
        let (lamp, created) = Gadget::get_or_create(Gadget::name.eq("LAMP"), Gadget::create().name("lamp"), &db).await?;
        assert!(created);
        assert_eq!(lamp.name, "LAMP");
        let (again, created) = Gadget::get_or_create(Gadget::name.eq("LAMP"), Gadget::create().name("lamp"), &db).await?;
        assert_eq!((again.id, created), (lamp.id, false));
        assert_eq!(events(&db).await?, ["before_insert lamp unkeyed", "after_insert LAMP keyed"], "a read runs no hook");

        let (updated, created) =
            Gadget::update_or_create(Gadget::name.eq("LAMP"), Gadget::create().name("LAMP").saves(10), &db).await?;
        assert!(!created);
        assert_eq!(updated.saves, 11, "before_update ran on the model with the defaults applied");
        assert_eq!(Gadget::find(lamp.id, &db).await?.map(|g| g.saves), Some(11));
        let (desk, created) = Gadget::update_or_create(Gadget::name.eq("DESK"), Gadget::create().name("desk"), &db).await?;
        assert!(created);
        assert_eq!(desk.name, "DESK");
        assert_eq!(
            events(&db).await?[2..],
            ["before_update LAMP keyed", "after_update LAMP keyed", "before_insert desk unkeyed", "after_insert DESK keyed"]
        );
        Ok(())
    }

    async fn or_create_hook_errors_leave_nothing_behind(db: Db) -> Result<()> {
        schema(&db).await?;
        let err = Gadget::get_or_create(Gadget::name.eq("forbidden"), Gadget::create().name("forbidden"), &db).await.unwrap_err();
        assert_eq!(err.to_string(), "invalid input: insert refused by a hook");
        assert_eq!((Gadget::count(&db).await?, GadgetEvent::count(&db).await?), (0, 0));
        let frozen = Gadget::create().name("frozen").exec(&db).await?;
        let before = events(&db).await?;
        let err = Gadget::update_or_create(Gadget::name.eq("FROZEN"), Gadget::create().name("FROZEN").saves(7), &db)
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "invalid input: update refused by a hook");
        assert_eq!(Gadget::find(frozen.id, &db).await?.map(|g| g.saves), Some(0), "the update was aborted");
        assert_eq!(events(&db).await?, before, "and so was its hook's write");
        Ok(())
    }

    /// An upsert runs before_insert on each proposed row (its changes are what is
    /// proposed, the conflict key included) and after_insert on each stored row it
    /// returns, whether inserted or updated.
    async fn upsert_runs_insert_hooks_around_the_statement(db: Db) -> Result<()> {
        schema(&db).await?;
        let up = |name: &str, saves: i32| Gadget::upsert(Gadget::create().name(name).saves(saves)).on_conflict(Gadget::name);
        let a = up("a", 1).update(Gadget::saves).exec(&db).await?;
        assert_eq!((a.name.as_str(), a.saves), ("A", 1));
        let again = up("a", 2).update(Gadget::saves).exec(&db).await?;
        assert_eq!((again.id, again.saves), (a.id, 2), "the hook's uppercase name met the stored one");
        let kept = up("a", 3).do_nothing().exec(&db).await?;
        assert_eq!((kept.id, kept.saves), (a.id, 2));
        assert_eq!(
            events(&db).await?,
            [
                "before_insert a unkeyed",
                "after_insert A keyed",
                "before_insert a unkeyed",
                "after_insert A keyed",
                "before_insert a unkeyed",
                "after_insert A keyed",
            ]
        );
        let many = Gadget::upsert_many(["b", "c"].map(|n| Gadget::create().name(n)))
            .on_conflict(Gadget::name)
            .update_all()
            .exec(&db)
            .await?;
        assert_eq!(many.len(), 2);
        assert_eq!(GadgetEvent::count(&db).await?, 10);
        Ok(())
    }

    async fn upsert_hook_errors_leave_nothing_behind(db: Db) -> Result<()> {
        schema(&db).await?;
        let rows = ["x", "forbidden"].map(|n| Gadget::create().name(n));
        let err = Gadget::upsert_many(rows).on_conflict(Gadget::name).do_nothing().exec(&db).await.unwrap_err();
        assert_eq!(err.to_string(), "invalid input: insert refused by a hook");
        assert_eq!((Gadget::count(&db).await?, GadgetEvent::count(&db).await?), (0, 0));
        // after_insert refuses the stored row "UNDONE": the upsert is undone.
        let err = Gadget::upsert(Gadget::create().name("undone")).on_conflict(Gadget::name).update_all().exec(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert_eq!((Gadget::count(&db).await?, GadgetEvent::count(&db).await?), (0, 0));
        // Inside the caller's transaction: the hooks' writes go with it.
        let tx = db.begin().await?;
        Gadget::upsert(Gadget::create().name("draft")).on_conflict(Gadget::name).update_all().exec(&tx).await?;
        assert_eq!(events(&tx).await?.len(), 2);
        tx.rollback().await?;
        assert_eq!((Gadget::count(&db).await?, GadgetEvent::count(&db).await?), (0, 0));
        Ok(())
    }

    /// bulk_update: before_update on every model, the statements, after_update on every
    /// model, in one transaction; a hook error leaves nothing.
    async fn bulk_update_runs_update_hooks_per_row(db: Db) -> Result<()> {
        schema(&db).await?;
        Gadget::bulk_create(["a", "b"].map(|n| Gadget::create().name(n)), &db).await?;
        let mut all = Gadget::query().order_by(Gadget::id).all(&db).await?;
        let before = GadgetEvent::count(&db).await?;
        assert_eq!(Gadget::bulk_update(&mut all, Gadget::saves, &db).await?, 2);
        assert_eq!(all.iter().map(|g| g.saves).collect::<Vec<_>>(), [1, 1]);
        let stored = Gadget::query().order_by(Gadget::id).all(&db).await?;
        assert_eq!(stored, all, "before_update's changes are what was written");
        let logged = events(&db).await?;
        assert_eq!(
            logged[before as usize..],
            ["before_update A keyed", "before_update B keyed", "after_update A keyed", "after_update B keyed"]
        );

        Gadget::create().name("frozen").exec(&db).await?;
        let mut all = Gadget::query().order_by(Gadget::id).all(&db).await?;
        let before = events(&db).await?;
        let err = Gadget::bulk_update(&mut all, Gadget::saves, &db).await.unwrap_err();
        assert_eq!(err.to_string(), "invalid input: update refused by a hook");
        let saves: Vec<i32> = Gadget::query().order_by(Gadget::id).all(&db).await?.iter().map(|g| g.saves).collect();
        assert_eq!(saves, [1, 1, 0], "nothing was written");
        assert_eq!(events(&db).await?, before);

        // In the caller's transaction: rolled back with it.
        let mut two = Gadget::query().filter(Gadget::name.ne("FROZEN")).order_by(Gadget::id).all(&db).await?;
        let tx = db.begin().await?;
        Gadget::bulk_update(&mut two, Gadget::saves, &tx).await?;
        assert_eq!(events(&tx).await?.len(), before.len() + 4);
        tx.rollback().await?;
        assert_eq!(events(&db).await?, before);
        assert_eq!(Gadget::filter(Gadget::saves.eq(2)).count(&db).await?, 0);
        Ok(())
    }
}
