//! MySQL 8 has no `INSERT … RETURNING`; kakaorm then reads the row back by its key. The
//! local server is MariaDB, which has RETURNING, so this test speaks MariaDB without it (the
//! MySQL 8 dialect itself names a collation MariaDB lacks, `utf8mb4_0900_bin`).

use kakaorm::prelude::*;
use kakaorm::{ErrorKind, MysqlDialect};
use uuid::Uuid;

use crate::harness::{Backend, isolated};
use crate::models::*;

async fn insert_paths(db: &Db) -> kakaorm::Result<()> {
    assert!(!db.dialect().supports_returning());
    db.create_tables::<(User, Post, Order, Tag)>().await?;
    let u = User::create().name("Eight").exec(db).await?;
    assert!(u.id > 0);
    assert_eq!(u.age, 0, "default read back");
    assert_eq!(User::find(u.id, db).await?, Some(u.clone()));
    let p = Post::create().user_id(u.id).title("t").exec(db).await?;
    assert!(p.published);
    let o = Order::create().code("K1").select_(1).exec(db).await?;
    assert_eq!(o.group, "none");
    let t = Tag::create().id(Uuid::max()).label("x").exec(db).await?;
    assert_eq!(t.id, Uuid::max());
    User::create().name("Dup").email("x@y").exec(db).await?;
    let dup = User::create().name("Dup2").email("x@y").exec(db).await.unwrap_err();
    assert_eq!(dup.kind(), ErrorKind::UniqueViolation);
    Ok(())
}

#[tokio::test]
async fn inserts_read_back_without_returning() {
    let Some(iso) = isolated(Backend::Mysql).await else { return };
    let no_returning = &MysqlDialect::MARIADB_WITHOUT_RETURNING;
    let db = Db::builder(&iso.url).force_dialect(no_returning).connect().await.expect("connect");
    let outcome = insert_paths(&db).await;
    db.close().await;
    iso.cleanup().await;
    outcome.expect("mysql 8 insert paths");
}

#[tokio::test]
async fn a_dialect_of_another_backend_is_refused() {
    let err = Db::builder("sqlite::memory:").force_dialect(&MysqlDialect::MYSQL).connect().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}
