//! Round-trips of every column type with edge values.

use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};
use kakaorm::prelude::*;
use kakaorm::{ErrorKind, Result};
use rust_decimal::Decimal;
use std::str::FromStr;
use uuid::Uuid;

use crate::models::*;

fn stamp(date: NaiveDate, h: u32, m: u32, s: u32, us: u32) -> NaiveDateTime {
    date.and_hms_micro_opt(h, m, s, us).expect("valid time")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// Minimum edge values every backend stores.
fn low() -> AllTypes {
    AllTypes {
        id: 0,
        small: i16::MIN,
        int: i32::MIN,
        big: i64::MIN,
        real: f32::MIN,
        double: f64::MIN,
        flag: false,
        text: String::new(),
        short: String::new(),
        date: date(1000, 1, 1),
        time: NaiveTime::MIN,
        stamp: stamp(date(1000, 1, 1), 0, 0, 0, 0),
        stamp_tz: Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).single().expect("epoch"),
        money: Decimal::from_str("-999999999999999999.9999999999").expect("decimal"),
        uuid: Uuid::nil(),
        json: serde_json::json!(null),
        bytes: Vec::new(),
    }
}

/// Maximum edge values, unicode and full-precision decimals.
fn high() -> AllTypes {
    let tokyo = FixedOffset::east_opt(9 * 3600).expect("offset");
    AllTypes {
        id: 0,
        small: i16::MAX,
        int: i32::MAX,
        big: i64::MAX,
        real: f32::MAX,
        double: f64::MAX,
        flag: true,
        text: "日本語 🎉 Ünïcödé 'quote' \"dq\" `bt` \\ back\nline".repeat(200),
        short: "ça va? 🎉 ñ".into(),
        date: date(9999, 12, 31),
        time: NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).expect("time"),
        stamp: stamp(date(9999, 12, 31), 23, 59, 59, 999_999),
        stamp_tz: tokyo.with_ymd_and_hms(2024, 2, 29, 8, 30, 15).single().expect("tz").with_timezone(&Utc)
            + chrono::Duration::microseconds(123_456),
        money: Decimal::from_str("123456789012345678.9012345678").expect("decimal"),
        uuid: Uuid::max(),
        json: serde_json::json!({"k": [1, 2.5, "ü", {"n": null}], "t": true}),
        bytes: (0..=255u8).collect(),
    }
}

async fn roundtrip(db: &Db, v: AllTypes) -> Result<()> {
    let created = builder(&v).exec(db).await?;
    let expected = AllTypes { id: created.id, ..v };
    assert_eq!(created, expected, "returned by insert");
    let fetched = AllTypes::find(created.id, db).await?.expect("stored row");
    assert_eq!(fetched, expected, "read back");
    assert_eq!(
        AllTypes::filter(
            AllTypes::id.eq(created.id)
                & AllTypes::big.eq(expected.big)
                & AllTypes::uuid.eq(expected.uuid)
                & AllTypes::date.eq(expected.date)
        )
        .count(db)
        .await?,
        1,
        "usable in filters"
    );
    Ok(())
}

conformance! {
    async fn every_type_round_trips_at_its_extremes(db: Db) -> Result<()> {
        db.create_table::<AllTypes>().await?;
        roundtrip(&db, low()).await?;
        roundtrip(&db, high()).await?;
        Ok(())
    }

    async fn decimals_keep_full_precision(db: Db) -> Result<()> {
        db.create_table::<AllTypes>().await?;
        for s in ["0", "1.5", "-0.0000000001", "0.1234567891", "99999999999999999.9999999999"] {
            let mut v = low();
            v.money = Decimal::from_str(s).expect("decimal");
            roundtrip(&db, v).await?;
        }
        Ok(())
    }

    async fn nulls_round_trip_in_every_type(db: Db) -> Result<()> {
        db.create_table::<NullableTypes>().await?;
        let empty = NullableTypes::create().exec(&db).await?;
        assert_eq!(empty, NullableTypes { id: empty.id, small: None, int: None, big: None, real: None, double: None, flag: None, text: None, date: None, time: None, stamp: None, stamp_tz: None, money: None, uuid: None, json: None, bytes: None });
        let h = high();
        let full = NullableTypes::create()
            .small(h.small).int(h.int).big(h.big).real(h.real).double(h.double).flag(h.flag)
            .text(h.text.clone()).date(h.date).time(h.time).stamp(h.stamp).stamp_tz(h.stamp_tz)
            .money(h.money).uuid(h.uuid).json(h.json.clone()).bytes(h.bytes.clone())
            .exec(&db).await?;
        let back = NullableTypes::find(full.id, &db).await?.expect("row");
        assert_eq!(back, full);
        assert_eq!(back.text.as_deref(), Some(h.text.as_str()));
        assert_eq!(NullableTypes::filter(NullableTypes::json.is_null()).count(&db).await?, 1);
        Ok(())
    }

    async fn time_zones_are_normalised_to_utc(db: Db) -> Result<()> {
        db.create_table::<AllTypes>().await?;
        let minus5 = FixedOffset::west_opt(5 * 3600).expect("offset");
        let instant = minus5.with_ymd_and_hms(2023, 12, 31, 22, 0, 0).single().expect("tz").with_timezone(&Utc);
        let mut v = low();
        v.stamp_tz = instant;
        let created = AllTypes::create().stamp_tz(v.stamp_tz).small(1).int(1).big(1).real(1.0).double(1.0).flag(true)
            .text("").short("").date(v.date).time(v.time).stamp(v.stamp).money(Decimal::ONE).uuid(Uuid::nil())
            .json(serde_json::json!(1)).bytes(Vec::new()).exec(&db).await?;
        let back = AllTypes::find(created.id, &db).await?.expect("row");
        assert_eq!(back.stamp_tz, Utc.with_ymd_and_hms(2024, 1, 1, 3, 0, 0).single().expect("utc"));
        let later = AllTypes::filter(AllTypes::stamp_tz.gt(Utc.with_ymd_and_hms(2024, 1, 1, 2, 59, 59).single().expect("utc"))).count(&db).await?;
        assert_eq!(later, 1, "comparisons use the UTC instant");
        Ok(())
    }

    /// PostgreSQL stores NaN and infinities; MySQL rejects them and SQLite turns NaN into
    /// NULL, so kakaorm refuses them there with InvalidInput before anything is written.
    async fn nan_and_infinity_are_stored_or_refused(db: Db) -> Result<()> {
        db.create_table::<NullableTypes>().await?;
        let specials = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY];
        for x in specials {
            let res = NullableTypes::create().double(x).real(x as f32).exec(&db).await;
            if db.backend() == kakaorm::Backend::Postgres {
                let row = res?;
                let back = NullableTypes::find(row.id, &db).await?.expect("row").double.expect("value");
                assert!(back.is_nan() == x.is_nan() && (x.is_nan() || back == x), "{x} came back as {back}");
            } else {
                assert_eq!(res.unwrap_err().kind(), ErrorKind::InvalidInput);
            }
        }
        let expected = if db.backend() == kakaorm::Backend::Postgres { 3 } else { 0 };
        assert_eq!(NullableTypes::count(&db).await?, expected, "nothing written when refused");
        Ok(())
    }
}

conformance! {
    async fn raw_integers_widen_into_i64(db: Db) -> Result<()> {
        let ones: Vec<i64> = db.fetch_raw("SELECT 1", vec![]).await?;
        assert_eq!(ones, [1]);
        db.create_table::<AllTypes>().await?;
        let minus: Vec<i64> = db.fetch_raw("SELECT COUNT(*) - 1 FROM all_types", vec![]).await?;
        assert_eq!(minus, [-1]);
        Ok(())
    }
}

fn builder(v: &AllTypes) -> AllTypesCreate {
    AllTypes::create()
        .small(v.small)
        .int(v.int)
        .big(v.big)
        .real(v.real)
        .double(v.double)
        .flag(v.flag)
        .text(v.text.clone())
        .short(v.short.clone())
        .date(v.date)
        .time(v.time)
        .stamp(v.stamp)
        .stamp_tz(v.stamp_tz)
        .money(v.money)
        .uuid(v.uuid)
        .json(v.json.clone())
        .bytes(v.bytes.clone())
}

conformance! {
    async fn bulk_create_round_trips_every_type(db: Db) -> Result<()> {
        db.create_tables::<(AllTypes, NullableTypes)>().await?;
        let values = [low(), high(), low()];
        assert_eq!(AllTypes::bulk_create(values.iter().map(builder), &db).await?, 3);
        let stored = AllTypes::query().order_by(AllTypes::id).all(&db).await?;
        for (got, want) in stored.iter().zip(&values) {
            assert_eq!(got, &AllTypes { id: got.id, ..want.clone() });
        }
        let nulls = (0..3).map(|i| NullableTypes::create().int(i)).chain([NullableTypes::create()]);
        assert_eq!(NullableTypes::bulk_create(nulls, &db).await?, 4);
        assert_eq!(NullableTypes::filter(NullableTypes::text.is_null()).count(&db).await?, 4);
        assert_eq!(NullableTypes::filter(NullableTypes::int.is_null()).count(&db).await?, 1);
        // Enough rows for PostgreSQL's binary COPY path.
        let many: Vec<AllTypes> = (0..300).map(|i| if i % 2 == 0 { low() } else { high() }).collect();
        assert_eq!(AllTypes::bulk_create(many.iter().map(builder), &db).await?, 300);
        let stored = AllTypes::query().order_by(AllTypes::id).offset(3).all(&db).await?;
        assert_eq!(stored.len(), 300);
        for (got, want) in stored.iter().zip(&many) {
            assert_eq!(got, &AllTypes { id: got.id, ..want.clone() });
        }
        let nulls = (0..300).map(|i| NullableTypes::create().int(i)).chain([NullableTypes::create()]);
        assert_eq!(NullableTypes::bulk_create(nulls, &db).await?, 301);
        assert_eq!(NullableTypes::filter(NullableTypes::int.is_null()).count(&db).await?, 2);
        Ok(())
    }
}
