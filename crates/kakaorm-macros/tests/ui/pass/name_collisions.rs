//! Fields named like query, model and builder methods still work: handles are associated
//! consts, builder setters are the builder's only inherent methods, and model methods live
//! on traits.

use chrono::{TimeZone, Utc};
use kakaorm::{CreateBuilder, Model, Value};

#[derive(Model)]
pub struct Clash {
    pub id: i64,
    pub filter: i32,
    pub create: i32,
    pub count: i32,
    pub exec: i32,
    pub all: i32,
    pub get: i32,
    pub into_row: i32,
    pub key_value: i32,
    pub column_values: i32,
    pub touch_auto_now: i32,
    pub from_row: i32,
    pub now: i32,
    pub value: i32,
    pub row: i32,
    pub columns: i32,
    pub values: i32,
    pub r#type: String,
}

fn main() {
    assert_eq!(Clash::filter.name(), "filter");
    assert_eq!(Clash::create.name(), "create");
    assert_eq!(Clash::count.name(), "count");
    assert_eq!(Clash::into_row.name(), "into_row");
    assert_eq!(Clash::r#type.name(), "type");
    let _ = Clash::filter.eq(1) & Clash::exec.gt(2);

    // `Clash::create` is the column handle; the trait method stays reachable.
    let builder = <Clash as Model>::create().filter(1).create(2).exec(3).into_row(4).r#type("t");
    let now = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    let row = CreateBuilder::into_row(builder, now).unwrap();
    assert_eq!(row.columns[..4], ["filter", "create", "count", "exec"]);
    assert_eq!(row.values[..4], [Value::I32(1), Value::I32(2), Value::Null, Value::I32(3)]);
    assert_eq!(row.columns.last(), Some(&"type"));
    assert_eq!(Clash::SCHEMA.name, "clash");
}
