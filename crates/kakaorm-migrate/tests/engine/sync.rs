//! Development sync: creates what is missing, adds columns (filling existing rows), warns
//! about extra columns, and does nothing on a current schema.

use kakaorm::prelude::*;
use kakaorm_migrate::{DiffOptions, SyncExt};

use crate::conformance;

mod v1 {
    use kakaorm::prelude::*;

    #[derive(Model, Debug, Clone)]
    #[kakaorm(table = "accounts")]
    pub struct Account {
        pub id: i64,
        #[kakaorm(max_length = 40)]
        pub name: String,
    }
}

mod v2 {
    use kakaorm::prelude::*;

    #[derive(Model, Debug, Clone)]
    #[kakaorm(table = "accounts")]
    pub struct Account {
        pub id: i64,
        #[kakaorm(max_length = 40)]
        pub name: String,
        #[kakaorm(auto_now_add)]
        pub created_at: DateTime<Utc>,
        #[kakaorm(default = 3)]
        pub level: i32,
        pub score: i32,
        pub bio: Option<String>,
    }

    #[derive(Model, Debug, Clone)]
    #[kakaorm(table = "audits")]
    pub struct Audit {
        pub id: i64,
        #[kakaorm(references = Account, on_delete = "cascade")]
        pub account_id: i64,
    }
}

mod v3 {
    use kakaorm::prelude::*;

    /// `name` is gone from the model.
    #[derive(Model, Debug, Clone)]
    #[kakaorm(table = "accounts")]
    pub struct Account {
        pub id: i64,
        #[kakaorm(auto_now_add)]
        pub created_at: DateTime<Utc>,
        #[kakaorm(default = 3)]
        pub level: i32,
        pub score: i32,
        pub bio: Option<String>,
    }
}

conformance! {
    async fn sync_creates_adds_warns_and_is_a_no_op_when_current(db: Db) -> Result<()> {
        let first = db.sync::<(v1::Account,)>().await?;
        assert_eq!(first.statements.len(), 1, "{:?}", first.statements);
        assert!(first.statements[0].sql.starts_with("CREATE TABLE"), "{:?}", first.statements);
        assert!(db.sync::<(v1::Account,)>().await?.statements.is_empty());
        let before = Utc::now() - chrono::Duration::minutes(5);
        v1::Account::create().name("ann").exec(&db).await?;
        v1::Account::create().name("bob").exec(&db).await?;

        let second = db.sync::<(v2::Account, v2::Audit)>().await?;
        assert!(second.warnings.is_empty(), "{:?}", second.warnings);
        assert!(second.statements.iter().any(|s| s.sql.starts_with("CREATE TABLE")), "{:?}", second.statements);
        let accounts = v2::Account::query().order_by(v2::Account::id).all(&db).await?;
        assert_eq!(accounts.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["ann", "bob"]);
        for a in &accounts {
            assert_eq!((a.level, a.score, a.bio.as_deref()), (3, 0, None));
            assert!(a.created_at > before, "auto_now_add filled with the current time: {}", a.created_at);
        }
        let audit = v2::Audit::create().account_id(accounts[0].id).exec(&db).await?;
        assert!(db.sync::<(v2::Account, v2::Audit)>().await?.statements.is_empty());

        let third = db.sync::<(v3::Account,)>().await?;
        assert!(third.statements.is_empty(), "{:?}", third.statements);
        assert_eq!(third.warnings.len(), 1, "{:?}", third.warnings);
        assert!(third.warnings[0].contains("accounts.name"), "{:?}", third.warnings);
        assert_eq!(v2::Audit::find(audit.id, &db).await?.map(|a| a.account_id), Some(accounts[0].id));
        assert_eq!(v2::Account::count(&db).await?, 2);
        Ok(())
    }
}

mod archived {
    use kakaorm::prelude::*;

    #[derive(Model, Debug, Clone)]
    #[kakaorm(table = "invoices", archive)]
    pub struct Invoice {
        pub id: i64,
        #[kakaorm(max_length = 20, unique)]
        pub number: String,
    }
}

conformance! {
    /// An archive model's archive table is part of its schema: sync creates it, and then
    /// has nothing to do.
    async fn sync_creates_archive_tables(db: Db) -> Result<()> {
        let first = db.sync::<(archived::Invoice,)>().await?;
        assert_eq!(first.statements.len(), 2, "{:?}", first.statements);
        let live = kakaorm_migrate::introspect(&db).await?;
        let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["archive_invoices", "invoices"]);
        assert!(db.sync::<(archived::Invoice,)>().await?.statements.is_empty());
        Ok(())
    }
}

conformance! {
    /// `makemigrations` (schema_of → diff → plan → write_plan) writes the archive table of
    /// an archive model too, and the runner creates and drops it with the model's table.
    async fn migration_files_include_archive_tables(db: Db) -> Result<()> {
        let d = db.dialect();
        let models = kakaorm_migrate::schema_of::<(archived::Invoice,)>();
        let p = kakaorm_migrate::plan(&kakaorm_migrate::diff(&Default::default(), &models, &DiffOptions::new(d)), d)?;
        let dir = std::env::temp_dir().join(format!("kakaorm-archive-files-{}-{:?}", std::process::id(), db.backend()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = kakaorm_migrate::write_plan(&dir, "invoices", &p)?;
        let up = std::fs::read_to_string(path.join(kakaorm_migrate::UP_FILE)).unwrap_or_default();
        assert!(up.contains("archive_invoices"), "{up}");
        let migrator = kakaorm_migrate::Migrator::from_dir(&dir)?;
        assert_eq!(migrator.run(&db).await?.len(), 1);
        let live = kakaorm_migrate::introspect(&db).await?;
        let names: Vec<&str> = live.tables.iter().map(|t| t.name.as_str()).filter(|n| !n.starts_with("kakaorm_")).collect();
        assert_eq!(names, ["archive_invoices", "invoices"]);
        assert!(db.sync::<(archived::Invoice,)>().await?.statements.is_empty(), "the files and the models agree");
        migrator.downgrade(1, &db).await?;
        let live = kakaorm_migrate::introspect(&db).await?;
        assert!(live.tables.iter().all(|t| t.name.starts_with("kakaorm_")), "{:?}", live.tables);
        std::fs::remove_dir_all(&dir).ok();
        Ok(())
    }
}
