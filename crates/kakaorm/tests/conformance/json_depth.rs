//! A JSON document nested 128 levels or more was stored on PostgreSQL and SQLite, then
//! failed to decode on every read of its table. Writes now refuse what serde_json cannot
//! read back (InvalidInput, before any SQL), so every stored document decodes.

use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind, Result, Value};
use serde_json::Value as Json;

use crate::harness;
use crate::models::NullableTypes;

/// `[[…[1]…]]` with `depth` arrays, built without recursion.
fn nested(depth: usize) -> Json {
    (0..depth).fold(Json::from(1), |inner, _| Json::Array(vec![inner]))
}

/// The deepest document each backend stores, pinned: what serde_json reads back, and on
/// MariaDB (the local MySQL server) what its JSON columns' `JSON_VALID` check accepts.
fn deepest_stored(backend: Backend) -> usize {
    match backend {
        Backend::Postgres | Backend::Sqlite => 127,
        Backend::Mysql => 31,
    }
}

/// Writes a document `depth` levels deep through the typed and the raw path: stored and
/// read back equal, or refused with nothing written.
async fn write_depth(db: &Db, depth: usize) -> Result<()> {
    let before = NullableTypes::count(db).await?;
    let res = NullableTypes::create().json(nested(depth)).exec(db).await;
    if depth <= deepest_stored(db.backend()) {
        let row = res?;
        let back = NullableTypes::filter(NullableTypes::id.eq(row.id)).first(db).await?.expect("row");
        assert!(back.json == Some(nested(depth)), "{depth} levels read back");
        assert_eq!(NullableTypes::count(db).await?, before + 1);
        return Ok(());
    }
    let err = res.expect_err("refused");
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{depth} levels: {err}");
    assert!(err.to_string().contains("nested deeper than"), "{err}");
    let raw = db.execute_raw(raw_insert(db), vec![Value::Json(nested(depth))]).await.unwrap_err();
    assert_eq!(raw.kind(), ErrorKind::InvalidInput, "{depth} levels through execute_raw: {raw}");
    assert_eq!(NullableTypes::count(db).await?, before, "nothing written when refused");
    Ok(())
}

fn raw_insert(db: &Db) -> &'static str {
    match db.backend() {
        Backend::Postgres => "INSERT INTO nullable_types (json) VALUES ($1)",
        Backend::Mysql | Backend::Sqlite => "INSERT INTO nullable_types (json) VALUES (?)",
    }
}

conformance! {
    async fn json_depth_is_refused_before_it_cannot_be_read(db: Db) -> Result<()> {
        db.create_table::<NullableTypes>().await?;
        for depth in [1, 31, 32, 127, 128, 1000] {
            write_depth(&db, depth).await?;
        }
        let stored = if db.backend() == Backend::Mysql { 2 } else { 4 };
        assert_eq!(NullableTypes::all(&db).await?.len(), stored, "the table still reads");
        Ok(())
    }

    /// A deep document written as text by raw SQL (outside kakaorm's checks) is a decode
    /// error naming the column, not a crash.
    async fn json_too_deep_to_read_is_a_decode_error(db: Db) -> Result<()> {
        db.create_table::<NullableTypes>().await?;
        let text = format!("{}1{}", "[".repeat(1000), "]".repeat(1000));
        let sql = match db.backend() {
            Backend::Postgres => "INSERT INTO nullable_types (json) VALUES (CAST(CAST($1 AS TEXT) AS JSONB))",
            Backend::Mysql | Backend::Sqlite => raw_insert(&db),
        };
        let written = db.execute_raw(sql, vec![Value::String(text)]).await;
        if db.backend() == Backend::Mysql {
            // MariaDB's JSON_VALID check refuses the document itself.
            assert_eq!(written.unwrap_err().kind(), ErrorKind::CheckViolation);
            assert!(NullableTypes::all(&db).await?.is_empty());
            return Ok(());
        }
        assert_eq!(written?, 1);
        let err = NullableTypes::all(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.to_string().contains("`json`"), "{err}");
        Ok(())
    }
}

/// 100 000 levels, refused like 128. The test runs on a thread with a large stack because
/// dropping such a `serde_json::Value`, which the test builds and kakaorm drops after
/// refusing it, recurses once per level in serde_json itself; kakaorm's check does not.
async fn very_deep(db: Db) -> Result<()> {
    db.create_table::<NullableTypes>().await?;
    write_depth(&db, 100_000).await
}

fn on_big_stack(backend: harness::Backend) {
    let thread = std::thread::Builder::new().stack_size(512 << 20).spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(harness::run(backend, very_deep));
    });
    if let Err(panic) = thread.expect("spawn").join() {
        std::panic::resume_unwind(panic);
    }
}

mod json_100000_levels_are_refused {
    use super::*;

    #[test]
    fn sqlite() {
        on_big_stack(harness::Backend::Sqlite);
    }

    #[test]
    fn postgres() {
        on_big_stack(harness::Backend::Postgres);
    }

    #[test]
    fn mysql() {
        on_big_stack(harness::Backend::Mysql);
    }
}
