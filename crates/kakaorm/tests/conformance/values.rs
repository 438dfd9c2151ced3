//! Values are stored and read back exactly, or refused with a typed error: raw parameters
//! get the same checks as typed ones, dates outside a backend's range and leap seconds it
//! cannot keep are refused before any SQL, and cells that do not fit their field are
//! decode errors instead of wrapped or infinite values.

use chrono::{NaiveDate, NaiveTime};
use kakaorm::prelude::*;
use kakaorm::{Backend, ErrorKind, Result, Value};
use rust_decimal::Decimal;

use crate::models::NullableTypes;

/// A float field over a column created by hand as a double.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "narrow")]
pub struct Narrow {
    pub id: i64,
    pub value: f32,
}

/// A time field over a column created by hand.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "clock")]
pub struct Clock {
    pub id: i64,
    pub value: NaiveTime,
}

/// A decimal field over a column created by hand, wider than a `Decimal`.
#[derive(Model, Debug, Clone, PartialEq)]
#[kakaorm(table = "wide")]
pub struct Wide {
    pub id: i64,
    pub value: Decimal,
}

/// `INSERT INTO raw_values (x, d) VALUES (<p1>, <p2>)` in the backend's placeholders.
fn insert_raw(db: &Db) -> &'static str {
    match db.backend() {
        Backend::Postgres => "INSERT INTO raw_values (x, d) VALUES ($1, $2)",
        _ => "INSERT INTO raw_values (x, d) VALUES (?, ?)",
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn assert_kind<T: std::fmt::Debug>(res: Result<T>, kind: ErrorKind, what: &str) {
    let err = res.expect_err(what);
    assert_eq!(err.kind(), kind, "{what}: {err}");
}

conformance! {
    /// NaN became NULL on SQLite and an array became NULL on MySQL through the raw path.
    async fn raw_parameters_are_checked_like_typed_ones(db: Db) -> Result<()> {
        let backend = db.backend();
        db.execute_raw("CREATE TABLE raw_values (x DOUBLE PRECISION, d DATE)", vec![]).await?;
        let nan = db.execute_raw(insert_raw(&db), vec![Value::F64(f64::NAN), Value::Null]).await;
        let far = Value::Date(ymd(70_000, 1, 1));
        let year = db.execute_raw(insert_raw(&db), vec![Value::Null, far.clone()]).await;
        let array = Value::Array(vec![Value::I64(1), Value::I64(2)]);
        match backend {
            Backend::Postgres => {
                assert_eq!(nan?, 1);
                assert_eq!(year?, 1);
                let back: Vec<Option<f64>> = db.fetch_raw("SELECT x FROM raw_values WHERE d IS NULL", vec![]).await?;
                assert!(back[0].is_some_and(f64::is_nan), "{back:?}");
                let dates: Vec<NaiveDate> = db.fetch_raw("SELECT d FROM raw_values WHERE d IS NOT NULL", vec![]).await?;
                assert_eq!(dates, [ymd(70_000, 1, 1)]);
                let n: Vec<i64> = db.fetch_raw("SELECT cardinality($1::int8[])", vec![array]).await?;
                assert_eq!(n, [2]);
            }
            Backend::Mysql | Backend::Sqlite => {
                assert_kind(nan, ErrorKind::InvalidInput, "NaN");
                assert_kind(year, ErrorKind::InvalidInput, "year 70000");
                let fetched = db.fetch_raw::<Option<f64>>("SELECT ?", vec![Value::F32(f32::NAN)]).await;
                assert_kind(fetched, ErrorKind::InvalidInput, "NaN through fetch_raw");
                let listed = db.execute_raw(insert_raw(&db), vec![array, Value::Null]).await;
                assert_kind(listed, ErrorKind::Unsupported, "array");
            }
        }
        let stored: Vec<i64> = db.fetch_raw("SELECT COUNT(*) FROM raw_values", vec![]).await?;
        assert_eq!(stored, [if backend == Backend::Postgres { 2 } else { 0 }], "nothing written when refused");
        // Checked before the statement is sent: the text is not SQL, yet the error is the value's.
        let early = db.execute_raw("this is not sql", vec![Value::F64(f64::INFINITY)]).await.unwrap_err();
        let expected = if backend == Backend::Postgres { ErrorKind::Database } else { ErrorKind::InvalidInput };
        assert_eq!(early.kind(), expected, "{early}");
        let early = db.fetch_raw::<i64>("this is not sql", vec![far]).await.unwrap_err();
        let expected = if backend == Backend::Postgres { ErrorKind::Database } else { ErrorKind::InvalidInput };
        assert_eq!(early.kind(), expected, "{early}");
        Ok(())
    }

    /// MySQL wrapped years (70000 was stored as 4464); SQLite's text stops sorting by date
    /// past four digits. Each backend keeps its whole range and refuses the rest.
    async fn dates_outside_the_backend_range_are_refused(db: Db) -> Result<()> {
        db.create_table::<NullableTypes>().await?;
        let backend = db.backend();
        // (date, stored on PostgreSQL, MySQL, SQLite)
        let cases = [
            (ymd(1, 1, 1), true, true, true),
            (ymd(9999, 12, 31), true, true, true),
            (ymd(0, 1, 1), true, false, true),
            (ymd(-1, 6, 15), true, false, false),
            (ymd(10_000, 1, 1), true, false, false),
            (ymd(70_000, 1, 1), true, false, false),
            (ymd(-70_000, 1, 1), false, false, false),
            (ymd(-4713, 11, 24), true, false, false),
            (ymd(-4713, 11, 23), false, false, false),
            (NaiveDate::MAX, true, false, false),
            (NaiveDate::MIN, false, false, false),
        ];
        let mut stored = 0;
        for (date, pg, my, lite) in cases {
            let expect_stored = match backend {
                Backend::Postgres => pg,
                Backend::Mysql => my,
                Backend::Sqlite => lite,
            };
            let stamp = date.and_hms_micro_opt(12, 34, 56, 789_012).expect("stamp");
            let res = NullableTypes::create().date(date).stamp(stamp).stamp_tz(stamp.and_utc()).exec(&db).await;
            if expect_stored {
                let row = res?;
                stored += 1;
                let back = NullableTypes::filter(NullableTypes::id.eq(row.id)).first(&db).await?.expect("row");
                assert_eq!((back.date, back.stamp, back.stamp_tz), (Some(date), Some(stamp), Some(stamp.and_utc())));
                let found = NullableTypes::filter(NullableTypes::date.eq(date)).count(&db).await?;
                assert_eq!(found, 1, "{date} usable in filters");
            } else {
                let err = res.expect_err("refused");
                assert_eq!(err.kind(), ErrorKind::InvalidInput, "{date}: {err}");
                assert!(err.to_string().contains(&date.to_string()), "names the value: {err}");
            }
            assert_eq!(NullableTypes::count(&db).await?, stored, "{date}: nothing written when refused");
        }
        Ok(())
    }

    /// MySQL stored 23:59:60.5 as 00:00:00. SQLite keeps leap seconds exactly as text;
    /// PostgreSQL and MySQL have no place for them and refuse them.
    async fn leap_seconds_are_stored_exactly_or_refused(db: Db) -> Result<()> {
        db.create_table::<NullableTypes>().await?;
        let leap = NaiveTime::from_hms_micro_opt(23, 59, 59, 1_500_000).expect("leap second");
        assert_eq!(leap.to_string(), "23:59:60.500");
        let stamp = ymd(2016, 12, 31).and_time(leap);
        let attempts = [
            NullableTypes::create().time(leap).exec(&db).await,
            NullableTypes::create().stamp(stamp).exec(&db).await,
            NullableTypes::create().stamp_tz(stamp.and_utc()).exec(&db).await,
        ];
        for res in attempts {
            match db.backend() {
                Backend::Sqlite => {
                    let row = res?;
                    let back = NullableTypes::filter(NullableTypes::id.eq(row.id)).first(&db).await?.expect("row");
                    assert!(
                        back.time == Some(leap) || back.stamp == Some(stamp) || back.stamp_tz == Some(stamp.and_utc()),
                        "read back exactly: {back:?}"
                    );
                }
                Backend::Postgres | Backend::Mysql => {
                    let err = res.expect_err("refused");
                    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
                    assert!(err.to_string().contains("leap second") && err.to_string().contains("23:59:60.500"), "{err}");
                }
            }
        }
        let expected = if db.backend() == Backend::Sqlite { 3 } else { 0 };
        assert_eq!(NullableTypes::count(&db).await?, expected);
        if db.backend() == Backend::Sqlite {
            let before = ymd(2016, 12, 31).and_hms_milli_opt(23, 59, 59, 900).expect("just before");
            let after = ymd(2017, 1, 1).and_hms_opt(0, 0, 0).expect("midnight");
            let between = NullableTypes::filter(NullableTypes::stamp.gt(before) & NullableTypes::stamp.lt(after));
            assert_eq!(between.count(&db).await?, 1, "a leap second sorts between its neighbours");
        }
        Ok(())
    }

    /// An f32 field read a larger double as infinity on MySQL and SQLite.
    async fn floats_that_do_not_fit_f32_are_decode_errors(db: Db) -> Result<()> {
        let ddl = "CREATE TABLE narrow (id BIGINT PRIMARY KEY, value DOUBLE PRECISION NOT NULL)";
        db.execute_raw(ddl, vec![]).await?;
        db.execute_raw("INSERT INTO narrow (id, value) VALUES (1, 0.5), (2, -3.25e38)", vec![]).await?;
        let fits = Narrow::query().order_by(Narrow::id).all(&db).await?;
        assert_eq!(fits, [Narrow { id: 1, value: 0.5 }, Narrow { id: 2, value: -3.25e38 }]);
        db.execute_raw("INSERT INTO narrow (id, value) VALUES (3, 1e300)", vec![]).await?;
        let err = Narrow::all(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.to_string().contains("`value`") && err.to_string().contains("f32"), "{err}");
        // An integer becomes an f64 only when the conversion is exact (SQLite returns
        // integers for whole numbers; the other backends refuse an integer for a float).
        let exact = db.fetch_raw::<f64>("SELECT 9007199254740992", vec![]).await;
        let inexact = db.fetch_raw::<f64>("SELECT 9007199254740993", vec![]).await;
        match db.backend() {
            Backend::Sqlite => assert_eq!(exact?, [9_007_199_254_740_992.0]),
            Backend::Postgres | Backend::Mysql => assert_kind(exact, ErrorKind::Decode, "integer as f64"),
        }
        assert_kind(inexact, ErrorKind::Decode, "2^53 + 1 as f64");
        Ok(())
    }

    /// PostgreSQL's `24:00:00` was read back as midnight; MySQL's TIME runs past a day too.
    async fn times_outside_one_day_are_decode_errors(db: Db) -> Result<()> {
        db.execute_raw("CREATE TABLE clock (id BIGINT PRIMARY KEY, value TIME NOT NULL)", vec![]).await?;
        db.execute_raw("INSERT INTO clock (id, value) VALUES (1, '23:59:59')", vec![]).await?;
        let fits = Clock::all(&db).await?;
        assert_eq!(fits, [Clock { id: 1, value: NaiveTime::from_hms_opt(23, 59, 59).expect("time") }]);
        db.execute_raw("INSERT INTO clock (id, value) VALUES (2, '24:00:00')", vec![]).await?;
        let err = Clock::all(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.to_string().contains("`value`"), "{err}");
        Ok(())
    }

    /// PostgreSQL rounded a numeric with more digits than a `Decimal` holds, silently;
    /// now every backend keeps each digit (dropping only surplus trailing zeros) or refuses.
    async fn decimals_are_read_without_rounding(db: Db) -> Result<()> {
        let column = match db.backend() {
            Backend::Postgres => "NUMERIC(40, 12)",
            Backend::Mysql => "DECIMAL(40, 12)",
            // What kakaorm stored decimals as on SQLite: text at full precision.
            Backend::Sqlite => "TEXT",
        };
        let ddl = format!("CREATE TABLE wide (id BIGINT PRIMARY KEY, value {column} NOT NULL)");
        db.execute_raw(&ddl, vec![]).await?;
        let rows = "(1, '1234567890123456789.012345678900'), (2, '-0.000000000001'), (3, '12.500000000000')";
        db.execute_raw(&format!("INSERT INTO wide (id, value) VALUES {rows}"), vec![]).await?;
        let back = Wide::query().order_by(Wide::id).all(&db).await?;
        let texts: Vec<String> = back.iter().map(|w| w.value.to_string()).collect();
        assert_eq!(texts, ["1234567890123456789.0123456789", "-0.000000000001", "12.500000000000"]);
        db.execute_raw("INSERT INTO wide (id, value) VALUES (4, '9999999999999999999999999999.000000000001')", vec![]).await?;
        let err = Wide::all(&db).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert!(err.to_string().contains("`value`"), "{err}");
        Ok(())
    }
}
