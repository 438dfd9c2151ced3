//! Dirty tracking and optimistic locking: a tracked save writes only the changed columns
//! (checked in the statements logged), nothing when nothing changed; a version column
//! turns a concurrent change into `StaleObject` and writes nothing.

use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind};

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "notes")]
pub struct Note {
    pub id: i64,
    pub title: String,
    pub body: Option<String>,
    #[kakaorm(auto_now)]
    pub updated_at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "docs")]
pub struct Doc {
    pub id: i64,
    pub title: String,
    #[kakaorm(version)]
    pub version: i32,
}

/// The text of every statement logged, in order.
fn statements(log: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains("kakaorm::query"))
        .filter_map(|l| l.split_once(" sql=").map(|(_, rest)| rest))
        .map(|rest| rest.split(" elapsed_us=").next().unwrap_or(rest).to_owned())
        .collect()
}

/// `sql` written with the backend's quotes and placeholders (`"` and `$n` on PostgreSQL,
/// backticks and `?` on MySQL, `"` and `?` on SQLite).
fn dialect(db: &Db, sql: &str) -> String {
    let mut n = 0;
    let mut out = String::new();
    for c in sql.chars() {
        match c {
            '?' if db.backend() == Backend::Postgres => {
                n += 1;
                out.push_str(&format!("${n}"));
            }
            '"' if db.backend() == Backend::Mysql => out.push('`'),
            c => out.push(c),
        }
    }
    out
}

conformance! {
    async fn tracked_saves_write_only_changed_columns(db: Db) -> Result<()> {
        db.create_table::<Note>().await?;
        let note = Note::create().title("a").body("b").exec(&db).await?;
        let (log, guard) = crate::logs::capture();
        let mut note = Tracked::new(note);
        assert!(!note.save(&db).await?);
        let unchanged = statements(&log.take());
        note.title = "A".into();
        assert_eq!(note.changed(), ["title"]);
        assert!(note.save(&db).await?);
        let title_only = statements(&log.take());
        note.body = None;
        note.title = "AA".into();
        assert!(note.save(&db).await?);
        let both = statements(&log.take());
        let mut plain = note.clone().into_inner();
        plain.save(&db).await?;
        let full = statements(&log.take());
        drop(guard);
        assert!(unchanged.is_empty(), "a save with no change sends nothing: {unchanged:?}");
        assert_eq!(title_only, [dialect(&db, r#"UPDATE "notes" SET "title" = ?, "updated_at" = ? WHERE "id" = ?"#)]);
        assert_eq!(
            both,
            [dialect(&db, r#"UPDATE "notes" SET "title" = ?, "body" = ?, "updated_at" = ? WHERE "id" = ?"#)]
        );
        assert_eq!(
            full,
            [dialect(&db, r#"UPDATE "notes" SET "title" = ?, "body" = ?, "updated_at" = ? WHERE "id" = ?"#)],
            "an untracked save writes every column"
        );
        let stored = Note::find(note.id, &db).await?.map(|n| (n.title, n.body));
        assert_eq!(stored, Some(("AA".to_owned(), None)));
        assert!(note.changed().is_empty());
        Ok(())
    }

    async fn versions_check_and_bump(db: Db) -> Result<()> {
        db.create_table::<Doc>().await?;
        let mut doc = Doc::create().title("v0").exec(&db).await?;
        assert_eq!(doc.version, 0);
        let (log, guard) = crate::logs::capture();
        doc.title = "v1".into();
        doc.save(&db).await?;
        let saved = statements(&log.take());
        drop(guard);
        assert_eq!(saved, [dialect(&db, r#"UPDATE "docs" SET "title" = ?, "version" = ? WHERE "id" = ? AND "version" = ?"#)]);
        assert_eq!(doc.version, 1);
        assert_eq!(Doc::find(doc.id, &db).await?, Some(doc.clone()));

        let mut stale = doc.clone();
        doc.save(&db).await?;
        stale.title = "lost".into();
        let err = stale.save(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::StaleObject, "{err}");
        assert_eq!(stale.version, 1, "a failed save keeps the loaded version");
        assert_eq!(stale.delete(&db).await.unwrap_err().kind(), ErrorKind::StaleObject);
        assert_eq!(Doc::find(doc.id, &db).await?.map(|d| (d.title, d.version)), Some(("v1".to_owned(), 2)));

        let (log, guard) = crate::logs::capture();
        assert_eq!(doc.delete(&db).await?, 1);
        let deleted = statements(&log.take());
        drop(guard);
        assert_eq!(deleted, [dialect(&db, r#"DELETE FROM "docs" WHERE "id" = ? AND "version" = ?"#)]);
        assert_eq!(doc.delete(&db).await?, 0, "a row already gone is not stale");
        assert_eq!(doc.save(&db).await.unwrap_err().kind(), ErrorKind::NotFound);
        Ok(())
    }

    /// Two tasks load the same row and save it at once: one wins, the other gets
    /// `StaleObject` and writes nothing.
    async fn concurrent_saves_conflict(db: Db) -> Result<()> {
        db.create_table::<Doc>().await?;
        let id = Doc::create().title("start").exec(&db).await?.id;
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(2));
        let tasks: Vec<_> = ["left", "right"]
            .into_iter()
            .map(|title| {
                let (db, barrier) = (db.clone(), barrier.clone());
                tokio::spawn(async move {
                    let mut doc = Doc::find(id, &db).await?.ok_or_else(|| kakaorm::Error::not_found("docs"))?;
                    barrier.wait().await;
                    doc.title = title.to_owned();
                    doc.save(&db).await.map(|()| doc)
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for t in tasks {
            outcomes.push(t.await.map_err(|e| kakaorm::Error::new(ErrorKind::Database, e.to_string()))?);
        }
        let won: Vec<&Doc> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
        let lost: Vec<ErrorKind> = outcomes.iter().filter_map(|o| o.as_ref().err().map(|e| e.kind())).collect();
        assert_eq!((won.len(), lost), (1, vec![ErrorKind::StaleObject]));
        assert_eq!(Doc::find(id, &db).await?.as_ref(), Some(won[0]));
        assert_eq!(won[0].version, 1);
        Ok(())
    }
}
