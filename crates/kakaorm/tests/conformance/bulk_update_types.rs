//! bulk_update carries every column type faithfully, whichever way the backend receives the
//! rows (MySQL 8 and MariaDB 10.6: one JSON document read through `JSON_TABLE`; MariaDB
//! 10.5: a `UNION ALL` of bound rows), and splits a JSON document too large for one packet.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use kakaorm::prelude::*;
use kakaorm::{Backend, BulkUpdateOptions, ErrorKind, MysqlDialect};
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::harness::isolated;
use crate::models::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn time(h: u32, m: u32, s: u32, micros: u32) -> NaiveTime {
    NaiveTime::from_hms_micro_opt(h, m, s, micros).expect("time")
}

fn stamp(d: NaiveDate, t: NaiveTime) -> NaiveDateTime {
    d.and_time(t)
}

/// The values written, one row of awkward values, one of NULLs, one of edge values.
fn written(ids: &[i64]) -> Vec<NullableTypes> {
    let awkward = NullableTypes {
        id: ids[0],
        small: Some(i16::MIN),
        int: Some(i32::MAX),
        big: Some(i64::MAX),
        real: Some(0.1),
        double: Some(1.000_000_000_000_000_2e300),
        flag: Some(true),
        text: Some("it's \"quoted\" \\ back\\\\slashed\\n \t tab, é, 漢字, 😀, [1,2] {\"k\":1} \u{1}".into()),
        date: Some(date(2024, 2, 29)),
        time: Some(time(23, 59, 59, 999_999)),
        stamp: Some(stamp(date(1999, 12, 31), time(23, 59, 59, 123_456))),
        stamp_tz: Some(DateTime::from_timestamp(1_700_000_000, 654_321_000).expect("time")),
        money: Some("123456789012345678.0123456789".parse().expect("decimal")),
        uuid: Some(Uuid::parse_str("0f8fad5b-d9cb-469f-a165-70867728950e").expect("uuid")),
        json: Some(serde_json::json!({"q": "a\"b\\c", "u": "é😀", "n": 1.5, "a": [null, true, -7]})),
        bytes: Some(vec![0, 1, 2, b'\'', b'"', b'\\', 0x80, 0xff]),
    };
    let nulls = NullableTypes {
        id: ids[1],
        small: None,
        int: None,
        big: None,
        real: None,
        double: None,
        flag: None,
        text: None,
        date: None,
        time: None,
        stamp: None,
        stamp_tz: None,
        money: None,
        uuid: None,
        json: None,
        bytes: None,
    };
    let edges = NullableTypes {
        id: ids[2],
        small: Some(0),
        int: Some(i32::MIN),
        big: Some(i64::MIN),
        real: Some(-3.402_823_5e38),
        double: Some(-0.1),
        flag: Some(false),
        text: Some(String::new()),
        date: Some(date(9999, 12, 31)),
        time: Some(time(0, 0, 0, 1)),
        stamp: Some(stamp(date(1000, 1, 1), time(0, 0, 0, 0))),
        stamp_tz: Some(DateTime::from_timestamp(0, 1_000).expect("time")),
        money: Some("-0.0000000001".parse().expect("decimal")),
        uuid: Some(Uuid::max()),
        json: Some(serde_json::json!("just a string")),
        bytes: Some(vec![0xc3, 0x28]), // not UTF-8, after the first row
    };
    vec![awkward, nulls, edges]
}

/// Rows of other values, then every field of every row bulk-updated and read back.
async fn round_trip(db: &Db) -> kakaorm::Result<()> {
    db.create_table::<NullableTypes>().await?;
    let before = |i: i32| {
        NullableTypes::create()
            .small(7)
            .int(i)
            .big(7)
            .real(7.0)
            .double(7.0)
            .flag(true)
            .text("before")
            .date(date(2000, 1, 1))
            .time(time(1, 1, 1, 0))
            .stamp(stamp(date(2000, 1, 1), time(1, 1, 1, 0)))
            .stamp_tz(DateTime::from_timestamp(1, 0).expect("time"))
            .money(Decimal::ONE)
            .uuid(Uuid::nil())
            .json(serde_json::json!({"before": 1}))
            .bytes(vec![7])
    };
    NullableTypes::bulk_create((0..3).map(before), db).await?;
    let ids: Vec<i64> =
        NullableTypes::query().order_by(NullableTypes::id).all(db).await?.iter().map(|r| r.id).collect();
    let mut rows = written(&ids);
    let fields = (
        (NullableTypes::small, NullableTypes::int, NullableTypes::big, NullableTypes::real),
        (NullableTypes::double, NullableTypes::flag, NullableTypes::text, NullableTypes::date),
        (NullableTypes::time, NullableTypes::stamp, NullableTypes::stamp_tz, NullableTypes::money),
        (NullableTypes::uuid, NullableTypes::json, NullableTypes::bytes),
    );
    assert_eq!(NullableTypes::bulk_update(&mut rows, fields, db).await?, 3);
    let stored = NullableTypes::query().order_by(NullableTypes::id).all(db).await?;
    assert_eq!(stored, written(&ids));
    Ok(())
}

conformance! {
    async fn bulk_update_round_trips_every_column_type(db: Db) -> Result<()> {
        let (log, guard) = crate::logs::capture();
        round_trip(&db).await?;
        let sent = log.take();
        drop(guard);
        // The statement shape each backend is sent.
        let shape = match db.dialect().backend() {
            Backend::Postgres => "FROM UNNEST(",
            Backend::Mysql => "INNER JOIN JSON_TABLE(",
            Backend::Sqlite => "FROM (VALUES ",
        };
        let update = sent.lines().find(|l| l.contains("kakaorm::query") && l.contains("sql=UPDATE"));
        assert!(update.is_some_and(|l| l.contains(shape)), "{sent}");
        Ok(())
    }

    /// A JSON document fits in one statement on MySQL while it takes at most half the
    /// server's `max_allowed_packet` (MariaDB's default is 16 MiB, MySQL 8's 64 MiB): 7.5
    /// MiB of it goes in one, and the server takes it; elsewhere the parameter limit alone
    /// counts.
    async fn bulk_update_sizes_statements_from_the_server_packet_limit(db: Db) -> Result<()> {
        let (rows, updates) = update_large_texts(&db, 5).await?;
        assert_eq!(updates, 1);
        let stored = NullableTypes::query().order_by(NullableTypes::id).all(&db).await?;
        assert_eq!(stored, rows);
        Ok(())
    }

    /// Statements split by a batch size are still all or nothing.
    async fn bulk_update_in_batches_is_all_or_nothing(db: Db) -> Result<()> {
        blog_schema(&db).await?;
        User::bulk_create((0..10).map(|i| User::create().name(format!("u{i}"))), &db).await?;
        let mut users = User::query().order_by(User::id).all(&db).await?;
        for u in &mut users {
            u.age = 5;
        }
        // The last batch breaks the CHECK (age >= 0).
        if let Some(last) = users.last_mut() {
            last.age = -1;
        }
        let opts = BulkUpdateOptions::new().batch_size(3);
        let err = User::bulk_update_with(&mut users, User::age, opts, &db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CheckViolation, "{err}");
        assert_eq!(User::filter(User::age.eq(5)).count(&db).await?, 0);
        Ok(())
    }
}

/// `count` rows whose `text` takes 1.5 MiB each once JSON escapes the quotes, updated with
/// one `bulk_update`: the rows written, and how many UPDATE statements it sent.
async fn update_large_texts(db: &Db, count: i32) -> kakaorm::Result<(Vec<NullableTypes>, usize)> {
    db.create_table::<NullableTypes>().await?;
    NullableTypes::bulk_create((0..count).map(|i| NullableTypes::create().int(i)), db).await?;
    let mut rows = NullableTypes::query().order_by(NullableTypes::id).all(db).await?;
    for (i, r) in rows.iter_mut().enumerate() {
        r.text = Some(format!("{i}{}", "ab\"".repeat(3 << 17)));
    }
    let (log, guard) = crate::logs::capture();
    let updated = NullableTypes::bulk_update(&mut rows, NullableTypes::text, db).await;
    let sent = log.take();
    drop(guard);
    assert_eq!(updated?, u64::try_from(count).unwrap_or(0));
    Ok((rows, sent.lines().filter(|l| l.contains("kakaorm::query") && l.contains("sql=UPDATE")).count()))
}

/// A client `max_allowed_packet` below the server's bounds each JSON document to half of
/// it: with 4 MiB, one 1.5 MiB row per statement, all or nothing still. A limit outside the
/// server's range is a configuration error.
#[tokio::test]
async fn bulk_update_sizes_statements_from_a_client_packet_limit() {
    let Some(iso) = isolated(crate::harness::Backend::Mysql).await else { return };
    let bad = Db::builder(format!("{}?max_allowed_packet=12", iso.url)).connect().await;
    assert_eq!(bad.map(drop).unwrap_err().kind(), ErrorKind::Config);
    let url = format!("{}?max_allowed_packet={}", iso.url, 4 << 20);
    let db = Db::builder(&url).connect().await.expect("connect");
    let outcome = update_large_texts(&db, 3).await;
    let stored = NullableTypes::query().order_by(NullableTypes::id).all(&db).await;
    db.close().await;
    iso.cleanup().await;
    let (rows, updates) = outcome.expect("bulk update under a 4 MiB packet limit");
    assert_eq!(updates, 3);
    assert_eq!(stored.expect("read back"), rows);
}

/// MariaDB before 10.6 (no `JSON_TABLE`) gets the same values through `UNION ALL`.
#[tokio::test]
async fn bulk_update_round_trips_every_column_type_without_json_table() {
    let Some(iso) = isolated(crate::harness::Backend::Mysql).await else { return };
    let db = Db::builder(&iso.url).force_dialect(&MysqlDialect::MARIADB_10_5).connect().await.expect("connect");
    let (log, guard) = crate::logs::capture();
    let outcome = round_trip(&db).await;
    let sent = log.take();
    drop(guard);
    db.close().await;
    iso.cleanup().await;
    outcome.expect("bulk update through UNION ALL");
    assert!(sent.lines().any(|l| l.contains("sql=UPDATE") && l.contains(" UNION ALL SELECT ")), "{sent}");
}
