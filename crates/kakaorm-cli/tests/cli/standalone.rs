//! The standalone `kakaorm` binary.

use crate::support::{Project, each_backend};

const M1: &str = "20260101000000_notes";
const M2: &str = "20260102000000_seed";

fn two(p: &Project) {
    p.migration(M1, "CREATE TABLE cli_notes (body VARCHAR(40) NOT NULL);", "DROP TABLE cli_notes;");
    p.migration(M2, "INSERT INTO cli_notes (body) VALUES ('a;b');", "DELETE FROM cli_notes;");
}

each_backend! {
    fn init_migrate_show_verify_and_downgrade(p: &Project) {
        let out = p.kakaorm(&["init"]).ok();
        assert!(out.contains("Wrote kakaorm.toml"), "{out}");
        assert!(p.path("migrations").is_dir());
        assert!(p.kakaorm(&["init"]).ok().contains("kakaorm.toml exists"));
        two(p);

        let shown = p.kakaorm(&["showmigrations"]).ok();
        assert_eq!(shown, format!("[ ] {M1}\n[ ] {M2}\n"));
        let run = p.kakaorm(&["migrate"]);
        let progress = run.stderr();
        let out = run.ok();
        assert!(out.ends_with(&format!("Applied {M1}\nApplied {M2}\n")), "{out}");
        assert!(progress.contains(&format!("Applying {M1} (1/2)... OK")), "{progress}");
        assert_eq!(p.count("cli_notes"), Some(1));
        assert!(p.kakaorm(&["migrate"]).ok().ends_with("No migrations to apply.\n"));
        let shown = p.kakaorm(&["showmigrations"]).ok();
        assert!(shown.starts_with(&format!("[X] {M1} (applied ")), "{shown}");

        let sql = p.kakaorm(&["sqlmigrate", "seed"]).ok();
        assert_eq!(sql, format!("-- {M2} (up)\nINSERT INTO cli_notes (body) VALUES ('a;b');"));
        let sql = p.kakaorm(&["sqlmigrate", M1, "--down"]).ok();
        assert_eq!(sql, format!("-- {M1} (down)\nDROP TABLE cli_notes;"));
        assert!(p.kakaorm(&["sqlmigrate", "nothing"]).fails().contains("no single migration called \"nothing\""));

        assert_eq!(p.kakaorm(&["verify"]).ok(), "Every applied migration matches its files.\n");
        std::fs::write(p.path("migrations").join(M2).join("up.sql"), "INSERT INTO cli_notes (body) VALUES ('x');").unwrap();
        let run = p.kakaorm(&["verify"]);
        assert!(run.stdout().starts_with(&format!("{M2}: up.sql changed since it was applied")), "{}", run.stdout());
        assert!(run.fails().contains("1 applied migration(s) changed"));
        let refused = p.kakaorm(&["migrate", "--down", "1"]).fails();
        assert!(refused.contains("refusing to downgrade"), "{refused}");

        p.migration(M2, "INSERT INTO cli_notes (body) VALUES ('a;b');", "DELETE FROM cli_notes;");
        let out = p.kakaorm(&["migrate", "--down", "2"]).ok();
        assert!(out.ends_with(&format!("Reverted {M2}\nReverted {M1}\n")), "{out}");
        assert_eq!(p.count("cli_notes"), None);
    }

    fn inspect_prints_the_models_of_the_database(p: &Project) {
        p.kakaorm(&["init"]).ok();
        p.migration(
            M1,
            "CREATE TABLE cli_items (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL, note TEXT);",
            "DROP TABLE cli_items;",
        );
        p.kakaorm(&["migrate"]).ok();
        let source = p.kakaorm(&["inspect"]).ok();
        assert!(source.contains("#[kakaorm(table = \"cli_items\")]\npub struct CliItems {\n"), "{source}");
        assert!(source.contains("    #[kakaorm(max_length = 20)]\n    pub name: String,\n"), "{source}");
        assert!(source.contains("    pub note: Option<String>,\n"), "{source}");
        assert!(!source.contains("kakaorm_migrations"), "the history table is left out:\n{source}");
        let out = p.kakaorm(&["inspect", "--out", "models.rs"]).ok();
        assert_eq!(out, "Wrote 1 model(s) to models.rs\n");
        assert_eq!(std::fs::read_to_string(p.path("models.rs")).unwrap(), source);
    }

    fn the_url_comes_from_the_flag_then_the_environment_then_the_file(p: &Project) {
        two(p);
        let missing = p.kakaorm_env(&["migrate"], None).fails();
        assert!(missing.contains("no database URL"), "{missing}");
        // The flag wins over a wrong environment variable.
        let out = p.kakaorm_env(&["--database-url", &p.url, "showmigrations"], Some("sqlite::memory:?mode=bad")).ok();
        assert!(out.starts_with("[ ]"), "{out}");
        // The config file, with a migrations directory of its own.
        std::fs::rename(p.path("migrations"), p.path("db-migrations")).unwrap();
        let config = format!("database_url = {:?}\nmigrations = \"db-migrations\"\n", p.url);
        std::fs::write(p.path("kakaorm.toml"), config).unwrap();
        assert!(p.kakaorm_env(&["migrate"], None).ok().ends_with(&format!("Applied {M2}\n")));
        assert_eq!(p.count("cli_notes"), Some(1));
    }
}

#[test]
fn credentials_never_show() {
    let Some(p) = Project::new(crate::harness::Backend::Sqlite) else { return };
    two(&p);
    for url in ["postgres://app:s3cretpw@127.0.0.1:1/app", "mysql://app:s3cretpw@127.0.0.1:1/app"] {
        let err = p.kakaorm_env(&["migrate"], Some(url)).fails();
        assert!(!err.contains("s3cretpw"), "{err}");
        assert!(err.contains("@127.0.0.1:1/app"), "the URL shows, redacted: {err}");
    }
    // A config file that does not parse is reported without quoting it.
    std::fs::write(p.path("kakaorm.toml"), "database_url = \"postgres://app:s3cretpw@host/app\nmigrations = 1\n")
        .unwrap();
    let err = p.kakaorm_env(&["migrate"], None).fails();
    assert!(err.contains("kakaorm.toml line"), "{err}");
    assert!(!err.contains("s3cretpw"), "{err}");
    // --help does not show the URL from the environment.
    let help = p.kakaorm_env(&["--help"], Some("postgres://app:s3cretpw@host/app")).ok();
    assert!(help.contains("--database-url") && !help.contains("s3cretpw"), "{help}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let Some(p) = Project::new(crate::harness::Backend::Sqlite) else { return };
    let run = p.kakaorm(&["migrate", "--down", "-1"]);
    assert_eq!(run.0.status.code(), Some(2), "{}", run.stderr());
    let run = p.kakaorm(&["makemigrations"]);
    assert_eq!(run.0.status.code(), Some(2), "the standalone binary has no models: {}", run.stderr());
}
