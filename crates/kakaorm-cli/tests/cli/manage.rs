//! A `manage` binary's commands, through `kakaorm_cli::run_with` with two versions of the
//! models.

use kakaorm::{CreateExt, Model};

use crate::support::{Project, each_backend};

mod v1 {
    use super::*;

    #[derive(Model, Debug)]
    #[kakaorm(table = "cli_items")]
    pub struct Item {
        pub id: i64,
        #[kakaorm(max_length = 40)]
        pub title: String,
    }
}

mod v2 {
    use super::*;

    #[derive(Model, Debug)]
    #[kakaorm(table = "cli_items")]
    pub struct Item {
        pub id: i64,
        #[kakaorm(max_length = 40)]
        pub title: String,
        #[kakaorm(default = 0)]
        pub stock: i32,
    }
}

/// Runs a manage command for the models `S`; its report, or its error message.
fn manage<S: kakaorm::ModelSet>(p: &Project, args: &[&str]) -> Result<String, String> {
    let mut all = vec!["manage", "--database-url", &p.url, "--migrations"];
    let dir = p.path("migrations").display().to_string();
    all.push(&dir);
    all.extend_from_slice(args);
    let config = p.path("kakaorm.toml").display().to_string();
    all.extend_from_slice(&["--config", &config]);
    let mut out = Vec::new();
    let outcome = kakaorm_cli::run_with::<S, _, _>(all, &mut out);
    let out = String::from_utf8(out).unwrap();
    outcome.map(|()| out).map_err(|e| e.message().to_owned())
}

each_backend! {
    fn makemigrations_then_migrate_as_the_models_change(p: &Project) {
        manage::<(v1::Item,)>(p, &["init"]).unwrap();
        let out = manage::<(v1::Item,)>(p, &["makemigrations", "items"]).unwrap();
        assert!(out.starts_with("Wrote ") && out.contains("_items (1 statement(s) up, 1 down)"), "{out}");
        let pending = manage::<(v1::Item,)>(p, &["makemigrations"]).unwrap_err();
        assert!(pending.contains("1 migration(s) are not applied: run `migrate` first"), "{pending}");
        manage::<(v1::Item,)>(p, &["migrate"]).unwrap();
        assert_eq!(manage::<(v1::Item,)>(p, &["makemigrations"]).unwrap(), "No changes detected.\n");
        p.rt.block_on(async {
            let db = kakaorm::connect(p.url.as_str()).await.unwrap();
            v1::Item::create().title("kept").exec(&db).await.unwrap();
            db.close().await;
        });

        let out = manage::<(v2::Item,)>(p, &["makemigrations", "stock"]).unwrap();
        assert!(out.contains("_stock ("), "{out}");
        manage::<(v2::Item,)>(p, &["migrate"]).unwrap();
        assert_eq!(manage::<(v2::Item,)>(p, &["makemigrations"]).unwrap(), "No changes detected.\n");
        assert_eq!(p.count("cli_items"), Some(1), "the row survives");
        let shown = manage::<(v2::Item,)>(p, &["showmigrations"]).unwrap();
        assert_eq!(shown.lines().filter(|l| l.starts_with("[X]")).count(), 2, "{shown}");

        let out = manage::<(v2::Item,)>(p, &["migrate", "--down", "1"]).unwrap();
        assert!(out.contains("_stock\n") && out.contains("Reverted "), "{out}");
        assert_eq!(p.count("cli_items"), Some(1));
        let pending = manage::<(v1::Item,)>(p, &["makemigrations"]).unwrap_err();
        assert!(pending.starts_with("1 migration(s) are not applied"), "{pending}");
        let bad = manage::<(v2::Item,)>(p, &["makemigrations", "no spaces"]).unwrap_err();
        assert!(bad.contains("invalid migration name"), "{bad}");
    }

    fn sync_applies_the_models_directly(p: &Project) {
        let out = manage::<(v1::Item,)>(p, &["sync"]).unwrap();
        assert!(out.contains("CREATE TABLE"), "{out}");
        assert_eq!(manage::<(v1::Item,)>(p, &["sync"]).unwrap(), "The schema is current.\n");
        let out = manage::<(v2::Item,)>(p, &["sync"]).unwrap();
        assert!(out.contains("stock"), "{out}");
        assert_eq!(p.count("cli_items"), Some(0));
    }
}
