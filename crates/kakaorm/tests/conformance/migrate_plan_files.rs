//! A plan written to migration files (what `makemigrations` does) and applied by the
//! runner: statements that must run outside the transaction (SQLite's table rebuild) keep
//! their place through the files, and every row survives.

use kakaorm::prelude::*;
use kakaorm::{Backend, Executor};
use kakaorm_migrate::schema::Schema;
use kakaorm_migrate::{DiffOptions, Migrator, diff, introspect, plan, schema_of, write_plan};

use crate::migrate_runner::TempDir;

#[derive(Model, Debug)]
#[kakaorm(table = "mf_parent")]
struct ParentV1 {
    id: i64,
    #[kakaorm(max_length = 40)]
    name: String,
}

/// `name` becomes nullable: SQLite's ALTER cannot, so the table is rebuilt.
#[derive(Model, Debug)]
#[kakaorm(table = "mf_parent")]
struct ParentV2 {
    id: i64,
    #[kakaorm(max_length = 40)]
    name: Option<String>,
}

#[derive(Model, Debug)]
#[kakaorm(table = "mf_child")]
struct Child {
    id: i64,
    #[kakaorm(references = ParentV1, on_delete = "cascade")]
    parent_id: i64,
}

/// Writes the plan from `from` to `to` as a migration.
fn write(dir: &TempDir, name: &str, from: &Schema, to: &Schema, db: &Db) -> kakaorm::Result<std::path::PathBuf> {
    let d = db.dialect();
    write_plan(&dir.0, name, &plan(&diff(from, to, &DiffOptions::new(d)), d)?)
}

/// The live schema without the history table.
async fn live(db: &Db) -> kakaorm::Result<Schema> {
    let all = introspect(db).await?;
    Ok(Schema::new(all.tables.into_iter().filter(|t| t.name != kakaorm_migrate::HISTORY_TABLE).collect()))
}

conformance! {
    async fn planned_files_apply_and_revert_with_every_row(db: Db) -> Result<()> {
        let dir = TempDir::new("plan");
        let (v1, v2) = (schema_of::<(ParentV1, Child)>(), schema_of::<(ParentV2, Child)>());
        write(&dir, "init", &Schema::new(vec![]), &v1, &db)?;
        let migrator = Migrator::from_dir(&dir.0)?;
        assert_eq!(migrator.run(&db).await?.len(), 1);
        let p = ParentV1::create().name("p").exec(&db).await?;
        for _ in 0..2 {
            Child::create().parent_id(p.id).exec(&db).await?;
        }

        let path = write(&dir, "nullable_name", &v1, &v2, &db)?;
        let up = std::fs::read_to_string(path.join("up.sql")).unwrap();
        let rebuilt = db.backend() == Backend::Sqlite;
        assert_eq!(up.contains("-- kakaorm:before-transaction\nPRAGMA foreign_keys = OFF;"), rebuilt, "{up}");
        let migrator = Migrator::from_dir(&dir.0)?;
        assert_eq!(migrator.run(&db).await?.len(), 1);
        let d = db.dialect();
        assert!(diff(&live(&db).await?, &v2, &DiffOptions::new(d)).is_empty(), "the database is at the models");
        // The rebuild dropped and renamed the parent table with cascading children: none left.
        assert_eq!(Child::count(&db).await?, 2);
        assert_eq!(ParentV2::count(&db).await?, 1);
        let on: Vec<i64> = match db.backend() {
            Backend::Sqlite => db.fetch_raw("PRAGMA foreign_keys", vec![]).await?,
            _ => vec![1],
        };
        assert_eq!(on, [1], "foreign keys are back on after the rebuild");

        assert_eq!(migrator.downgrade(1, &db).await?.len(), 1);
        assert!(diff(&live(&db).await?, &v1, &DiffOptions::new(d)).is_empty(), "back at the first models");
        assert_eq!(Child::count(&db).await?, 2);
        assert!(migrator.verify(&db).await?.is_empty());
        Ok(())
    }
}
