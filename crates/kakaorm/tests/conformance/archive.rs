//! Archive tables: deleting moves rows into `archive_<table>` with every archive-model row
//! that cascades from them (a three-level chain, a diamond, a cycle), each once; reads in
//! every mode; restore without cascade; purge; all or nothing inside a transaction.

use kakaorm::prelude::*;
use kakaorm::relation::HasMany;
use kakaorm::{ErrorKind, Restorable};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ar_orgs", archive)]
pub struct Org {
    pub id: i64,
    #[kakaorm(max_length = 40, unique)]
    pub name: String,
    #[kakaorm(has_many)]
    pub teams: HasMany<Team>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ar_teams", archive)]
pub struct Team {
    pub id: i64,
    #[kakaorm(references = Org, on_delete = "cascade")]
    pub org_id: i64,
    #[kakaorm(max_length = 40)]
    pub name: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ar_members", archive)]
pub struct Member {
    pub id: i64,
    #[kakaorm(references = Team, on_delete = "cascade")]
    pub team_id: i64,
    #[kakaorm(max_length = 40)]
    pub name: String,
}

/// Not an archive model: the database's own cascade deletes it with its org.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "ar_invoices")]
pub struct Invoice {
    pub id: i64,
    #[kakaorm(references = Org, on_delete = "cascade")]
    pub org_id: i64,
}

/// Two orgs, Acme (teams Red with members r1, r2, and Blue with b1) and Zeta (team Z, z1).
async fn orgs(db: &Db) -> kakaorm::Result<(Org, Org)> {
    db.create_tables::<(Org, Team, Member, Invoice)>().await?;
    let acme = Org::create().name("Acme").exec(db).await?;
    let zeta = Org::create().name("Zeta").exec(db).await?;
    for (org, team, members) in [(&acme, "Red", &["r1", "r2"][..]), (&acme, "Blue", &["b1"]), (&zeta, "Z", &["z1"])] {
        let t = Team::create().org_id(org.id).name(team).exec(db).await?;
        for m in members {
            Member::create().team_id(t.id).name(*m).exec(db).await?;
        }
    }
    Invoice::create().org_id(acme.id).exec(db).await?;
    Ok((acme, zeta))
}

/// Rows of `table` (raw, to check the archive itself).
async fn rows(db: &Db, table: &str) -> kakaorm::Result<i64> {
    let n: Vec<i64> = db.fetch_raw(&format!("SELECT COUNT(*) FROM {table}"), vec![]).await?;
    Ok(n.first().copied().unwrap_or(-1))
}

/// (live, archived, all) counts through the three read modes.
async fn counts<M: Restorable>(db: &Db) -> kakaorm::Result<(i64, i64, i64)> {
    Ok((
        M::query().count(db).await?,
        M::query().only_deleted().count(db).await?,
        M::query().include_deleted().count(db).await?,
    ))
}

conformance! {
    async fn delete_moves_a_three_level_chain(db: Db) -> Result<()> {
        let (acme, zeta) = orgs(&db).await?;
        assert_eq!(acme.delete(&db).await?, 1);
        assert_eq!(counts::<Org>(&db).await?, (1, 1, 2));
        assert_eq!(counts::<Team>(&db).await?, (1, 2, 3));
        assert_eq!(counts::<Member>(&db).await?, (1, 3, 4));
        assert_eq!(rows(&db, "archive_ar_members").await?, 3, "each member archived once");
        assert_eq!(Invoice::count(&db).await?, 0, "a plain model goes by the database's cascade");
        assert!(Org::find(acme.id, &db).await?.is_none());
        let archived = Org::query().only_deleted().all(&db).await?;
        assert_eq!(archived.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["Acme"]);
        let names: Vec<String> =
            Member::query().include_deleted().order_by(Member::name).all(&db).await?.into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["b1", "r1", "r2", "z1"]);
        assert_eq!(Member::filter(Member::name.like("r%")).include_deleted().count(&db).await?, 2);
        assert_eq!(Member::filter(Member::name.like("r%")).limit(1).include_deleted().count(&db).await?, 1);
        // Live relations read the main tables only.
        let live = Org::query().prefetch(Org::teams).all(&db).await?;
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].teams.get()?.len(), 1);
        assert_eq!(Org::teams.of(&acme).count(&db).await?, 0);
        assert_eq!(Org::teams.of(&acme).include_deleted().count(&db).await?, 2);
        // A new org may take an archived org's unique name.
        Org::create().name("Acme").exec(&db).await?;
        assert_eq!(zeta.delete(&db).await?, 1);
        assert_eq!(counts::<Member>(&db).await?, (0, 4, 4));
        Ok(())
    }

    async fn restore_does_not_cascade_and_needs_the_parent(db: Db) -> Result<()> {
        let (acme, _zeta) = orgs(&db).await?;
        Org::filter(Org::name.eq("Acme")).delete(&db).await?;
        let r1 = Member::get(Member::name.eq("z1"), &db).await?;
        // A member whose team is still archived cannot come back: nothing changes.
        let err = Member::filter(Member::name.eq("r1")).restore(&db).await.map_err(|e| e.kind());
        assert_eq!(err, Err(ErrorKind::ForeignKeyViolation));
        assert_eq!(counts::<Member>(&db).await?, (1, 3, 4));
        // Parents first, then children: each level comes back on its own.
        assert_eq!(Org::query().only_deleted().restore(&db).await?, 1);
        assert_eq!(counts::<Team>(&db).await?, (1, 2, 3), "restore does not cascade");
        assert_eq!(Team::filter(Team::name.eq("Red")).restore(&db).await?, 1);
        assert_eq!(Member::filter(Member::name.eq("r1")).restore(&db).await?, 1);
        assert_eq!(counts::<Member>(&db).await?, (2, 2, 4));
        let back = Member::get(Member::name.eq("r1"), &db).await?;
        assert_eq!(back.name, "r1");
        assert!(Org::find(acme.id, &db).await?.is_some(), "restored with its key");
        assert_eq!(r1.restore(&db).await?, 0, "a live row has nothing to restore");
        Ok(())
    }

    async fn purge_empties_the_archive(db: Db) -> Result<()> {
        let (acme, _zeta) = orgs(&db).await?;
        acme.delete(&db).await?;
        assert_eq!(Member::filter(Member::name.eq("r1")).only_deleted().purge(&db).await?, 1);
        assert_eq!(counts::<Member>(&db).await?, (1, 2, 3));
        assert_eq!(Member::query().only_deleted().purge(&db).await?, 2);
        assert_eq!(rows(&db, "archive_ar_members").await?, 0);
        assert_eq!(Member::query().include_deleted().count(&db).await?, 1);
        assert_eq!(acme.purge(&db).await?, 1, "a model's purge finds it in the archive");
        assert_eq!(counts::<Org>(&db).await?, (1, 0, 1));
        let refused = Team::query().only_deleted().update().set(Team::name, "x").exec(&db).await.map_err(|e| e.kind());
        assert_eq!(refused, Err(ErrorKind::InvalidInput));
        Ok(())
    }

    async fn archive_is_all_or_nothing_inside_a_transaction(db: Db) -> Result<()> {
        let (acme, _zeta) = orgs(&db).await?;
        let tx = db.begin().await?;
        assert_eq!(acme.delete(&tx).await?, 1);
        assert_eq!(Member::query().only_deleted().count(&tx).await?, 3);
        tx.rollback().await?;
        assert_eq!(counts::<Member>(&db).await?, (4, 0, 4));
        assert_eq!(counts::<Org>(&db).await?, (2, 0, 2));
        Ok(())
    }
}
