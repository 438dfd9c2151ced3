//! What the server says about a failed statement reaches `DbErrorInfo`: the code, the
//! constraint, table and column, PostgreSQL's detail, hint and position, and MySQL's
//! constraint names whatever language the server speaks.

use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind};

use crate::harness::{self, isolated};
use crate::models::*;

conformance! {
    async fn a_unique_violation_names_its_constraint_per_backend(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        user(&db, "Uma", 1).await?;
        let err = User::create().name("Other").email("uma@example.com").exec(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation, "{err}");
        let info = err.db_error().expect("server details");
        let (code, constraint, table, column) = match db.backend() {
            Backend::Postgres => ("23505", Some("users_email_key"), Some("users"), None),
            Backend::Mysql => ("1062", Some("email"), None, None),
            Backend::Sqlite => ("2067", None, Some("users"), Some("email")),
        };
        assert_eq!(info.code, code);
        assert_eq!(info.constraint.as_deref(), constraint, "{info:?}");
        assert_eq!(info.table.as_deref(), table, "{info:?}");
        assert_eq!(info.column.as_deref(), column, "{info:?}");
        // Only PostgreSQL sends a detail line; it quotes the offending value.
        match db.backend() {
            Backend::Postgres => {
                assert_eq!(info.detail.as_deref(), Some("Key (email)=(uma@example.com) already exists."));
            }
            _ => assert_eq!(info.detail, None),
        }
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_errors_keep_hint_and_position() {
    let Some(iso) = isolated(harness::Backend::Postgres).await else { return };
    let db = iso.db.clone();
    let outcome: kakaorm::Result<()> = async {
        let err = db.execute_raw("SELECT 1 + no_such_column", vec![]).await.unwrap_err();
        let info = err.db_error().expect("server details");
        assert_eq!(info.code, "42703");
        assert_eq!(info.position, Some(12), "{info:?}");
        let err = db.execute_raw("SELECT no_such_function(1)", vec![]).await.unwrap_err();
        let info = err.db_error().expect("server details");
        assert_eq!(info.code, "42883");
        assert!(info.hint.as_deref().is_some_and(|h| h.contains("explicit type casts")), "{info:?}");
        Ok(())
    }
    .await;
    iso.cleanup().await;
    outcome.expect("postgres error details");
}

/// Restores the server's message language when the test ends, however it ends.
struct GlobalLanguage(Option<Db>);

impl Drop for GlobalLanguage {
    fn drop(&mut self) {
        if let Some(admin) = self.0.take() {
            let restore = async move { admin.execute_raw("SET GLOBAL lc_messages = 'en_US'", vec![]).await };
            let handle = tokio::runtime::Handle::current();
            let _ = std::thread::spawn(move || handle.block_on(restore)).join();
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn mysql_constraint_names_survive_a_german_server() {
    let Some(iso) = isolated(harness::Backend::Mysql).await else { return };
    let db = iso.db.clone();
    let admin = iso.admin().expect("admin pool").clone();
    let outcome: kakaorm::Result<()> = async {
        blog_schema(&db).await?;
        user(&db, "Uma", 1).await?;
        // A session that keeps the server's German messages: the names cannot be read.
        let conn = db.acquire().await?;
        conn.execute_raw("SET SESSION lc_messages = 'de_DE'", vec![]).await?;
        let err = User::create().name("Other").email("uma@example.com").exec(&conn).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UniqueViolation);
        assert!(!err.message().contains("Duplicate entry"), "the server answered in German: {err}");
        drop(conn);

        admin.execute_raw("SET GLOBAL lc_messages = 'de_DE'", vec![]).await?;
        let _restore = GlobalLanguage(Some(admin.clone()));
        let fresh = Db::builder(&iso.url).max_connections(1).connect().await?;
        let err = User::create().name("Other").email("uma@example.com").exec(&fresh).await.unwrap_err();
        fresh.close().await;
        assert_eq!(err.kind(), ErrorKind::UniqueViolation);
        let info = err.db_error().expect("server details");
        assert_eq!(info.constraint.as_deref(), Some("email"), "{info:?}");
        assert!(err.message().contains("Duplicate entry"), "{err}");
        Ok(())
    }
    .await;
    iso.cleanup().await;
    outcome.expect("mysql messages");
}

conformance! {
    async fn to_column_map_keys_by_column_name(db: Db) -> Result<()> {
        db.create_table::<Order>().await?;
        let order = Order::create().code("A-1").select_(7).exec(&db).await?;
        let map = serde_json::Value::Object(order.to_column_map());
        assert_eq!(map, serde_json::json!({"code": "A-1", "select": 7, "group": "none"}));
        Ok(())
    }
}
