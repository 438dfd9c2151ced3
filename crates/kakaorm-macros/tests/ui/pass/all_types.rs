//! Every supported column type, plain and as `Option`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use kakaorm::ColumnType;
use kakaorm::Model;
use rust_decimal::Decimal;
use uuid::Uuid;

#[derive(Model)]
pub struct AllTypes {
    pub id: i64,
    pub small: i16,
    pub int: i32,
    pub big: i64,
    pub real: f32,
    pub double: f64,
    pub flag: bool,
    pub text: String,
    pub date: NaiveDate,
    pub time: NaiveTime,
    pub naive_ts: NaiveDateTime,
    pub ts: DateTime<Utc>,
    pub dec: Decimal,
    pub uuid: Uuid,
    pub json: serde_json::Value,
    pub bytes: Vec<u8>,
    pub o_small: Option<i16>,
    pub o_int: Option<i32>,
    pub o_big: Option<i64>,
    pub o_real: Option<f32>,
    pub o_double: Option<f64>,
    pub o_flag: Option<bool>,
    pub o_text: Option<String>,
    pub o_date: Option<NaiveDate>,
    pub o_time: Option<NaiveTime>,
    pub o_naive_ts: Option<NaiveDateTime>,
    pub o_ts: Option<DateTime<Utc>>,
    pub o_dec: Option<Decimal>,
    pub o_uuid: Option<Uuid>,
    pub o_json: Option<serde_json::Value>,
    pub o_bytes: Option<Vec<u8>>,
}

fn main() {
    let schema = AllTypes::SCHEMA;
    assert_eq!(schema.name, "all_types");
    assert_eq!(schema.columns.len(), 31);
    let ty = |name: &str| schema.column(name).unwrap().ty;
    assert_eq!(ty("small"), ColumnType::SmallInt);
    assert_eq!(ty("int"), ColumnType::Integer);
    assert_eq!(ty("big"), ColumnType::BigInt);
    assert_eq!(ty("real"), ColumnType::Real);
    assert_eq!(ty("double"), ColumnType::Double);
    assert_eq!(ty("flag"), ColumnType::Boolean);
    assert_eq!(ty("text"), ColumnType::Text);
    assert_eq!(ty("date"), ColumnType::Date);
    assert_eq!(ty("time"), ColumnType::Time);
    assert_eq!(ty("naive_ts"), ColumnType::Timestamp);
    assert_eq!(ty("ts"), ColumnType::TimestampTz);
    assert!(matches!(ty("dec"), ColumnType::Decimal { .. }));
    assert_eq!(ty("uuid"), ColumnType::Uuid);
    assert_eq!(ty("json"), ColumnType::Json);
    assert_eq!(ty("bytes"), ColumnType::Bytes);
    for column in schema.columns {
        assert_eq!(column.nullable, column.name.starts_with("o_"), "{}", column.name);
        if let Some(plain) = column.name.strip_prefix("o_") {
            assert_eq!(column.ty, ty(plain));
        }
    }
}
